package places

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// IDBySlug returns the id of the place with the given slug.
func (s *Store) IDBySlug(ctx context.Context, slug string) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `SELECT id FROM places WHERE slug = $1`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("places: place %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("places: place %q: %w", slug, err)
	}
	return id, nil
}

// UpdateDetails saves what editors change of the place with p.ID: its
// names, summary, purpose and aims, and replaces its figures, partners and
// socials with p's. Run it in a transaction so that a place changes whole.
func (s *Store) UpdateDetails(ctx context.Context, p Place) error {
	res, err := s.q.ExecContext(ctx, `UPDATE places SET name = $1, partnership_name = $2, summary = $3, purpose = $4,
		aims_intro = $5, updated_at = $6 WHERE id = $7`,
		p.Name, p.PartnershipName, p.Summary, p.Purpose, p.AimsIntro, db.Now(), p.ID)
	if err != nil {
		return fmt.Errorf("places: update %d: %w", p.ID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("places: update %d: %w", p.ID, db.ErrNotFound)
	}
	for _, table := range []string{"place_aims", "place_figures", "place_partners", "place_socials"} {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE place_id = $1`, p.ID); err != nil {
			return fmt.Errorf("places: update %d: %w", p.ID, err)
		}
	}
	for i, aim := range p.Aims {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_aims (place_id, position, text) VALUES ($1, $2, $3)`, p.ID, i+1, aim); err != nil {
			return fmt.Errorf("places: update %d aim: %w", p.ID, err)
		}
	}
	for _, f := range p.Figures {
		if err := s.SetFigure(ctx, p.ID, f); err != nil {
			return err
		}
	}
	for i, pt := range p.Partners {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_partners (place_id, position, name, url, description)
			VALUES ($1, $2, $3, $4, $5)`, p.ID, i+1, pt.Name, pt.URL, pt.Description); err != nil {
			return fmt.Errorf("places: update %d partner: %w", p.ID, err)
		}
	}
	for i, so := range p.Socials {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO place_socials (place_id, position, network, handle, url)
			VALUES ($1, $2, $3, $4, $5)`, p.ID, i+1, so.Network, so.Handle, so.URL); err != nil {
			return fmt.Errorf("places: update %d social: %w", p.ID, err)
		}
	}
	return nil
}
