package directory

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/joinedup/joinedup/internal/db"
)

// textIndex keeps a service's words searchable. Each engine has its own:
// SQLite's FTS5 here, PostgreSQL's tsvector in textindex_postgres.go.
type textIndex interface {
	// index (re)builds the entry of one service from what is stored.
	index(ctx context.Context, q db.Querier, serviceID string) error
	// matchQuery turns words a person typed into the engine's query, or
	// reports false when they hold nothing to search for.
	matchQuery(text string) (string, bool)
	// matching returns SQL selecting search_key and rank (lower is better)
	// of the services matching the query bound to parameter $n, to join
	// to dir_services on search_key.
	matching(n int) string
	// matchCondition returns an SQL condition on dir_services s that holds
	// when the service matches the query bound to parameter $n, for
	// filtering candidates found some other way (near a point).
	matchCondition(n int) string
	// matchKeys returns the search keys of the services matching a query.
	matchKeys(ctx context.Context, q db.Querier, match string) (map[int64]bool, error)
}

var textIndexes = map[db.Engine]textIndex{
	db.SQLite:   sqliteTextIndex{},
	db.Postgres: postgresTextIndex{},
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
	// The index row's id is the service's search key, so the old row is
	// found by key, not by scanning the index.
	if _, err := q.ExecContext(ctx, `DELETE FROM dir_services_fts
		WHERE rowid = (SELECT search_key FROM dir_services WHERE id = $1)`, serviceID); err != nil {
		return fmt.Errorf("text index: %w", err)
	}
	_, err := q.ExecContext(ctx, `INSERT INTO dir_services_fts (rowid, service_id, name, description, organization, categories)
		SELECT s.search_key, s.id, s.name, s.description, o.name,
			COALESCE((SELECT group_concat(t.name, ' ') FROM dir_service_terms st
				JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')
		FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id
		WHERE s.id = $1`, serviceID)
	if err != nil {
		return fmt.Errorf("text index: %w", err)
	}
	return nil
}

// searchWords splits text into the words a search looks for: runs of
// letters and digits, lower case.
func searchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// matchQuery quotes each word, so nothing a person types is read as FTS5
// syntax, and lets the last one match as a prefix ("pharm" finds
// "pharmacy") when it is long enough not to match half the index.
func (sqliteTextIndex) matchQuery(text string) (string, bool) {
	words := searchWords(text)
	if len(words) == 0 {
		return "", false
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `"` + w + `"`
	}
	last := words[len(words)-1]
	typing := !strings.HasSuffix(text, " ")
	if typing && len([]rune(last)) >= 3 {
		parts[len(parts)-1] += "*"
	}
	return strings.Join(parts, " "), true
}

// matching ranks with bm25, weighting a match in the name above one in the
// categories, the organisation and the description (the first weight is
// the unindexed service_id column).
func (sqliteTextIndex) matching(n int) string {
	return fmt.Sprintf(`SELECT rowid AS search_key, bm25(dir_services_fts, 0.0, 10.0, 1.0, 3.0, 5.0) AS rank
		FROM dir_services_fts WHERE dir_services_fts MATCH $%d`, n)
}

// matchCondition tests the service's search key, its row in the index,
// against the rowids the index matches: reading rowids alone is cheap,
// where reading each match's service_id costs a lookup per match (tens of
// milliseconds for a common word over a national directory). The unary +
// keeps SQLite from driving the query from the matches instead of from the
// candidates.
func (sqliteTextIndex) matchCondition(n int) string {
	return fmt.Sprintf(`+s.search_key IN (SELECT rowid FROM dir_services_fts WHERE dir_services_fts MATCH $%d)`, n)
}

// matchKeys reads only the rowids of the matches, which are the services'
// search keys.
func (sqliteTextIndex) matchKeys(ctx context.Context, q db.Querier, match string) (map[int64]bool, error) {
	return readKeys(ctx, q, `SELECT rowid FROM dir_services_fts WHERE dir_services_fts MATCH $1`, match)
}

// readKeys runs query, which selects search keys, and returns them as a set.
func readKeys(ctx context.Context, q db.Querier, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("text index: %w", err)
	}
	defer rows.Close()
	keys := map[int64]bool{}
	for rows.Next() {
		var k int64
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("text index: %w", err)
		}
		keys[k] = true
	}
	return keys, rows.Err()
}
