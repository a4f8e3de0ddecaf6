package db

import (
	"context"
	"database/sql"
)

// ExecPrivate runs a write, outside a transaction, to data that no public
// page shows (sessions), without moving the generation: an editor's every
// request renews their session, and must not empty the page cache.
func (d *DB) ExecPrivate(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.write.ExecContext(ctx, query, args...)
}
