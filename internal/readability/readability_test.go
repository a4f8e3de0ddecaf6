package readability

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestSyllables(t *testing.T) {
	for _, tc := range []struct {
		word string
		want int
	}{
		{"the", 1}, {"cat", 1}, {"a", 1}, {"I", 1},
		{"make", 1}, {"state", 1}, {"free", 1}, {"tie", 1}, {"while", 1},
		{"table", 2}, {"people", 2}, {"little", 2},
		{"jumped", 1}, {"planned", 1}, {"used", 1}, {"wanted", 2}, {"needed", 2}, {"agreed", 2}, {"created", 3},
		{"makes", 1}, {"homes", 1}, {"boxes", 2}, {"places", 2}, {"changes", 2}, {"wishes", 2}, {"services", 3},
		{"happy", 2}, {"hybrid", 2}, {"yes", 1}, {"beyond", 2}, {"they", 1},
		{"Australian", 4}, {"reptilian", 4}, {"media", 3}, {"special", 2}, {"financial", 3},
		{"create", 2}, {"idea", 3}, {"area", 3}, {"plea", 1}, {"creature", 2}, {"read", 1},
		{"radio", 3}, {"nation", 2}, {"region", 2}, {"video", 3},
		{"usual", 3}, {"actual", 3}, {"language", 2}, {"equal", 2}, {"quite", 1},
		{"seemingly", 3}, {"platypus", 3}, {"mammal", 2}, {"appointment", 3}, {"pharmacy", 3},
		{"partnership", 3}, {"Southwark", 2}, {"health", 1}, {"community", 4},
		{"drop-in", 2}, {"well-known", 2}, {"engagement", 3}, {"statement", 2}, {"settlement", 3}, {"element", 3}, {"safely", 2}, {"useful", 2}, {"agreement", 3}, {"café", 2}, {"don't", 1},
		{"2026", 4}, {"12", 2}, {"5", 1}, {"1,000,000", 4},
		{"", 0}, {"–", 0},
	} {
		if got := Syllables(tc.word); got != tc.want {
			t.Errorf("Syllables(%q) = %d, want %d", tc.word, got, tc.want)
		}
	}
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"full stops", "The clinic is open. It closes at six.", []string{"The clinic is open.", "It closes at six."}},
		{"questions and exclamations", "Is it open? Yes! Come in.", []string{"Is it open?", "Yes!", "Come in."}},
		{"no full stop at the end", "Come and see us", []string{"Come and see us"}},
		{"abbreviations", "Dr. Patel chairs it. Ask e.g. Mrs. Jones or St. Giles Trust. Call No. 5 now.",
			[]string{"Dr. Patel chairs it.", "Ask e.g. Mrs. Jones or St. Giles Trust.", "Call No. 5 now."}},
		{"an initial", "Ask J. Smith at the desk. She knows.", []string{"Ask J. Smith at the desk.", "She knows."}},
		{"numbers", "It costs £2.50 a week. That is 3.5 per cent less.", []string{"It costs £2.50 a week.", "That is 3.5 per cent less."}},
		{"a number ends a sentence", "We opened in 2026. We have grown.", []string{"We opened in 2026.", "We have grown."}},
		{"web address", "See example.org for more. Thanks.", []string{"See example.org for more.", "Thanks."}},
		{"lower case after a stop", "It takes approx. ten minutes.", []string{"It takes approx. ten minutes."}},
		{"quotes close a sentence", `She said "come back." Then she left.`, []string{`She said "come back."`, "Then she left."}},
		{"brackets close a sentence", "Bring your letter (if you have one.) We will help.", []string{"Bring your letter (if you have one.)", "We will help."}},
		{"blank lines end blocks", "Opening times\n\nMonday to Friday\n\nCall us first.", []string{"Opening times", "Monday to Friday", "Call us first."}},
		{"a line break is a space", "We are open\nevery day.", []string{"We are open every day."}},
		{"empty", "  \n\n ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tc.text) {
				got = append(got, s.Text)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Sentences(%q) =\n%q\nwant\n%q", tc.text, got, tc.want)
			}
		})
	}
}

