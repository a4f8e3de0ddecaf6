// Package formats takes residents' requests for a board paper, a meeting
// page or a post in another format (Easy Read, large print, audio, British
// Sign Language, another language, or something else), queues them for the
// team that answers them with a due date counted in working days, and
// emails the resident on receipt and on each change.
//
// The domains whose pages can be asked for register a Source with Pages
// (see boards and news), so this package never reads their tables.
package formats

import (
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// Format is a form a resident can ask for, and a paper's other formats
// can be in.
type Format string

// The formats.
const (
	EasyRead   Format = "easy_read"
	LargePrint Format = "large_print"
	Audio      Format = "audio"
	BSL        Format = "bsl"
	Language   Format = "language"
	Other      Format = "other"
)

// Formats lists every format, in the order forms offer them.
var Formats = []Format{EasyRead, LargePrint, Audio, BSL, Language, Other}

// Label names the format for residents.
func (f Format) Label() string {
	switch f {
	case EasyRead:
		return "Easy Read"
	case LargePrint:
		return "Large print"
	case Audio:
		return "Audio"
	case BSL:
		return "British Sign Language (BSL) video"
	case Language:
		return "Another language"
	case Other:
		return "Something else"
	}
	return string(f)
}

// Valid reports whether f is one of Formats.
func (f Format) Valid() bool {
	for _, g := range Formats {
		if f == g {
			return true
		}
	}
	return false
}

// Kind is what a request is about.
type Kind string

// The kinds of page that can be asked for in another format. Papers and
// meetings are answered by governance officers, posts by editors.
const (
	Paper   Kind = "paper"
	Meeting Kind = "meeting"
	Post    Kind = "post"
)

// Governance reports whether the board's governance officers answer
// requests of this kind (editors answer the rest).
func (k Kind) Governance() bool { return k == Paper || k == Meeting }

// Label names the kind for the admin.
func (k Kind) Label() string {
	switch k {
	case Paper:
		return "Board paper"
	case Meeting:
		return "Meeting page"
	case Post:
		return "Post"
	}
	return string(k)
}

// Status is where a request stands.
type Status string

// The statuses of a request. Sent and CannotProvide close it.
const (
	New           Status = "new"
	InHand        Status = "in_hand"
	Sent          Status = "sent"
	CannotProvide Status = "cannot_provide"
)

// Statuses lists every status, in the order of the flow.
var Statuses = []Status{New, InHand, Sent, CannotProvide}

// Label is the status as people read it.
func (s Status) Label() string {
	switch s {
	case InHand:
		return "In hand"
	case Sent:
		return "Sent"
	case CannotProvide:
		return "Cannot provide"
	}
	return "New"
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == New || s == InHand || s == Sent || s == CannotProvide }

// Open reports whether a request in status s still needs work.
func (s Status) Open() bool { return s == New || s == InHand }

// Request is a resident's request for a page in another format.
type Request struct {
	ID       int64
	Kind     Kind
	TargetID int64
	// PlaceID is the place whose team answers (0: the whole system).
	PlaceID  int64
	Title    string // of the page, when it was asked for
	Path     string // the page's public address
	Format   Format
	Language string // for Language: which one
	Details  string // anything else the resident tells us
	Name     string // optional
	Email    string
	Status   Status
	// Reason is the team's message to the resident with the last change:
	// required when it cannot be provided.
	Reason      string
	DueOn       string // YYYY-MM-DD, in London
	SubmittedAt time.Time
	UpdatedAt   time.Time
	Erased      bool // the personal data has been erased
}

// Reference is the request's reference for the resident, such as F-00042.
func (r Request) Reference() string { return Reference(r.ID) }

// Reference formats a request's id as its reference.
func Reference(id int64) string {
	s := strconv.FormatInt(id, 10)
	for len(s) < 5 {
		s = "0" + s
	}
	return "F-" + s
}

// ParseReference reads a reference back into an id (0 when it is not one).
func ParseReference(ref string) int64 {
	if len(ref) < 3 || ref[:2] != "F-" {
		return 0
	}
	id, err := strconv.ParseInt(ref[2:], 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// Asked is what was asked for, in words: "Easy Read" or "Another
// language: Polish".
func (r Request) Asked() string {
	if r.Format == Language && r.Language != "" {
		return "Another language: " + r.Language
	}
	return r.Format.Label()
}

// Due is the due date as people read it: "Friday 18 December 2026".
func (r Request) Due() string { return DayText(r.DueOn) }

// Overdue reports whether the request is still open after its due date,
// on the London day of now.
func (r Request) Overdue(now time.Time) bool {
	return r.Status.Open() && r.DueOn < london.In(now).Format(dateLayout)
}

const dateLayout = "2006-01-02"

// DayText formats a YYYY-MM-DD date as "Friday 18 December 2026".
func DayText(day string) string {
	t, err := time.ParseInLocation(dateLayout, day, london.Location)
	if err != nil {
		return day
	}
	return london.LongDate(t)
}
