package upkeep

import (
	"context"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// How long a reporter's email address is kept: closedRetentionMonths
// after the report is closed, and never more than openRetentionMonths
// after it was sent, closed or not.
const (
	closedRetentionMonths = 6
	openRetentionMonths   = 12
)

// Holding is residents' reports of problems with listings as personal
// data: the reporter's email address, when they gave one for a reply. The
// report itself (what is wrong with a public listing) stays, without it;
// the emails about the report go with the address.
func Holding(out mail.Outbox) privacy.Holding {
	return privacy.Holding{
		Name:   "listing-reports",
		Tables: []string{"listing_reports"},
		Holds:  "When you report a problem with a listing in the directory: what you say is wrong, and your email address if you give one for our reply.",
		Kept: fmt.Sprintf("We delete your email address %d months after we close your report (and %d months after you sent it at most), with the email we sent you about it. The report stays, without your address.",
			closedRetentionMonths, openRetentionMonths),
		Expire: func(ctx context.Context, tx *privacy.Tx) (int, error) {
			return eraseReports(ctx, tx, out, `email <> '' AND ((closed_at IS NOT NULL AND closed_at < $2) OR created_at < $3)`,
				tx.Now.AddDate(0, -closedRetentionMonths, 0), tx.Now.AddDate(0, -openRetentionMonths, 0))
		},
		Erase: func(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
			return eraseReports(ctx, tx, out, `lower(email) = $2`, email)
		},
		Export: exportReports,
	}
}

// eraseReports erases the reporters' addresses of the reports where (a
// condition on $2..) selects, and the emails about them; $1 is now.
func eraseReports(ctx context.Context, tx *privacy.Tx, out mail.Outbox, where string, args ...any) (int, error) {
	ids, err := db.Column[int64](ctx, tx, `UPDATE listing_reports SET email = '', erased_at = $1, updated_at = $1
		WHERE erased_at IS NULL AND `+where+` RETURNING id`, append([]any{tx.Now}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("upkeep: erase reports: %w", err)
	}
	for _, id := range ids {
		if _, err := out.Forget(ctx, tx, Ref(id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Reported is one report as a resident's data export shows it.
type Reported struct {
	ServiceID string    `json:"service_id"`
	Problem   string    `json:"problem"`
	Details   string    `json:"details"`
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	SentAt    time.Time `json:"sent_at"`
}

func exportReports(ctx context.Context, q db.Querier, email string) (any, error) {
	list, err := db.QueryAll(ctx, q, scanReport, `SELECT `+reportColumns+` FROM listing_reports
		WHERE lower(email) = $1 AND erased_at IS NULL ORDER BY id`, email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]Reported, len(list))
	for i, r := range list {
		out[i] = Reported{ServiceID: r.ServiceID, Problem: r.Kind.Label(), Details: r.Details, Email: r.Email,
			Status: r.Status.Label(), SentAt: r.CreatedAt}
	}
	return out, nil
}
