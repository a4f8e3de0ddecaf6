package directory

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/joinedup/joinedup/internal/db"
)

// The words of the directory, for suggesting a correction when a keyword
// search finds nothing. They are the words as written, not the stems the
// full-text index holds, so that a suggestion reads as a word ("pharmacy",
// not "pharmaci"). Building them reads every service, so they are kept per
// database until its services change.
var vocabularies = struct {
	sync.Mutex
	byDB map[db.Querier]*vocabulary
}{byDB: map[db.Querier]*vocabulary{}}

type vocabulary struct {
	signature string
	words     map[string]int // word → how many records use it
}

// maxVocabularies bounds the cache; Stores made on transactions come and go.
const maxVocabularies = 8

// directoryVocabulary returns the words of the directory, rebuilt when the
// services have changed since they were last read.
func (s *Store) directoryVocabulary(ctx context.Context) (map[string]int, error) {
	var n int
	var last any
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*), MAX(last_modified) FROM dir_services`).Scan(&n, &last); err != nil {
		return nil, err
	}
	var termCount int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_taxonomy_terms`).Scan(&termCount); err != nil {
		return nil, err
	}
	sig := fmt.Sprint(n, last, termCount)
	vocabularies.Lock()
	v := vocabularies.byDB[s.q]
	vocabularies.Unlock()
	if v != nil && v.signature == sig {
		return v.words, nil
	}
	words := map[string]int{}
	rows, err := s.q.QueryContext(ctx, `SELECT name, description FROM dir_services
		UNION ALL SELECT name, '' FROM dir_organizations
		UNION ALL SELECT name, description FROM dir_taxonomy_terms`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var name, desc string
		if err := rows.Scan(&name, &desc); err != nil {
			return nil, err
		}
		for _, w := range searchWords(name + " " + desc) {
			if len(w) > 2 {
				words[w]++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	vocabularies.Lock()
	if len(vocabularies.byDB) >= maxVocabularies {
		clear(vocabularies.byDB)
	}
	vocabularies.byDB[s.q] = &vocabulary{signature: sig, words: words}
	vocabularies.Unlock()
	return words, nil
}

// suggest returns the keywords of q with each word the directory does not
// use replaced by the closest one it does (at most two edits away), when
// that search finds something; else "".
func (s *Store) suggest(ctx context.Context, q Query) (string, error) {
	vocab, err := s.directoryVocabulary(ctx)
	if err != nil {
		return "", err
	}
	words := searchWords(q.Text)
	changed := false
	for i, w := range words {
		if vocab[w] > 0 {
			continue
		}
		if better := closestWord(w, vocab); better != "" {
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
	try.Page, try.PerPage = 1, 1
	ti := textIndexFor(s.q.Engine())
	match, _ := ti.matchQuery(try.Text)
	var res Results
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
