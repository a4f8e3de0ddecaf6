package attention

import (
	"context"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, london.Location)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDueWords(t *testing.T) {
	// Wednesday 2 December 2026; Christmas Day is a Friday, Boxing Day's
	// substitute the Monday after.
	now := day("2026-12-02 09:00")
	for _, c := range []struct {
		due  string
		want string
		late bool
	}{
		{"2026-12-02 17:00", "due today", false},
		{"2026-12-03 00:30", "due tomorrow", false},
		{"2026-12-07 10:00", "due in 3 working days", false},
		{"2026-12-01 10:00", "1 working day late", true},
		{"2026-11-27 10:00", "3 working days late", true},
	} {
		got, late := DueWords(now, day(c.due))
		if got != c.want || late != c.late {
			t.Errorf("DueWords(%s, %s) = %q, %v; want %q, %v", now, c.due, got, late, c.want, c.late)
		}
	}
	// Over Christmas: from Thursday 24 December 2026, Tuesday 29 December is
	// one working day away (25th, 28th are bank holidays), so the date is
	// given rather than "in 1 working day".
	if got, _ := DueWords(day("2026-12-24 09:00"), day("2026-12-29 09:00")); got != "due on Tuesday 29 December" {
		t.Errorf("over Christmas: %q", got)
	}
	// Late over a weekend: due Friday, seen on Saturday.
	if got, late := DueWords(day("2026-12-05 09:00"), day("2026-12-04 09:00")); got != "late: it was due on Friday 4 December" || !late {
		t.Errorf("due Friday, seen Saturday: %q, %v", got, late)
	}
	// Due Friday, seen the Monday after: one working day late.
	if got, _ := DueWords(day("2026-12-07 09:00"), day("2026-12-04 09:00")); got != "1 working day late" {
		t.Errorf("due Friday, seen Monday: %q", got)
	}
}

func TestGatherOrdersByUrgencyAndDropsNothing(t *testing.T) {
	now := day("2026-12-02 09:00")
	Register("test-undated", func(context.Context, db.Querier, accounts.User, time.Time) ([]Item, error) {
		return []Item{{Label: "2 drafts", Count: 2, Href: "/drafts"}, {Label: "none", Count: 0, Href: "/none"}}, nil
	})
	Register("test-dated", func(_ context.Context, _ db.Querier, u accounts.User, _ time.Time) ([]Item, error) {
		if u.ID == 0 {
			return nil, nil
		}
		return []Item{{Label: "later", Count: 1, Due: day("2026-12-09 09:00"), Href: "/later"},
			{Label: "late", Count: 4, Due: day("2026-11-30 09:00"), Href: "/late"}}, nil
	})
	items, err := Gather(context.Background(), nil, accounts.User{ID: 1}, now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, it.Href+" "+it.DueWords)
	}
	want := []string{"/late 2 working days late", "/later due in 5 working days", "/drafts "}
	if len(got) != len(want) {
		t.Fatalf("Gather = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d = %q, want %q", i, got[i], want[i])
		}
	}
	if !items[0].Late || items[1].Late || items[0].Kind != "test-dated" {
		t.Errorf("first items: %+v", items[:2])
	}
	// Another user, for whom the dated kind finds nothing.
	if items, _ := Gather(context.Background(), nil, accounts.User{}, now); len(items) != 1 {
		t.Errorf("for nobody: %+v", items)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a kind twice did not panic")
		}
	}()
	Register("test-dated", func(context.Context, db.Querier, accounts.User, time.Time) ([]Item, error) { return nil, nil })
}
