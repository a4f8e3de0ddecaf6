// Package events holds the partnership's events, including board meetings
// held in public: one-off and repeating, in person, online or both.
package events

import (
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// Status says whether an event is going ahead.
type Status string

// The statuses an event can have.
const (
	StatusScheduled   Status = "scheduled"
	StatusCancelled   Status = "cancelled"
	StatusPostponed   Status = "postponed"
	StatusMovedOnline Status = "moved_online"
)

// Label is the status as residents read it; empty when the event is going
// ahead as planned.
func (s Status) Label() string {
	switch s {
	case StatusCancelled:
		return "Cancelled"
	case StatusPostponed:
		return "Postponed"
	case StatusMovedOnline:
		return "Moved online"
	}
	return ""
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	return s == StatusScheduled || s == StatusCancelled || s == StatusPostponed || s == StatusMovedOnline
}

// Attendance is how people take part.
type Attendance string

// The ways of attending.
const (
	InPerson Attendance = "in_person"
	Online   Attendance = "online"
	Hybrid   Attendance = "hybrid"
)

// Label is the attendance mode as residents read it.
func (a Attendance) Label() string {
	switch a {
	case Online:
		return "Online"
	case Hybrid:
		return "In person and online"
	}
	return "In person"
}

// Event is something residents can go to.
type Event struct {
	ID                 int64
	Slug               string
	Title              string
	Summary            string
	Body               string // markdown
	StartsAt           time.Time
	EndsAt             time.Time
	AllDay             bool // StartsAt and EndsAt are then London midnights
	Attendance         Attendance
	Venue              string
	VenueAddress       string
	VenuePostcode      string
	VenueAccessibility string
	OnlineURL          string
	Organiser          string
	Status             Status
	StatusNote         string
	RepeatRule         string   // RFC 5545 RRULE subset; empty for a one-off event
	Cancellations      []string // local dates (YYYY-MM-DD) a repeating event does not happen
	Sequence           int      // bumped on every change, for calendars
	Draft              bool     // not yet published; drafts are never shown publicly
	// Archived events (meetings of boards, archived instead of deleted)
	// are kept but never shown publicly. Archiving is not a version of
	// the event, so it is not in its revisions.
	Archived  bool `json:"-"`
	UpdatedAt time.Time
	PlaceIDs  []int64
	Themes    []Theme
}

// Theme is a subject events and posts are tagged with.
type Theme struct {
	Slug, Name string
}

// Occurrence is one time an event happens.
type Occurrence struct {
	Start, End time.Time
	Cancelled  bool // this date of a repeating event is called off
}

// Date is the local date of the occurrence, as YYYY-MM-DD.
func (o Occurrence) Date() string { return london.In(o.Start).Format("2006-01-02") }

// Rule returns the event's repeat rule, or nil for a one-off event.
func (e Event) Rule() *Rule {
	r, err := ParseRule(e.RepeatRule)
	if err != nil {
		return nil // rules are validated on save
	}
	return r
}

// wall returns t's London wall-clock reading as if it were UTC, so wall
// times can be added without clock changes shifting them.
func wall(t time.Time) time.Time {
	l := london.In(t)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// atWall turns a wall-clock reading back into a real time in London.
func atWall(w time.Time) time.Time {
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, london.Location)
}

// Occurrences lists the times the event happens that end after from and
// start before to. A repeating event keeps its local time across clock
// changes: a 10am drop-in is at 10am in both winter and summer.
func (e Event) Occurrences(from, to time.Time) []Occurrence {
	rule := e.Rule()
	if rule == nil {
		if e.EndsAt.After(from) && e.StartsAt.Before(to) {
			return []Occurrence{{Start: e.StartsAt, End: e.EndsAt}}
		}
		return nil
	}
	firstWall := wall(e.StartsAt)
	length := wall(e.EndsAt).Sub(firstWall)
	firstDay := london.In(e.StartsAt)
	firstDay = time.Date(firstDay.Year(), firstDay.Month(), firstDay.Day(), 0, 0, 0, 0, london.Location)
	cancelled := map[string]bool{}
	for _, d := range e.Cancellations {
		cancelled[d] = true
	}
	var out []Occurrence
	for _, day := range rule.dates(firstDay, london.In(to)) {
		startWall := time.Date(day.Year(), day.Month(), day.Day(), firstWall.Hour(), firstWall.Minute(), firstWall.Second(), 0, time.UTC)
		o := Occurrence{Start: atWall(startWall), End: atWall(startWall.Add(length))}
		o.Cancelled = cancelled[o.Date()]
		if o.End.After(from) && o.Start.Before(to) {
			out = append(out, o)
		}
	}
	return out
}

// Next returns the first occurrence that has not ended by now (cancelled
// dates included, so residents see them), and whether there is one.
func (e Event) Next(now time.Time) (Occurrence, bool) {
	occ := e.Occurrences(now, now.AddDate(2, 0, 0))
	if len(occ) == 0 {
		return Occurrence{}, false
	}
	return occ[0], true
}

// Last returns the last occurrence that ended before now.
func (e Event) Last(now time.Time) (Occurrence, bool) {
	occ := e.Occurrences(e.StartsAt.Add(-time.Second), now)
	for i := len(occ) - 1; i >= 0; i-- {
		if !occ[i].End.After(now) {
			return occ[i], true
		}
	}
	return Occurrence{}, false
}

// JoiningLinkState says what to show of an online event's joining link at
// a moment: nothing, "available soon", or the link itself.
type JoiningLinkState int

// The states of a joining link.
const (
	LinkNone JoiningLinkState = iota
	LinkSoon
	LinkLive
	LinkEnded
)

// linkOpensBefore is how long before the start the joining link is shown.
const linkOpensBefore = 30 * time.Minute

// JoiningLink says what to show of the joining link at now for the
// occurrence o: it is only useful from shortly before the start to the end.
func (e Event) JoiningLink(o Occurrence, now time.Time) JoiningLinkState {
	if e.OnlineURL == "" || e.Attendance == InPerson && e.Status != StatusMovedOnline || e.Status == StatusCancelled || o.Cancelled {
		return LinkNone
	}
	switch {
	case now.Before(o.Start.Add(-linkOpensBefore)):
		return LinkSoon
	case now.Before(o.End):
		return LinkLive
	}
	return LinkEnded
}
