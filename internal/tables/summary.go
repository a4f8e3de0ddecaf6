package tables

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Summary sums up one table's contents: how many rows, and the SHA-256 of
// every row in canonical form, in primary-key order.
type Summary struct {
	Table  string `json:"table"`
	Rows   int64  `json:"rows"`
	SHA256 string `json:"sha256"`
}

// Summarise sums up each of ts as stored in q.
func Summarise(ctx context.Context, q db.Querier, ts []Table) ([]Summary, error) {
	out := make([]Summary, 0, len(ts))
	for _, t := range ts {
		s, err := summarise(ctx, q, t)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func summarise(ctx context.Context, q db.Querier, t Table) (Summary, error) {
	s := Summary{Table: t.Name}
	h := newHash()
	err := Scan(ctx, q, t, func(row []any) error {
		s.Rows++
		writeRow(h, t, row)
		return nil
	})
	if err != nil {
		return s, err
	}
	s.SHA256 = hex.EncodeToString(h.Sum(nil))
	return s, nil
}

// Scan reads every row of t from q in primary-key order, each value made
// canonical (see Canonical), and calls fn with it; the slice is reused.
func Scan(ctx context.Context, q db.Querier, t Table, fn func(row []any) error) error {
	rows, err := q.QueryContext(ctx, "SELECT "+quoteList(t.ColumnNames())+" FROM "+Quote(t.Name)+
		" ORDER BY "+orderBy(q.Engine(), t))
	if err != nil {
		return fmt.Errorf("tables: read %s: %w", t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("tables: read %s: %w", t.Name, err)
		}
		for i, c := range t.Columns {
			v, err := Canonical(c.Kind, vals[i])
			if err != nil {
				return fmt.Errorf("tables: %s.%s: %w", t.Name, c.Name, err)
			}
			vals[i] = v
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tables: read %s: %w", t.Name, err)
	}
	return nil
}

// orderBy orders by the key. Text sorts byte by byte on both engines: that
// is SQLite's default and PostgreSQL's "C" collation, whatever the
// database's own.
func orderBy(e db.Engine, t Table) string {
	parts := make([]string, len(t.Key))
	for i, k := range t.Key {
		parts[i] = Quote(k)
		if c, _ := t.Column(k); e == db.Postgres && c.Kind == Text {
			parts[i] += ` COLLATE "C"`
		}
	}
	return strings.Join(parts, ", ")
}

// Canonical returns v, as read by either engine's driver from a column of
// kind k, as the one Go value both agree on: nil, string, int64, float64,
// bool, []byte or a UTC time.Time rounded to the microsecond (PostgreSQL's
// precision).
func Canonical(k Kind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case Bool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			return x != 0, nil
		}
	case Integer:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case float64:
			if x == math.Trunc(x) {
				return int64(x), nil
			}
		}
	case Float:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		}
	case Time:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Round(time.Microsecond), nil
		case string:
			return parseTime(x)
		case []byte:
			return parseTime(string(x))
		}
	case Bytes:
		switch x := v.(type) {
		case []byte:
			return append([]byte(nil), x...), nil
		case string:
			return []byte(x), nil
		}
	case Text:
		switch x := v.(type) {
		case string:
			return x, nil
		case []byte:
			return string(x), nil
		}
	}
	return nil, fmt.Errorf("unexpected %T value %v", v, v)
}

// timeLayouts are the ways SQLite text may hold a time.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Round(time.Microsecond), nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

func newHash() hash.Hash { return sha256.New() }

// writeRow writes a canonical row so that no two different rows write the
// same bytes: each value is tagged with its type and its length.
func writeRow(h hash.Hash, t Table, row []any) {
	var buf [8]byte
	field := func(tag byte, b []byte) {
		h.Write([]byte{tag})
		binary.BigEndian.PutUint64(buf[:], uint64(len(b)))
		h.Write(buf[:])
		h.Write(b)
	}
	for _, v := range row {
		switch x := v.(type) {
		case nil:
			field('N', nil)
		case bool:
			field('B', []byte(strconv.FormatBool(x)))
		case int64:
			field('I', []byte(strconv.FormatInt(x, 10)))
		case float64:
			field('F', []byte(strconv.FormatFloat(x, 'g', -1, 64)))
		case time.Time:
			field('T', []byte(x.Format(time.RFC3339Nano)))
		case []byte:
			field('X', x)
		case string:
			field('S', []byte(x))
		}
	}
	h.Write([]byte{'\n'})
}

// Quote quotes an identifier for either engine.
func Quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = Quote(n)
	}
	return strings.Join(q, ", ")
}

// Diff lists, one per line, how the summaries want and got differ; it is
// empty when they are equal.
func Diff(want, got []Summary) []string {
	byName := map[string]Summary{}
	for _, s := range got {
		byName[s.Table] = s
	}
	var diffs []string
	for _, w := range want {
		g, ok := byName[w.Table]
		delete(byName, w.Table)
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s: missing", w.Table))
		case g.Rows != w.Rows:
			diffs = append(diffs, fmt.Sprintf("%s: %d rows, want %d", w.Table, g.Rows, w.Rows))
		case g.SHA256 != w.SHA256:
			diffs = append(diffs, fmt.Sprintf("%s: %d rows as expected but their contents differ", w.Table, g.Rows))
		}
	}
	extra := slices.Sorted(maps.Keys(byName))
	for _, name := range extra {
		diffs = append(diffs, fmt.Sprintf("%s: not expected", name))
	}
	return diffs
}
