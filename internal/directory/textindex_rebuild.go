package directory

import (
	"context"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// RebuildTextIndex indexes every service's words afresh, as after copying
// the directory from another engine, whose index is not copied. It returns
// how many services it indexed.
func RebuildTextIndex(ctx context.Context, q db.Querier) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM dir_services ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("directory: rebuild text index: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("directory: rebuild text index: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("directory: rebuild text index: %w", err)
	}
	ti := textIndexFor(q.Engine())
	for _, id := range ids {
		if err := ti.index(ctx, q, id); err != nil {
			return 0, fmt.Errorf("directory: rebuild text index of %s: %w", id, err)
		}
	}
	return len(ids), nil
}
