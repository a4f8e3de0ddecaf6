package directory

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
)

// Confirm records that a person (the account with email assurer) confirmed
// at at that service id is still correct. It changes the public page and
// the Open Referral record's assured_date, so run it in a transaction that
// empties the page cache (db.Tx).
func (s *Store) Confirm(ctx context.Context, id string, at time.Time, assurer string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE dir_services SET confirmed_at = $2, assurer_email = $3 WHERE id = $1`,
		id, at.UTC().Truncate(time.Second), assurer)
	if err != nil {
		return fmt.Errorf("directory: confirm %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("directory: confirm %s: %w", id, db.ErrNotFound)
	}
	return nil
}

// LastChecked is the date a person last checked the record, as Open
// Referral's assured_date gives it (YYYY-MM-DD, London time): the local
// confirmation if there is one, else the date its source gave, else "".
func (svc Service) LastChecked() string {
	if svc.ConfirmedAt != nil {
		return london.In(*svc.ConfirmedAt).Format(time.DateOnly)
	}
	return svc.AssuredDate
}

// StaleService is an active service nobody has confirmed since a cutoff.
type StaleService struct {
	ID, Name       string
	OrganizationID string
	Organization   string
	// ConfirmedAt is nil when nobody has ever confirmed it.
	ConfirmedAt *time.Time
}

// staleWhere selects the active services not confirmed since $1.
const staleWhere = ` FROM dir_services s LEFT JOIN dir_organizations o ON o.id = s.organization_id
	WHERE s.status = 'active' AND (s.confirmed_at IS NULL OR s.confirmed_at < $1)`

// CountStale counts the active services nobody has confirmed since before.
func (s *Store) CountStale(ctx context.Context, before time.Time) (int, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+staleWhere, before.UTC()).Scan(&n); err != nil {
		return 0, fmt.Errorf("directory: count stale: %w", err)
	}
	return n, nil
}

// Stale returns a page of the active services nobody has confirmed since
// before, longest unconfirmed first (never confirmed before any), with the
// total. perPage 0 returns them all.
func (s *Store) Stale(ctx context.Context, before time.Time, page, perPage int) ([]StaleService, int, error) {
	total, err := s.CountStale(ctx, before)
	if err != nil {
		return nil, 0, err
	}
	limit := ""
	args := []any{before.UTC()}
	if perPage > 0 {
		limit = ` LIMIT $2 OFFSET $3`
		args = append(args, perPage, offset(page, perPage))
	}
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (StaleService, error) {
		var x StaleService
		var at sql.NullTime
		err := r.Scan(&x.ID, &x.Name, &x.OrganizationID, &x.Organization, &at)
		if at.Valid {
			t := at.Time.UTC()
			x.ConfirmedAt = &t
		}
		return x, err
	}, `SELECT s.id, s.name, s.organization_id, COALESCE(o.name, ''), s.confirmed_at`+staleWhere+
		` ORDER BY s.confirmed_at IS NOT NULL, s.confirmed_at, lower(s.name), s.id`+limit, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("directory: stale services: %w", err)
	}
	return out, total, nil
}

// ActiveServiceIDs returns the ids of every active service, for jobs that
// visit each record in turn.
func (s *Store) ActiveServiceIDs(ctx context.Context) ([]string, error) {
	ids, err := db.Column[string](ctx, s.q, `SELECT id FROM dir_services WHERE status = 'active' ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("directory: active services: %w", err)
	}
	return ids, nil
}

// ServiceNames returns the names of the services with the given ids, by
// id; ids that match no service are left out.
func (s *Store) ServiceNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	err := s.eachIn(ctx, `SELECT id, name FROM dir_services WHERE id IN (%s)`, distinct(ids), func(rows *sql.Rows) error {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		out[id] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("directory: service names: %w", err)
	}
	return out, nil
}
