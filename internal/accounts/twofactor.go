package accounts

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// ErrBadCode refuses a second-factor code that is wrong, expired or used.
var ErrBadCode = errors.New("Enter the current 6-digit code from your authenticator app, or one of your recovery codes")

// RecoveryCodes is how many recovery codes a user gets.
const RecoveryCodes = 10

// TwoFactor manages users' optional second factor: a TOTP secret, sealed
// with the site's secret key (AES-256-GCM) so that a copy of the database
// without the key does not give the secrets away, and recovery codes kept
// as hashes.
type TwoFactor struct {
	db  *db.DB
	key []byte
	now func() time.Time
}

// NewTwoFactor returns TwoFactor on d, sealing secrets with key (32 bytes),
// on the clock now.
func NewTwoFactor(d *db.DB, key []byte, now func() time.Time) *TwoFactor {
	return &TwoFactor{db: d, key: key, now: now}
}

func (t *TwoFactor) aead() (cipher.AEAD, error) {
	if len(t.key) != 32 {
		return nil, errors.New("accounts: two-factor: the secret key must be 32 bytes")
	}
	block, err := aes.NewCipher(t.key)
	if err != nil {
		return nil, fmt.Errorf("accounts: two-factor: %w", err)
	}
	return cipher.NewGCM(block)
}

// seal encrypts a secret for userID; the user id is authenticated with it,
// so a sealed secret copied to another user's row does not open.
func (t *TwoFactor) seal(userID int64, secret []byte) (string, error) {
	a, err := t.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("accounts: two-factor: %w", err)
	}
	out := a.Seal(nonce, nonce, secret, []byte(strconv.FormatInt(userID, 10)))
	return base64.StdEncoding.EncodeToString(out), nil
}

func (t *TwoFactor) open(userID int64, sealed string) ([]byte, error) {
	a, err := t.aead()
	if err != nil {
		return nil, err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < a.NonceSize() {
		return nil, errors.New("accounts: two-factor: sealed secret is malformed")
	}
	secret, err := a.Open(nil, raw[:a.NonceSize()], raw[a.NonceSize():], []byte(strconv.FormatInt(userID, 10)))
	if err != nil {
		return nil, fmt.Errorf("accounts: two-factor: secret does not open with this key: %w", err)
	}
	return secret, nil
}

// secret returns the user's sealed secret, opened, and whether it is
// enabled; db.ErrNotFound when the user has none.
func (t *TwoFactor) secret(ctx context.Context, q db.Querier, userID int64) ([]byte, bool, error) {
	var sealed string
	var enabled bool
	err := q.QueryRowContext(ctx, `SELECT secret, enabled FROM user_totp WHERE user_id = $1`, userID).Scan(&sealed, &enabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, fmt.Errorf("accounts: two-factor of user %d: %w", userID, db.ErrNotFound)
	}
	if err != nil {
		return nil, false, fmt.Errorf("accounts: two-factor of user %d: %w", userID, err)
	}
	s, err := t.open(userID, sealed)
	return s, enabled, err
}

// Pending returns the secret the user is setting up, making one when they
// have none; it answers enabled true, and no secret, when the second
// factor is already on.
func (t *TwoFactor) Pending(ctx context.Context, userID int64) (secret []byte, enabled bool, err error) {
	s, on, err := t.secret(ctx, t.db, userID)
	if err == nil {
		if on {
			return nil, true, nil
		}
		return s, false, nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return nil, false, err
	}
	s = make([]byte, 20) // 160 bits, as RFC 4226 recommends
	if _, err := rand.Read(s); err != nil {
		return nil, false, fmt.Errorf("accounts: two-factor: %w", err)
	}
	sealed, err := t.seal(userID, s)
	if err != nil {
		return nil, false, err
	}
	// Two requests at once may both make one; the first stored wins, and
	// is the one returned.
	if _, err := t.db.ExecPrivate(ctx, `INSERT INTO user_totp (user_id, secret, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO NOTHING`, userID, sealed, db.Now()); err != nil {
		return nil, false, fmt.Errorf("accounts: two-factor: %w", err)
	}
	s, on, err = t.secret(ctx, t.db, userID)
	if on {
		return nil, true, err
	}
	return s, false, err
}

// Enable turns the second factor on once the user has typed a code of
// their pending secret, which proves their app has it, and returns their
// recovery codes: shown once, kept only as hashes. Run it in the
// transaction that audits it.
func (t *TwoFactor) Enable(ctx context.Context, q db.Querier, userID int64, code string) ([]string, error) {
	s, on, err := t.secret(ctx, q, userID)
	if errors.Is(err, db.ErrNotFound) || on {
		return nil, ErrBadCode
	}
	if err != nil {
		return nil, err
	}
	step := totpMatch(s, normalCode(code), t.now())
	if step == 0 {
		return nil, ErrBadCode
	}
	res, err := q.ExecContext(ctx, `UPDATE user_totp SET enabled = TRUE, last_step = $1 WHERE user_id = $2 AND NOT enabled`,
		step, userID)
	if err != nil {
		return nil, fmt.Errorf("accounts: enable two-factor: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ErrBadCode
	}
	return t.newRecoveryCodes(ctx, q, userID)
}

func (t *TwoFactor) newRecoveryCodes(ctx context.Context, q db.Querier, userID int64) ([]string, error) {
	if _, err := q.ExecContext(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return nil, fmt.Errorf("accounts: recovery codes: %w", err)
	}
	codes := make([]string, RecoveryCodes)
	for i := range codes {
		// 16 base32 characters: 80 random bits, in groups of four.
		raw := rand.Text()[:16]
		codes[i] = raw[:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:]
		if _, err := q.ExecContext(ctx, `INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)`,
			userID, recoveryHash(userID, raw)); err != nil {
			return nil, fmt.Errorf("accounts: recovery codes: %w", err)
		}
	}
	return codes, nil
}

// recoveryHash is what the database keeps of a recovery code (written
// without its hyphens): its SHA-256 with the user's id.
func recoveryHash(userID int64, code string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(userID, 10) + ":" + code))
	return hex.EncodeToString(sum[:])
}

