package formats

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// RetentionMonths is how long after a request is closed (sent, or
// impossible) the resident's details are kept; MaxRetentionMonths is how
// long after it was made they are kept at most, closed or not.
const (
	RetentionMonths    = 12
	MaxRetentionMonths = 24
)

// Ref is what the emails about request id are about, so that erasing the
// request's personal data deletes them.
func Ref(id int64) string { return "format-request:" + strconv.FormatInt(id, 10) }

// Holding is the requests as personal data: the resident's name, email
// address and what they told us.
func Holding(out mail.Outbox) privacy.Holding {
	return privacy.Holding{
		Name:   "format_requests",
		Tables: []string{"format_requests"},
		Holds:  "When you ask for a page or paper in another format: your email address, your name if you give it, the format you asked for and anything else you tell us.",
		Kept: fmt.Sprintf("We delete your name, email address and what you told us %d months after your request is closed (sent, or we could not provide it), and %d months after you made it at most, with the emails about it.",
			RetentionMonths, MaxRetentionMonths),
		Expire: func(ctx context.Context, tx *privacy.Tx) (int, error) {
			return erase(ctx, tx, out, `((closed_at IS NOT NULL AND closed_at < $2) OR submitted_at < $3)`,
				tx.Now.AddDate(0, -RetentionMonths, 0), tx.Now.AddDate(0, -MaxRetentionMonths, 0))
		},
		Erase: func(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
			return erase(ctx, tx, out, `email_key = $2`, emailKey(email))
		},
		Export: export,
	}
}

// erase erases the residents' details of the requests where (a condition
// on $2..) selects, and the emails about them; $1 is now.
func erase(ctx context.Context, tx *privacy.Tx, out mail.Outbox, where string, args ...any) (int, error) {
	now := tx.Now.UTC().Truncate(time.Second)
	ids, err := db.Column[int64](ctx, tx, `UPDATE format_requests SET name = '', email = '', email_key = '', details = '',
		erased_at = $1, updated_at = $1 WHERE erased_at IS NULL AND `+where+` RETURNING id`, append([]any{now}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("formats: erase: %w", err)
	}
	for _, id := range ids {
		if _, err := out.Forget(ctx, tx, Ref(id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Asked is one request as a resident's data export shows it.
type Asked struct {
	Reference   string    `json:"reference"`
	About       string    `json:"about"`
	Page        string    `json:"page"`
	Format      Format    `json:"format"`
	Language    string    `json:"language"`
	Details     string    `json:"details"`
	Name        string    `json:"name"`
	Email       string    `json:"email"`
	Status      Status    `json:"status"`
	DueOn       string    `json:"due_on"`
	SubmittedAt time.Time `json:"submitted_at"`
}

func export(ctx context.Context, q db.Querier, email string) (any, error) {
	list, err := db.QueryAll(ctx, q, scan, `SELECT `+columns+` FROM format_requests WHERE email_key = $1
		AND erased_at IS NULL ORDER BY id`, emailKey(email))
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]Asked, len(list))
	for i, r := range list {
		out[i] = Asked{Reference: r.Reference(), About: r.Title, Page: r.Path, Format: r.Format, Language: r.Language,
			Details: r.Details, Name: r.Name, Email: r.Email, Status: r.Status, DueOn: r.DueOn, SubmittedAt: r.SubmittedAt}
	}
	return out, nil
}
