package formats

import (
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// Due dates count working days in England and Wales: weekends and bank
// holidays (with their substitute days) are skipped.
func TestDueOn(t *testing.T) {
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, london.Location) }
	for _, c := range []struct {
		name string
		now  time.Time
		days int
		want string
	}{
		{"a plain fortnight", at(2026, time.November, 2, 10), 10, "2026-11-16"},
		{"over Christmas and New Year (Boxing Day's substitute on Monday 28th)", at(2026, time.December, 21, 10), 10, "2027-01-07"},
		{"asked on a Saturday", at(2026, time.November, 7, 10), 1, "2026-11-09"},
		{"over Easter 2027 (Good Friday 26th, Easter Monday 29th)", at(2027, time.March, 25, 10), 2, "2027-03-31"},
		{"late evening in London is still that day", time.Date(2026, time.June, 5, 22, 30, 0, 0, time.UTC), 1, "2026-06-08"},
	} {
		if got := DueOn(c.now, c.days); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func TestReference(t *testing.T) {
	for _, id := range []int64{1, 42, 99999, 123456} {
		if got := ParseReference(Reference(id)); got != id {
			t.Errorf("ParseReference(Reference(%d)) = %d", id, got)
		}
	}
	if Reference(42) != "F-00042" {
		t.Errorf("Reference(42) = %s", Reference(42))
	}
	for _, bad := range []string{"", "F-", "Q-2026-0001", "F-abc", "F--1", "F-0"} {
		if ParseReference(bad) != 0 {
			t.Errorf("ParseReference(%q) is not 0", bad)
		}
	}
}

func TestOverdueAndAsked(t *testing.T) {
	now := time.Date(2026, time.December, 2, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		r    Request
		want bool
	}{
		{Request{Status: New, DueOn: "2026-12-01"}, true},
		{Request{Status: InHand, DueOn: "2026-12-01"}, true},
		{Request{Status: New, DueOn: "2026-12-02"}, false},
		{Request{Status: Sent, DueOn: "2026-11-01"}, false},
		{Request{Status: CannotProvide, DueOn: "2026-11-01"}, false},
	} {
		if got := c.r.Overdue(now); got != c.want {
			t.Errorf("%+v overdue: %v, want %v", c.r, got, c.want)
		}
	}
	if got := (Request{Format: Language, Language: "Somali"}).Asked(); got != "Another language: Somali" {
		t.Errorf("Asked = %q", got)
	}
	if got := (Request{Format: EasyRead}).Asked(); got != "Easy Read" {
		t.Errorf("Asked = %q", got)
	}
}
