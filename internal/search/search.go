// Package search is the site search: one box that finds news, residents'
// stories, events, places and (through the directory) local services,
// ranked, with the words that matched highlighted.
package search

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/joinedup/joinedup/internal/db"
)

// Segment is a run of text that did or did not match the search, so pages
// can highlight matches without handing markup through templates.
type Segment struct {
	Text  string
	Match bool
}

// Result is one thing found.
type Result struct {
	Kind    string // "News", "Story", "Event", "Place", "Service"
	URL     string
	Title   []Segment
	Snippet []Segment
	Date    time.Time // zero for places and services
}

// Query is a search of the site's own content.
type Query struct {
	Text   string
	Now    time.Time // posts published after it are not found yet
	Limit  int
	Offset int
}

// index finds site content; each engine has its own: SQLite's FTS5
// (sqlite.go) and PostgreSQL's tsvector (postgres.go).
type index interface {
	// match turns what a resident typed into the engine's query, "" when
	// it holds no words.
	match(text string) string
	search(ctx context.Context, q db.Querier, match string, sq Query) ([]Result, int, error)
}

var indexes = map[db.Engine]index{db.SQLite: sqliteIndex{}, db.Postgres: postgresIndex{}}

// Store searches the site's content.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// Search returns a page of results, best first, and how many there are.
// Words are matched by their stem ("clinics" finds "clinic"), the last
// word also as a prefix, so results come as the resident types.
func (s *Store) Search(ctx context.Context, sq Query) ([]Result, int, error) {
	ix, ok := indexes[s.q.Engine()]
	if !ok {
		return nil, 0, fmt.Errorf("search: no index for engine %q", s.q.Engine())
	}
	match := ix.match(sq.Text)
	if match == "" {
		return nil, 0, nil
	}
	res, total, err := ix.search(ctx, s.q, match, sq)
	if err != nil {
		return nil, 0, fmt.Errorf("search: %w", err)
	}
	return res, total, nil
}

// Words splits what a resident typed into words, dropping punctuation and
// search operators, so no input can break the query.
func Words(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// maxWords bounds a query, so a pasted essay cannot make a huge one.
const maxWords = 12

// queryWords returns the words of text a search looks for, lower case.
func queryWords(text string) []string {
	words := Words(strings.ToLower(text))
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	return words
}

// MatchExpression turns text into an FTS5 query of quoted words, all of
// which must match, the last one as a prefix.
func MatchExpression(text string) string {
	words := queryWords(text)
	for i, w := range words {
		words[i] = `"` + w + `"`
	}
	if len(words) == 0 {
		return ""
	}
	words[len(words)-1] += "*"
	return strings.Join(words, " ")
}

// highlight markers, characters that never occur in content.
const markOpen, markClose = "\x02", "\x03"

// segments splits text carrying highlight markers into segments.
func segments(s string) []Segment {
	var out []Segment
	for s != "" {
		i := strings.Index(s, markOpen)
		if i < 0 {
			out = append(out, Segment{Text: strings.ReplaceAll(s, markClose, "")})
			break
		}
		if i > 0 {
			out = append(out, Segment{Text: s[:i]})
		}
		s = s[i+len(markOpen):]
		j := strings.Index(s, markClose)
		if j < 0 {
			j = len(s)
		}
		out = append(out, Segment{Text: s[:j], Match: true})
		s = strings.TrimPrefix(s[j:], markClose)
	}
	return out
}
