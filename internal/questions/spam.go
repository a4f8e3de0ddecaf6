package questions

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

// Spam protection without third-party services: a honeypot field people
// never see, a signed timestamp that shows how long the form was open, and
// limits per address and per email kept in the database (so they hold
// across instances).

// secretName names the key that signs form timestamps (see package secrets).
const secretName = "question-form"

// stamp signs the moment a form was shown, for one meeting.
func stamp(key []byte, meetingID int64, shown time.Time) string {
	ts := strconv.FormatInt(shown.Unix(), 10)
	return ts + "." + sign(key, meetingID, ts)
}

func sign(key []byte, meetingID int64, ts string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%d|%s", meetingID, ts)
	return hex.EncodeToString(m.Sum(nil))
}

// shownAt checks a form's stamp and returns when the form was shown.
func shownAt(key []byte, meetingID int64, s string) (time.Time, bool) {
	ts, mac, ok := strings.Cut(s, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(sign(key, meetingID, ts))) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// Limits are the spam limits of the question form.
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

// hashKey keeps an address or email out of the attempts table in clear.
func hashKey(key []byte, kind, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind + "|" + strings.ToLower(value)))
	return kind + ":" + hex.EncodeToString(m.Sum(nil))[:32]
}

// attempt records a submission from addr (and email, if given) and
// reports whether either is over its limit, counting this one.
func attempt(ctx context.Context, d *db.DB, key []byte, lim Limits, addr, email string, now time.Time) (over bool, err error) {
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
		if _, err := q.ExecContext(ctx, `DELETE FROM question_attempts WHERE at < $1`, since.Add(-lim.Window)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := q.ExecContext(ctx, `INSERT INTO question_attempts (key, at) VALUES ($1, $2)`, k.key, now); err != nil {
				return err
			}
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM question_attempts WHERE key = $1 AND at > $2`,
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
		return false, fmt.Errorf("questions: rate limit: %w", err)
	}
	return over, nil
}
