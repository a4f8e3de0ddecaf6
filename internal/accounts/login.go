package accounts

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Logins checks email and password logins, with back-off after failures.
type Logins struct {
	db  *db.DB
	now func() time.Time
}

// NewLogins returns Logins on d; now is the clock the back-off runs on.
func NewLogins(d *db.DB, now func() time.Time) *Logins { return &Logins{db: d, now: now} }

// Login returns the enabled user whose email and password these are. It
// answers ErrThrottled while back-off is in force for the email or the
// client address, and otherwise ErrBadLogin for every kind of failure,
// taking as long for an unknown email as for a wrong password.
func (l *Logins) Login(ctx context.Context, email, password, clientIP string) (User, error) {
	return l.check(ctx, email, password, clientIP, ActionLogin)
}

// Verify checks a signed-in user's password again, as for changing it,
// with the same back-off as Login but without recording a login.
func (l *Logins) Verify(ctx context.Context, email, password, clientIP string) error {
	_, err := l.check(ctx, email, password, clientIP, "")
	return err
}

func (l *Logins) check(ctx context.Context, email, password, clientIP, action string) (User, error) {
	now := l.now()
	emailKey, ipKey := "email:"+emailKey(email), "ip:"+clientIP
	if len(emailKey) > 300 {
		emailKey = emailKey[:300]
	}
	th := throttle{q: l.db}
	for _, key := range []string{emailKey, ipKey} {
		blocked, err := th.blocked(ctx, key, now)
		if err != nil {
			return User{}, err
		}
		if blocked {
			return User{}, ErrThrottled
		}
	}
	u, err := NewStore(l.db).ByEmail(ctx, email)
	found := err == nil
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		return User{}, err
	}
	ok := false
	if found {
		ok = passwordMatches(u.passwordHash, password) && !u.Disabled
	} else {
		passwordMatches(dummyHash(), password)
	}
	if !ok {
		err := l.db.Tx(ctx, func(q db.Querier) error {
			th := throttle{q: q}
			if err := th.fail(ctx, emailKey, freeFailures, now); err != nil {
				return err
			}
			if err := th.fail(ctx, ipKey, freeFailuresIP, now); err != nil {
				return err
			}
			return Audit(ctx, q, Entry{UserID: u.ID, Actor: email, Action: ActionLoginFailed, Record: userRecord(u.ID)})
		})
		if err != nil {
			return User{}, err
		}
		return User{}, ErrBadLogin
	}
	err = l.db.Tx(ctx, func(q db.Querier) error {
		if err := (throttle{q: q}).clear(ctx, emailKey); err != nil {
			return err
		}
		if action == "" {
			return nil
		}
		// Sessions past their expiry are never found again; a login is
		// a fair moment to sweep them.
		if err := DeleteExpiredSessions(ctx, q, now); err != nil {
			return err
		}
		return Audit(ctx, q, Entry{UserID: u.ID, Actor: u.Email, Action: action, Record: userRecord(u.ID)})
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// userRecord names a user's record in the audit log.
func userRecord(id int64) string {
	if id == 0 {
		return ""
	}
	return "user:" + strconv.FormatInt(id, 10)
}
