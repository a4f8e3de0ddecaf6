package upkeep

import (
	"strconv"
	"strings"
)

// The rules below check a phone number against the shape of UK numbers:
// which leading digits are in use and how many digits a number of each
// range has. They were written for joinedup from Ofcom's National
// Telephone Numbering Plan, the public document in which Ofcom sets out
// the UK's number ranges (https://www.ofcom.org.uk/phones-and-broadband/
// phone-numbers/numbering); they check ranges and lengths only, not whether
// a number is allocated to anyone.

// phoneShortCodes are the short numbers the plan sets aside for services
// (emergency, NHS 111, police non-emergency, power cuts, NHS Covid).
var phoneShortCodes = map[string]bool{"999": true, "112": true, "111": true, "101": true, "105": true, "119": true, "100": true, "155": true}

// ukRange is a range of numbers: its leading digits, the lengths (with the
// leading 0) its numbers may have, and a name for messages.
type ukRange struct {
	prefix  string
	lengths []int
	name    string
}

// ukRanges is searched longest prefix first (see phoneRange). A prefix with
// no lengths is not in use.
var ukRanges = []ukRange{
	{"016977", []int{10, 11}, "geographic"}, // Brampton: local numbers of 4 or 5 digits
	{"01", []int{11}, "geographic"},
	{"020", []int{11}, "London"},
	{"023", []int{11}, "geographic"},
	{"024", []int{11}, "geographic"},
	{"028", []int{11}, "Northern Ireland"},
	{"029", []int{11}, "geographic"},
	{"02", nil, ""},
	{"030", []int{11}, "non-geographic (03)"},
	{"033", []int{11}, "non-geographic (03)"},
	{"034", []int{11}, "non-geographic (03)"},
	{"037", []int{11}, "non-geographic (03)"},
	{"03", nil, ""},
	{"04", nil, ""},
	{"0500", nil, ""}, // withdrawn in 2017
	{"055", []int{11}, "corporate"},
	{"056", []int{11}, "internet telephony"},
	{"05", nil, ""},
	{"06", nil, ""},
	{"07", []int{11}, "mobile"},
	{"08001111", []int{8}, "freephone"}, // Childline's short freephone number
	{"0800", []int{10, 11}, "freephone"},
	{"0808", []int{11}, "freephone"},
	{"084", []int{11}, "special services (084)"},
	{"087", []int{11}, "special services (087)"},
	{"08", nil, ""},
	{"09", []int{11}, "premium rate"},
}

func phoneRange(digits string) (ukRange, bool) {
	var best ukRange
	found := false
	for _, r := range ukRanges {
		if strings.HasPrefix(digits, r.prefix) && len(r.prefix) > len(best.prefix) {
			best, found = r, true
		}
	}
	return best, found
}

// normalPhone reads a number as people write it: spaces, dashes, dots and
// brackets go, "+44 (0)20" and "0044 20" become "020", and an extension
// ("ext. 123", "x123") is dropped. international is set for a number in
// another country's plan.
func normalPhone(raw string) (digits string, international bool) {
	s := strings.ToLower(strings.TrimSpace(raw))
	for _, sep := range []string{"extension", "ext.", "ext", " x", "#"} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	s = strings.ReplaceAll(s, "(0)", "")
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')', '/', '\u00a0':
			return -1
		}
		return r
	}, s)
	switch {
	case strings.HasPrefix(s, "+44"):
		s = "0" + strings.TrimPrefix(s[3:], "0")
	case strings.HasPrefix(s, "0044"):
		s = "0" + strings.TrimPrefix(s[4:], "0")
	case strings.HasPrefix(s, "+"), strings.HasPrefix(s, "00"):
		return s, true
	}
	return s, false
}

// checkPhone says whether raw can be a UK phone number, and if not why.
// A number in another country's plan is not checked.
func checkPhone(raw string) (bool, string) {
	digits, international := normalPhone(raw)
	if international {
		return true, "A number outside the UK: not checked"
	}
	if digits == "" {
		return false, "There is no number"
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false, "It has characters that are not digits"
		}
	}
	if phoneShortCodes[digits] || (len(digits) == 6 && (strings.HasPrefix(digits, "116") || strings.HasPrefix(digits, "118"))) {
		return true, "A short number for services"
	}
	if digits[0] != '0' {
		return false, "A UK number starts with 0 (or +44)"
	}
	r, ok := phoneRange(digits)
	if !ok || r.lengths == nil {
		n := min(len(digits), 3)
		if strings.HasPrefix(digits, "0500") {
			return false, "0500 numbers were withdrawn in 2017"
		}
		return false, "No UK numbers start " + digits[:n]
	}
	for _, l := range r.lengths {
		if len(digits) == l {
			return true, ""
		}
	}
	want := strconv.Itoa(r.lengths[0])
	if len(r.lengths) > 1 {
		want += " or " + strconv.Itoa(r.lengths[1])
	}
	return false, "A " + r.name + " number starting " + r.prefix + " has " + want + " digits; this has " + strconv.Itoa(len(digits))
}
