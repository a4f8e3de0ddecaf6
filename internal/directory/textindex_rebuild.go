package directory

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// RebuildTextIndex indexes every service's words afresh, as after copying
// the directory from another engine, whose index is not copied. It returns
// how many services it indexed.
func RebuildTextIndex(ctx context.Context, q db.Querier) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT id FROM dir_services ORDER BY id`)
	if err != nil {
		return 0, fmt.Errorf("directory: rebuild text index: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("directory: rebuild text index: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("directory: rebuild text index: %w", err)
	}
	ti := textIndexFor(q.Engine())
	for _, id := range ids {
		if err := ti.index(ctx, q, id); err != nil {
			return 0, fmt.Errorf("directory: rebuild text index of %s: %w", id, err)
		}
	}
	return len(ids), nil
}

// RebuildVocabulary counts the words of every service, organisation and
// taxonomy term afresh into the vocabulary that "did you mean" reads, as
// after writing services in bulk around the store. It returns how many
// words it holds.
func RebuildVocabulary(ctx context.Context, q db.Querier) (int, error) {
	fail := func(err error) (int, error) { return 0, fmt.Errorf("directory: rebuild vocabulary: %w", err) }
	rows, err := q.QueryContext(ctx, `SELECT name, description FROM dir_services
		UNION ALL SELECT name, '' FROM dir_organizations
		UNION ALL SELECT name, description FROM dir_taxonomy_terms`)
	if err != nil {
		return fail(err)
	}
	uses := map[string]int{}
	for rows.Next() {
		var name, desc string
		if err := rows.Scan(&name, &desc); err != nil {
			rows.Close()
			return fail(err)
		}
		for w := range vocabularyWords(name, desc) {
			uses[w]++
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if err := vocabularyIndexes[q.Engine()].clear(ctx, q); err != nil {
		return fail(err)
	}
	words := make([]string, 0, len(uses))
	for w := range uses {
		words = append(words, w)
	}
	sort.Strings(words)
	for len(words) > 0 {
		batch := words[:min(len(words), 400)]
		words = words[len(batch):]
		marks := make([]string, len(batch))
		args := make([]any, 0, 2*len(batch))
		for i, w := range batch {
			marks[i] = fmt.Sprintf("($%d, $%d)", 2*i+1, 2*i+2)
			args = append(args, w, uses[w])
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO dir_vocabulary (word, uses) VALUES `+strings.Join(marks, ", "), args...); err != nil {
			return fail(err)
		}
	}
	return len(uses), nil
}
