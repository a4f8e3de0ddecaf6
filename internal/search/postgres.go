package search

import (
	"context"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// postgresIndex searches site_search's tsvectors (title weighted A, body
// D, English stemming) with a tsquery.
type postgresIndex struct{}

// match requires every word, the last also as a prefix. Words hold only
// letters and digits, so none is read as tsquery syntax.
func (postgresIndex) match(text string) string {
	words := queryWords(text)
	if len(words) == 0 {
		return ""
	}
	return strings.Join(words, " & ") + ":*"
}

// pgVisible matches with a tsquery.
var pgVisible = visible(`s.document @@ to_tsquery('english', $1)`)

// headline options: the title whole, the body as one passage of about 24
// words, matches marked as on SQLite.
const (
	pgTitleHeadline   = "HighlightAll=true, StartSel=" + markOpen + ", StopSel=" + markClose
	pgSnippetHeadline = "MaxWords=24, MinWords=12, MaxFragments=1, FragmentDelimiter=…, StartSel=" + markOpen + ", StopSel=" + markClose
)

func (postgresIndex) search(ctx context.Context, q db.Querier, match string, sq Query) ([]Result, int, error) {
	now := sq.Now.UTC()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) `+joins+` WHERE `+pgVisible, match, now).Scan(&total); err != nil {
		return nil, 0, err
	}
	// A match in the title weighs ten times one in the body.
	rows, err := q.QueryContext(ctx, `SELECT s.kind, COALESCE(p.kind, ''), COALESCE(p.slug, e.slug, pl.slug),
			ts_headline('english', s.title, to_tsquery('english', $1), $5),
			ts_headline('english', s.body, to_tsquery('english', $1), $6),
			p.published_at, e.starts_at
		`+joins+` WHERE `+pgVisible+`
		ORDER BY ts_rank('{0.1, 0.2, 0.4, 1.0}', s.document, to_tsquery('english', $1)) DESC, s.key
		LIMIT $3 OFFSET $4`, match, now, sq.Limit, sq.Offset, pgTitleHeadline, pgSnippetHeadline)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanResults(rows)
	return out, total, err
}
