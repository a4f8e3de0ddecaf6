package app

import (
	"context"
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

// newJobs returns the scheduled jobs of the site, on the clock now. Every
// instance runs them; each due run happens on one instance only.
func newJobs(d *db.DB, cfg config.Config, log *slog.Logger, now func() time.Time) (*jobs.Runner, error) {
	sender, err := mail.NewSender(cfg.SMTPURL, cfg.Outbox())
	if err != nil {
		return nil, err
	}
	from := outbox(cfg).From.Address
	r := jobs.NewRunner(d, now, log)
	r.Every("mail", 15*time.Second, func(ctx context.Context, now time.Time) error {
		_, err := mail.Deliver(ctx, d, sender, from, now, 100)
		return err
	})
	regs := registrations.NewService(d, outbox(cfg), cfg.BaseURL, cfg.Outbox(), now)
	r.Every("registration-reminders", 5*time.Minute, func(ctx context.Context, now time.Time) error {
		_, err := regs.SendReminders(ctx, now)
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
