// Package spam protects residents' forms without third-party services: a
// honeypot field people never see, a signed timestamp that shows how long
// the form was open, and limits per network address and per email kept in
// the database (so they hold across instances). The question form and the
// request for another format use it.
package spam

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Stamp signs the moment a form was shown, for one subject (a meeting, a
// page): a stamp made for one subject does not pass for another.
func Stamp(key []byte, subject string, shown time.Time) string {
	ts := strconv.FormatInt(shown.Unix(), 10)
	return ts + "." + sign(key, subject, ts)
}

func sign(key []byte, subject, ts string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%s|%s", subject, ts)
	return hex.EncodeToString(m.Sum(nil))
}

// ShownAt checks a form's stamp and returns when the form was shown.
func ShownAt(key []byte, subject, s string) (time.Time, bool) {
	ts, mac, ok := strings.Cut(s, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(sign(key, subject, ts))) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// Limits are the spam limits of a form.
type Limits struct {
	// MinFill is the least time a person takes to fill in the form.
	MinFill time.Duration
	// MaxAge is how long a shown form can still be sent.
	MaxAge time.Duration
	// Window is the period the rate limits count over.
	Window time.Duration
	// PerAddress and PerEmail are the most submissions in Window from one
	// network address and one email address. Behind a reverse proxy the
	// address is read from X-Forwarded-For only when the proxy is trusted
	// (config's trusted proxies); PerAddress is generous, as many people
	// can share one address.
	PerAddress int
	PerEmail   int
}

// DefaultLimits are the limits a site starts with.
var DefaultLimits = Limits{MinFill: 3 * time.Second, MaxAge: 24 * time.Hour, Window: time.Hour, PerAddress: 60, PerEmail: 10}

// Problem is what is wrong with a form's honeypot or timing, as a message
// for the person, or "" when nothing is. A robot learns nothing about the
// other fields from it.
func (lim Limits) Problem(key []byte, subject, honeypot, stamp string, now time.Time) string {
	if honeypot != "" {
		return "We could not tell this form from one sent by an automated program. Check what you typed and send it again."
	}
	shown, ok := ShownAt(key, subject, stamp)
	switch {
	case !ok:
		return "We could not check this form. Check what you typed and send it again."
	case now.Sub(shown) < lim.MinFill:
		return "The form was sent too quickly after it was opened, as automated programs do. Check what you typed and send it again."
	case now.Sub(shown) > lim.MaxAge:
		return "The form was open for a long time. Check what you typed and send it again."
	}
	return ""
}

// hashKey keeps an address or email out of the attempts table in clear.
func hashKey(key []byte, kind, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind + "|" + strings.ToLower(value)))
	return kind + ":" + hex.EncodeToString(m.Sum(nil))[:32]
}

// Attempt records a submission from addr (and email, if given) in table
// (a form's attempts table, with columns key and at) and reports whether
// either is over its limit, counting this one. table is one of the
// package's callers' constant names, never input.
func Attempt(ctx context.Context, d *db.DB, table string, key []byte, lim Limits, addr, email string, now time.Time) (over bool, err error) {
	now = now.UTC()
	since := now.Add(-lim.Window)
	type counted struct {
		key   string
		limit int
	}
	keys := []counted{{hashKey(key, "ip", addr), lim.PerAddress}}
	if email != "" {
		keys = append(keys, counted{hashKey(key, "email", email), lim.PerEmail})
	}
	// Counters no public page shows: recording them leaves the page cache be.
	err = d.TxPrivate(ctx, func(q db.Querier) error {
		over = false
		if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE at < $1`, since.Add(-lim.Window)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := q.ExecContext(ctx, `INSERT INTO `+table+` (key, at) VALUES ($1, $2)`, k.key, now); err != nil {
				return err
			}
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` WHERE key = $1 AND at > $2`,
				k.key, since).Scan(&n); err != nil {
				return err
			}
			if n > k.limit {
				over = true
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("spam: rate limit in %s: %w", table, err)
	}
	return over, nil
}
