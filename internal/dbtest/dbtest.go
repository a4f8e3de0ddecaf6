// Package dbtest runs a package's tests on every database engine: first on
// SQLite, then again on PostgreSQL, on a throwaway cluster that the test
// process starts for itself (or on TEST_DATABASE_URL when that is set).
//
// A package opts in with
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// and its helpers ask for the current engine's database: Open for a
// migrated *db.DB of either engine, or URL (MigratedURL, Empty) for a fresh
// PostgreSQL database ("" on the SQLite pass, meaning "use the data dir").
// Tests of a whole site use internal/app/apptest.Config, which copies a
// migrated and seeded template. Each test's database is copied from a
// template built once per process, and dropped when the test ends; a
// failed test's log says which engine it ran on.
//
// Environment:
//   - TEST_DATABASE_URL: a PostgreSQL server to use instead of starting one;
//     its user must be allowed to create databases.
//   - JOINEDUP_TEST_ENGINES: "sqlite" or "postgres" to run one pass only.
//   - CI: a missing PostgreSQL fails the run instead of skipping its pass.
package dbtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/testenv"
)

// install says how to get PostgreSQL, in messages about its absence.
const install = "apt-get install postgresql"

var (
	engine = db.SQLite // the engine of the pass running now
	server *cluster    // the PostgreSQL of this process, once started

	mu        sync.Mutex
	templates = map[string]*tmpl{} // prepared template databases by name
)

// Engine returns the engine the tests are running on now.
func Engine() db.Engine { return engine }

// Main runs the package's tests on SQLite and then on PostgreSQL, and
// exits with a failure if either pass failed.
func Main(m *testing.M) { os.Exit(Run(m)) }

// passEnv tells the fuzzing workers a test process starts which engine
// the pass that started them runs on.
const passEnv = "JOINEDUP_TEST_PASS"

// Run is Main for a TestMain with more to do: it returns the exit code.
func Run(m *testing.M) int {
	flag.Parse()
	if f := flag.Lookup("test.fuzzworker"); f != nil && f.Value.String() == "true" {
		return workerPass(m)
	}
	want := os.Getenv("JOINEDUP_TEST_ENGINES")
	code := 0
	if want == "" || strings.Contains(want, string(db.SQLite)) {
		code = pass(m, db.SQLite)
	}
	if want != "" && !strings.Contains(want, string(db.Postgres)) {
		return code
	}
	c, err := startCluster()
	switch {
	case errors.Is(err, errNotInstalled):
		if testenv.MissingForAll("PostgreSQL", install, "the tests' PostgreSQL pass") {
			return 1
		}
		return code
	case err != nil:
		fmt.Fprintf(os.Stderr, "dbtest: cannot start the PostgreSQL pass: %v\n", err)
		return 1
	}
	server = c
	if c.dir != "" {
		// Fuzzing workers use this cluster rather than start their own.
		os.Setenv("TEST_DATABASE_URL", c.url("postgres"))
	}
	defer func() {
		if err := c.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: stop PostgreSQL: %v\n", err)
		}
	}()
	if pc := pass(m, db.Postgres); pc != 0 {
		code = pc
	}
	return code
}

// workerPass runs a fuzzing worker on the engine of the pass that
// started it.
func workerPass(m *testing.M) int {
	if os.Getenv(passEnv) != string(db.Postgres) {
		return m.Run()
	}
	c, err := startCluster()
	if err != nil {
		fmt.Fprintf(os.Stderr, "dbtest: fuzzing worker: %v\n", err)
		return 1
	}
	server, engine = c, db.Postgres
	defer c.stop()
	return m.Run()
}

func pass(m *testing.M, e db.Engine) int {
	engine = e
	os.Setenv(passEnv, string(e))
	fmt.Printf("=== dbtest: running the tests on %s\n", e)
	code := m.Run()
	if code != 0 {
		fmt.Printf("--- dbtest: tests FAILED on %s\n", e)
	}
	return code
}

// URL returns the URL of a fresh PostgreSQL database for tb, a copy of
// the template called name, which prepare (given the template's URL)
// builds the first time it is asked for. The database is dropped when tb
// ends; cleanups registered after URL (closing the DB) run before. On the
// SQLite pass URL returns "". A failed test says which engine it ran on.
func URL(tb testing.TB, name string, prepare func(ctx context.Context, url string) error) string {
	tb.Helper()
	nameEngine(tb)
	if engine != db.Postgres {
		return ""
	}
	t, err := template(name, prepare)
	if err != nil {
		tb.Fatalf("dbtest: template %s: %v", name, err)
	}
	c := <-t.copies
	if c.err != nil {
		tb.Fatalf("dbtest: copy template %s: %v", name, c.err)
	}
	tb.Cleanup(func() { server.dropLater(c.name) })
	return server.url(c.name)
}

