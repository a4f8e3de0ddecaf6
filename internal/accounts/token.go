package accounts

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Purposes of one-time links.
const (
	PurposeReset = "reset"
	PurposeSetup = "setup"
)

// LinkLifetime is how long a reset or setup link works.
const LinkLifetime = time.Hour

// NewLinkToken stores a one-time token for purpose (for userID, or 0 for
// setup) that expires LinkLifetime after now, and returns the token. Only
// its hash is kept.
func NewLinkToken(ctx context.Context, q db.Querier, purpose string, userID int64, now time.Time) (string, error) {
	return NewLinkTokenFor(ctx, q, purpose, userID, now, LinkLifetime)
}

// InviteLifetime is how long the link in an invitation to a new account
// works: longer than a reset link, as the person invited did not ask for
// it and may not read it at once.
const InviteLifetime = 7 * 24 * time.Hour

// NewLinkTokenFor is NewLinkToken with a lifetime of its own.
func NewLinkTokenFor(ctx context.Context, q db.Querier, purpose string, userID int64, now time.Time, lifetime time.Duration) (string, error) {
	token := rand.Text()
	var uid any
	if userID != 0 {
		uid = userID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO account_tokens (token_hash, purpose, user_id, expires_at, created_at)
		VALUES ($1, $2, $3, $4, $5)`, hashToken(token), purpose, uid, now.Add(lifetime).UnixNano(), db.Now())
	if err != nil {
		return "", fmt.Errorf("accounts: new %s link: %w", purpose, err)
	}
	return token, nil
}

// CheckLinkToken returns the user id (0 for setup) of a live token for
// purpose, or ErrBadToken.
func CheckLinkToken(ctx context.Context, q db.Querier, purpose, token string, now time.Time) (int64, error) {
	if token == "" {
		return 0, ErrBadToken
	}
	var uid sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT user_id FROM account_tokens
		WHERE token_hash = $1 AND purpose = $2 AND NOT used AND expires_at > $3`,
		hashToken(token), purpose, now.UnixNano()).Scan(&uid)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrBadToken
	}
	if err != nil {
		return 0, fmt.Errorf("accounts: check %s link: %w", purpose, err)
	}
	return uid.Int64, nil
}

// UseLinkToken marks a live token used, in the transaction of what it was
// used for, and returns its user id; a token can be used once.
func UseLinkToken(ctx context.Context, q db.Querier, purpose, token string, now time.Time) (int64, error) {
	uid, err := CheckLinkToken(ctx, q, purpose, token, now)
	if err != nil {
		return 0, err
	}
	res, err := q.ExecContext(ctx, `UPDATE account_tokens SET used = TRUE WHERE token_hash = $1 AND NOT used`, hashToken(token))
	if err != nil {
		return 0, fmt.Errorf("accounts: use %s link: %w", purpose, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, ErrBadToken
	}
	return uid, nil
}

// UseSetupToken marks a live setup token used, in the transaction that
// creates the first administrator, with every other setup token, so an
// older link logged by an earlier start cannot make a second one. It
// refuses the token (ErrBadToken) when an administrator exists already,
// however it was made. The
// transaction makes the check and the insert that follows it atomic
// (SQLite has one writer; PostgreSQL's serializable transactions retry
// the one that read "no administrator" after another made one).
func UseSetupToken(ctx context.Context, q db.Querier, token string, now time.Time) error {
	has, err := NewStore(q).HasAdministrator(ctx)
	if err != nil {
		return err
	}
	if has {
		return ErrBadToken
	}
	if _, err := UseLinkToken(ctx, q, PurposeSetup, token, now); err != nil {
		return err
	}
	// The first administrator is about to exist: the other links go now.
	if _, err := q.ExecContext(ctx, `UPDATE account_tokens SET used = TRUE WHERE purpose = $1 AND NOT used`, PurposeSetup); err != nil {
		return fmt.Errorf("accounts: spend setup links: %w", err)
	}
	return nil
}

// CheckSetupToken reports whether token is a live setup link and no
// administrator exists yet (ErrBadToken otherwise).
func CheckSetupToken(ctx context.Context, q db.Querier, token string, now time.Time) error {
	has, err := NewStore(q).HasAdministrator(ctx)
	if err != nil {
		return err
	}
	if has {
		return ErrBadToken
	}
	_, err = CheckLinkToken(ctx, q, PurposeSetup, token, now)
	return err
}
