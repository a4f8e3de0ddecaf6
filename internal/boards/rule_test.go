package boards

import (
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// The deadline at its edges: just before it a question is in time, just
// after it is not; across bank holidays and both clock changes.
func TestDeadlineEdges(t *testing.T) {
	local := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, london.Location)
	}
	for _, c := range []struct {
		name    string
		rule    QuestionRule
		meeting time.Time
		want    time.Time // in London
	}{
		{"midnight six days before (22 May 2025, BST)", QuestionRule{Kind: CalendarDays, Days: 6, Time: "00:00"},
			local(2025, time.May, 22, 13, 30), local(2025, time.May, 16, 0, 0)},
		{"9am the day before, the day before is Easter Monday (calendar days count it)", QuestionRule{Kind: CalendarDays, Days: 1, Time: "09:00"},
			local(2026, time.April, 7, 10, 0), local(2026, time.April, 6, 9, 0)},
		{"1 working day before, over Easter Monday, the weekend and Good Friday", QuestionRule{Kind: WorkingDays, Days: 1, Time: "09:00"},
			local(2026, time.April, 7, 10, 0), local(2026, time.April, 2, 9, 0)},
		{"1 working day before, over Christmas on a Friday and Boxing Day's substitute Monday", QuestionRule{Kind: WorkingDays, Days: 1, Time: "17:00"},
			local(2026, time.December, 29, 14, 0), local(2026, time.December, 24, 17, 0)},
		{"2 working days before, over Christmas Day's and Boxing Day's substitute days (2027)", QuestionRule{Kind: WorkingDays, Days: 2, Time: "12:00"},
			local(2027, time.December, 30, 14, 0), local(2027, time.December, 24, 12, 0)},
		{"10 working days before", QuestionRule{Kind: WorkingDays, Days: 10, Time: "00:00"},
			local(2026, time.November, 26, 14, 0), local(2026, time.November, 12, 0, 0)},
		{"meeting in summer time, deadline in winter time (clocks go forward 29 March 2026)", QuestionRule{Kind: CalendarDays, Days: 6, Time: "00:00"},
			local(2026, time.April, 1, 13, 30), local(2026, time.March, 26, 0, 0)},
		{"meeting the day after the clocks go forward, deadline the day before", QuestionRule{Kind: CalendarDays, Days: 2, Time: "00:00"},
			local(2026, time.March, 30, 10, 0), local(2026, time.March, 28, 0, 0)},
		{"meeting in winter time, deadline in summer time (clocks go back 25 October 2026)", QuestionRule{Kind: CalendarDays, Days: 3, Time: "09:00"},
			local(2026, time.October, 27, 14, 0), local(2026, time.October, 24, 9, 0)},
		{"deadline on the day the clocks go back, 9am", QuestionRule{Kind: CalendarDays, Days: 1, Time: "09:00"},
			local(2026, time.October, 26, 14, 0), local(2026, time.October, 25, 9, 0)},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.rule.Accepts = true
			got := c.rule.Deadline(c.meeting.UTC())
			if !got.Equal(c.want) {
				t.Fatalf("deadline %s, want %s", london.In(got).Format(time.RFC3339), c.want.Format(time.RFC3339))
			}
			if !c.rule.Open(c.meeting, c.want.Add(-time.Second)) {
				t.Errorf("a second before the deadline: closed, want open")
			}
			if !c.rule.Open(c.meeting, c.want) {
				t.Errorf("at the deadline: closed, want open")
			}
			if c.rule.Open(c.meeting, c.want.Add(time.Second)) {
				t.Errorf("a second after the deadline: open, want closed")
			}
		})
	}
}

func TestRuleClosedWhenNotAccepting(t *testing.T) {
	r := DefaultRule()
	r.Accepts = false
	start := time.Now().Add(30 * 24 * time.Hour)
	if r.Open(start, time.Now()) {
		t.Error("a board that takes no questions is open")
	}
}

func TestDeadlineText(t *testing.T) {
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 5, 16, 0, 0, 0, 0, london.Location), "midnight at the end of Thursday 15 May 2025"},
		{time.Date(2025, 5, 21, 9, 0, 0, 0, london.Location), "9am on Wednesday 21 May 2025"},
		{time.Date(2025, 12, 24, 17, 30, 0, 0, london.Location), "5.30pm on Wednesday 24 December 2025"},
	} {
		if got := DeadlineText(c.at); got != c.want {
			t.Errorf("DeadlineText(%v) = %q, want %q", c.at, got, c.want)
		}
	}
}
