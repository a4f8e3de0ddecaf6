package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// postgresTextIndex keeps each service's words in dir_services.search_document,
// a tsvector indexed with GIN, weighted as SQLite's bm25 weights are: the
// name (A) above the categories (B), the organisation (C) and the
// description (D). The English configuration stems as FTS5's porter
// tokenizer does.
type postgresTextIndex struct{}

func (postgresTextIndex) index(ctx context.Context, q db.Querier, serviceID string) error {
	_, err := q.ExecContext(ctx, `UPDATE dir_services s SET search_document =
			setweight(to_tsvector('english', s.name), 'A')
			|| setweight(to_tsvector('english', COALESCE((SELECT string_agg(t.name, ' ') FROM dir_service_terms st
				JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')), 'B')
			|| setweight(to_tsvector('english', o.name), 'C')
			|| setweight(to_tsvector('english', s.description), 'D')
		FROM dir_organizations o WHERE o.id = s.organization_id AND s.id = $1`, serviceID)
	if err != nil {
		return fmt.Errorf("text index: %w", err)
	}
	return nil
}

// matchQuery builds a tsquery in which every word must match, the last
// also as a prefix while the person is still typing it, as on SQLite.
// Words hold only letters and digits, so none is read as tsquery syntax.
func (postgresTextIndex) matchQuery(text string) (string, bool) {
	words := searchWords(text)
	if len(words) == 0 {
		return "", false
	}
	last := words[len(words)-1]
	if !strings.HasSuffix(text, " ") && len([]rune(last)) >= 3 {
		words[len(words)-1] += ":*"
	}
	return strings.Join(words, " & "), true
}

// pgRankWeights are ts_rank's weights for D, C, B and A: description 1,
// organisation 3, categories 5 and name 10, as on SQLite.
const pgRankWeights = `'{0.1, 0.3, 0.5, 1.0}'`

// matching ranks by ts_rank, negated so that lower is better as with bm25,
// and divided by 1 + the log of the document's length so that, as with
// bm25, a match in a shorter text ranks higher.
func (postgresTextIndex) matching(n int) string {
	return fmt.Sprintf(`SELECT search_key, -ts_rank(%s, search_document, to_tsquery('english', $%d), 1) AS rank
		FROM dir_services WHERE search_document @@ to_tsquery('english', $%d)`, pgRankWeights, n, n)
}

func (postgresTextIndex) matchCondition(n int) string {
	return fmt.Sprintf(`s.search_document @@ to_tsquery('english', $%d)`, n)
}

func (postgresTextIndex) matchKeys(ctx context.Context, q db.Querier, match string) (map[int64]bool, error) {
	return readKeys(ctx, q, `SELECT search_key FROM dir_services WHERE search_document @@ to_tsquery('english', $1)`, match)
}
