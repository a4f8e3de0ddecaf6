package directory

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes directory records.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// Upsert adds the organisation, or updates it if its ODS code is known, and
// reports whether it was added.
func (s *Store) Upsert(ctx context.Context, o Organization) (added bool, err error) {
	if o.ID == "" {
		o.ID = IDForODSCode(o.ODSCode)
	}
	var placeID sql.NullInt64
	if o.PlaceID != 0 {
		placeID = sql.NullInt64{Int64: o.PlaceID, Valid: true}
	}
	var existing int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM directory_organizations WHERE ods_code = $1`, o.ODSCode).Scan(&existing); err != nil {
		return false, fmt.Errorf("directory: upsert %s: %w", o.ODSCode, err)
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO directory_organizations
		(id, ods_code, kind, name, address, postcode, latitude, longitude, ward_code, ward_name, phone, opened_on, active, place_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
		ON CONFLICT (ods_code) DO UPDATE SET kind = excluded.kind, name = excluded.name, address = excluded.address,
			postcode = excluded.postcode, latitude = excluded.latitude, longitude = excluded.longitude,
			ward_code = excluded.ward_code, ward_name = excluded.ward_name, phone = excluded.phone,
			opened_on = excluded.opened_on, active = excluded.active, place_id = excluded.place_id,
			updated_at = excluded.updated_at`,
		o.ID, o.ODSCode, o.Kind, o.Name, o.Address, o.Postcode, o.Latitude, o.Longitude, o.WardCode, o.WardName,
		o.Phone, o.OpenedOn, o.Active, placeID, db.Now())
	if err != nil {
		return false, fmt.Errorf("directory: upsert %s: %w", o.ODSCode, err)
	}
	return existing == 0, nil
}

// Counts returns how many active organisations of each kind a place holds.
func (s *Store) Counts(ctx context.Context, placeID int64) (map[Kind]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT kind, COUNT(*) FROM directory_organizations
		WHERE place_id = $1 AND active GROUP BY kind`, placeID)
	if err != nil {
		return nil, fmt.Errorf("directory: counts for place %d: %w", placeID, err)
	}
	defer rows.Close()
	counts := map[Kind]int{}
	for rows.Next() {
		var k Kind
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, fmt.Errorf("directory: counts for place %d: %w", placeID, err)
		}
		counts[k] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: counts for place %d: %w", placeID, err)
	}
	return counts, nil
}
