package boards

import (
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// MeetingStatus says where a meeting stands.
type MeetingStatus string

// The statuses of a meeting.
const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingCancelled MeetingStatus = "cancelled"
	MeetingPostponed MeetingStatus = "postponed"
	MeetingHeld      MeetingStatus = "held"
)

// MeetingStatuses lists every status, in the order forms offer them.
var MeetingStatuses = []MeetingStatus{MeetingScheduled, MeetingPostponed, MeetingCancelled, MeetingHeld}

// Label is the status as residents read it.
func (s MeetingStatus) Label() string {
	switch s {
	case MeetingCancelled:
		return "Cancelled"
	case MeetingPostponed:
		return "Postponed"
	case MeetingHeld:
		return "Held"
	}
	return "Scheduled"
}

// Valid reports whether s is a known status.
func (s MeetingStatus) Valid() bool {
	return s == MeetingScheduled || s == MeetingCancelled || s == MeetingPostponed || s == MeetingHeld
}

// MinutesStatus says whether a meeting's minutes are written and approved.
type MinutesStatus string

// The states of minutes. Only approved minutes are public: draft minutes
// may still change when the board reviews them at its next meeting.
const (
	MinutesNone     MinutesStatus = "none"
	MinutesDraft    MinutesStatus = "draft"
	MinutesApproved MinutesStatus = "approved"
)

// Meeting is a board's meeting held in public. It is an event: its title,
// times, venue and web address are the event's.
type Meeting struct {
	ID            int64
	BoardID       int64
	EventID       int64
	Status        MeetingStatus
	LivestreamURL string
	RecordingURL  string
	Minutes       string // markdown
	MinutesStatus MinutesStatus
	// MinutesApprovedBy is the later meeting that approved the minutes, or 0.
	MinutesApprovedBy int64
	UpdatedAt         time.Time

	// From the event, filled in on reads.
	Slug     string
	Title    string
	StartsAt time.Time
	EndsAt   time.Time
	Draft    bool
	// Archived meetings are kept but shown on no public page; a meeting
	// is archived on its own or with its board.
	Archived bool `json:"-"`

	Items        []AgendaItem
	Papers       []Paper
	Declarations []Declaration
}

// Path is the meeting's public page.
func (m Meeting) Path() string { return "/events/" + m.Slug }

// AgendaItem is one numbered item of a meeting's agenda.
type AgendaItem struct {
	ID          int64
	Number      int
	Title       string
	Presenter   string
	StartsAt    string // local time of day, HH:MM, or ""
	Description string // markdown
	Papers      []Paper
}

// Time is the item's start as residents read it ("2.05pm"), or "".
func (a AgendaItem) Time() string {
	t, err := time.ParseInLocation("15:04", a.StartsAt, london.Location)
	if err != nil {
		return ""
	}
	return london.Clock(time.Date(2000, 1, 1, t.Hour(), t.Minute(), 0, 0, london.Location))
}

// Label is the item as a choice reads: "3. Winter plan".
func (a AgendaItem) Label() string { return strconv.Itoa(a.Number) + ". " + a.Title }

// PaperFormat is how a paper is published.
type PaperFormat string

// The formats of paper.
const (
	PaperHTML PaperFormat = "html" // written in markdown, shown as a web page
	PaperPDF  PaperFormat = "pdf"
)

// Paper is a document for a meeting, attached to an agenda item or to the
// meeting as a whole: a web page written in markdown, or a PDF of the
// media library.
type Paper struct {
	ID           int64
	MeetingID    int64
	AgendaItemID int64 // 0 for a paper for the whole meeting
	Position     int
	Title        string
	Format       PaperFormat
	Body         string // markdown, for an HTML paper
	MediaID      int64  // the PDF in the media library
	CreatedAt    time.Time

	// Of the PDF, filled in on reads.
	FileName    string
	FileBytes   int64
	Fingerprint string
	// Alternatives are the paper in other formats, and MeetingSlug the
	// meeting's event's slug, filled in on reads of a meeting.
	Alternatives []Alternative
	MeetingSlug  string
}

// Href is where residents read the paper, from a meeting read with it.
func (p Paper) Href() string { return p.URL(p.MeetingSlug) }

// FormatRequestPath is the form that asks for the paper in another
// format, from a meeting read with it.
func (p Paper) FormatRequestPath() string {
	return "/events/" + p.MeetingSlug + "/papers/" + strconv.FormatInt(p.ID, 10) + "/another-format"
}

// URL is where residents read the paper: its page on the meeting, or the
// PDF's download from the media library.
func (p Paper) URL(meetingSlug string) string {
	if p.Format == PaperPDF {
		return "/media/" + p.Fingerprint + ".pdf"
	}
	return "/events/" + meetingSlug + "/papers/" + strconv.FormatInt(p.ID, 10)
}

// TypeLabel names the paper's type for residents: "PDF" or "Web page".
func (p Paper) TypeLabel() string {
	if p.Format == PaperPDF {
		return "PDF"
	}
	return "Web page"
}

// Size describes the paper's size for residents, such as "240 KB".
func (p Paper) Size() string {
	n := p.FileBytes
	if p.Format == PaperHTML {
		n = int64(len(p.Body))
	}
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+512)>>10, 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// Declaration is a member's declaration of an interest at a meeting.
type Declaration struct {
	ID           int64
	AgendaItemID int64 // 0 when it concerns the whole meeting
	MemberName   string
	Interest     string
}
