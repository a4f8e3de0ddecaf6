package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// SnapshotSQLite writes a consistent copy of the SQLite database at src to
// dst, which must not exist, while other connections and processes go on
// reading and writing it: VACUUM INTO reads one snapshot of the database in
// a read transaction, which in WAL mode blocks no writer. The copy is
// compacted and has no write-ahead log of its own.
func SnapshotSQLite(ctx context.Context, src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("db: snapshot: %w", err)
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("db: snapshot: %s already exists", dst)
	}
	// A connection of its own: the application's readers may not write,
	// and its writer must stay free for the site's writes.
	conn, err := sql.Open("sqlite", "file:"+src+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return fmt.Errorf("db: snapshot: %w", err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	if _, err := conn.ExecContext(ctx, `VACUUM INTO $1`, dst); err != nil {
		os.Remove(dst)
		return fmt.Errorf("db: snapshot %s: %w", src, err)
	}
	return nil
}
