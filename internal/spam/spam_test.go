package spam

import (
	"strings"
	"testing"
	"time"
)

func TestStampIsBoundToKeyAndSubject(t *testing.T) {
	key, other := []byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")
	shown := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := Stamp(key, "paper:7", shown)
	if got, ok := ShownAt(key, "paper:7", s); !ok || !got.Equal(shown) {
		t.Errorf("ShownAt(own stamp) = %v, %v", got, ok)
	}
	for name, c := range map[string]struct {
		key     []byte
		subject string
		stamp   string
	}{
		"another subject": {key, "paper:8", s},
		"another kind":    {key, "post:7", s},
		"another key":     {other, "paper:7", s},
		"earlier time":    {key, "paper:7", "1795500000" + s[10:]},
		"no signature":    {key, "paper:7", "1795500000"},
		"empty":           {key, "paper:7", ""},
		"not a number":    {key, "paper:7", "soon." + sign(key, "paper:7", "soon")},
	} {
		if _, ok := ShownAt(c.key, c.subject, c.stamp); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestProblem(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	lim := DefaultLimits
	for _, c := range []struct {
		name, honeypot, stamp string
		want                  string
	}{
		{"fine", "", Stamp(key, "x", now.Add(-time.Minute)), ""},
		{"honeypot", "http://spam.example", Stamp(key, "x", now.Add(-time.Minute)), "automated program"},
		{"too quick", "", Stamp(key, "x", now.Add(-time.Second)), "too quickly"},
		{"too old", "", Stamp(key, "x", now.Add(-25*time.Hour)), "long time"},
		{"forged", "", "1795500000.00", "could not check"},
	} {
		got := lim.Problem(key, "x", c.honeypot, c.stamp, now)
		if (c.want == "") != (got == "") || c.want != "" && !contains(got, c.want) {
			t.Errorf("%s: %q, want one saying %q", c.name, got, c.want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
