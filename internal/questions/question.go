// Package questions takes residents' questions to boards' meetings held in
// public: the form on the meeting page with its spam protection, the
// board's rule (deadline, length, limit per person), a reference and a
// confirmation email for each question, moderation, and publication of
// questions and answers on the meeting page.
package questions

import (
	"time"
)

// Status is where a question stands. Every question ends in a state the
// resident can see: answered (with the answer) or declined (with the reason).
type Status string

// The statuses of a question.
const (
	Received          Status = "received"
	Accepted          Status = "accepted"
	AnsweredAtMeeting Status = "answered_at_meeting"
	AnsweredInWriting Status = "answered_in_writing"
	Declined          Status = "declined"
)

// Statuses lists every status, in the order of the flow.
var Statuses = []Status{Received, Accepted, AnsweredAtMeeting, AnsweredInWriting, Declined}

// Label is the status as residents read it.
func (s Status) Label() string {
	switch s {
	case Accepted:
		return "Accepted"
	case AnsweredAtMeeting:
		return "Answered at the meeting"
	case AnsweredInWriting:
		return "Answered in writing"
	case Declined:
		return "Declined"
	}
	return "Received"
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case Received, Accepted, AnsweredAtMeeting, AnsweredInWriting, Declined:
		return true
	}
	return false
}

// Question is a resident's question to a meeting.
type Question struct {
	ID              int64
	MeetingID       int64
	Reference       string // such as Q-2026-0042
	Name            string
	Email           string
	Organisation    string
	Body            string
	AgendaItemID    int64 // 0 when it is about no particular item
	PublishName     bool  // the resident agreed to have their name published
	PrivacyAccepted bool
	Status          Status
	Answer          string
	AnswerDueOn     string // YYYY-MM-DD, for a written answer still to come
	DeclineReason   string
	SubmittedAt     time.Time
	UpdatedAt       time.Time
	Erased          bool // the personal data has been erased after the retention period
}

// AskedBy is how the question is attributed in public: the resident's name
// (with their organisation) if they agreed, else "a resident", which reads
// well after "Question from".
func (q Question) AskedBy() string {
	if !q.PublishName || q.Erased || q.Name == "" {
		return "a resident"
	}
	if q.Organisation != "" {
		return q.Name + " (" + q.Organisation + ")"
	}
	return q.Name
}