// tmpl is a template database and the copies of it made ahead of need:
// tests run one after another, so the next test's database is made while
// the current test runs.
type tmpl struct {
	copies chan copied
}

type copied struct {
	name string
	err  error
}

// template returns the template called name, building it with prepare
// and starting to copy it the first time.
func template(name string, prepare func(ctx context.Context, url string) error) (*tmpl, error) {
	mu.Lock()
	defer mu.Unlock()
	if t, ok := templates[name]; ok {
		return t, nil
	}
	ctx := context.Background()
	dbName := server.prefix + "tmpl_" + sanitize(name)
	if err := server.create(ctx, dbName, "template0"); err != nil {
		return nil, err
	}
	if err := prepare(ctx, server.url(dbName)); err != nil {
		return nil, err
	}
	t := &tmpl{copies: make(chan copied, 1)}
	cl := server
	cl.background.Add(1)
	go func() {
		defer cl.background.Done()
		for n := 0; ; n++ {
			select {
			case <-cl.done:
				return
			default:
			}
			c := copied{name: fmt.Sprintf("%s%s_%d", cl.prefix, sanitize(name), n)}
			c.err = cl.create(ctx, c.name, dbName)
			select {
			case t.copies <- c:
			case <-cl.done:
				return
			}
		}
	}()
	templates[name] = t
	return t, nil
}

var dataDirs sync.Map // data dir → URL of its PostgreSQL database

// DataDirURL is URL for a site whose data lives in dir: asked again for
// the same dir while the test that first asked runs (a site reopened on
// its data dir), it returns the same database, so the site finds its data
// on either engine.
func DataDirURL(tb testing.TB, dir, name string, prepare func(ctx context.Context, url string) error) string {
	tb.Helper()
	if u, ok := dataDirs.Load(dir); ok {
		return u.(string)
	}
	u := URL(tb, name, prepare)
	if u != "" {
		dataDirs.Store(dir, u)
		tb.Cleanup(func() { dataDirs.Delete(dir) })
	}
	return u
}

// Open returns a migrated database of the current engine for tb (SQLite
// in a temp dir, or a fresh PostgreSQL database), closed when tb ends.
func Open(tb testing.TB) *db.DB {
	tb.Helper()
	ctx := context.Background()
	url := MigratedURL(tb)
	var d *db.DB
	var err error
	if url != "" {
		d, err = db.OpenPostgres(ctx, url)
	} else {
		d, err = db.OpenSQLite(ctx, filepath.Join(tb.TempDir(), "test.db"))
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	return d
}

// MigratedURL returns the URL of a fresh, migrated PostgreSQL database, or
// "" on the SQLite pass.
func MigratedURL(tb testing.TB) string {
	tb.Helper()
	return URL(tb, "migrated", func(ctx context.Context, url string) error {
		d, err := db.OpenPostgres(ctx, url)
		if err != nil {
			return err
		}
		defer d.Close()
		_, err = d.Migrate(ctx)
		return err
	})
}

// Empty returns the URL of a new empty PostgreSQL database (no
// migrations), or "" on the SQLite pass.
func Empty(tb testing.TB) string {
	tb.Helper()
	return URL(tb, "empty", func(context.Context, string) error { return nil })
}

// nameEngine makes a failed test say which engine it failed on.
func nameEngine(tb testing.TB) {
	e := engine
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("(this test ran on %s)", e)
		}
	})
}

func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return '_'
	}, s)
}

// create makes database name, a copy of template.
func (c *cluster) create(ctx context.Context, name, template string) error {
	q := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize() + " TEMPLATE " + pgx.Identifier{template}.Sanitize()
	if template == "template0" {
		// Text sorts byte by byte, as on SQLite and the throwaway
		// cluster, whatever the locale of a server named by
		// TEST_DATABASE_URL.
		q += " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
	}
	_, err := c.admin.ExecContext(ctx, q)
	return err
}

func (c *cluster) drop(ctx context.Context, name string) error {
	_, err := c.admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// dropLater drops a test's database in the background, so the next test
// need not wait; a database left behind goes with the cluster.
func (c *cluster) dropLater(name string) {
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		if err := c.drop(context.Background(), name); err != nil {
			fmt.Fprintf(os.Stderr, "dbtest: drop database %s: %v\n", name, err)
		}
	}()
}
