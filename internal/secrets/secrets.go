// Package secrets keeps the keys a site makes for itself (to sign form
// timestamps and the links in residents' emails) in the database, so that
// every instance of the site shares them.
package secrets

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// Load returns the key called name, making a random 32-byte one the first
// time. Instances starting at once agree: the insert does nothing if
// another got there first. Making the key opens a write transaction, so
// the site loads its keys at start-up: later loads only read, and may
// run while the caller holds SQLite's one writer.
func Load(ctx context.Context, d *db.DB, name string) ([]byte, error) {
	var have []byte
	switch err := d.QueryRowContext(ctx, `SELECT value FROM site_secrets WHERE name = $1`, name).Scan(&have); {
	case err == nil && len(have) >= 16:
		return have, nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("secrets: %s: %w", name, err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secrets: %s: %w", name, err)
	}
	var out []byte
	err := d.Tx(ctx, func(q db.Querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO site_secrets (name, value, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO NOTHING`, name, key, db.Now()); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT value FROM site_secrets WHERE name = $1`, name).Scan(&out)
	})
	if err != nil {
		return nil, fmt.Errorf("secrets: %s: %w", name, err)
	}
	if len(out) < 16 {
		return nil, fmt.Errorf("secrets: %s is too short", name)
	}
	return out, nil
}
