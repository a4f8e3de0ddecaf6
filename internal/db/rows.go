package db

import "context"

// Scanner is a row to read: a *sql.Row or the current row of *sql.Rows.
type Scanner interface {
	Scan(dest ...any) error
}

// QueryAll runs query on q and returns every row, each read by scan.
func QueryAll[T any](ctx context.Context, q Querier, scan func(Scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Column runs a query of one column and returns its values.
func Column[T any](ctx context.Context, q Querier, query string, args ...any) ([]T, error) {
	return QueryAll(ctx, q, func(r Scanner) (T, error) {
		var v T
		err := r.Scan(&v)
		return v, err
	}, query, args...)
}
