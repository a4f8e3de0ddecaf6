package db_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrateIsIdempotent(t *testing.T) {
	d := dbtest.Open(t) // migrated once already
	ctx := context.Background()
	ms, err := db.Migrations(d.Engine())
	if err != nil || len(ms) == 0 {
		t.Fatalf("migrations: %v, %d", err, len(ms))
	}
	n, err := d.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d (%v), want 0", n, err)
	}
	var applied int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&applied); err != nil || applied != len(ms) {
		t.Fatalf("schema_migrations holds %d (%v), want %d", applied, err, len(ms))
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Version <= ms[i-1].Version {
			t.Errorf("migrations out of order: %s after %s", ms[i].Name, ms[i-1].Name)
		}
	}
}

// Every engine has the same migrations, by number and name, so a schema
// change cannot land on one and be forgotten on the other.
func TestEnginesHaveTheSameMigrations(t *testing.T) {
	lite, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ms []db.Migration) (out []string) {
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	a, b := names(lite), names(pg)
	if len(a) != len(b) {
		t.Fatalf("SQLite has %v, PostgreSQL has %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("migration %d: SQLite %s, PostgreSQL %s", i, a[i], b[i])
		}
	}
}

func TestTxRollsBackWholeAndBumpsGenerationOnlyOnCommit(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	gen := d.Generation()
	boom := errors.New("boom")
	err := d.Tx(ctx, func(q db.Querier) error {
		if _, err := q.ExecContext(ctx, "INSERT INTO t (x) VALUES ($1)", 1); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	var n int
	_ = d.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n)
	if n != 0 || d.Generation() != gen {
		t.Fatalf("after rollback: %d rows, generation moved %d→%d", n, gen, d.Generation())
	}
	if err := d.Tx(ctx, func(q db.Querier) error {
		_, err := q.ExecContext(ctx, "INSERT INTO t (x) VALUES ($1)", 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if d.Generation() == gen {
		t.Error("a commit did not move the generation")
	}
}

// inParallel runs fn(0) ... fn(n-1) at once and fails on any error.
func inParallel(t *testing.T, n int, fn func(i int) error) {
	t.Helper()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs <- fn(i) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Many concurrent writers: none fails and none is lost (SQLite queues them
// on its one writer; PostgreSQL runs them at once).
func TestConcurrentWritesAreAllKept(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	inParallel(t, 100, func(i int) error {
		return d.Tx(ctx, func(q db.Querier) error {
			_, err := q.ExecContext(ctx, "INSERT INTO t (x) VALUES ($1)", i)
			return err
		})
	})
	var n int
	_ = d.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n)
	if n != 100 {
		t.Fatalf("%d rows, want 100", n)
	}
}

// A read-then-write in a transaction is as safe on PostgreSQL as on
// SQLite's single writer: concurrent increments through a read are all
// kept, because Tx reruns those PostgreSQL aborts for conflicting.
func TestReadThenWriteTransactionsDoNotLoseUpdates(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, "INSERT INTO counter (id, n) VALUES (1, 0)"); err != nil {
		t.Fatal(err)
	}
	const writers = 8
	inParallel(t, writers, func(int) error {
		return d.Tx(ctx, func(q db.Querier) error {
			var n int
			if err := q.QueryRowContext(ctx, "SELECT n FROM counter WHERE id = 1").Scan(&n); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, "UPDATE counter SET n = $1 WHERE id = 1", n+1)
			return err
		})
	})
	var n int
	if err := d.QueryRowContext(ctx, "SELECT n FROM counter WHERE id = 1").Scan(&n); err != nil || n != writers {
		t.Fatalf("counter = %d (%v), want %d", n, err, writers)
	}
}

// Two instances starting together on a fresh PostgreSQL database both
// migrate without error, and each migration is applied once.
func TestConcurrentMigrationsApplyEachOnce(t *testing.T) {
	url := dbtest.Empty(t)
	if url == "" {
		t.Skip("instances share a database only on PostgreSQL")
	}
	ctx := context.Background()
	ms, err := db.Migrations(db.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	var handles [2]*db.DB
	for i := range handles {
		d, err := db.OpenPostgres(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		handles[i] = d
	}
	var applied [2]int
	var errs [2]error
	var wg sync.WaitGroup
	for i, d := range handles {
		wg.Go(func() { applied[i], errs[i] = d.Migrate(ctx) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	if applied[0]+applied[1] != len(ms) {
		t.Errorf("instances applied %d and %d migrations, want %d in all", applied[0], applied[1], len(ms))
	}
	var rows int
	if err := handles[0].QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil || rows != len(ms) {
		t.Errorf("schema_migrations holds %d rows (%v), want %d", rows, err, len(ms))
	}
}

// A write through one instance moves the generation of another on the
// same database, so its page cache does not serve stale pages.
func TestWritesElsewhereMoveTheGeneration(t *testing.T) {
	url := dbtest.MigratedURL(t)
	if url == "" {
		t.Skip("instances share a database only on PostgreSQL")
	}
	ctx := context.Background()
	a, b := openInstance(t, url), openInstance(t, url)
	before := b.Generation()
	if err := a.Tx(ctx, func(q db.Querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO systems (slug, name, updated_at) VALUES ($1, $2, $3)`, "x", "X", db.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	waitForMove(t, "a transaction", b, before)

	before = a.Generation()
	if _, err := b.ExecContext(ctx, `UPDATE systems SET name = $1 WHERE slug = $2`, "Y", "x"); err != nil {
		t.Fatal(err)
	}
	waitForMove(t, "a single statement", a, before)

}

// An instance whose listening connection drops reconnects, counts the
// writes it may have missed as a change, and hears later ones.
func TestListenerReconnects(t *testing.T) {
	url := dbtest.MigratedURL(t)
	if url == "" {
		t.Skip("instances share a database only on PostgreSQL")
	}
	ctx := context.Background()
	a, err := db.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err := db.OpenPostgres(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	before := b.Generation()
	var killed int
	if err := a.QueryRowContext(ctx, `SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN %'`).Scan(&killed); err != nil || killed != 2 {
		t.Fatalf("terminated %d listeners (%v), want 2", killed, err)
	}
	waitForMove(t, "reconnecting", b, before)
	before = b.Generation()
	if _, err := a.ExecContext(ctx, `INSERT INTO systems (slug, name, updated_at) VALUES ($1, $2, $3)`, "x", "X", db.Now()); err != nil {
		t.Fatal(err)
	}
	waitForMove(t, "a write after reconnecting", b, before)
}

// waitForMove waits, up to a generous deadline, for d's generation to
// move from before.
func waitForMove(t *testing.T, what string, d *db.DB, before uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for d.Generation() == before {
		if time.Now().After(deadline) {
			t.Fatalf("%s: the instance's generation did not move", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A second insert of the same key is recognised as a unique violation on
// either engine; other errors are not.
func TestIsUniqueViolation(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	if _, err := d.ExecContext(ctx, `CREATE TABLE uniq (k TEXT PRIMARY KEY, v TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO uniq (k, v) VALUES ('a', 'x')`); err != nil {
		t.Fatal(err)
	}
	_, err := d.ExecContext(ctx, `INSERT INTO uniq (k, v) VALUES ('a', 'y')`)
	if err == nil || !db.IsUniqueViolation(err) {
		t.Errorf("duplicate key: err %v, IsUniqueViolation false", err)
	}
	_, err = d.ExecContext(ctx, `INSERT INTO uniq (k) VALUES ('b')`)
	if err == nil || db.IsUniqueViolation(err) {
		t.Errorf("missing value: err %v, want an error that is not a unique violation", err)
	}
	if db.IsUniqueViolation(nil) {
		t.Error("nil is a unique violation")
	}
}

// Writes to data no public page shows (TxPrivate, ExecPrivate) commit but
// leave the generation alone, here and, on PostgreSQL, on the other
// instances, so the page caches are kept.
func TestPrivateWritesLeaveTheGeneration(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	gen := d.Generation()
	if err := d.TxPrivate(ctx, func(q db.Querier) error {
		_, err := q.ExecContext(ctx, "INSERT INTO t (x) VALUES ($1)", 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecPrivate(ctx, "INSERT INTO t (x) VALUES ($1)", 2); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("private writes: %d rows (%v), want 2 committed", n, err)
	}
	if d.Generation() != gen {
		t.Errorf("private writes moved the generation %d→%d", gen, d.Generation())
	}
}

func TestPrivateWritesLeaveOtherInstances(t *testing.T) {
	url := dbtest.MigratedURL(t)
	if url == "" {
		t.Skip("instances share a database only on PostgreSQL")
	}
	ctx := context.Background()
	a, b := openInstance(t, url), openInstance(t, url)
	before := b.Generation()
	for i := range 3 {
		if err := a.TxPrivate(ctx, func(q db.Querier) error {
			_, err := q.ExecContext(ctx, `INSERT INTO systems (slug, name, updated_at) VALUES ($1, $2, $3)`,
				"p"+strconv.Itoa(i), "P", db.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A public write after them: its notice comes after any they sent.
	if err := a.Tx(ctx, func(q db.Querier) error {
		_, err := q.ExecContext(ctx, `INSERT INTO systems (slug, name, updated_at) VALUES ($1, $2, $3)`, "x", "X", db.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	waitForMove(t, "a transaction", b, before)
	time.Sleep(100 * time.Millisecond)
	if got := b.Generation() - before; got != 1 {
		t.Errorf("the other instance's generation moved %d times, want once (for the public write alone)", got)
	}
}

// openInstance opens the PostgreSQL database at url as one more instance.
func openInstance(t *testing.T, url string) *db.DB {
	t.Helper()
	d, err := db.OpenPostgres(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
