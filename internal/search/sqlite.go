package search

import (
	"context"
	"database/sql"

	"github.com/joinedup/joinedup/internal/db"
)

type sqliteIndex struct{}

func (sqliteIndex) match(text string) string { return MatchExpression(text) }

// visible keeps, of the rows matching (a condition on $1), what the
// public may see: published posts whose time ($2) has come, published
// events not archived, and every place.
func visible(matching string) string {
	return matching + ` AND (
	(s.kind = 'post' AND p.status = 'published' AND p.published_at <= $2)
	OR (s.kind = 'event' AND e.published AND e.archived_at IS NULL)
	OR s.kind = 'place')`
}

// sqliteVisible matches with FTS5.
var sqliteVisible = visible(`site_search MATCH $1`)

const joins = `FROM site_search s
	LEFT JOIN posts p ON s.kind = 'post' AND p.id = s.ref
	LEFT JOIN events e ON s.kind = 'event' AND e.id = s.ref
	LEFT JOIN places pl ON s.kind = 'place' AND pl.id = s.ref`

func (sqliteIndex) search(ctx context.Context, q db.Querier, match string, sq Query) ([]Result, int, error) {
	now := sq.Now.UTC()
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) `+joins+` WHERE `+sqliteVisible, match, now).Scan(&total); err != nil {
		return nil, 0, err
	}
	// A match in the title weighs ten times one in the body.
	rows, err := q.QueryContext(ctx, `SELECT s.kind, COALESCE(p.kind, ''), COALESCE(p.slug, e.slug, pl.slug),
			highlight(site_search, 2, char(2), char(3)), snippet(site_search, 3, char(2), char(3), '…', 24),
			p.published_at, e.starts_at
		`+joins+` WHERE `+sqliteVisible+`
		ORDER BY bm25(site_search, 0.0, 0.0, 10.0, 1.0), s.rowid
		LIMIT $3 OFFSET $4`, match, now, sq.Limit, sq.Offset)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanResults(rows)
	return out, total, err
}

// scanResults reads rows of kind, post kind, slug, highlighted title and
// snippet, publication and start time into results.
func scanResults(rows *sql.Rows) ([]Result, error) {
	defer rows.Close()
	var out []Result
	for rows.Next() {
		var kind, postKind, slug, title, snippet string
		var published, starts sql.NullTime
		if err := rows.Scan(&kind, &postKind, &slug, &title, &snippet, &published, &starts); err != nil {
			return nil, err
		}
		r := Result{Title: segments(title), Snippet: segments(snippet)}
		switch kind {
		case "post":
			r.Kind, r.URL, r.Date = "News", "/news/"+slug, published.Time
			if postKind == "story" {
				r.Kind = "Story"
			}
		case "event":
			r.Kind, r.URL, r.Date = "Event", "/events/"+slug, starts.Time
		default:
			r.Kind, r.URL = "Place", "/in-your-area/"+slug
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
