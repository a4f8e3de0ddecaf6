package search

import (
	"context"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
)

// FuzzMatchExpression: whatever a resident types, the query it becomes is
// one the engine under test runs without error (valid FTS5 on SQLite, a
// valid tsquery on PostgreSQL).
//
//	go test -run '^$' -fuzz FuzzMatchExpression -fuzztime 30s ./internal/search/
func FuzzMatchExpression(f *testing.F) {
	for _, seed := range []string{"lung health", `"quoted" AND (x OR y)`, "NEAR(a b)", "col:term", "-not ^start *", "café naïve", "", "'; DROP TABLE x; --",
		"a & b | !c <-> d:*", "the"} {
		f.Add(seed)
	}
	ctx := context.Background()
	d := dbtest.Open(f)
	ix := indexes[d.Engine()]
	probe := `SELECT COUNT(*) FROM site_search WHERE document @@ to_tsquery('english', $1)`
	if d.Engine() == db.SQLite {
		if _, err := d.ExecContext(ctx, `CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
			INSERT INTO t VALUES ('Lung health day', 'Social prescribers and support');`); err != nil {
			f.Fatal(err)
		}
		probe = `SELECT COUNT(*) FROM t WHERE t MATCH $1`
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := ix.match(text)
		if m == "" {
			return
		}
		var n int
		if err := d.QueryRowContext(ctx, probe, m).Scan(&n); err != nil {
			t.Fatalf("input %q became %q, which %s rejects: %v", text, m, d.Engine(), err)
		}
	})
}
