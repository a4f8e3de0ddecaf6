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
	emailKey, ipKey, err := l.reserve(ctx, email, clientIP, now)
	if err != nil {
		return User{}, err
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
		return User{}, l.failed(ctx, u.ID, email)
	}
	if u.TwoFactor && action == ActionLogin {
		// The password was right, but the login is not done until the
		// code is: the attempt is given back, and the failures under the
		// email stay counted, so that codes cannot be guessed between
		// correct passwords.
		err := l.db.Tx(ctx, func(q db.Querier) error {
			th := throttle{q: q}
			if err := th.release(ctx, emailKey, freeFailures); err != nil {
				return err
			}
			return th.release(ctx, ipKey, freeFailuresIP)
		})
		if err != nil {
			return User{}, err
		}
		return u, nil
	}
	if err := l.succeeded(ctx, now, emailKey, ipKey, u, action); err != nil {
		return User{}, err
	}
	return u, nil
}

// failed audits a failed attempt, already counted by reserve.
func (l *Logins) failed(ctx context.Context, userID int64, actor string) error {
	// Sign-in records are on no public page.
	err := l.db.TxPrivate(ctx, func(q db.Querier) error {
		return Audit(ctx, q, Entry{UserID: userID, Actor: actor, Action: ActionLoginFailed, Record: userRecord(userID)})
	})
	if err != nil {
		return err
	}
	return ErrBadLogin
}

// succeeded forgets the failures under the email, gives back the attempt
// reserve counted under the client address and, for action (not ""),
// audits it.
func (l *Logins) succeeded(ctx context.Context, now time.Time, emailKey, ipKey string, u User, action string) error {
	// Sign-in records are on no public page.
	return l.db.TxPrivate(ctx, func(q db.Querier) error {
		th := throttle{q: q}
		if err := th.clear(ctx, emailKey); err != nil {
			return err
		}
		if err := th.release(ctx, ipKey, freeFailuresIP); err != nil {
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
}

// reserve returns the back-off keys of an email and a client address, and
// ErrThrottled while either is blocked at now. In the same transaction it
// counts the attempt as a failure under both before the slow password
// hash runs, so that attempts sent in parallel cannot all pass the check
// before any of them is counted; an attempt that succeeds is given back.
func (l *Logins) reserve(ctx context.Context, email, clientIP string, now time.Time) (string, string, error) {
	emailKey, ipKey := "email:"+emailKey(email), "ip:"+clientIP
	if len(emailKey) > 300 {
		emailKey = emailKey[:300]
	}
	// Sign-in records are on no public page.
	err := l.db.TxPrivate(ctx, func(q db.Querier) error {
		th := throttle{q: q}
		for _, key := range []string{emailKey, ipKey} {
			blocked, err := th.blocked(ctx, key, now)
			if err != nil {
				return err
			}
			if blocked {
				return ErrThrottled
			}
		}
		if err := th.fail(ctx, emailKey, freeFailures, now); err != nil {
			return err
		}
		return th.fail(ctx, ipKey, freeFailuresIP, now)
	})
	if err != nil {
		return "", "", err
	}
	return emailKey, ipKey, nil
}

// SecondFactor finishes the login of u, whose password was right, with a
// code of their second factor: a TOTP code, each usable once, or a
// recovery code. A wrong code counts towards the same back-off as a wrong
// password, and answers ErrBadCode.
func (l *Logins) SecondFactor(ctx context.Context, tf *TwoFactor, u User, code, clientIP string) error {
	return l.checkCode(ctx, tf, u, code, clientIP, ActionLogin)
}

// VerifyCode checks a signed-in user's code again, as for turning the
// second factor off, with the same back-off as SecondFactor.
func (l *Logins) VerifyCode(ctx context.Context, tf *TwoFactor, u User, code, clientIP string) error {
	return l.checkCode(ctx, tf, u, code, clientIP, "")
}

func (l *Logins) checkCode(ctx context.Context, tf *TwoFactor, u User, code, clientIP, action string) error {
	now := l.now()
	emailKey, ipKey, err := l.reserve(ctx, u.Email, clientIP, now)
	if err != nil {
		return err
	}
	ok, err := tf.check(ctx, u.ID, code)
	if err != nil {
		return err
	}
	if !ok || u.Disabled {
		if err := l.failed(ctx, u.ID, u.Email); !errors.Is(err, ErrBadLogin) {
			return err
		}
		return ErrBadCode
	}
	return l.succeeded(ctx, now, emailKey, ipKey, u, action)
}

// userRecord names a user's record in the audit log.
func userRecord(id int64) string {
	if id == 0 {
		return ""
	}
	return "user:" + strconv.FormatInt(id, 10)
}