func TestStrip(t *testing.T) {
	for _, tc := range []struct {
		name, md, want string
	}{
		{"paragraphs", "One line\nand the next.\n\nA second paragraph.", "One line and the next.\n\nA second paragraph."},
		{"heading", "## Who we are\n\nWe help.", "Who we are\n\nWe help."},
		{"emphasis and code", "It is **very** _easy_ to ~~not~~ use `code`.", "It is very easy to not use code."},
		{"links keep their text", "Read [our leaflet](https://example.org/leaflet.pdf) first.", "Read our leaflet first."},
		{"bare web addresses and images go", "See https://example.org now. ![A map](/m/map.png)", "See now."},
		{"lists: each item a block", "Bring:\n\n- your letter\n- a list of medicines\n\n1. Call us\n2. Come in", "Bring:\n\nyour letter\n\na list of medicines\n\nCall us\n\nCome in"},
		{"quotes", "> We felt listened to.", "We felt listened to."},
		{"code blocks and html go", "Before.\n\n```\nx := 1\n```\n\n<div>hidden</div>\n\nAfter.", "Before.\n\nAfter."},
		{"tables: each cell a block", "| Day | Hours |\n|---|---|\n| Monday | 9 to 5 |", "Day\n\nHours\n\nMonday\n\n9 to 5"},
		{"rules", "Above.\n\n---\n\nBelow.", "Above.\n\nBelow."},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Strip(tc.md); got != tc.want {
				t.Errorf("Strip(%q) =\n%q\nwant\n%q", tc.md, got, tc.want)
			}
		})
	}
}

// TestGrade checks the whole measure against passages whose words,
// sentences and syllables are counted by hand below, so that the expected
// grade follows from the published formula, 0.39 × words/sentences + 11.8
// × syllables/words − 15.59 (Kincaid et al., 1975).
func TestGrade(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		text                       string
		words, sentences, syllable int
		grade                      float64
	}{
		{
			// The example long used to explain the formula: 13 words, 1
			// sentence; The(1) Aus-tra-li-an(4) pla-ty-pus(3) is(1)
			// seem-ing-ly(3) a(1) hy-brid(2) of(1) a(1) mam-mal(2) and(1)
			// rep-til-i-an(4) crea-ture(2) = 26 syllables.
			// 0.39×13 + 11.8×2 − 15.59 = 13.08.
			name: "platypus", text: "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature.",
			words: 13, sentences: 1, syllable: 26, grade: 13.08,
		},
		{
			// 6 words of one syllable, 1 sentence:
			// 0.39×6 + 11.8×1 − 15.59 = −1.45.
			name: "cat", text: "The cat sat on the mat.",
			words: 6, sentences: 1, syllable: 6, grade: -1.45,
		},
		{
			// 12 words, 2 sentences. Syllables: Book(1) your(1) flu(1)
			// jab(1) at(1) the(1) phar-ma-cy(3) = 9; It(1) is(1) free(1)
			// for(1) you(1) = 5; 14 in all.
			// 0.39×6 + 11.8×14/12 − 15.59 = 0.51667.
			name: "plain", text: "Book your flu jab at the pharmacy. It is free for you.",
			words: 12, sentences: 2, syllable: 14, grade: 0.51667,
		},
		{
			// 11 words, 1 sentence. Syllables: The(1) part-ner-ship(3)
			// will(1) fa-cil-i-tate(4) com-mu-ni-ty(4) en-gage-ment(3)
			// re-gard-ing(3) ad-di-tion-al(4) men-tal(2) health(1)
			// ser-vic-es(3) = 29.
			// 0.39×11 + 11.8×29/11 − 15.59 = 19.80909.
			name: "jargon", text: "The partnership will facilitate community engagement regarding additional mental health services.",
			words: 11, sentences: 1, syllable: 29, grade: 19.80909,
		},
		{
			// Markdown: a heading (one sentence without a full stop) and
			// a list of two items. Words: O-pen-ing(3) times(1) / Mon-day(2)
			// to(1) Fri-day(2) / Call(1) 020(3) first(1): 8 words,
			// 3 sentences, 14 syllables (a number a syllable a digit).
			// 0.39×8/3 + 11.8×14/8 − 15.59 = 6.1.
			name: "markdown", text: "## Opening times\n\n- Monday to Friday\n- Call **020** [first](https://example.org)",
			words: 8, sentences: 3, syllable: 14, grade: 6.1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := Measure(tc.text)
			if r.Words != tc.words || r.Sentences != tc.sentences || r.Syllables != tc.syllable {
				t.Errorf("counts = %d words, %d sentences, %d syllables; want %d, %d, %d",
					r.Words, r.Sentences, r.Syllables, tc.words, tc.sentences, tc.syllable)
			}
			if math.Abs(r.Grade-tc.grade) > 0.001 {
				t.Errorf("grade = %.5f, want %.5f", r.Grade, tc.grade)
			}
			if math.Abs(r.Age()-(tc.grade+5)) > 0.001 {
				t.Errorf("age = %.5f, want the grade plus 5, %.5f", r.Age(), tc.grade+5)
			}
		})
	}
}

