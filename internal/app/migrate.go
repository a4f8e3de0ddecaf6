package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbcopy"
)

const migrateUsage = `Usage:
  joinedup migrate [--data-dir D] [--database URL]

Applies the migrations this joinedup has and the database lacks, then
prints the schema version. Run it once before starting several instances
of a new version, so none of them starts on a schema it does not know.
Serving migrates too; instances starting together take turns.
`

// runMigrate runs `joinedup migrate`: 0 on success, 1 on failure, 2 on misuse.
func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs, dataDir := opsFlags("migrate", stderr, getenv)
	databaseURL := fs.String("database", getenv("DATABASE_URL"), "PostgreSQL `URL`; empty uses SQLite in the data dir (env DATABASE_URL)")
	pos, code := parseOps(fs, args, "migrate", stderr)
	if code >= 0 {
		return code
	}
	if len(pos) > 0 {
		return opsMisuse(stderr, "migrate", fmt.Sprintf("unexpected argument %q", pos[0]))
	}
	d, err := openDatabase(ctx, *databaseURL, *dataDir)
	if err == nil {
		defer d.Close()
		err = migrate(ctx, d, stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "joinedup migrate: %v\n", err)
		return 1
	}
	return 0
}

func migrate(ctx context.Context, d *db.DB, stdout io.Writer) error {
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := dbcopy.SchemaVersion(ctx, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s database at schema version %d (applied %d migrations now)\n", d.Engine(), v, n)
	return nil
}

// openDatabase opens, without migrating, PostgreSQL at url or else the
// SQLite database in dataDir.
func openDatabase(ctx context.Context, url, dataDir string) (*db.DB, error) {
	if url != "" {
		if !db.IsPostgresURL(url) {
			return nil, errors.New("invalid --database: want a postgres:// or postgresql:// URL, or nothing for SQLite in the data dir")
		}
		return db.OpenPostgres(ctx, url)
	}
	cfg := config.Config{DataDir: dataDir}
	if err := cfg.PrepareDataDir(); err != nil {
		return nil, err
	}
	return db.OpenSQLite(ctx, cfg.Database())
}
