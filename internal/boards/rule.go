package boards

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/bankholiday"
	"github.com/joinedup/joinedup/internal/london"
)

// DeadlineKind says how the days before a meeting are counted.
type DeadlineKind string

// The ways of counting days.
const (
	CalendarDays DeadlineKind = "calendar"
	WorkingDays  DeadlineKind = "working" // skipping weekends and bank holidays in England and Wales
)

// QuestionRule is how a board takes residents' questions.
type QuestionRule struct {
	Accepts bool
	// The deadline is Days calendar or working days before the meeting's
	// date, at Time (HH:MM, London time). "Midnight six days before" is 6
	// calendar days at 00:00; "9am the day before" is 1 calendar day at
	// 09:00.
	Kind DeadlineKind
	Days int
	Time string
	// MaxChars is the longest a question may be, in characters.
	MaxChars int
	// PerPerson is how many questions one email address may ask for one
	// meeting.
	PerPerson int
	// OutOfScope says what the board will not take questions about.
	OutOfScope string
	// AfterDeadline says what to do once the deadline has passed.
	AfterDeadline string
	// ContactEmail is the governance team's address.
	ContactEmail string
	// AnswerWorkingDays is how many working days a written answer may take.
	AnswerWorkingDays int
}

// DefaultRule is the rule a new board starts with: midnight six days
// before, one question of up to 1,000 characters per person.
func DefaultRule() QuestionRule {
	return QuestionRule{Accepts: true, Kind: CalendarDays, Days: 6, Time: "00:00", MaxChars: 1000, PerPerson: 1,
		AnswerWorkingDays: 20}
}

// clock reads the rule's time of day.
func (r QuestionRule) clock() (hour, min int, ok bool) {
	h, m, found := strings.Cut(r.Time, ":")
	if !found || len(h) != 2 || len(m) != 2 {
		return 0, 0, false
	}
	hour, err1 := strconv.Atoi(h)
	min, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hour < 0 || hour > 23 || min < 0 || min > 59 {
		return 0, 0, false
	}
	return hour, min, true
}

// Deadline returns the last moment a question for a meeting starting at
// start is accepted. Days are counted back from the meeting's date in
// London; working days skip weekends and bank holidays; the time of day is
// London wall-clock time, whatever the clocks did in between.
func (r QuestionRule) Deadline(start time.Time) time.Time {
	local := london.In(start)
	day := time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, time.UTC)
	if r.Kind == WorkingDays {
		day = bankholiday.AddWorkingDays(day, -r.Days)
	} else {
		day = day.AddDate(0, 0, -r.Days)
	}
	hour, min, _ := r.clock()
	return time.Date(day.Year(), day.Month(), day.Day(), hour, min, 0, 0, london.Location)
}

// Open reports whether a question for a meeting starting at start is
// accepted at now: the board takes questions and the deadline has not
// passed. A question is in time up to and including the deadline minute.
func (r QuestionRule) Open(start, now time.Time) bool {
	return r.Accepts && !now.After(r.Deadline(start))
}

// Describe says the rule's deadline in words, such as "6 days before the
// meeting, at midnight at the start of that day" or "1 working day before
// the meeting, by 9am".
func (r QuestionRule) Describe() string {
	unit := "days"
	if r.Kind == WorkingDays {
		unit = "working days"
	}
	if r.Days == 1 {
		unit = strings.TrimSuffix(unit, "s")
	}
	hour, min, _ := r.clock()
	if hour == 0 && min == 0 {
		return fmt.Sprintf("%d %s before the meeting, at midnight at the start of that day", r.Days, unit)
	}
	return fmt.Sprintf("%d %s before the meeting, by %s", r.Days, unit, london.Clock(time.Date(2000, 1, 1, hour, min, 0, 0, london.Location)))
}

// Validate checks a rule and returns a message per field that is wrong,
// keyed by field name.
func (r QuestionRule) Validate() map[string]string {
	p := map[string]string{}
	if r.Kind != CalendarDays && r.Kind != WorkingDays {
		p["deadline_kind"] = "Choose how the days before the meeting are counted"
	}
	if r.Days < 0 || r.Days > 60 {
		p["deadline_days"] = "Enter a number of days from 0 to 60"
	}
	if _, _, ok := r.clock(); !ok {
		p["deadline_time"] = "Enter the deadline's time of day on the 24-hour clock, like 09:00"
	}
	if r.MaxChars < 50 || r.MaxChars > 10000 {
		p["max_chars"] = "Enter a maximum length from 50 to 10,000 characters"
	}
	if r.PerPerson < 1 || r.PerPerson > 20 {
		p["per_person"] = "Enter a number of questions per person from 1 to 20"
	}
	if r.AnswerWorkingDays < 1 || r.AnswerWorkingDays > 100 {
		p["answer_working_days"] = "Enter a number of working days from 1 to 100"
	}
	return p
}

// DeadlineText says a deadline the way residents read it: "9am on
// Wednesday 21 May 2025", or for midnight "midnight at the end of
// Thursday 15 May 2025".
func DeadlineText(t time.Time) string {
	l := london.In(t)
	if l.Hour() == 0 && l.Minute() == 0 {
		return "midnight at the end of " + london.LongDate(l.Add(-time.Minute))
	}
	return london.Clock(l) + " on " + london.LongDate(l)
}
