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
	pgSnippetHeadline = "MaxWords=24, MinWords=12, MaxFragments=1, StartSel=" + markOpen + ", StopSel=" + markClose
)

func (postgresIndex) search(ctx context.Context, q db.Querier, match string, sq Query) ([]Result, int, error) {
	now := sq.Now.UTC()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) `+joins+` WHERE `+pgVisible, match, now).Scan(&total); err != nil {
		return nil, 0, err
	}
	// A match in the title weighs ten times one in the body. Headlines
	// are made for the page of results only; a passage that does not
	// reach an end of the body (punctuation and spaces aside) is marked
	// with an ellipsis there, as SQLite's snippet does.
	rows, err := q.QueryContext(ctx, `SELECT r.kind, r.post_kind, r.slug,
			ts_headline('english', r.title, to_tsquery('english', $1), $5),
			CASE WHEN starts_with(pt.whole, pt.plain) THEN '' ELSE '…' END || hl.h
				|| CASE WHEN right(pt.whole, length(pt.plain)) = pt.plain THEN '' ELSE '…' END,
			r.published_at, r.starts_at
		FROM (SELECT s.kind, COALESCE(p.kind, '') AS post_kind, COALESCE(p.slug, e.slug, pl.slug) AS slug, s.title, s.body,
				p.published_at, e.starts_at, s.key,
				ts_rank('{0.1, 0.2, 0.4, 1.0}', s.document, to_tsquery('english', $1)) AS rank
			`+joins+` WHERE `+pgVisible+`
			ORDER BY rank DESC, s.key
			LIMIT $3 OFFSET $4) r
		CROSS JOIN LATERAL (SELECT ts_headline('english', r.body, to_tsquery('english', $1), $6) AS h) hl
		CROSS JOIN LATERAL (SELECT regexp_replace(replace(replace(hl.h, $7, ''), $8, ''), '^\W+|\W+$', '', 'g') AS plain,
			regexp_replace(r.body, '^\W+|\W+$', '', 'g') AS whole) pt
		ORDER BY r.rank DESC, r.key`, match, now, sq.Limit, sq.Offset, pgTitleHeadline, pgSnippetHeadline, markOpen, markClose)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanResults(rows)
	return out, total, err
}
