package db

import (
	"context"
	"database/sql"
)

// The public page cache is emptied when the generation moves, so only
// writes that change what a public page shows should move it. Writes to
// data no public page shows (sessions, sign-in records, rate-limit
// counters, job bookkeeping, outbox sends, residents' submissions that
// are not yet public) go through ExecPrivate and TxPrivate instead: on a
// busy site they are most of the writes, and each would otherwise throw
// away every cached page on every instance.

// ExecPrivate runs a write, outside a transaction, to data that no public
// page shows (sessions), without moving the generation: an editor's every
// request renews their session, and must not empty the page cache.
func (d *DB) ExecPrivate(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.write.ExecContext(ctx, query, args...)
}

// TxPrivate is Tx for a transaction that writes only data no public page
// shows: its commit leaves the generation (and the page caches of every
// instance) alone. A transaction that might publish something, however
// rarely, must use Tx.
func (d *DB) TxPrivate(ctx context.Context, fn func(q Querier) error) error {
	return d.txRetried(ctx, false, fn)
}
