package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbcopy"
	"github.com/joinedup/joinedup/internal/directory"
)

const copyUsage = `Usage:
  joinedup copy --from sqlite:PATH --to postgres://user:password@host/db

Copies a whole site from SQLite (PATH is the data dir or its joinedup.db) to
PostgreSQL, or to a new SQLite file with --to sqlite:PATH. Both databases
are migrated first. The target must be empty: create a new database for it
(createdb) and do not start a site on it before the copy. Every table is
copied in one transaction, parents first, then every row count and
checksum is compared, and the copy commits only if all are equal.
Stop the site first: changes made after the copy starts are not copied.
`

// runCopy runs `joinedup copy`: 0 on success, 1 on failure, 2 on misuse.
func runCopy(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("joinedup copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, copyUsage) }
	from := fs.String("from", "", "the source: `sqlite:PATH`")
	to := fs.String("to", "", "the target: a postgres:// `URL`, or sqlite:PATH")
	batch := fs.Int("batch", 500, "most `rows` inserted by one statement")
	pos, code := parseOps(fs, args, "copy", stderr)
	if code >= 0 {
		return code
	}
	switch {
	case len(pos) > 0:
		return opsMisuse(stderr, "copy", fmt.Sprintf("unexpected argument %q", pos[0]))
	case !strings.HasPrefix(*from, "sqlite:"):
		return opsMisuse(stderr, "copy", "--from must be sqlite:PATH, the data dir or database file of the site to copy")
	case *to == "":
		return opsMisuse(stderr, "copy", "--to is required: a postgres:// URL, or sqlite:PATH for a new SQLite file")
	case !db.IsPostgresURL(*to) && !strings.HasPrefix(*to, "sqlite:"):
		return opsMisuse(stderr, "copy", "--to must be a postgres:// URL or sqlite:PATH")
	case *batch < 1:
		return opsMisuse(stderr, "copy", "--batch must be at least 1")
	}
	err := copySite(ctx, *from, *to, *batch, stdout)
	if errors.Is(err, dbcopy.ErrNotEmpty) {
		fmt.Fprintf(stderr, "joinedup copy: %v\nCopy into a new, empty database: a copy never merges into a site.\n", err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "joinedup copy: %v\n", err)
		return 1
	}
	return 0
}

func copySite(ctx context.Context, from, to string, batch int, stdout io.Writer) error {
	srcPath := strings.TrimPrefix(from, "sqlite:")
	if info, err := os.Stat(srcPath); err != nil {
		return fmt.Errorf("source: %w", err)
	} else if info.IsDir() {
		srcPath = config.Config{DataDir: srcPath}.Database()
		if _, err := os.Stat(srcPath); err != nil {
			return fmt.Errorf("source: no database in the data dir: %w", err)
		}
	}
	src, err := db.OpenSQLite(ctx, srcPath)
	if err != nil {
		return err
	}
	defer src.Close()
	var dst *db.DB
	if db.IsPostgresURL(to) {
		dst, err = db.OpenPostgres(ctx, to)
	} else {
		path := strings.TrimPrefix(to, "sqlite:")
		if same(path, srcPath) {
			return errors.New("--to is the source itself")
		}
		dst, err = db.OpenSQLite(ctx, path)
	}
	if err != nil {
		return err
	}
	defer dst.Close()
	for _, d := range []*db.DB{src, dst} {
		if _, err := d.Migrate(ctx); err != nil {
			return err
		}
	}
	rep, err := dbcopy.Copy(ctx, src, dst, dbcopy.Options{
		Batch: batch,
		Rebuild: func(ctx context.Context, q db.Querier) error {
			_, err := directory.RebuildTextIndex(ctx, q)
			return err
		},
		Progress: func(table string, rows int64) { fmt.Fprintf(stdout, "copied %-28s %8d rows\n", table, rows) },
	})
	if err != nil {
		return err
	}
	var rows int64
	for _, t := range rep.Tables {
		rows += t.Rows
	}
	fmt.Fprintf(stdout, "verified: %d tables, %d rows, schema version %d; every row count and checksum is equal on both databases\n",
		len(rep.Tables), rows, rep.SchemaVersion)
	return nil
}

// same reports whether two paths name one file.
func same(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	ab, _ := filepath.Abs(b)
	return aa == ab
}
