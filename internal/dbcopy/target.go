package dbcopy

import (
	"context"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/tables"
)

// target is what differs between the engines a copy can write to.
type target interface {
	// columns names the columns of a table on the target.
	columns(ctx context.Context, q db.Querier, table string) (map[string]bool, error)
	// afterCopy puts right what inserting rows with their ids leaves
	// wrong, such as sequences that would hand out those ids again.
	afterCopy(ctx context.Context, q db.Querier, ts []tables.Table) error
}

var targets = map[db.Engine]target{
	db.SQLite:   sqliteTarget{},
	db.Postgres: postgresTarget{},
}

type sqliteTarget struct{}

func (sqliteTarget) columns(ctx context.Context, q db.Querier, table string) (map[string]bool, error) {
	return columnSet(ctx, q, table, `SELECT name FROM pragma_table_info($1)`)
}

// afterCopy has nothing to do: an INTEGER PRIMARY KEY takes the next id
// after the largest in the table.
func (sqliteTarget) afterCopy(context.Context, db.Querier, []tables.Table) error { return nil }

type postgresTarget struct{}

func (postgresTarget) columns(ctx context.Context, q db.Querier, table string) (map[string]bool, error) {
	return columnSet(ctx, q, table, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'`)
}

// afterCopy moves each identity column's sequence past the largest id
// copied, so the next row added gets a new one.
func (postgresTarget) afterCopy(ctx context.Context, q db.Querier, ts []tables.Table) error {
	for _, t := range ts {
		cols, err := db.Column[string](ctx, q, `SELECT column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'`, t.Name)
		if err != nil {
			return fmt.Errorf("dbcopy: identity columns of %s: %w", t.Name, err)
		}
		for _, c := range cols {
			_, err := q.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2),
				(SELECT COALESCE(MAX(`+tables.Quote(c)+`), 0) + 1 FROM `+tables.Quote(t.Name)+`), false)`,
				tables.Quote(t.Name), c)
			if err != nil {
				return fmt.Errorf("dbcopy: reset the sequence of %s.%s: %w", t.Name, c, err)
			}
		}
	}
	return nil
}

func columnSet(ctx context.Context, q db.Querier, table, query string) (map[string]bool, error) {
	cols, err := db.Column[string](ctx, q, query, table)
	if err != nil {
		return nil, fmt.Errorf("dbcopy: columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("dbcopy: the target has no table %s", table)
	}
	set := map[string]bool{}
	for _, c := range cols {
		set[c] = true
	}
	return set, nil
}
