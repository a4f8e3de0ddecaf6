package upkeep

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

// The report form has the protection of residents' questions: a honeypot
// field people never see, a signed timestamp that shows how long the form
// was open, and limits per address and per email kept in the database (so
// they hold across instances).

// Limits are the spam limits of the report form.
type Limits struct {
	// MinFill is the least time a person takes to fill in the form, and
	// MaxAge how long a shown form can still be sent.
	MinFill, MaxAge time.Duration
	// Window is the period the rate limits count over; PerAddress and
	// PerEmail are the most reports in Window from one network address and
	// one email address.
	Window               time.Duration
	PerAddress, PerEmail int
}

// DefaultLimits are the limits a site starts with.
var DefaultLimits = Limits{MinFill: 3 * time.Second, MaxAge: 24 * time.Hour, Window: time.Hour, PerAddress: 30, PerEmail: 10}

// stamp signs the moment a form was shown, for one service.
func stamp(key []byte, serviceID string, shown time.Time) string {
	ts := strconv.FormatInt(shown.Unix(), 10)
	return ts + "." + sign(key, serviceID, ts)
}

func sign(key []byte, serviceID, ts string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "report|%s|%s", serviceID, ts)
	return hex.EncodeToString(m.Sum(nil))
}

// shownAt checks a form's stamp and returns when the form was shown.
func shownAt(key []byte, serviceID, s string) (time.Time, bool) {
	ts, mac, ok := strings.Cut(s, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(sign(key, serviceID, ts))) {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// hashKey keeps an address or email out of the attempts table in clear.
func hashKey(key []byte, kind, value string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(kind + "|" + strings.ToLower(value)))
	return kind + ":" + hex.EncodeToString(m.Sum(nil))[:32]
}

// attempt records a report from addr (and email, if given) and reports
// whether either is over its limit, counting this one.
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
		if _, err := q.ExecContext(ctx, `DELETE FROM listing_report_attempts WHERE at < $1`, since.Add(-lim.Window)); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := q.ExecContext(ctx, `INSERT INTO listing_report_attempts (key, at) VALUES ($1, $2)`, k.key, now); err != nil {
				return err
			}
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM listing_report_attempts WHERE key = $1 AND at > $2`,
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
		return false, fmt.Errorf("upkeep: rate limit: %w", err)
	}
	return over, nil
}
