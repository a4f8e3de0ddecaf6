// Package tables describes the application's stored tables (their columns,
// keys and the order foreign keys impose) and sums up their contents in a
// form that does not depend on the engine, so that a backup, a restore or a
// copy from SQLite to PostgreSQL can be checked row for row.
//
// The description is read from a SQLite database, whose schema the
// migrations define; the PostgreSQL schema has the same tables and columns.
// Tables an engine derives from the others (SQLite's full-text indexes and
// their shadow tables) are left out: they are rebuilt, never copied.
package tables

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// Kind is how a column's values are compared across engines.
type Kind int

// The kinds of column, from the column's declared type.
const (
	Text Kind = iota
	Integer
	Float
	Bool
	Time
	Bytes
)

// Column is one column of a table.
type Column struct {
	Name    string
	Kind    Kind
	NotNull bool
}

// Table is one stored table.
type Table struct {
	Name    string
	Columns []Column
	// Key lists the primary key's columns, in key order.
	Key []string
	// SelfRefs lists columns that refer to the same table (a term's
	// parent), which a copy fills in after every row is there.
	SelfRefs []string
	// refs are the other tables this one refers to.
	refs []string
}

// Column returns the named column.
func (t Table) Column(name string) (Column, bool) {
	i := slices.IndexFunc(t.Columns, func(c Column) bool { return c.Name == name })
	if i < 0 {
		return Column{}, false
	}
	return t.Columns[i], true
}

// ColumnNames lists the table's columns in order.
func (t Table) ColumnNames() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// skipped are tables that are not content: the record of applied
// migrations belongs to each database, and is written by migrating it.
var skipped = map[string]bool{"schema_migrations": true}

// Load describes every content table of the SQLite database q, parents
// before the tables that refer to them.
func Load(ctx context.Context, q db.Querier) ([]Table, error) {
	if q.Engine() != db.SQLite {
		return nil, fmt.Errorf("tables: the schema is read from SQLite, not %s", q.Engine())
	}
	rows, err := q.QueryContext(ctx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
		AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("tables: list: %w", err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return nil, fmt.Errorf("tables: list: %w", err)
		}
		if !skipped[name] {
			names = append(names, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tables: list: %w", err)
	}
	var ts []Table
	for _, name := range names {
		t, err := load(ctx, q, name)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return sortByReferences(ts)
}

func load(ctx context.Context, q db.Querier, name string) (Table, error) {
	t := Table{Name: name}
	rows, err := q.QueryContext(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info($1) ORDER BY cid`, name)
	if err != nil {
		return t, fmt.Errorf("tables: columns of %s: %w", name, err)
	}
	keyPos := map[string]int{}
	for rows.Next() {
		var c Column
		var declared string
		var pk int
		if err := rows.Scan(&c.Name, &declared, &c.NotNull, &pk); err != nil {
			rows.Close()
			return t, fmt.Errorf("tables: columns of %s: %w", name, err)
		}
		c.Kind = kindOf(declared)
		t.Columns = append(t.Columns, c)
		if pk > 0 {
			keyPos[c.Name] = pk
			t.Key = append(t.Key, c.Name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, fmt.Errorf("tables: columns of %s: %w", name, err)
	}
	slices.SortFunc(t.Key, func(a, b string) int { return keyPos[a] - keyPos[b] })
	if len(t.Key) == 0 {
		// Without a primary key, every column orders the rows.
		t.Key = t.ColumnNames()
	}
	rows, err = q.QueryContext(ctx, `SELECT "table", "from" FROM pragma_foreign_key_list($1)`, name)
	if err != nil {
		return t, fmt.Errorf("tables: foreign keys of %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var parent, from string
		if err := rows.Scan(&parent, &from); err != nil {
			return t, fmt.Errorf("tables: foreign keys of %s: %w", name, err)
		}
		switch {
		case parent == name:
			t.SelfRefs = append(t.SelfRefs, from)
		case !slices.Contains(t.refs, parent):
			t.refs = append(t.refs, parent)
		}
	}
	return t, rows.Err()
}

// kindOf maps a declared column type to how its values compare, following
// the types the migrations use on both engines.
func kindOf(declared string) Kind {
	d := strings.ToUpper(declared)
	switch {
	case strings.Contains(d, "BOOL"):
		return Bool
	case strings.Contains(d, "TIMESTAMP"), strings.Contains(d, "DATE"), strings.Contains(d, "TIME"):
		return Time
	case strings.Contains(d, "INT"):
		return Integer
	case strings.Contains(d, "REAL"), strings.Contains(d, "FLOA"), strings.Contains(d, "DOUB"), strings.Contains(d, "NUMERIC"):
		return Float
	case strings.Contains(d, "BLOB"), strings.Contains(d, "BYTEA"):
		return Bytes
	default:
		return Text
	}
}

// sortByReferences orders tables so that each comes after the tables it
// refers to, and otherwise by name.
func sortByReferences(ts []Table) ([]Table, error) {
	byName := map[string]Table{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	done := map[string]bool{}
	var out []Table
	for len(out) < len(ts) {
		progressed := false
		for _, t := range ts {
			if done[t.Name] {
				continue
			}
			ready := true
			for _, r := range t.refs {
				if _, known := byName[r]; known && !done[r] {
					ready = false
					break
				}
			}
			if ready {
				out = append(out, t)
				done[t.Name] = true
				progressed = true
			}
		}
		if !progressed {
			var left []string
			for _, t := range ts {
				if !done[t.Name] {
					left = append(left, t.Name)
				}
			}
			return nil, fmt.Errorf("tables: foreign keys form a cycle among %s", strings.Join(left, ", "))
		}
	}
	return out, nil
}
