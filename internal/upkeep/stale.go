package upkeep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
)

// Confirm records that u confirmed service id is still correct, now: the
// public page and the Open Referral record say so (assured_date and
// assurer_email), and the record is not stale for StaleMonths. The audit
// log records who did.
func (s *Service) Confirm(ctx context.Context, u accounts.User, id string) error {
	// The service's page and the API change: the page cache empties.
	return s.ConfirmAll(ctx, u, []string{id})
}

// ConfirmAll records, in one transaction, that u confirmed each of ids is
// still correct, as Confirm does for one. An id that is not a record
// changes nothing and returns db.ErrNotFound.
func (s *Service) ConfirmAll(ctx context.Context, u accounts.User, ids []string) error {
	now := s.now()
	return s.db.Tx(ctx, func(q db.Querier) error {
		for _, id := range ids {
			if err := s.dirIn(q).Confirm(ctx, id, now, u.Email); err != nil {
				return err
			}
			if err := accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "service_confirmed",
				Record: "service:" + id, After: map[string]any{"confirmed_at": now}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Stale returns a page of the records nobody has confirmed for
// StaleMonths, longest unconfirmed first, with the total.
func (s *Service) Stale(ctx context.Context, page, perPage int) ([]directory.StaleService, int, error) {
	return s.dir.Stale(ctx, s.StaleBefore(s.now()), page, perPage)
}

// remindedRecently reports whether a reminder sent at last is less than a
// month before now: an organisation's providers get one a month at most.
func remindedRecently(last, now time.Time) bool { return !last.AddDate(0, 1, 0).Before(now) }

// SendReminders emails, at now, the providers of each organisation with
// stale records a list of them, unless its providers had a reminder in the
// last month. It returns how many organisations it reminded.
func (s *Service) SendReminders(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC().Truncate(time.Second)
	stale, _, err := s.dir.Stale(ctx, s.StaleBefore(now), 0, 0)
	if err != nil {
		return 0, err
	}
	byOrg := map[string][]directory.StaleService{}
	for _, x := range stale {
		byOrg[x.OrganizationID] = append(byOrg[x.OrganizationID], x)
	}
	orgs := make([]string, 0, len(byOrg))
	for id := range byOrg {
		orgs = append(orgs, id)
	}
	sort.Strings(orgs)
	sent := 0
	for _, org := range orgs {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		emails, err := s.opt.Providers.Emails(ctx, org)
		if err != nil {
			return sent, fmt.Errorf("upkeep: providers of %s: %w", org, err)
		}
		if len(emails) == 0 {
			continue
		}
		reminded := false
		// One transaction per organisation: the reminder is recorded with
		// its emails, and a run on another instance sees it.
		err = s.db.TxPrivate(ctx, func(q db.Querier) error {
			reminded = false
			var last time.Time
			err := q.QueryRowContext(ctx, `SELECT reminded_at FROM listing_reminders WHERE organization_id = $1`, org).Scan(&last)
			switch {
			case err == nil && remindedRecently(last, now):
				return nil
			case err != nil && !errors.Is(err, sql.ErrNoRows):
				return err
			}
			list := byOrg[org]
			if _, err := q.ExecContext(ctx, `INSERT INTO listing_reminders (organization_id, reminded_at, services) VALUES ($1, $2, $3)
				ON CONFLICT (organization_id) DO UPDATE SET reminded_at = excluded.reminded_at, services = excluded.services`,
				org, now, len(list)); err != nil {
				return err
			}
			text := s.reminderText(list)
			for _, to := range emails {
				if _, err := s.opt.Outbox.Enqueue(ctx, q, mail.Message{Kind: "listing-stale-reminder", To: to,
					Subject: "Please check your directory listings", Text: text}); err != nil {
					return err
				}
			}
			reminded = true
			return nil
		})
		if err != nil {
			return sent, fmt.Errorf("upkeep: remind %s: %w", org, err)
		}
		if reminded {
			sent++
		}
	}
	return sent, nil
}

func (s *Service) reminderText(list []directory.StaleService) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Nobody has confirmed these listings in the directory for %d months or more. Residents rely on them "+
		"being right: please check each one, and confirm it or send us the changes.\n\n", s.opt.StaleMonths)
	for _, x := range list {
		last := "never confirmed"
		if x.ConfirmedAt != nil {
			last = "last confirmed " + london.Date(*x.ConfirmedAt)
		}
		fmt.Fprintf(&b, "- %s (%s)\n  %s/directory/services/%s\n", x.Name, last, s.opt.BaseURL, x.ID)
	}
	b.WriteString("\nWe send this reminder at most once a month.\n")
	return b.String()
}

// Count is a number of things waiting for the directory's editors, with
// the admin list where they are.
type Count struct {
	Label string
	N     int
	URL   string
}

// Counts are what waits for the directory's editors: new reports and
// reports in hand, stale records, and failing checks.
func (s *Service) Counts(ctx context.Context) ([]Count, error) {
	reports, err := s.CountReports(ctx)
	if err != nil {
		return nil, err
	}
	stale, err := s.dir.CountStale(ctx, s.StaleBefore(s.now()))
	if err != nil {
		return nil, err
	}
	failing, err := s.CountFailing(ctx)
	if err != nil {
		return nil, err
	}
	return []Count{
		{Label: "New reports of problems with listings", N: reports[New], URL: "/admin/directory/reports?status=new"},
		{Label: "Reports in hand", N: reports[InHand], URL: "/admin/directory/reports?status=in_hand"},
		{Label: "Records not confirmed for " + itoa(s.opt.StaleMonths) + " months", N: stale, URL: "/admin/directory/stale"},
		{Label: "Records failing automatic checks", N: failing, URL: "/admin/directory/checks"},
	}, nil
}
