package providers

import (
	"context"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// InviteRetentionMonths is how long the record of an invitation (the
// address invited) is kept once its account is disabled.
const InviteRetentionMonths = 12

// Holding is the providers' personal data for the privacy registry: the
// addresses invited and the provider accounts made for them. Erasing an
// address deletes its invitations and its provider account (not a staff
// account of another role), with the emails sent to it; proposals stay,
// without their author.
func Holding(out mail.Outbox) privacy.Holding {
	return privacy.Holding{
		Name:   "providers",
		Tables: []string{"dir_provider_invites"},
		Holds:  "When a directory editor invites you to keep your organisation's listings up to date: your name, your email address and the organisation.",
		Kept: fmt.Sprintf("We keep them while your provider account is in use. Once it is disabled we delete the record of the invitation after %d months; you can ask us to delete your account and its details at any time.",
			InviteRetentionMonths),
		Expire: func(ctx context.Context, tx *privacy.Tx) (int, error) {
			res, err := tx.ExecContext(ctx, `DELETE FROM dir_provider_invites WHERE invited_at < $1
				AND (user_id IS NULL OR user_id IN (SELECT id FROM users WHERE disabled))`,
				tx.Now.AddDate(0, -InviteRetentionMonths, 0))
			if err != nil {
				return 0, fmt.Errorf("providers: expire invitations: %w", err)
			}
			n, _ := res.RowsAffected()
			return int(n), nil
		},
		Erase: func(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
			return erase(ctx, tx, out, email)
		},
		Export: func(ctx context.Context, q db.Querier, email string) (any, error) {
			type invite struct {
				Organization string    `json:"organization_id"`
				InvitedAt    time.Time `json:"invited_at"`
				InvitedBy    string    `json:"invited_by"`
			}
			list, err := db.QueryAll(ctx, q, func(r db.Scanner) (invite, error) {
				var i invite
				return i, r.Scan(&i.Organization, &i.InvitedAt, &i.InvitedBy)
			}, `SELECT organization_id, invited_at, invited_by FROM dir_provider_invites WHERE lower(email) = $1 ORDER BY invited_at`, email)
			if err != nil || len(list) == 0 {
				return nil, err
			}
			return list, nil
		},
	}
}

func erase(ctx context.Context, tx *privacy.Tx, out mail.Outbox, email string) (int, error) {
	ids, err := db.Column[int64](ctx, tx, `SELECT id FROM users WHERE email_key = $1 AND role = 'provider'`, email)
	if err != nil {
		return 0, fmt.Errorf("providers: erase: %w", err)
	}
	n := 0
	for _, id := range ids {
		if _, err := out.Forget(ctx, tx, fmt.Sprintf("provider:%d", id)); err != nil {
			return n, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = $1`, id); err != nil {
			return n, fmt.Errorf("providers: erase account: %w", err)
		}
		n++
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM dir_provider_invites WHERE lower(email) = $1`, email)
	if err != nil {
		return n, fmt.Errorf("providers: erase invitations: %w", err)
	}
	m, _ := res.RowsAffected()
	return n + int(m), nil
}
