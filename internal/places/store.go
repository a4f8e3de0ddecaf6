package places

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes places.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q (the database or a
// transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// System returns the system (the deployment has exactly one).
func (s *Store) System(ctx context.Context) (System, error) {
	var sys System
	err := s.q.QueryRowContext(ctx, `SELECT id, slug, name, summary FROM systems ORDER BY id LIMIT 1`).
		Scan(&sys.ID, &sys.Slug, &sys.Name, &sys.Summary)
	if errors.Is(err, sql.ErrNoRows) {
		return System{}, fmt.Errorf("places: system: %w", db.ErrNotFound)
	}
	if err != nil {
		return System{}, fmt.Errorf("places: system: %w", err)
	}
	return sys, nil
}

// CreateSystem adds a system and returns its id.
func (s *Store) CreateSystem(ctx context.Context, sys System) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO systems (slug, name, summary, updated_at)
		VALUES ($1, $2, $3, $4) RETURNING id`, sys.Slug, sys.Name, sys.Summary, db.Now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("places: create system %q: %w", sys.Slug, err)
	}
	return id, nil
}

// List returns every place of the system, in display order, without their
// aims, figures, partners and socials.
func (s *Store) List(ctx context.Context) ([]Place, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, system_id, slug, name, partnership_name, area_code, summary
		FROM places ORDER BY position, name, id`)
	if err != nil {
		return nil, fmt.Errorf("places: list: %w", err)
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		var p Place
		if err := rows.Scan(&p.ID, &p.SystemID, &p.Slug, &p.Name, &p.PartnershipName, &p.AreaCode, &p.Summary); err != nil {
			return nil, fmt.Errorf("places: list: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("places: list: %w", err)
	}
	return out, nil
}

// BySlug returns the place with the given slug, fully loaded.
func (s *Store) BySlug(ctx context.Context, slug string) (Place, error) {
	var p Place
	err := s.q.QueryRowContext(ctx, `SELECT id, system_id, slug, name, partnership_name, area_code, summary, purpose, aims_intro
		FROM places WHERE slug = $1`, slug).
		Scan(&p.ID, &p.SystemID, &p.Slug, &p.Name, &p.PartnershipName, &p.AreaCode, &p.Summary, &p.Purpose, &p.AimsIntro)
	if errors.Is(err, sql.ErrNoRows) {
		return Place{}, fmt.Errorf("places: place %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return Place{}, fmt.Errorf("places: place %q: %w", slug, err)
	}
	if err := s.loadDetails(ctx, &p); err != nil {
		return Place{}, err
	}
	return p, nil
}

func (s *Store) loadDetails(ctx context.Context, p *Place) error {
	err := queryEach(ctx, s.q, `SELECT text FROM place_aims WHERE place_id = $1 ORDER BY position`, p.ID,
		func(rows *sql.Rows) error {
			var aim string
			err := rows.Scan(&aim)
			p.Aims = append(p.Aims, aim)
			return err
		})
	if err == nil {
		err = queryEach(ctx, s.q, `SELECT key, label, value, source_name, source_url, as_of
			FROM place_figures WHERE place_id = $1 ORDER BY key`, p.ID,
			func(rows *sql.Rows) error {
				var f Figure
				err := rows.Scan(&f.Key, &f.Label, &f.Value, &f.SourceName, &f.SourceURL, &f.AsOf)
				p.Figures = append(p.Figures, f)
				return err
			})
	}
	if err == nil {
		err = queryEach(ctx, s.q, `SELECT name, url, description FROM place_partners
			WHERE place_id = $1 ORDER BY position, id`, p.ID,
			func(rows *sql.Rows) error {
				var pt Partner
				err := rows.Scan(&pt.Name, &pt.URL, &pt.Description)
				p.Partners = append(p.Partners, pt)
				return err
			})
	}
	if err == nil {
		err = queryEach(ctx, s.q, `SELECT network, handle, url FROM place_socials
			WHERE place_id = $1 ORDER BY position, id`, p.ID,
			func(rows *sql.Rows) error {
				var so Social
				err := rows.Scan(&so.Network, &so.Handle, &so.URL)
				p.Socials = append(p.Socials, so)
				return err
			})
	}
	if err != nil {
		return fmt.Errorf("places: load %q: %w", p.Slug, err)
	}
	return nil
}

func queryEach(ctx context.Context, q db.Querier, query string, arg any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Create adds a place with its aims, figures, partners and socials, and
// returns its id. Run it in a transaction so that a place is added whole.
func (s *Store) Create(ctx context.Context, p Place, position int) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO places
		(system_id, slug, name, partnership_name, area_code, summary, purpose, aims_intro, position, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		p.SystemID, p.Slug, p.Name, p.PartnershipName, p.AreaCode, p.Summary, p.Purpose, p.AimsIntro, position, db.Now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("places: create %q: %w", p.Slug, err)
	}
	for i, aim := range p.Aims {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_aims (place_id, position, text) VALUES ($1, $2, $3)`, id, i+1, aim); err != nil {
			return 0, fmt.Errorf("places: create %q aim: %w", p.Slug, err)
		}
	}
	for _, f := range p.Figures {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_figures (place_id, key, label, value, source_name, source_url, as_of)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, f.Key, f.Label, f.Value, f.SourceName, f.SourceURL, f.AsOf); err != nil {
			return 0, fmt.Errorf("places: create %q figure: %w", p.Slug, err)
		}
	}
	for i, pt := range p.Partners {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_partners (place_id, position, name, url, description)
			VALUES ($1, $2, $3, $4, $5)`, id, i+1, pt.Name, pt.URL, pt.Description); err != nil {
			return 0, fmt.Errorf("places: create %q partner: %w", p.Slug, err)
		}
	}
	for i, so := range p.Socials {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_socials (place_id, position, network, handle, url)
			VALUES ($1, $2, $3, $4, $5)`, id, i+1, so.Network, so.Handle, so.URL); err != nil {
			return 0, fmt.Errorf("places: create %q social: %w", p.Slug, err)
		}
	}
	return id, nil
}

// SetFigure changes (or adds) an editable figure of a place.
func (s *Store) SetFigure(ctx context.Context, placeID int64, f Figure) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO place_figures (place_id, key, label, value, source_name, source_url, as_of)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (place_id, key) DO UPDATE SET label = excluded.label, value = excluded.value,
			source_name = excluded.source_name, source_url = excluded.source_url, as_of = excluded.as_of`,
		placeID, f.Key, f.Label, f.Value, f.SourceName, f.SourceURL, f.AsOf)
	if err != nil {
		return fmt.Errorf("places: set figure %q: %w", f.Key, err)
	}
	return nil
}

// AllFigures returns every place's editable figures, with the place's name.
func (s *Store) AllFigures(ctx context.Context) ([]placeFigure, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT p.name, f.key, f.label, f.value, f.source_name, f.source_url, f.as_of
		FROM place_figures f JOIN places p ON p.id = f.place_id ORDER BY p.position, p.name, p.id, f.key`)
	if err != nil {
		return nil, fmt.Errorf("places: all figures: %w", err)
	}
	defer rows.Close()
	var out []placeFigure
	for rows.Next() {
		var pf placeFigure
		if err := rows.Scan(&pf.Place, &pf.Key, &pf.Label, &pf.Value, &pf.SourceName, &pf.SourceURL, &pf.AsOf); err != nil {
			return nil, fmt.Errorf("places: all figures: %w", err)
		}
		out = append(out, pf)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("places: all figures: %w", err)
	}
	return out, nil
}
