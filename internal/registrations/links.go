package registrations

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/secrets"
)

// Signer signs the links in residents' emails, so that a link to cancel a
// registration, erase someone's data or unsubscribe works for the person
// it was sent to and cannot be made up for anybody else. Its key lives in
// the database (see package secrets), so every instance shares it.
type Signer struct {
	db   *db.DB
	mu   sync.Mutex
	key  []byte
	name string
}

// NewSigner returns a signer whose key is in d.
func NewSigner(d *db.DB) *Signer { return &Signer{db: d, name: "resident-links"} }

// Load reads the key, making it the first time. Call it at start-up: making
// the key needs a write transaction, which must not be opened while the
// caller holds one (as it does when it signs a link in an email it queues).
func (s *Signer) Load(ctx context.Context) error {
	_, err := s.loadKey(ctx)
	return err
}

func (s *Signer) loadKey(ctx context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	key, err := secrets.Load(ctx, s.db, s.name)
	if err != nil {
		return nil, fmt.Errorf("registrations: signing key: %w", err)
	}
	s.key = key
	return key, nil
}

// Sign returns the signature of value for purpose ("cancel", "erase").
func (s *Signer) Sign(ctx context.Context, purpose, value string) (string, error) {
	key, err := s.loadKey(ctx)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(purpose + "\x00" + value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

// Check reports whether sig is the signature of value for purpose.
func (s *Signer) Check(ctx context.Context, purpose, value, sig string) (bool, error) {
	want, err := s.Sign(ctx, purpose, value)
	if err != nil {
		return false, err
	}
	return hmac.Equal([]byte(want), []byte(sig)), nil
}

// Throttle limits how often residents' forms are sent, per client address
// and per email address, in fixed windows kept in the database (so the
// limit holds across instances). Keys are stored hashed.
type Throttle struct {
	db     *db.DB
	Window time.Duration
}

// NewThrottle returns a throttle with one-hour windows.
func NewThrottle(d *db.DB) *Throttle { return &Throttle{db: d, Window: time.Hour} }

// Allow counts one hit against key and reports whether it is within limit.
func (t *Throttle) Allow(ctx context.Context, key string, limit int, now time.Time) (bool, error) {
	sum := sha256.Sum256([]byte(strings.ToLower(key)))
	start := now.UTC().Truncate(t.Window)
	var hits int
	err := t.db.TxPrivate(ctx, func(q db.Querier) error {
		return q.QueryRowContext(ctx, `INSERT INTO form_throttle (key, window_start, hits) VALUES ($1, $2, 1)
		ON CONFLICT (key) DO UPDATE SET
			hits = CASE WHEN form_throttle.window_start = excluded.window_start THEN form_throttle.hits + 1 ELSE 1 END,
			window_start = excluded.window_start
		RETURNING hits`, base64.RawURLEncoding.EncodeToString(sum[:]), start).Scan(&hits)
	})
	if err != nil {
		return false, fmt.Errorf("registrations: throttle: %w", err)
	}
	return hits <= limit, nil
}
