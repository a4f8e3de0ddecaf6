package readability

import (
	"strings"
)

// plainer lists words and phrases common in NHS and council writing that
// have plainer alternatives, each with the words to use instead. A word
// matches in its usual forms too ("utilises", "utilised", "utilising",
// "utilize"), so only the base form is listed.
var plainer = []struct{ Word, Instead string }{
	{"a number of", "some, or say how many"},
	{"accordingly", "so"},
	{"additional", "extra, more"},
	{"amend", "change"},
	{"amongst", "among"},
	{"anticipate", "expect"},
	{"approximately", "about"},
	{"ascertain", "find out"},
	{"assist", "help"},
	{"assistance", "help"},
	{"at the present time", "now"},
	{"at this moment in time", "now"},
	{"cohort", "group"},
	{"commence", "start"},
	{"commencement", "start"},
	{"comply with", "keep to, follow"},
	{"component", "part"},
	{"consequently", "so"},
	{"demonstrate", "show"},
	{"discontinue", "stop"},
	{"disseminate", "share, spread"},
	{"due to the fact that", "because"},
	{"dwelling", "home"},
	{"enable", "let, allow"},
	{"endeavour", "try"},
	{"enquire", "ask"},
	{"ensure", "make sure"},
	{"expedite", "speed up"},
	{"expenditure", "spending"},
	{"facilitate", "help, make easier"},
	{"fundamental", "basic"},
	{"furthermore", "also"},
	{"going forward", "from now on, in future"},
	{"holistic", "whole-person"},
	{"implement", "carry out, do"},
	{"in conjunction with", "with"},
	{"in order to", "to"},
	{"in relation to", "about"},
	{"in respect of", "about"},
	{"in the event of", "if"},
	{"in the event that", "if"},
	{"in the near future", "soon"},
	{"indicate", "show, say"},
	{"initiate", "start"},
	{"inquire", "ask"},
	{"leverage", "use"},
	{"liaise", "work with, talk to"},
	{"locality", "area"},
	{"moreover", "also"},
	{"nevertheless", "but, even so"},
	{"notwithstanding", "despite"},
	{"objective", "aim"},
	{"obtain", "get"},
	{"on behalf of", "for"},
	{"optimal", "best"},
	{"participate", "take part"},
	{"pertaining to", "about"},
	{"prior to", "before"},
	{"prioritise", "put first"},
	{"purchase", "buy"},
	{"regarding", "about"},
	{"remuneration", "pay"},
	{"require", "need"},
	{"requirement", "need"},
	{"reside", "live"},
	{"robust", "strong"},
	{"service user", "person who uses the service"},
	{"signpost", "point to, refer"},
	{"stakeholder", "people involved, or name them"},
	{"streamline", "simplify"},
	{"subsequently", "later, then"},
	{"sufficient", "enough"},
	{"terminate", "end"},
	{"the majority of", "most"},
	{"utilisation", "use"},
	{"utilise", "use"},
	{"whilst", "while"},
	{"with effect from", "from"},
	{"with regard to", "about"},
}

// Swap is a word or phrase of a text with a plainer alternative: as it is
// written (its first use), what to write instead, and how many times the
// text uses it.
type Swap struct {
	Word    string
	Instead string
	Count   int
}

// plainerIndex maps each form of each listed word, and each phrase, to
// its entry; longest is the most words in a phrase.
var plainerIndex, longest = func() (map[string]int, int) {
	idx := map[string]int{}
	n := 1
	for i, e := range plainer {
		parts := strings.Fields(e.Word)
		n = max(n, len(parts))
		last := parts[len(parts)-1]
		head := strings.Join(parts[:len(parts)-1], " ")
		for _, f := range forms(last) {
			idx[strings.TrimSpace(head+" "+f)] = i
		}
	}
	return idx, n
}()

// forms lists the usual forms of a word: plurals and the -s, -ed and -ing
// forms of a verb ("require", "requires", "required", "requiring").
func forms(w string) []string {
	stem := strings.TrimSuffix(w, "e")
	out := []string{w, w + "s", w + "es", stem + "ed", stem + "ing"}
	if strings.HasSuffix(w, "y") {
		out = append(out, strings.TrimSuffix(w, "y")+"ies")
	}
	return out
}

// spelling reads American -ize spellings as British -ise ones, so that the
// list needs one of each.
func spelling(w string) string {
	w = strings.ToLower(strings.ReplaceAll(w, "’", "'"))
	for _, r := range [][2]string{{"ization", "isation"}, {"izing", "ising"}, {"ized", "ised"}, {"izes", "ises"}} {
		if strings.HasSuffix(w, r[0]) {
			return strings.TrimSuffix(w, r[0]) + r[1]
		}
	}
	if strings.HasSuffix(w, "ize") {
		return strings.TrimSuffix(w, "ize") + "ise"
	}
	return w
}

// plainerWords finds the listed words and phrases in text, in the order
// of their first use.
func plainerWords(sentences []Sentence) []Swap {
	var out []Swap
	seen := map[int]int{} // entry → index in out
	for _, s := range sentences {
		ws := words(s.Text)
		spelt := make([]string, len(ws))
		for i, w := range ws {
			spelt[i] = spelling(w)
		}
		for i := 0; i < len(ws); i++ {
			for n := min(longest, len(ws)-i); n >= 1; n-- {
				e, ok := plainerIndex[strings.Join(spelt[i:i+n], " ")]
				if !ok {
					continue
				}
				if j, ok := seen[e]; ok {
					out[j].Count++
				} else {
					seen[e] = len(out)
					out = append(out, Swap{Word: strings.Join(ws[i:i+n], " "), Instead: plainer[e].Instead, Count: 1})
				}
				i += n - 1
				break
			}
		}
	}
	return out
}
