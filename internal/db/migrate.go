package db

import (
	"context"
	"database/sql/driver"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists the migrations for an engine in the order they apply.
func Migrations(engine Engine) ([]Migration, error) {
	dir := path.Join("migrations", string(engine))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("db: read migrations: %w", err)
	}
	var ms []Migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("db: migration %q must be named NNNN_name.sql", e.Name())
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("db: migrations %q and %q share version %d", prev, e.Name(), v)
		}
		seen[v] = e.Name()
		body, err := fs.ReadFile(migrationFiles, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("db: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: e.Name(), SQL: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms, nil
}

// migrateLockKey is the PostgreSQL advisory lock that instances starting
// together take in turn, so only one applies each migration.
const migrateLockKey = 7_385_202_611

// Migrate applies, in order and each in its own transaction, every migration
// not yet recorded in schema_migrations. It returns how many it applied.
// On PostgreSQL it holds an advisory lock throughout, so that instances
// starting at once apply each migration once, one after another.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	return d.Setup(ctx, nil)
}

// Setup migrates, then runs load (if not nil; it loads default data),
// holding the start-up lock throughout on PostgreSQL, so that instances
// starting together neither apply a migration nor load data twice.
func (d *DB) Setup(ctx context.Context, load func(context.Context) error) (applied int, err error) {
	if d.pg != nil {
		conn, err := d.write.Conn(ctx)
		if err != nil {
			return 0, fmt.Errorf("db: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
			return 0, fmt.Errorf("db: migrate: lock: %w", err)
		}
		defer func() {
			// A lock left behind by a failed unlock goes with the connection.
			if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrateLockKey); err != nil {
				_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	if applied, err = d.migrate(ctx); err != nil || load == nil {
		return applied, err
	}
	return applied, load(ctx)
}

func (d *DB) migrate(ctx context.Context) (int, error) {
	ms, err := Migrations(d.engine)
	if err != nil {
		return 0, err
	}
	appliedAt := "TIMESTAMP"
	if d.engine == Postgres {
		appliedAt = "TIMESTAMPTZ"
	}
	if _, err := d.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name TEXT NOT NULL,
		applied_at `+appliedAt+` NOT NULL
	)`); err != nil {
		return 0, fmt.Errorf("db: create schema_migrations: %w", err)
	}
	applied := 0
	for _, m := range ms {
		err := d.Tx(ctx, func(q Querier) error {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return errAlreadyApplied
			}
			if _, err := q.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.Version, m.Name, Now())
			return err
		})
		switch {
		case err == errAlreadyApplied:
		case err != nil:
			return applied, fmt.Errorf("db: migration %s: %w", m.Name, err)
		default:
			applied++
		}
	}
	return applied, nil
}

var errAlreadyApplied = fmt.Errorf("already applied")
