// Package boards holds the public groups of a place (a strategic board, a
// people's partnership), their members and terms of reference, the rule
// each sets for residents' questions, and their meetings: events with an
// agenda, papers, declarations of interest, minutes and links.
package boards

import (
	"net/url"
	"time"
)

// Kind is what sort of group a board is.
type Kind string

// The kinds of board.
const (
	KindBoard              Kind = "board"
	KindPeoplesPartnership Kind = "peoples_partnership"
	KindCommittee          Kind = "committee"
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{KindBoard, KindPeoplesPartnership, KindCommittee}

// Label is the kind as residents read it.
func (k Kind) Label() string {
	switch k {
	case KindPeoplesPartnership:
		return "People's partnership"
	case KindCommittee:
		return "Committee"
	}
	return "Board"
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return k == KindBoard || k == KindPeoplesPartnership || k == KindCommittee
}

// Board is a group that meets in public.
type Board struct {
	ID               int64
	PlaceID          int64
	PlaceSlug        string // filled in on reads
	PlaceName        string // filled in on reads
	Slug             string
	Name             string
	Kind             Kind
	Description      string // markdown
	TermsOfReference string // markdown
	Position         int
	Rule             QuestionRule
	// RetentionMonths is how long after a meeting questioners' and
	// attendees' names and emails are kept.
	RetentionMonths int
	Members         []Member
	UpdatedAt       time.Time
	// Archived boards are kept, with their meetings, but no public page
	// shows them. Archiving is not a version of the board.
	Archived bool `json:"-"`
}

// Path is the board's public page.
func (b Board) Path() string { return "/in-your-area/" + b.PlaceSlug + "/boards/" + b.Slug }

// Member is a member of a board.
type Member struct {
	ID         int64
	Name       string
	Role       string // such as "Chair"
	Represents string // the organisation or community they represent
}

// DefaultRetentionMonths is how long personal data is kept after a
// meeting when a board does not say.
const DefaultRetentionMonths = 12

// httpsURL reports whether s is a full https address.
func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// Retention is how many months after a meeting the board keeps residents'
// details: RetentionMonths, or the default when unset.
func (b Board) Retention() int {
	if b.RetentionMonths <= 0 {
		return DefaultRetentionMonths
	}
	return b.RetentionMonths
}
