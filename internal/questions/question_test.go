package questions

import (
	"testing"
	"time"
)

func TestStampIsBoundToKeyAndMeeting(t *testing.T) {
	key, other := []byte("0123456789abcdef0123456789abcdef"), []byte("fedcba9876543210fedcba9876543210")
	shown := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s := stamp(key, 7, shown)
	if got, ok := shownAt(key, 7, s); !ok || !got.Equal(shown) {
		t.Errorf("shownAt(own stamp) = %v, %v", got, ok)
	}
	for name, c := range map[string]struct {
		key     []byte
		meeting int64
		stamp   string
	}{
		"another meeting": {key, 8, s},
		"another key":     {other, 7, s},
		"earlier time":    {key, 7, "1795500000" + s[10:]},
		"no signature":    {key, 7, "1795500000"},
		"empty":           {key, 7, ""},
	} {
		if _, ok := shownAt(c.key, c.meeting, c.stamp); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestAskedBy(t *testing.T) {
	for _, c := range []struct {
		q    Question
		want string
	}{
		{Question{Name: "Ada", PublishName: true}, "Ada"},
		{Question{Name: "Ada", Organisation: "Carers Forum", PublishName: true}, "Ada (Carers Forum)"},
		{Question{Name: "Ada", Organisation: "Carers Forum"}, "a resident"},
		{Question{Name: "", PublishName: true, Erased: true}, "a resident"},
	} {
		if got := c.q.AskedBy(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.q, got, c.want)
		}
	}
}
