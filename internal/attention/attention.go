// Package attention gathers what waits for an editor of the admin: each
// domain registers a Counter for the kind of record it owns (questions
// awaiting a decision, drafts, failed emails, ...), and the admin home asks
// every registered counter, for the signed-in user's role and places, what
// waits now. A new kind joins the admin home with one call to Register.
package attention

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/bankholiday"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
)

// Item is one thing that waits: Count records, linked by Href to the list
// that holds exactly those records.
type Item struct {
	// Kind is the name of the counter that found it.
	Kind string
	// Label says what waits, with its count: "3 questions await a decision".
	Label string
	// Detail, if set, says more: the board and the meeting's date.
	Detail string
	Count  int
	// Due is the date by which it should be done, or zero when it has none.
	Due  time.Time
	Href string
	// DueWords is Due in words ("due tomorrow", "2 working days late"),
	// filled in by Gather.
	DueWords string
	// Late reports that Due has passed, filled in by Gather.
	Late bool
}

// Counter finds what of one kind waits for u at now, reading through q.
// It returns nothing for a user whose role does not let them act on the
// kind, and only records of the places u may use.
type Counter func(ctx context.Context, q db.Querier, u accounts.User, now time.Time) ([]Item, error)

type kind struct {
	name    string
	counter Counter
}

// Kind is a counter with its name, for a kind whose counting needs
// something known only when the site starts (the directory's stale
// period, say): the admin passes it to Gather instead of registering it.
type Kind struct {
	Name    string
	Counter Counter
}

var (
	mu    sync.RWMutex
	kinds []kind
)

// Register adds the counter of a kind. It is meant for package
// initialisation (var _ = attention.Register(...)), and panics if the name
// is taken, so two kinds cannot be confused. It returns true.
func Register(name string, c Counter) bool {
	mu.Lock()
	defer mu.Unlock()
	if name == "" || c == nil {
		panic("attention: Register needs a name and a counter")
	}
	for _, k := range kinds {
		if k.name == name {
			panic(fmt.Sprintf("attention: kind %q registered twice", name))
		}
	}
	kinds = append(kinds, kind{name, c})
	return true
}

// Kinds lists the names of the registered kinds, in the order registered.
func Kinds() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.name
	}
	return out
}

// Gather asks every registered counter what waits for u, drops what counts
// nothing, and puts the most urgent first: what is late or due soonest, then
// what has no due date, each in the order the kinds were registered.
//
// more are kinds of this site's own, asked after the registered ones.
func Gather(ctx context.Context, q db.Querier, u accounts.User, now time.Time, more ...Kind) ([]Item, error) {
	mu.RLock()
	list := slices.Clone(kinds)
	mu.RUnlock()
	for _, k := range more {
		if k.Name == "" || k.Counter == nil {
			return nil, fmt.Errorf("attention: a kind needs a name and a counter")
		}
		list = append(list, kind{k.Name, k.Counter})
	}
	var out []Item
	for _, k := range list {
		items, err := k.counter(ctx, q, u, now)
		if err != nil {
			return nil, fmt.Errorf("attention: %s: %w", k.name, err)
		}
		for _, it := range items {
			if it.Count <= 0 {
				continue
			}
			it.Kind = k.name
			if !it.Due.IsZero() {
				it.DueWords, it.Late = DueWords(now, it.Due)
			}
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b Item) int {
		switch {
		case a.Due.IsZero() && b.Due.IsZero():
			return 0
		case a.Due.IsZero():
			return 1
		case b.Due.IsZero():
			return -1
		}
		return cmp.Compare(a.Due.Unix(), b.Due.Unix())
	})
	return out, nil
}

// DueWords says when due falls, seen at now, by dates in London and the
// working days of England and Wales: "due today", "due tomorrow", "due in
// 3 working days", "1 working day late"; a date when the working days
// alone would mislead (a weekend). late reports that due's date has passed.
func DueWords(now, due time.Time) (words string, late bool) {
	today, day := london.In(now), london.In(due)
	ty, tm, td := today.Date()
	dy, dm, dd := day.Date()
	todayDate := time.Date(ty, tm, td, 12, 0, 0, 0, time.UTC)
	dueDate := time.Date(dy, dm, dd, 12, 0, 0, 0, time.UTC)
	switch {
	case dueDate.Equal(todayDate):
		return "due today", false
	case dueDate.Equal(todayDate.AddDate(0, 0, 1)):
		return "due tomorrow", false
	case dueDate.After(todayDate):
		n := bankholiday.WorkingDaysBetween(todayDate, dueDate)
		if n <= 1 {
			return "due on " + dueDate.Format("Monday 2 January"), false
		}
		return "due in " + strconv.Itoa(n) + " working days", false
	}
	n := -bankholiday.WorkingDaysBetween(todayDate, dueDate)
	switch n {
	case 0:
		return "late: it was due on " + dueDate.Format("Monday 2 January"), true
	case 1:
		return "1 working day late", true
	}
	return strconv.Itoa(n) + " working days late", true
}
