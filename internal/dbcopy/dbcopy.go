// Package dbcopy copies a whole joinedup database from SQLite to another
// database (PostgreSQL, or a new SQLite file), without loss, and proves it:
// every table's row count and checksum must match before the copy commits.
//
// The target must be migrated to the source's schema version and hold no
// content: a copy never merges into, or overwrites, a site. Tables that an
// engine derives from the others (full-text indexes) are not copied; the
// target's triggers fill some as rows arrive, and Options.Rebuild the rest.
package dbcopy

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/tables"
)

// ErrNotEmpty is returned when the target already holds content.
var ErrNotEmpty = errors.New("dbcopy: the target database is not empty")

// Options tune a copy.
type Options struct {
	// Batch is the most rows inserted by one statement (default 500).
	Batch int
	// Rebuild, if not nil, rebuilds derived data on the target, in the
	// copy's transaction, once every table is copied.
	Rebuild func(ctx context.Context, q db.Querier) error
	// Progress, if not nil, is told of each table once it is copied.
	Progress func(table string, rows int64)
}

// Report says what was copied.
type Report struct {
	SchemaVersion int
	// Tables sums up each table, as found on both databases.
	Tables []tables.Summary
}

// maxParams keeps a batch's parameters under both engines' limits
// (PostgreSQL 65535, SQLite 32766).
const maxParams = 30000

// Copy copies every table of src (SQLite) to dst, parents before children,
// in one transaction on dst, which commits only if every table then
// compares equal. src is read in one transaction too, so the copy is one
// moment of the source even if something writes to it meanwhile.
func Copy(ctx context.Context, src, dst *db.DB, opts Options) (Report, error) {
	var rep Report
	if opts.Batch <= 0 {
		opts.Batch = 500
	}
	tgt, ok := targets[dst.Engine()]
	if !ok {
		return rep, fmt.Errorf("dbcopy: cannot copy to %s", dst.Engine())
	}
	sv, err := SchemaVersion(ctx, src)
	if err != nil {
		return rep, err
	}
	dv, err := SchemaVersion(ctx, dst)
	if err != nil {
		return rep, err
	}
	if sv != dv {
		return rep, fmt.Errorf("dbcopy: the source is at schema version %d and the target at %d: migrate both with this joinedup first", sv, dv)
	}
	rep.SchemaVersion = sv
	ts, err := tables.Load(ctx, src)
	if err != nil {
		return rep, err
	}
	for _, t := range ts {
		cols, err := tgt.columns(ctx, dst, t.Name)
		if err != nil {
			return rep, err
		}
		for _, c := range t.Columns {
			if !cols[c.Name] {
				return rep, fmt.Errorf("dbcopy: the target has no column %s.%s", t.Name, c.Name)
			}
		}
	}
	// The source's write transaction holds off its writers while it is
	// read, so the copy and its checksums describe one moment.
	err = src.Tx(ctx, func(sq db.Querier) error {
		want, err := tables.Summarise(ctx, sq, ts)
		if err != nil {
			return err
		}
		return dst.Tx(ctx, func(dq db.Querier) error {
			if err := checkEmpty(ctx, dq, ts); err != nil {
				return err
			}
			for _, t := range ts {
				n, err := copyTable(ctx, sq, dq, t, opts.Batch)
				if err != nil {
					return err
				}
				if opts.Progress != nil {
					opts.Progress(t.Name, n)
				}
			}
			if err := tgt.afterCopy(ctx, dq, ts); err != nil {
				return err
			}
			if opts.Rebuild != nil {
				if err := opts.Rebuild(ctx, dq); err != nil {
					return fmt.Errorf("dbcopy: rebuild: %w", err)
				}
			}
			got, err := tables.Summarise(ctx, dq, ts)
			if err != nil {
				return err
			}
			if diffs := tables.Diff(want, got); len(diffs) > 0 {
				return fmt.Errorf("dbcopy: the copy differs from the source, so nothing was committed: %s", strings.Join(diffs, "; "))
			}
			rep.Tables = got
			return nil
		})
	})
	return rep, err
}

// SchemaVersion returns the newest migration applied to d (0 for none).
func SchemaVersion(ctx context.Context, q db.Querier) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("dbcopy: schema version: %w", err)
	}
	return v, nil
}

func checkEmpty(ctx context.Context, q db.Querier, ts []tables.Table) error {
	for _, t := range ts {
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+tables.Quote(t.Name)+` LIMIT 1) AS x`).Scan(&n)
		if err != nil {
			return fmt.Errorf("dbcopy: %s: %w", t.Name, err)
		}
		if n > 0 {
			return fmt.Errorf("%w: table %s has rows", ErrNotEmpty, t.Name)
		}
	}
	return nil
}

// copyTable inserts every row of t, many rows to a statement. Columns that
// refer to the same table are filled in afterwards, once every row they
// may point to is there.
func copyTable(ctx context.Context, sq, dq db.Querier, t tables.Table, batch int) (int64, error) {
	cols := t.ColumnNames()
	per := max(1, min(batch, maxParams/len(cols)))
	self := make([]bool, len(cols))
	for i, c := range cols {
		for _, s := range t.SelfRefs {
			self[i] = self[i] || c == s
		}
	}
	keyIdx := make([]int, len(t.Key))
	for i, k := range t.Key {
		keyIdx[i] = slices.Index(cols, k)
	}
	var (
		n       int64
		args    []any
		pending [][]any // key values then self-reference values, per row that has any
	)
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		if _, err := dq.ExecContext(ctx, insertSQL(t.Name, cols, len(args)/len(cols)), args...); err != nil {
			return fmt.Errorf("dbcopy: insert into %s: %w", t.Name, err)
		}
		args = args[:0]
		return nil
	}
	err := tables.Scan(ctx, sq, t, func(row []any) error {
		var later []any
		for i, v := range row {
			if self[i] {
				later = append(later, v)
				v = nil
			}
			args = append(args, v)
		}
		if slices.ContainsFunc(later, func(v any) bool { return v != nil }) {
			key := make([]any, 0, len(keyIdx)+len(later))
			for _, k := range keyIdx {
				key = append(key, row[k])
			}
			pending = append(pending, append(key, later...))
		}
		n++
		if len(args) >= per*len(cols) {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return n, err
	}
	if len(pending) > 0 {
		set := make([]string, len(t.SelfRefs))
		for i, c := range t.SelfRefs {
			set[i] = fmt.Sprintf("%s = $%d", tables.Quote(c), len(t.Key)+i+1)
		}
		where := make([]string, len(t.Key))
		for i, k := range t.Key {
			where[i] = fmt.Sprintf("%s = $%d", tables.Quote(k), i+1)
		}
		update := "UPDATE " + tables.Quote(t.Name) + " SET " + strings.Join(set, ", ") + " WHERE " + strings.Join(where, " AND ")
		for _, p := range pending {
			if _, err := dq.ExecContext(ctx, update, p...); err != nil {
				return n, fmt.Errorf("dbcopy: link rows of %s: %w", t.Name, err)
			}
		}
	}
	return n, nil
}

func insertSQL(table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + tables.Quote(table) + " (")
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tables.Quote(c))
	}
	b.WriteString(") VALUES ")
	p := 1
	for r := range rows {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for i := range cols {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "$%d", p)
			p++
		}
		b.WriteByte(')')
	}
	return b.String()
}
