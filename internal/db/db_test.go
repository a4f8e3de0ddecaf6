package db

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	d, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestSQLiteSettings(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	for pragma, want := range map[string]string{"journal_mode": "wal", "foreign_keys": "1", "busy_timeout": "5000"} {
		var got string
		if err := d.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	// Readers cannot write, so every write goes through the single writer.
	if _, err := d.read.ExecContext(ctx, "CREATE TABLE t (x INTEGER)"); err == nil {
		t.Error("the read pool accepted a write")
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	ms, err := Migrations(SQLite)
	if err != nil || len(ms) == 0 {
		t.Fatalf("migrations: %v, %d", err, len(ms))
	}
	n, err := d.Migrate(ctx)
	if err != nil || n != len(ms) {
		t.Fatalf("first migrate applied %d (%v), want %d", n, err, len(ms))
	}
	n, err = d.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate applied %d (%v), want 0", n, err)
	}
	for i := 1; i < len(ms); i++ {
		if ms[i].Version <= ms[i-1].Version {
			t.Errorf("migrations out of order: %s after %s", ms[i].Name, ms[i-1].Name)
		}
	}
}

func TestTxRollsBackWholeAndBumpsGenerationOnlyOnCommit(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	gen := d.Generation()
	boom := errors.New("boom")
	err := d.Tx(ctx, func(q Querier) error {
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
	if err := d.Tx(ctx, func(q Querier) error {
		_, err := q.ExecContext(ctx, "INSERT INTO t (x) VALUES ($1)", 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if d.Generation() == gen {
		t.Error("a commit did not move the generation")
	}
}

// Many concurrent writers queue on the single writer; none fails busy and
// none is lost.
func TestConcurrentWritesAreAllKept(t *testing.T) {
	d := openTest(t)
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, "CREATE TABLE t (x INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs <- d.Tx(ctx, func(q Querier) error {
				_, err := q.ExecContext(ctx, "INSERT INTO t (x) VALUES ($1)", i)
				return err
			})
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var n int
	_ = d.QueryRowContext(ctx, "SELECT COUNT(*) FROM t").Scan(&n)
	if n != 100 {
		t.Fatalf("%d rows, want 100", n)
	}
}
