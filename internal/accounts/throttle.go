package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Login back-off: after freeFailures failed logins for one email (or
// freeFailuresIP from one client address, which a whole office may share),
// each further attempt waits 2, 4, 8 ... seconds after the last failure, up
// to maxBackoff. Failures older than failureWindow are forgotten.
const (
	freeFailures   = 5
	freeFailuresIP = 20
	maxBackoff     = 15 * time.Minute
	failureWindow  = time.Hour
)

// backoff returns how long to refuse attempts after the given number of
// failures, of which free were allowed without waiting.
func backoff(failures, free int) time.Duration {
	n := failures - free + 1
	if n <= 0 {
		return 0
	}
	if n > 20 {
		return maxBackoff
	}
	return min(time.Duration(1<<n)*time.Second, maxBackoff)
}

type throttle struct {
	q db.Querier
}

// blocked reports whether attempts under key are refused at now.
func (t throttle) blocked(ctx context.Context, key string, now time.Time) (bool, error) {
	var until int64
	err := t.q.QueryRowContext(ctx, `SELECT blocked_until FROM login_throttle WHERE key = $1`, key).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("accounts: throttle: %w", err)
	}
	return now.UnixNano() < until, nil
}

// fail records a failed attempt under key.
func (t throttle) fail(ctx context.Context, key string, free int, now time.Time) error {
	var failures int
	var last int64
	err := t.q.QueryRowContext(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = $1`, key).Scan(&failures, &last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("accounts: throttle: %w", err)
	}
	if now.Sub(time.Unix(0, last)) > failureWindow {
		failures = 0
	}
	failures++
	until := now.Add(backoff(failures, free)).UnixNano()
	_, err = t.q.ExecContext(ctx, `INSERT INTO login_throttle (key, failures, last_failure, blocked_until) VALUES ($1, $2, $3, $4)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
			blocked_until = excluded.blocked_until`, key, failures, now.UnixNano(), until)
	if err != nil {
		return fmt.Errorf("accounts: throttle: %w", err)
	}
	return nil
}

// clear forgets the failures under key, after a successful login.
func (t throttle) clear(ctx context.Context, key string) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM login_throttle WHERE key = $1`, key); err != nil {
		return fmt.Errorf("accounts: throttle: %w", err)
	}
	return nil
}

// release gives back one attempt counted under key (by reserve, for an
// attempt that turned out right), and the back-off it brought.
func (t throttle) release(ctx context.Context, key string, free int) error {
	var failures int
	var last int64
	err := t.q.QueryRowContext(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = $1`, key).Scan(&failures, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("accounts: throttle: %w", err)
	}
	failures = max(failures-1, 0)
	until := time.Unix(0, last).Add(backoff(failures, free)).UnixNano()
	if _, err := t.q.ExecContext(ctx, `UPDATE login_throttle SET failures = $2, blocked_until = $3 WHERE key = $1`,
		key, failures, until); err != nil {
		return fmt.Errorf("accounts: throttle: %w", err)
	}
	return nil
}
