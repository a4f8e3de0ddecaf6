// Package events holds the partnership's events, including board meetings
// held in public.
package events

import "time"

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

// Event is something residents can go to.
type Event struct {
	ID        int64
	Slug      string
	Title     string
	Summary   string
	Body      string // plain text for now; paragraphs separated by blank lines
	StartsAt  time.Time
	EndsAt    time.Time
	Venue     string
	Organiser string
	Status    Status
	PlaceIDs  []int64
}