// normalCode drops the spaces and hyphens people type or paste in codes.
func normalCode(code string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(code))
}

// check reports whether code is a current TOTP code or an unused recovery
// code of the user's enabled second factor, and uses it up: a TOTP code's
// time step, and every step before it, can then not be used again.
func (t *TwoFactor) check(ctx context.Context, userID int64, code string) (bool, error) {
	code = normalCode(code)
	if len(code) == 16 {
		res, err := t.db.ExecPrivate(ctx, `UPDATE user_recovery_codes SET used = TRUE
			WHERE user_id = $1 AND code_hash = $2 AND NOT used`, userID, recoveryHash(userID, code))
		if err != nil {
			return false, fmt.Errorf("accounts: recovery code: %w", err)
		}
		n, _ := res.RowsAffected()
		return n == 1, nil
	}
	s, on, err := t.secret(ctx, t.db, userID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !on) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	step := totpMatch(s, code, t.now())
	if step == 0 {
		return false, nil
	}
	// One conditional write, so two instances cannot both accept a code.
	res, err := t.db.ExecPrivate(ctx, `UPDATE user_totp SET last_step = $1
		WHERE user_id = $2 AND enabled AND last_step < $1`, step, userID)
	if err != nil {
		return false, fmt.Errorf("accounts: two-factor code: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecoveryCodesLeft counts the user's unused recovery codes.
func (t *TwoFactor) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := t.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM user_recovery_codes WHERE user_id = $1 AND NOT used`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("accounts: recovery codes: %w", err)
	}
	return n, nil
}

// ResetTwoFactor turns the user's second factor off and forgets its secret
// and recovery codes: for the user, or an administrator when the user has
// lost their phone.
func ResetTwoFactor(ctx context.Context, q db.Querier, userID int64) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM user_totp WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("accounts: reset two-factor: %w", err)
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM user_recovery_codes WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("accounts: reset two-factor: %w", err)
	}
	return nil
}
