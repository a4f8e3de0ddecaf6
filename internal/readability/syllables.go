package readability

import (
	"strings"
	"unicode"
)

// Syllables estimates how many syllables an English word has, as a reader
// would say it. It counts groups of vowels (y is a vowel after a
// consonant), then corrects for the commonest spellings that break that
// rule: a silent final e ("make"), a silent -ed or -es ("jumped",
// "makes"), a consonant before -le that makes its own syllable ("table"),
// and vowel pairs said as two ("Australian", "create", "idea", "radio"). A number
// counts a syllable a digit, up to four ("2026"), and a word with a
// hyphen adds its parts. It is a heuristic, as every syllable counter
// used in readability formulas is: it is right for most common words and
// near for the rest, which is what an average over a text needs.
func Syllables(word string) int {
	if strings.ContainsRune(word, '-') {
		n := 0
		for _, part := range strings.Split(word, "-") {
			n += Syllables(part)
		}
		return max(n, 1)
	}
	w := []rune{}
	digits := 0
	accentedE := false // "café": a final é is said
	for _, r := range strings.ToLower(word) {
		accentedE = r == 'é'

		switch {
		case r >= 'a' && r <= 'z':
			w = append(w, r)
		case unicode.IsDigit(r):
			digits++
		case unicode.IsLetter(r):
			// An accented letter is read as the vowel or consonant it
			// decorates; é, è, ê and ë as e (café).
			w = append(w, fold(r))
		}
	}
	if len(w) == 0 {
		if digits > 0 {
			return min(digits, 4)
		}
		return 0
	}
	if len(w) <= 3 {
		return 1
	}
	count := 0
	for i := 0; i < len(w); i++ {
		if isVowel(w, i) && (i == 0 || !isVowel(w, i-1)) {
			count++
		}
		if i > 0 && isVowel(w, i) && isVowel(w, i-1) && splitPair(w, i) {
			count++
		}
	}
	s := string(w)
	count -= silentBeforeSuffix(s)
	switch {
	case strings.HasSuffix(s, "le") && len(w) > 2 && !isVowel(w, len(w)-3):
		// "table", "people": the e is silent but the l makes a syllable,
		// which the vowel count already gave it.
	case strings.HasSuffix(s, "ed") && count > 1 && !strings.HasSuffix(s, "ted") && !strings.HasSuffix(s, "ded") && !isVowel(w, len(w)-3):
		count-- // "jumped", "planned"; not "wanted" or "needed"
	case strings.HasSuffix(s, "es") && count > 1 && !sibilantBefore(s):
		count-- // "makes", "hopes"; not "boxes", "changes" or "places"
	case strings.HasSuffix(s, "e") && !accentedE && !strings.HasSuffix(s, "ee") && !strings.HasSuffix(s, "ie") && !strings.HasSuffix(s, "ye") && count > 1:
		count-- // "make", "state"; not "free" or "tie"
	}
	return max(count, 1)
}

// silentBeforeSuffix is 1 for a word made of a stem with a silent final
// e and an ending that keeps it ("engagement", "safely", "useful",
// "homeless", "lateness"), whose e the vowel count took for a syllable.
func silentBeforeSuffix(s string) int {
	for _, suffix := range []string{"ment", "ly", "ful", "less", "ness"} {
		stem, ok := strings.CutSuffix(s, suffix)
		if !ok || len(stem) < 3 || stem == "ele" || !strings.HasSuffix(stem, "e") {
			continue
		}
		st := []rune(stem)
		before := len(st) - 2
		if isVowel(st, before) || strings.HasSuffix(stem, "le") && before > 0 && !isVowel(st, before-1) {
			return 0 // "agreement"; "settlement", "simply" say the l
		}
		return 1
	}
	return 0
}

// fold reads an accented Latin letter as its plain letter.
func fold(r rune) rune {
	switch {
	case strings.ContainsRune("àáâãäå", r):
		return 'a'
	case strings.ContainsRune("èéêë", r):
		return 'e'
	case strings.ContainsRune("ìíîï", r):
		return 'i'
	case strings.ContainsRune("òóôõöø", r):
		return 'o'
	case strings.ContainsRune("ùúûü", r):
		return 'u'
	case r == 'ç':
		return 'c'
	case r == 'ñ':
		return 'n'
	}
	return 'x'
}

// isVowel reports whether w[i] is said as a vowel: a, e, i, o, u, and y
// when it follows a consonant ("happy", "hybrid") rather than starting a
// syllable ("yes", "beyond").
func isVowel(w []rune, i int) bool {
	switch w[i] {
	case 'a', 'e', 'i', 'o', 'u':
		// The u of "qu" is a consonant sound ("quite", "equal").
		return !(w[i] == 'u' && i > 0 && w[i-1] == 'q')
	case 'y':
		return i > 0 && !strings.ContainsRune("aeiouy", w[i-1])
	}
	return false
}

// splitPair reports whether the vowels w[i-1] and w[i], which the count
// has taken as one group, are said as two syllables.
func splitPair(w []rune, i int) bool {
	a, b := w[i-1], w[i]
	before := rune(0)
	if i >= 2 {
		before = w[i-2]
	}
	switch {
	case a == 'i' && b == 'a':
		// "media", "Australian", "via"; but "special", "partial",
		// "Asian" and "-cian" say ia as one.
		return !strings.ContainsRune("cstx", before)
	case a == 'e' && b == 'a':
		// "create", "area", "idea"; most ea are one sound ("read",
		// "plea").
		end := string(w[i+1:])
		return before != 0 && strings.HasPrefix(end, "te") || end == "" && before != 'l'
	case a == 'i' && b == 'o':
		// "radio", "period", "violent"; but "-tion", "-sion", "-cious"
		// and "-gious" say io as one.
		return !strings.ContainsRune("cstgx", before)
	case a == 'u' && b == 'a':
		// "usual", "actual", "gradual"; not "guard" or "language".
		return before != 'g'
	case a == 'e' && b == 'o':
		// "video", "rodeo"; not "people" or "George".
		return before != 'p' && before != 'g'
	}
	return false
}

// sibilantBefore reports whether a word ending -es has a sound before it
// that makes -es its own syllable: "boxes", "buses", "changes", "places",
// "wishes", "churches".
func sibilantBefore(s string) bool {
	stem := strings.TrimSuffix(s, "es")
	for _, end := range []string{"s", "x", "z", "ch", "sh", "g", "c"} {
		if strings.HasSuffix(stem, end) {
			return true
		}
	}
	return false
}
