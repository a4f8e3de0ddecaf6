package readability

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of a text and how many words it has.
type Sentence struct {
	Text  string
	Words int
}

// abbreviations are the shortened words, written with a full stop, that
// do not end a sentence even before a capital letter ("Dr. Patel", "e.g.
// Lambeth"). "etc." is not one: it ends sentences as often as not.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "cllr": true, "rev": true,
	"no": true, "nos": true, "vs": true, "approx": true, "e.g": true, "i.e": true, "eg": true, "ie": true,
	"cf": true, "incl": true, "dept": true, "govt": true, "tel": true, "ext": true, "fig": true, "ref": true,
	"jan": true, "feb": true, "apr": true, "jun": true, "jul": true, "aug": true, "sept": true, "oct": true,
	"nov": true, "dec": true, "n.b": true, "p.s": true, "a.k.a": true,
}

// Sentences splits plain text into sentences. A blank line always ends
// one (so a heading, a list item or a table cell from Strip is a sentence
// even without a full stop); within a paragraph a sentence ends at ".",
// "!" or "?" (with any closing quotes or brackets) followed by a space and
// then anything but a lower-case letter, unless the full stop ends an
// abbreviation ("Dr.", "e.g.", "No.") or an initial ("J. Smith"). A full
// stop inside a number ("3.5", "£2.50") or a web address is not followed
// by a space, so it ends nothing.
func Sentences(text string) []Sentence {
	var out []Sentence
	add := func(s string) {
		s = strings.Join(strings.Fields(s), " ")
		if n := len(words(s)); n > 0 {
			out = append(out, Sentence{Text: s, Words: n})
		}
	}
	for _, block := range paragraphs(text) {
		start := 0
		for i := 0; i < len(block); {
			r, size := utf8.DecodeRuneInString(block[i:])
			if r != '.' && r != '!' && r != '?' {
				i += size
				continue
			}
			end := i
			for end < len(block) {
				c, n := utf8.DecodeRuneInString(block[end:])
				if !strings.ContainsRune(".!?\"'”’)]", c) {
					break
				}
				end += n
			}
			if endsSentence(block, start, i, end, r) {
				add(block[start:end])
				start = end
			}
			i = end
		}
		add(block[start:])
	}
	return out
}

// paragraphs splits text at blank lines.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	var out []string
	for _, p := range strings.Split(text, "\n\n") {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// endsSentence reports whether the terminator mark at block[i], whose
// run of marks and closing quotes ends at end, ends the sentence that
// began at start.
func endsSentence(block string, start, i, end int, mark rune) bool {
	if end == len(block) {
		return true
	}
	next, _ := utf8.DecodeRuneInString(block[end:])
	if !unicode.IsSpace(next) {
		return false // "3.5", "example.org", "?!"
	}
	rest := strings.TrimLeftFunc(block[end:], unicode.IsSpace)
	if first, _ := utf8.DecodeRuneInString(rest); unicode.IsLower(first) {
		return false // "approx. ten", "... and then"
	}
	if mark != '.' || end != i+1 {
		return true
	}
	word := block[start:i]
	if k := strings.LastIndexFunc(word, unicode.IsSpace); k >= 0 {
		word = word[k+1:]
	}
	word = strings.TrimLeft(word, "(\"'“‘")
	if abbreviations[strings.ToLower(word)] {
		return false
	}
	if r, n := utf8.DecodeRuneInString(word); n == len(word) && unicode.IsUpper(r) {
		return false // an initial: "J. Smith"
	}
	return true
}

// words splits plain text into its words: runs of letters and digits,
// with the apostrophes, hyphens and full stops inside them ("don't",
// "well-being", "3.5", "e.g"), split at spaces, slashes and dashes.
// Punctuation on its own ("–", "&") is not a word.
func words(s string) []string {
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '/' || r == '–' || r == '—' || r == '…'
	})
	out := fields[:0]
	for _, f := range fields {
		f = strings.TrimFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if f != "" {
			out = append(out, f)
		}
	}
	return out
}
