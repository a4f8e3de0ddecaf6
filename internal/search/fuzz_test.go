package search

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
)

// FuzzMatchExpression: whatever a resident types, the query it becomes is
// valid FTS5 that SQLite runs without error.
//
//	go test -run '^$' -fuzz FuzzMatchExpression -fuzztime 30s ./internal/search/
func FuzzMatchExpression(f *testing.F) {
	for _, seed := range []string{"lung health", `"quoted" AND (x OR y)`, "NEAR(a b)", "col:term", "-not ^start *", "café naïve", "", "'; DROP TABLE x; --"} {
		f.Add(seed)
	}
	ctx := context.Background()
	d, err := db.OpenSQLite(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	defer d.Close()
	if _, err := d.ExecContext(ctx, `CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
		INSERT INTO t VALUES ('Lung health day', 'Social prescribers and support');`); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := MatchExpression(text)
		if m == "" {
			return
		}
		var n int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM t WHERE t MATCH $1`, m).Scan(&n); err != nil {
			t.Fatalf("input %q became %q, which SQLite rejects: %v", text, m, err)
		}
	})
}
