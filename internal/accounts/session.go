package accounts

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/joinedup/joinedup/internal/db"
)

// Session lifetimes: a session ends after IdleTimeout without a request,
// and after Lifetime whatever happens.
const (
	IdleTimeout = 30 * time.Minute
	Lifetime    = 12 * time.Hour
)

// Keys of the values a session holds.
const (
	sessionUser  = "user_id"
	sessionEpoch = "epoch"
)

// NewSessions returns the session manager: sessions in the database, a
// cookie that scripts cannot read, sent only over HTTPS when the site is
// served over HTTPS, and then with the __Host- prefix, which pins it to
// this host and path /.
func NewSessions(d *db.DB, https bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = &sessionStore{d: d}
	sm.IdleTimeout = IdleTimeout
	sm.Lifetime = Lifetime
	sm.Cookie.Name = "joinedup"
	if https {
		sm.Cookie.Name = "__Host-joinedup"
	}
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = https
	sm.Cookie.Path = "/"
	sm.Cookie.Persist = false
	return sm
}

// SignIn starts a signed-in session for u on a new token, so a token
// planted before login is worth nothing after it.
func SignIn(ctx context.Context, sm *scs.SessionManager, u User) error {
	if err := sm.RenewToken(ctx); err != nil {
		return fmt.Errorf("accounts: renew session: %w", err)
	}
	sm.Put(ctx, sessionUser, u.ID)
	sm.Put(ctx, sessionEpoch, u.Epoch)
	return nil
}

// KeepSignedIn records the user's new epoch in the current session after
// a change that ended their other sessions.
func KeepSignedIn(ctx context.Context, sm *scs.SessionManager, u User) {
	sm.Put(ctx, sessionEpoch, u.Epoch)
}

// SessionUser returns the signed-in user of the request's session: enabled,
// and whose epoch has not moved since the session began. ok is false when
// nobody is signed in.
func SessionUser(ctx context.Context, sm *scs.SessionManager, store *Store) (u User, ok bool, err error) {
	id := sm.GetInt64(ctx, sessionUser)
	if id == 0 {
		return User{}, false, nil
	}
	u, err = store.ByID(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return User{}, false, sm.Destroy(ctx)
	}
	if err != nil {
		return User{}, false, err
	}
	if u.Disabled || u.Epoch != sm.GetInt64(ctx, sessionEpoch) {
		return User{}, false, sm.Destroy(ctx)
	}
	return u, true, nil
}

// hashToken is what the database keeps of a session or link token.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// sessionStore keeps scs's sessions in the sessions table, by the hash of
// their token, noting the user so that all of a user's sessions can be
// ended at once.
type sessionStore struct {
	d *db.DB
}

var _ scs.CtxStore = (*sessionStore)(nil)

func (s *sessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	err := s.d.QueryRowContext(ctx, `SELECT data FROM sessions WHERE token_hash = $1 AND expiry > $2`,
		hashToken(token), time.Now().UnixNano()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("accounts: find session: %w", err)
	}
	return data, true, nil
}

func (s *sessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	var userID sql.NullInt64
	if _, values, err := (scs.GobCodec{}).Decode(b); err == nil {
		if id, ok := values[sessionUser].(int64); ok && id > 0 {
			userID = sql.NullInt64{Int64: id, Valid: true}
		}
	}
	_, err := s.d.ExecPrivate(ctx, `INSERT INTO sessions (token_hash, user_id, data, expiry) VALUES ($1, $2, $3, $4)
		ON CONFLICT (token_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expiry = excluded.expiry`,
		hashToken(token), userID, b, expiry.UnixNano())
	if err != nil {
		return fmt.Errorf("accounts: save session: %w", err)
	}
	return nil
}

func (s *sessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.d.ExecPrivate(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hashToken(token)); err != nil {
		return fmt.Errorf("accounts: delete session: %w", err)
	}
	return nil
}

func (s *sessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

func (s *sessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

func (s *sessionStore) Delete(token string) error { return s.DeleteCtx(context.Background(), token) }

// DeleteExpiredSessions removes sessions past their expiry.
func DeleteExpiredSessions(ctx context.Context, q db.Querier, now time.Time) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM sessions WHERE expiry <= $1`, now.UnixNano()); err != nil {
		return fmt.Errorf("accounts: delete expired sessions: %w", err)
	}
	return nil
}
