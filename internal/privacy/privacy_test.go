package privacy_test

import (
	"context"
	"errors"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/privacy"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// notes is a holding on a table of its own, made for the test.
func notes(t *testing.T, d *db.DB, name string, log *[]string, fail bool) privacy.Holding {
	t.Helper()
	if _, err := d.ExecContext(context.Background(), `CREATE TABLE IF NOT EXISTS `+name+` (email TEXT NOT NULL, note TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return privacy.Holding{
		Name: name, Tables: []string{name}, Holds: name + " holds", Kept: name + " kept",
		Erase: func(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+name+` WHERE email = $1`, email)
			if err != nil {
				return 0, err
			}
			n, _ := res.RowsAffected()
			tx.AfterCommit(func() error { *log = append(*log, name+" erased "+email); return nil })
			if fail {
				return 0, errors.New("disk on fire")
			}
			return int(n), nil
		},
		Expire: func(ctx context.Context, tx *privacy.Tx) (int, error) {
			res, err := tx.ExecContext(ctx, `DELETE FROM `+name+` WHERE note < $1`, tx.Now.Format("2006"))
			if err != nil {
				return 0, err
			}
			n, _ := res.RowsAffected()
			return int(n), nil
		},
		Export: func(ctx context.Context, q db.Querier, email string) (any, error) {
			list, err := db.Column[string](ctx, q, `SELECT note FROM `+name+` WHERE email = $1 ORDER BY note`, email)
			if err != nil || len(list) == 0 {
				return nil, err
			}
			return list, nil
		},
	}
}

func count(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegistry(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	var log []string
	r := privacy.New(d, func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
	r.Register(notes(t, d, "first_notes", &log, false))
	r.Register(notes(t, d, "second_notes", &log, false))
	for _, table := range []string{"first_notes", "second_notes"} {
		if _, err := d.ExecContext(ctx, `INSERT INTO `+table+` (email, note) VALUES ('ann@example.org', '2024 old'), ('ann@example.org', '2027 new'),
			('bob@example.org', '2027 bob')`); err != nil {
			t.Fatal(err)
		}
	}
	if lines := r.Notice(); len(lines) != 2 || lines[0].Holds != "first_notes holds" || lines[1].Kept != "second_notes kept" {
		t.Errorf("Notice = %+v", lines)
	}
	if tables := r.Tables(); tables["first_notes"] != "first_notes" || len(tables) != 2 {
		t.Errorf("Tables = %v", tables)
	}
	ex, err := r.Export(ctx, "ANN@example.org")
	if err != nil || len(ex.Holdings) != 2 || strings.Join(ex.Holdings["first_notes"].([]string), ",") != "2024 old,2027 new" {
		t.Errorf("Export = %+v, %v", ex, err)
	}
	if ex, err := r.Export(ctx, "nobody@example.org"); err != nil || len(ex.Holdings) != 0 {
		t.Errorf("Export of an unknown address = %+v, %v", ex, err)
	}

	// The retention job: each holding expires what is past its time.
	n, err := r.Expire(ctx, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || n["first_notes"] != 1 || n["second_notes"] != 1 {
		t.Errorf("Expire = %v, %v", n, err)
	}

	// Erasure: every holding, in one transaction, then the "done" step.
	erased, err := r.Erase(ctx, " Ann@Example.org ", func(ctx context.Context, tx *privacy.Tx) error {
		log = append(log, "then")
		return nil
	})
	if err != nil || erased["first_notes"] != 1 || erased["second_notes"] != 1 {
		t.Errorf("Erase = %v, %v", erased, err)
	}
	if got := strings.Join(log, "; "); got != "then; first_notes erased ann@example.org; second_notes erased ann@example.org" {
		t.Errorf("order of work: %s", got)
	}
	if count(t, d, "first_notes") != 1 || count(t, d, "second_notes") != 1 {
		t.Errorf("bob's notes should be all that is left")
	}

	// A holding that fails rolls the whole erasure back, and nothing runs after it.
	log = nil
	bad := privacy.New(d, nil)
	bad.Register(notes(t, d, "first_notes", &log, false))
	bad.Register(notes(t, d, "second_notes", &log, true))
	if _, err := bad.Erase(ctx, "bob@example.org", nil); err == nil || !strings.Contains(err.Error(), "second_notes") {
		t.Errorf("a failing holding: %v", err)
	}
	if count(t, d, "first_notes") != 1 || len(log) != 0 {
		t.Errorf("a failed erasure deleted something or ran its after-commit work: %v", log)
	}

	defer func() {
		if recover() == nil {
			t.Errorf("registering a holding twice does not panic")
		}
	}()
	r.Register(notes(t, d, "first_notes", &log, false))
}

// Imports flow one way: domains import privacy, privacy imports no domain.
func TestPrivacyImportsNoDomain(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "github.com/joinedup/joinedup/") && path != "github.com/joinedup/joinedup/internal/db" {
				t.Errorf("%s imports %s: privacy may import only the db package", f, path)
			}
		}
	}
}
