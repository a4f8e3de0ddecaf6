package directory

import "strconv"

// metresPerMile is the international mile.
const metresPerMile = 1609.344

// DistanceText writes a distance in miles, as UK road signs and NHS.UK give
// it, then in kilometres: "0.4 miles (0.6 km)", "1 mile (1.6 km)", "12
// miles (19 km)". Distances under ten are given to a tenth; one that
// would round to nothing is "less than 0.1 miles (160 m)".
func DistanceText(metres float64) string {
	miles, km := metres/metresPerMile, metres/1000
	if miles < 0.05 {
		return "less than 0.1 miles (160 m)"
	}
	m := roundedText(miles)
	unit := " miles"
	if m == "1" {
		unit = " mile"
	}
	return m + unit + " (" + roundedText(km) + " km)"
}

// roundedText writes x to a tenth under ten and whole from ten on, without
// a trailing ".0": 0.44 → "0.4", 1.02 → "1", 12.4 → "12".
func roundedText(x float64) string {
	if x >= 9.95 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	return s
}
