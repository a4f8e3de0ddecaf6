package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Queue returns how many messages wait in the outbox unsent, and since
// when the oldest of them has waited (zero when none does).
func Queue(ctx context.Context, q db.Querier) (n int, oldest time.Time, err error) {
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&n); err != nil {
		return 0, time.Time{}, fmt.Errorf("mail: queue: %w", err)
	}
	if n == 0 {
		return 0, time.Time{}, nil
	}
	// Ids grow with time: the lowest unsent is the oldest, found on the key.
	err = q.QueryRowContext(ctx, `SELECT created_at FROM mail_outbox WHERE sent_at IS NULL ORDER BY id LIMIT 1`).Scan(&oldest)
	if errors.Is(err, sql.ErrNoRows) { // sent in between
		return n, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("mail: queue: %w", err)
	}
	return n, oldest, nil
}
