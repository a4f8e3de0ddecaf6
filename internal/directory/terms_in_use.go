package directory

import (
	"context"
	"database/sql"
	"fmt"
)

// TermsInUse returns the taxonomy terms that at least one active service is
// categorised under, in name order: the categories a resident can usefully
// search.
func (s *Store) TermsInUse(ctx context.Context) ([]TaxonomyTerm, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+termColumns+` FROM dir_taxonomy_terms t
		WHERE EXISTS (SELECT 1 FROM dir_service_terms st JOIN dir_services s ON s.id = st.service_id
			WHERE st.taxonomy_term_id = t.id AND s.status = $1)
		ORDER BY t.name, t.id`, StatusActive)
	if err != nil {
		return nil, fmt.Errorf("directory: terms in use: %w", err)
	}
	defer rows.Close()
	var out []TaxonomyTerm
	for rows.Next() {
		var t TaxonomyTerm
		var parent sql.NullString
		if err := rows.Scan(&t.ID, &t.TaxonomyID, &parent, &t.Code, &t.Name, &t.Description, &t.TermURI); err != nil {
			return nil, fmt.Errorf("directory: terms in use: %w", err)
		}
		t.ParentID = parent.String
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: terms in use: %w", err)
	}
	return out, nil
}
