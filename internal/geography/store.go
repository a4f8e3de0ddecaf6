package geography

import (
	"context"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes the areas.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q (the database or a
// transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// Save adds or replaces the wards and LSOAs given, and moves the version
// so that every process reads them again. Run it in a transaction.
func (s *Store) Save(ctx context.Context, wards []Ward, lsoas []LSOA) error {
	for _, w := range wards {
		_, err := s.q.ExecContext(ctx, `INSERT INTO geo_wards (code, name, area_code, area_name, boundary)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, area_code = excluded.area_code,
				area_name = excluded.area_name, boundary = excluded.boundary`,
			w.Code, w.Name, w.AreaCode, w.AreaName, w.Shape.Encode())
		if err != nil {
			return fmt.Errorf("geography: save ward %s: %w", w.Code, err)
		}
	}
	for _, l := range lsoas {
		_, err := s.q.ExecContext(ctx, `INSERT INTO geo_lsoas (code, name, area_code, imd_rank, imd_decile, imd_score, population, boundary)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, area_code = excluded.area_code,
				imd_rank = excluded.imd_rank, imd_decile = excluded.imd_decile, imd_score = excluded.imd_score,
				population = excluded.population, boundary = excluded.boundary`,
			l.Code, l.Name, l.AreaCode, l.IMDRank, l.IMDDecile, l.IMDScore, l.Population, l.Shape.Encode())
		if err != nil {
			return fmt.Errorf("geography: save LSOA %s: %w", l.Code, err)
		}
	}
	if _, err := s.q.ExecContext(ctx, `INSERT INTO geo_version (id, version) VALUES (1, 1)
		ON CONFLICT (id) DO UPDATE SET version = geo_version.version + 1`); err != nil {
		return fmt.Errorf("geography: save: %w", err)
	}
	return nil
}

// Version is the number Save moves.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v int64
	if err := s.q.QueryRowContext(ctx, `SELECT COALESCE((SELECT version FROM geo_version WHERE id = 1), 0)`).Scan(&v); err != nil {
		return 0, fmt.Errorf("geography: version: %w", err)
	}
	return v, nil
}

// Wards returns every ward, by local authority then name.
func (s *Store) Wards(ctx context.Context) ([]Ward, error) {
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (Ward, error) {
		var w Ward
		var boundary string
		if err := r.Scan(&w.Code, &w.Name, &w.AreaCode, &w.AreaName, &boundary); err != nil {
			return w, err
		}
		var err error
		w.Shape, err = DecodeShape(boundary)
		return w, err
	}, `SELECT code, name, area_code, area_name, boundary FROM geo_wards ORDER BY area_code, name, code`)
	if err != nil {
		return nil, fmt.Errorf("geography: wards: %w", err)
	}
	return out, nil
}

// LSOAs returns every LSOA, by code.
func (s *Store) LSOAs(ctx context.Context) ([]LSOA, error) {
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (LSOA, error) {
		var l LSOA
		var boundary string
		if err := r.Scan(&l.Code, &l.Name, &l.AreaCode, &l.IMDRank, &l.IMDDecile, &l.IMDScore, &l.Population, &boundary); err != nil {
			return l, err
		}
		var err error
		l.Shape, err = DecodeShape(boundary)
		return l, err
	}, `SELECT code, name, area_code, imd_rank, imd_decile, imd_score, population, boundary FROM geo_lsoas ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("geography: LSOAs: %w", err)
	}
	return out, nil
}