func TestAgeAndVerdict(t *testing.T) {
	for _, tc := range []struct {
		grade   float64
		words   int
		label   string
		target  bool
		verdict string
	}{
		{13.08, 13, "18", false, "Harder than the target"},
		{5.4, 10, "10", true, "Within the target"},
		{6.6, 10, "12", false, "Harder"},
		{-1.45, 6, "5", true, "Easier"},
		{0, 0, "–", true, "There is no text"},
	} {
		r := Result{Grade: tc.grade, Words: tc.words}
		if r.AgeLabel() != tc.label || r.OnTarget() != tc.target || !strings.HasPrefix(r.Verdict(), tc.verdict) {
			t.Errorf("grade %.2f: age %s, on target %v, %q; want %s, %v, %q…", tc.grade, r.AgeLabel(), r.OnTarget(), r.Verdict(),
				tc.label, tc.target, tc.verdict)
		}
	}
}

func TestLongSentences(t *testing.T) {
	long := "We will " + strings.Repeat("and then ", 12) + "stop." // 2 + 24 + 1 = 27 words
	exact := "Now" + strings.Repeat(" we go", 12) + "."            // 25 words: not long
	r := Measure("Short one. " + long + " " + exact)
	if len(r.Long) != 1 || r.Long[0].Text != long || r.Long[0].Words != 27 {
		t.Fatalf("Long = %+v, want only the 27-word sentence", r.Long)
	}
}

func TestPlainer(t *testing.T) {
	r := Measure("We will utilise the hub. Prior to your visit, utilize the form in order to commence. " +
		"We commenced in May. Staff facilitated it, **regarding** access. Use the service. We required help.")
	want := []Swap{
		{"utilise", "use", 2},
		{"Prior to", "before", 1},
		{"in order to", "to", 1},
		{"commence", "start", 2},
		{"facilitated", "help, make easier", 1},
		{"regarding", "about", 1},
		{"required", "need", 1},
	}
	if !reflect.DeepEqual(r.Plainer, want) {
		t.Errorf("Plainer =\n%+v\nwant\n%+v", r.Plainer, want)
	}
	if len(plainer) < 40 || len(plainer) > 80 {
		t.Errorf("the list has %d entries; it is meant to be short, 40 to 80", len(plainer))
	}
	for i := 1; i < len(plainer); i++ {
		if plainer[i-1].Word >= plainer[i].Word {
			t.Errorf("the list is not in order at %q", plainer[i].Word)
		}
	}
}
