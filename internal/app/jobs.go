package app

import (
	"context"
	"errors"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/jobs"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/registrations"
)

// outbox is where the site's email is queued from: the configured sender,
// or no-reply at the base URL's host.
func outbox(cfg config.Config) mail.Outbox {
	host := "localhost"
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	from, err := netmail.ParseAddress(cfg.MailFrom)
	if err != nil {
		from = &netmail.Address{Name: "South East London", Address: "no-reply@" + host}
	}
	return mail.Outbox{From: *from, Domain: host, Dir: cfg.Outbox()}
}

// mailWorkers is how many emails an instance sends at once, each on its
// own SMTP connection; mailRunLimit bounds one run of the mail job.
const (
	mailWorkers  = 8
	mailRunLimit = 4 * time.Minute
)

// newJobs returns the scheduled jobs of the site, on the clock now. Every
// instance runs them; each due run happens on one instance only.
func newJobs(d *db.DB, cfg config.Config, log *slog.Logger, now func() time.Time) (*jobs.Runner, error) {
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.Outbox())
	if err != nil {
		return nil, err
	}
	from := outbox(cfg).From.Address
	r := jobs.NewRunner(d, now, log)
	// The mail job drains the outbox: each message claimed on its own,
	// mailWorkers sent at once, until none is due (or mailRunLimit, well
	// within the job's lease, has passed; the next run goes on).
	r.Every("mail", 5*time.Second, func(ctx context.Context, _ time.Time) error {
		_, err := mail.Delivery{DB: d, Sender: sender, From: from, Holder: r.Holder(), Workers: mailWorkers,
			Now: func() time.Time { return now().UTC() }, MaxDuration: mailRunLimit}.Run(ctx)
		if ctx.Err() != nil {
			return nil // stopped for a shutdown
		}
		return err
	})
	regs := registrations.NewService(d, outbox(cfg), cfg.BaseURL, cfg.Outbox(), now)
	r.Every("registration-reminders", 5*time.Minute, func(ctx context.Context, now time.Time) error {
		_, err := regs.SendReminders(ctx, now)
		return err
	})
	listings, err := newUpkeep(d, cfg, now)
	if err != nil {
		return nil, err
	}
	r.Every("listing-reminders", remindersEvery, func(ctx context.Context, now time.Time) error {
		n, err := listings.SendReminders(ctx, now)
		if n > 0 {
			log.Info("providers reminded of stale listings", slog.Int("organisations", n))
		}
		return err
	})
	checker := listingChecker(cfg)
	r.Every("listing-checks", checksEvery, func(ctx context.Context, now time.Time) error {
		ctx, cancel := context.WithTimeout(ctx, checksRunLimit)
		defer cancel()
		run, err := listings.RunChecks(ctx, checker, now, checksPerRun)
		if run.Services > 0 {
			log.Info("listings checked", slog.Int("services", run.Services), slog.Int("checks", run.Checks), slog.Int("failed", run.Failed))
		}
		if errors.Is(err, context.DeadlineExceeded) {
			return nil // the rest are checked by the next run
		}
		return err
	})
	personal := personalData(d, cfg, regs, now)
	r.Every("retention", 6*time.Hour, func(ctx context.Context, now time.Time) error {
		n, err := personal.Expire(ctx, now)
		if len(n) > 0 {
			attrs := make([]any, 0, len(n))
			for name, count := range n {
				attrs = append(attrs, slog.Int(name, count))
			}
			log.Info("personal data erased", attrs...)
		}
		return err
	})
	return r, nil
}
