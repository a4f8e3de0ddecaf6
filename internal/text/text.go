// Package text turns the text people write into what pages show.
package text

import "strings"

// Paragraphs splits plain text into trimmed paragraphs on blank lines.
func Paragraphs(s string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p := strings.TrimSpace(para); p != "" {
			out = append(out, p)
		}
	}
	return out
}
