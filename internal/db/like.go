package db

import (
	"fmt"
	"strings"
)

// LikeAll builds a WHERE condition, for both engines, that holds when each
// of words appears (ignoring case) in at least one of cols, with its
// arguments numbered from $1. Without words it holds for no row. LIKE's
// wildcards in a word match themselves.
func LikeAll(cols []string, words []string) (string, []any) {
	if len(words) == 0 || len(cols) == 0 {
		return "1 = 0", nil
	}
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	var conds []string
	var args []any
	for _, w := range words {
		args = append(args, "%"+esc.Replace(strings.ToLower(w))+"%")
		var ors []string
		for _, c := range cols {
			ors = append(ors, fmt.Sprintf(`LOWER(%s) LIKE $%d ESCAPE '\'`, c, len(args)))
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	return strings.Join(conds, " AND "), args
}
