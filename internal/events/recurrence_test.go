package events

import (
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, london.Location)
}

func TestParseRule(t *testing.T) {
	tests := []struct {
		in, want, err, describe string
	}{
		{in: "FREQ=WEEKLY;BYDAY=TU", want: "FREQ=WEEKLY;BYDAY=TU", describe: "Every Tuesday"},
		{in: "RRULE:freq=weekly;byday=th,tu;interval=2", want: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", describe: "Every 2 weeks on Tuesday and Thursday"},
		{in: "FREQ=MONTHLY;BYDAY=1TH;COUNT=6", want: "FREQ=MONTHLY;BYDAY=1TH;COUNT=6", describe: "On the first Thursday of every month, 6 times"},
		{in: "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231T235959Z", want: "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20261231", describe: "On the last Friday of every month, until 31 December 2026"},
		{in: "FREQ=MONTHLY;BYMONTHDAY=22;INTERVAL=2", want: "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=22", describe: "On the 22nd of every 2 months"},
		{in: "FREQ=DAILY", err: "FREQ must be WEEKLY or MONTHLY"},
		{in: "FREQ=WEEKLY;BYDAY=XX", err: `BYDAY "XX" is not a day`},
		{in: "FREQ=MONTHLY", err: "needs BYDAY with a week"},
		{in: "FREQ=MONTHLY;BYDAY=5MO", err: "week of the month must be 1 to 4 or -1"},
		{in: "FREQ=WEEKLY;COUNT=3;UNTIL=20260101", err: "COUNT or UNTIL, not both"},
		{in: "FREQ=WEEKLY;BYSETPOS=1", err: "BYSETPOS is not supported"},
		{in: "FREQ=WEEKLY;INTERVAL=0", err: "INTERVAL"},
		{in: "FREQ", err: "is not KEY=VALUE"},
	}
	for _, tt := range tests {
		r, err := ParseRule(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseRule(%q) error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseRule(%q): %v", tt.in, err)
			continue
		}
		if r.String() != tt.want || r.Describe() != tt.describe {
			t.Errorf("ParseRule(%q) = %q / %q, want %q / %q", tt.in, r.String(), r.Describe(), tt.want, tt.describe)
		}
	}
}

// A weekly 10am drop-in stays at 10am local time when the clocks go back
// (26 October 2025) and forward (29 March 2026), so its UTC time moves.
func TestWeeklyAcrossClockChanges(t *testing.T) {
	e := Event{StartsAt: local(2025, 10, 14, 10, 0).UTC(), EndsAt: local(2025, 10, 14, 12, 0).UTC(),
		RepeatRule: "FREQ=WEEKLY;BYDAY=TU", Cancellations: []string{"2025-10-28"}}
	occ := e.Occurrences(local(2025, 10, 1, 0, 0), local(2025, 11, 5, 0, 0))
	wantUTC := []string{"2025-10-14T09:00:00Z", "2025-10-21T09:00:00Z", "2025-10-28T10:00:00Z", "2025-11-04T10:00:00Z"}
	if len(occ) != len(wantUTC) {
		t.Fatalf("%d occurrences, want %d: %v", len(occ), len(wantUTC), occ)
	}
	for i, o := range occ {
		if got := o.Start.UTC().Format(time.RFC3339); got != wantUTC[i] {
			t.Errorf("occurrence %d starts %s, want %s", i, got, wantUTC[i])
		}
		if london.Clock(o.Start) != "10am" || london.Clock(o.End) != "midday" {
			t.Errorf("occurrence %d is %s to %s local, want 10am to midday", i, london.Clock(o.Start), london.Clock(o.End))
		}
		if o.Cancelled != (o.Date() == "2025-10-28") {
			t.Errorf("occurrence %s cancelled = %v", o.Date(), o.Cancelled)
		}
	}
	spring := e.Occurrences(local(2026, 3, 20, 0, 0), local(2026, 4, 2, 0, 0))
	if len(spring) != 2 || spring[0].Start.UTC().Hour() != 10 || spring[1].Start.UTC().Hour() != 9 {
		t.Errorf("around 29 March 2026: %v, want 10:00Z on 24 March then 09:00Z on 31 March", spring)
	}
}

func TestMonthlyRules(t *testing.T) {
	tests := []struct {
		rule  string
		start time.Time
		want  []string
	}{
		{"FREQ=MONTHLY;BYDAY=1TH", local(2025, 5, 1, 14, 0), []string{"2025-05-01", "2025-06-05", "2025-07-03", "2025-08-07"}},
		{"FREQ=MONTHLY;BYDAY=-1FR", local(2025, 5, 30, 9, 0), []string{"2025-05-30", "2025-06-27", "2025-07-25", "2025-08-29"}},
		// Months without a 31st are skipped, not moved.
		{"FREQ=MONTHLY;BYMONTHDAY=31", local(2025, 5, 31, 9, 0), []string{"2025-05-31", "2025-07-31", "2025-08-31"}},
		{"FREQ=MONTHLY;BYDAY=4MO;INTERVAL=2", local(2025, 5, 26, 9, 0), []string{"2025-05-26", "2025-07-28"}},
		{"FREQ=MONTHLY;BYDAY=1TH;COUNT=2", local(2025, 5, 1, 14, 0), []string{"2025-05-01", "2025-06-05"}},
		{"FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20250609", local(2025, 6, 2, 9, 0), []string{"2025-06-02", "2025-06-04", "2025-06-09"}},
	}
	for _, tt := range tests {
		e := Event{StartsAt: tt.start.UTC(), EndsAt: tt.start.Add(time.Hour).UTC(), RepeatRule: tt.rule}
		var got []string
		for _, o := range e.Occurrences(tt.start, local(2025, 9, 1, 0, 0)) {
			got = append(got, o.Date())
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s from %s: %v, want %v", tt.rule, tt.start.Format("2006-01-02"), got, tt.want)
		}
	}
}

func TestNextAndLast(t *testing.T) {
	e := Event{StartsAt: local(2025, 6, 3, 10, 0).UTC(), EndsAt: local(2025, 6, 3, 12, 0).UTC(), RepeatRule: "FREQ=WEEKLY;BYDAY=TU;COUNT=3"}
	now := local(2025, 6, 10, 11, 0) // during the second
	if n, ok := e.Next(now); !ok || n.Date() != "2025-06-10" {
		t.Errorf("next = %v %v, want the one in progress on 10 June", n, ok)
	}
	if l, ok := e.Last(now); !ok || l.Date() != "2025-06-03" {
		t.Errorf("last = %v %v, want 3 June", l, ok)
	}
	if _, ok := e.Next(local(2025, 6, 18, 0, 0)); ok {
		t.Error("a rule with COUNT=3 has no fourth occurrence")
	}
}

func TestJoiningLink(t *testing.T) {
	start := local(2025, 6, 3, 10, 0)
	o := Occurrence{Start: start, End: start.Add(2 * time.Hour)}
	online := Event{OnlineURL: "https://meet.example/x", Attendance: Online, Status: StatusScheduled}
	tests := []struct {
		name string
		e    Event
		now  time.Time
		want JoiningLinkState
	}{
		{"a day before", online, start.AddDate(0, 0, -1), LinkSoon},
		{"31 minutes before", online, start.Add(-31 * time.Minute), LinkSoon},
		{"29 minutes before", online, start.Add(-29 * time.Minute), LinkLive},
		{"during", online, start.Add(time.Hour), LinkLive},
		{"after", online, start.Add(3 * time.Hour), LinkEnded},
		{"no link", Event{Attendance: Online}, start, LinkNone},
		{"in person", Event{OnlineURL: "https://x", Attendance: InPerson}, start, LinkNone},
		{"moved online", Event{OnlineURL: "https://x", Attendance: InPerson, Status: StatusMovedOnline}, start, LinkLive},
		{"cancelled", Event{OnlineURL: "https://x", Attendance: Hybrid, Status: StatusCancelled}, start, LinkNone},
	}
	for _, tt := range tests {
		if got := tt.e.JoiningLink(o, tt.now); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
