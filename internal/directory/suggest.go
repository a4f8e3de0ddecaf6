package directory

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// maxVocabularies bounds the caches kept per database; Stores made on
// transactions come and go.
const maxVocabularies = 8

// suggestCandidates is how many of the nearest words by trigrams a
// misspelling is measured against.
const suggestCandidates = 200

// vocabularyIndex finds the words of the directory (dir_vocabulary) that
// share the most trigrams with a word, through the engine's index: an FTS5
// trigram table on SQLite, pg_trgm's GiST index on PostgreSQL.
type vocabularyIndex interface {
	// nearQuery returns SQL selecting word and uses of at most $2 words
	// near the word bound to $1, and the value to bind to $1.
	nearQuery(word string) (query string, arg string)
	// clear empties the vocabulary and its index.
	clear(ctx context.Context, q db.Querier) error
}

var vocabularyIndexes = map[db.Engine]vocabularyIndex{
	db.SQLite:   sqliteVocabulary{},
	db.Postgres: postgresVocabulary{},
}

type sqliteVocabulary struct{}

// nearQuery asks for any of the word's trigrams, padded as the vocabulary
// stores them, best matched (by bm25) first.
func (sqliteVocabulary) nearQuery(word string) (string, string) {
	return `SELECT word, uses FROM dir_vocabulary WHERE uses > 0 AND id IN (SELECT rowid FROM dir_vocabulary_trigrams
		WHERE dir_vocabulary_trigrams MATCH $1 ORDER BY rank LIMIT $2)`, trigramQuery(word)
}

// trigramQuery is an FTS5 query for any trigram of "  word ". Words hold
// only letters and digits, so none is read as query syntax.
func trigramQuery(word string) string {
	r := []rune("  " + word + " ")
	seen := map[string]bool{}
	var parts []string
	for i := 0; i+3 <= len(r); i++ {
		t := string(r[i : i+3])
		if !seen[t] {
			seen[t] = true
			parts = append(parts, `"`+t+`"`)
		}
	}
	return strings.Join(parts, " OR ")
}

func (sqliteVocabulary) clear(ctx context.Context, q db.Querier) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM dir_vocabulary`); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO dir_vocabulary_trigrams (dir_vocabulary_trigrams) VALUES ('delete-all')`)
	return err
}

type postgresVocabulary struct{}

func (postgresVocabulary) clear(ctx context.Context, q db.Querier) error {
	_, err := q.ExecContext(ctx, `DELETE FROM dir_vocabulary`)
	return err
}

// nearQuery orders by pg_trgm's distance, which the GiST index answers
// nearest first.
func (postgresVocabulary) nearQuery(word string) (string, string) {
	return `SELECT word, uses FROM dir_vocabulary WHERE uses > 0 ORDER BY word <-> $1 LIMIT $2`, word
}

// vocabularyWords returns the distinct words of text a suggestion may
// offer: those longer than two letters.
func vocabularyWords(texts ...string) map[string]bool {
	words := map[string]bool{}
	for _, t := range texts {
		for _, w := range searchWords(t) {
			if len(w) > 2 {
				words[w] = true
			}
		}
	}
	return words
}

// updateVocabulary counts the words of a record as it is now instead of as
// it was: each word's uses is how many records use it. Only the words that
// changed are written.
func (s *Store) updateVocabulary(ctx context.Context, was, now []string) error {
	old, cur := vocabularyWords(was...), vocabularyWords(now...)
	var gone, added []string
	for w := range old {
		if !cur[w] {
			gone = append(gone, w)
		}
	}
	for w := range cur {
		if !old[w] {
			added = append(added, w)
		}
	}
	sort.Strings(gone)
	sort.Strings(added) // in order, so concurrent saves take row locks in the same order
	if len(gone) > 0 {
		ps := make([]string, len(gone))
		args := make([]any, len(gone))
		for i, w := range gone {
			ps[i], args[i] = fmt.Sprintf("$%d", i+1), w
		}
		if _, err := s.q.ExecContext(ctx, `UPDATE dir_vocabulary SET uses = uses - 1 WHERE uses > 0 AND word IN (`+
			strings.Join(ps, ", ")+`)`, args...); err != nil {
			return fmt.Errorf("vocabulary: %w", err)
		}
	}
	if len(added) > 0 {
		ps := make([]string, len(added))
		args := make([]any, len(added))
		for i, w := range added {
			ps[i], args[i] = fmt.Sprintf("($%d, 1)", i+1), w
		}
		if _, err := s.q.ExecContext(ctx, `INSERT INTO dir_vocabulary (word, uses) VALUES `+strings.Join(ps, ", ")+
			` ON CONFLICT (word) DO UPDATE SET uses = dir_vocabulary.uses + 1`, args...); err != nil {
			return fmt.Errorf("vocabulary: %w", err)
		}
	}
	return nil
}

// suggest returns the keywords of q with each word the directory does not
// use replaced by the closest one it does (at most two edits away), when
// that search finds something; else "". The closest word is looked for
// among the words that share most trigrams with it, through an index, not
// by reading every word.
func (s *Store) suggest(ctx context.Context, q Query) (string, error) {
	words := searchWords(q.Text)
	changed := false
	vi := vocabularyIndexes[s.q.Engine()]
	for i, w := range words {
		var uses int
		err := s.q.QueryRowContext(ctx, `SELECT uses FROM dir_vocabulary WHERE word = $1`, w).Scan(&uses)
		if err != nil && err != sql.ErrNoRows {
			return "", err
		}
		if uses > 0 {
			continue
		}
		query, arg := vi.nearQuery(w)
		rows, err := s.q.QueryContext(ctx, query, arg, suggestCandidates)
		if err != nil {
			return "", err
		}
		near := map[string]int{}
		for rows.Next() {
			var word string
			var n int
			if err := rows.Scan(&word, &n); err != nil {
				rows.Close()
				return "", err
			}
			near[word] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
		if better := closestWord(w, near); better != "" {
			words[i], changed = better, true
		}
	}
	if !changed {
		return "", nil
	}
	suggestion := strings.Join(words, " ")
	// Only suggest what finds something, searching as the person did.
	try := q
	try.Text = suggestion + " " // whole words: no prefix matching
	try.Page, try.PerPage, try.countTo, try.ExactTotal = 1, 1, 1, false
	ti := textIndexFor(s.q.Engine())
	match, _ := ti.matchQuery(try.Text)
	var res Results
	var err error
	if q.Near != nil {
		res, err = s.searchNear(ctx, try, ti, match, true)
	} else {
		res, err = s.searchRanked(ctx, try, ti, match, true)
	}
	if err != nil || res.Total == 0 {
		return "", err
	}
	return suggestion, nil
}

// closestWord returns the word of vocab fewest edits from w (one for short
// words, two for longer), the most used among equals; "" if none is close.
func closestWord(w string, vocab map[string]int) string {
	limit := 2
	if len([]rune(w)) <= 4 {
		limit = 1
	}
	best, bestDist, bestCount := "", limit+1, 0
	for cand, count := range vocab {
		d := editDistance(w, cand, limit)
		if d < bestDist || (d == bestDist && (count > bestCount || (count == bestCount && cand < best))) {
			best, bestDist, bestCount = cand, d, count
		}
	}
	if bestDist > limit {
		return ""
	}
	return best
}

// editDistance returns the optimal string alignment distance between a and
// b (insertions, deletions, substitutions and swaps of neighbours), or
// limit+1 once it is sure to exceed limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
