package directory

import (
	"html/template"
	"strings"
)

// PhoneText writes a UK phone number grouped as people say it: "020 7703
// 4097", "0300 123 4567", "07700 900123". Anything else, such as a number
// with an extension, is left as given.
func PhoneText(number string) string {
	digits := strings.ReplaceAll(strings.TrimSpace(number), " ", "")
	if len(digits) != 11 || digits[0] != '0' || strings.Trim(digits, "0123456789") != "" {
		return number
	}
	switch {
	case digits[1] == '2': // 020 London, 023, 024, 028, 029
		return digits[:3] + " " + digits[3:7] + " " + digits[7:]
	case digits[1] == '3' || digits[1] == '8' || digits[1] == '9':
		return digits[:4] + " " + digits[4:7] + " " + digits[7:]
	}
	return digits[:5] + " " + digits[5:]
}

// telURL makes a tel: link of a phone number, keeping only its digits and
// a leading +. html/template refuses tel: URLs it is not told are safe;
// this one is, since nothing but digits and + reach it.
func telURL(number string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(number) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	if b.Len() < 3 {
		return ""
	}
	return template.URL("tel:" + b.String())
}
