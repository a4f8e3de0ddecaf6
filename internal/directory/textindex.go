package directory

import (
	"context"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// textIndex keeps a service's words searchable. Each engine has its own
// (SQLite FTS5 here; PostgreSQL's tsvector when that backend lands).
type textIndex interface {
	// index (re)builds the entry of one service from what is stored.
	index(ctx context.Context, q db.Querier, serviceID string) error
}

var textIndexes = map[db.Engine]textIndex{
	db.SQLite: sqliteTextIndex{},
}

func textIndexFor(e db.Engine) textIndex {
	ti, ok := textIndexes[e]
	if !ok {
		panic(fmt.Sprintf("directory: no text index for engine %q", e))
	}
	return ti
}

type sqliteTextIndex struct{}

func (sqliteTextIndex) index(ctx context.Context, q db.Querier, serviceID string) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM dir_services_fts WHERE service_id = $1`, serviceID); err != nil {
		return fmt.Errorf("text index: %w", err)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO dir_services_fts (service_id, name, description, organization, categories)
		SELECT s.id, s.name, s.description, o.name,
			COALESCE((SELECT group_concat(t.name, ' ') FROM dir_service_terms st
				JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')
		FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id
		WHERE s.id = $1`, serviceID)
	if err != nil {
		return fmt.Errorf("text index: %w", err)
	}
	return nil
}
