package readability

import (
	"testing"
	"unicode/utf8"
)

// FuzzMeasure: any text an editor types is measured without a panic, and
// the counts agree with each other.
func FuzzMeasure(f *testing.F) {
	for _, s := range []string{"", "The cat sat on the mat.", "## A\n\n- b\n- c", "e.g. . . ! ?", "| a |\n|---|\n| b |",
		"```\ncode\n```", "Dr. J. Smith... and 3.5!?", "ééé — ’’ 2026"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		r := Measure(s)
		if r.Words > 0 && (r.Sentences == 0 || r.Syllables < r.Words) {
			t.Errorf("%q: %d words, %d sentences, %d syllables", s, r.Words, r.Sentences, r.Syllables)
		}
		for _, l := range r.Long {
			if l.Words <= LongSentence {
				t.Errorf("%q: a long sentence of %d words", s, l.Words)
			}
		}
	})
}
