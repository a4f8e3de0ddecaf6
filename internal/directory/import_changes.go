package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// What an import that stages its changes needs to tell an unchanged
// record from a changed one before it writes anything.

// ServiceHash is the fingerprint SaveService keeps of what a service says
// (its place included, its times not): a service whose hash equals the
// stored one is saved as Unchanged.
func ServiceHash(svc Service) string { return contentHash(svc) }

// ServiceHashes returns the stored content hash of each of the services
// that exists.
func (s *Store) ServiceHashes(ctx context.Context, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	err := s.eachIn(ctx, `SELECT id, content_hash FROM dir_services WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		var id, hash string
		if err := rows.Scan(&id, &hash); err != nil {
			return err
		}
		out[id] = hash
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("directory: service hashes: %w", err)
	}
	return out, nil
}

// OrganizationsByID returns those of the organisations that exist, by id.
func (s *Store) OrganizationsByID(ctx context.Context, ids []string) (map[string]Organization, error) {
	orgs, err := s.loadOrganizations(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("directory: organizations: %w", err)
	}
	return orgs, nil
}

// SameOrganization reports whether two organisations say the same, their
// times apart: saving b over a would change nothing a reader sees.
func SameOrganization(a, b Organization) bool {
	a.LastModified, b.LastModified = time.Time{}, time.Time{}
	if a.Source == "" {
		a.Source = "local"
	}
	if b.Source == "" {
		b.Source = "local"
	}
	return a == b
}

// TaxonomyChanged reports whether saving the taxonomy and its terms with
// SaveTaxonomy would change what is stored.
func (s *Store) TaxonomyChanged(ctx context.Context, t Taxonomy, terms []TaxonomyTerm) (bool, error) {
	stored, err := s.Taxonomy(ctx, t.ID)
	if errors.Is(err, db.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	if stored.ID != t.ID || stored.Name != t.Name || stored.Description != t.Description || stored.URI != t.URI ||
		stored.Version != t.Version {
		return true, nil
	}
	ids := make([]string, len(terms))
	for i, term := range terms {
		ids[i] = term.ID
	}
	have := make(map[string]TaxonomyTerm, len(ids))
	err = s.eachIn(ctx, `SELECT id, taxonomy_id, COALESCE(parent_id, ''), code, name, description, term_uri
		FROM dir_taxonomy_terms WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		var tt TaxonomyTerm
		if err := rows.Scan(&tt.ID, &tt.TaxonomyID, &tt.ParentID, &tt.Code, &tt.Name, &tt.Description, &tt.TermURI); err != nil {
			return err
		}
		have[tt.ID] = tt
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("directory: taxonomy terms: %w", err)
	}
	for _, term := range terms {
		h, ok := have[term.ID]
		if !ok || h.TaxonomyID != t.ID || h.ParentID != term.ParentID || h.Code != term.Code || h.Name != term.Name ||
			h.Description != term.Description || h.TermURI != term.TermURI {
			return true, nil
		}
	}
	return false, nil
}
