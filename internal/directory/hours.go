package directory

import (
	"slices"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// dayNames are the days of the week as residents read them, Monday first.
var dayNames = [8]string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}

// span is one opening period of a day as its schedule gives it, in minutes
// after midnight; closes may be less than opens for a period that runs past
// midnight.
type span struct{ opens, closes int }

// weeklySpans reads the opening periods of simple weekly schedules, by day
// (1 = Monday). Schedules that are not simple weekly rules are left out.
func weeklySpans(schedules []Schedule) (days [8][]span, found bool) {
	for _, sch := range schedules {
		if f := strings.ToUpper(sch.Freq); f != "" && f != "WEEKLY" {
			continue
		}
		if sch.Interval != nil && *sch.Interval > 1 {
			continue
		}
		opens, ok1 := parseClock(sch.OpensAt)
		closes, ok2 := parseClock(sch.ClosesAt)
		if !ok1 || !ok2 {
			continue
		}
		if opens == closes || (opens == 0 && closes == 1440) {
			opens, closes = 0, 1440
		}
		for _, d := range strings.Split(strings.ToUpper(sch.ByDay), ",") {
			day, ok := weekdays[strings.TrimSpace(d)]
			if !ok {
				continue
			}
			if !slices.Contains(days[day], span{opens, closes}) {
				days[day] = append(days[day], span{opens, closes})
			}
			found = true
		}
	}
	for d := range days {
		slices.SortFunc(days[d], func(a, b span) int { return a.opens - b.opens })
	}
	return days, found
}

// OpeningHours describes weekly opening hours in plain English, one line
// per run of days with the same hours, Monday first: "Monday to Friday, 8am
// to 6.30pm", "Saturday, 9am to 1pm", "Closed on Sunday", or "Open 24
// hours" for a service that never closes. Schedules that are not weekly
// rules add their own description, if they have one. It returns nil when
// the schedules say nothing: opening hours are never guessed.
func OpeningHours(schedules []Schedule) []string {
	days, weekly := weeklySpans(schedules)
	var lines []string
	if weekly {
		texts := make([]string, 8)
		allDay := true
		for d := 1; d <= 7; d++ {
			texts[d] = dayHours(days[d])
			allDay = allDay && texts[d] == "open 24 hours"
		}
		if allDay {
			lines = append(lines, "Open 24 hours")
		} else {
			for start := 1; start <= 7; {
				end := start
				for end < 7 && texts[end+1] == texts[start] {
					end++
				}
				run := dayRange(start, end)
				if texts[start] == "" {
					lines = append(lines, "Closed on "+run)
				} else {
					lines = append(lines, strings.ToUpper(run[:1])+run[1:]+", "+texts[start])
				}
				start = end + 1
			}
		}
	}
	for _, sch := range schedules {
		if len(openingPeriods(sch)) == 0 {
			if d := strings.TrimSpace(sch.Description); d != "" && !slices.Contains(lines, d) {
				lines = append(lines, d)
			}
		}
	}
	return lines
}

// dayRange names a run of days: "Monday", "Saturday and Sunday", "Monday to
// Friday", "every day".
func dayRange(start, end int) string {
	switch end - start {
	case 6:
		return "every day"
	case 0:
		return dayNames[start]
	case 1:
		return dayNames[start] + " and " + dayNames[end]
	}
	return dayNames[start] + " to " + dayNames[end]
}

// dayHours describes one day's periods: "8am to 1pm and 2pm to 6.30pm";
// empty when closed.
func dayHours(spans []span) string {
	parts := make([]string, 0, len(spans))
	for _, s := range spans {
		if s.opens == 0 && s.closes == 1440 {
			return "open 24 hours"
		}
		parts = append(parts, clockText(s.opens)+" to "+clockText(s.closes))
	}
	return strings.Join(parts, " and ")
}

// clockText writes minutes after midnight as london.Clock does ("8am",
// "6.30pm", "midday"), with "midnight" for the start or end of the day.
func clockText(minutes int) string {
	if minutes == 0 || minutes == 1440 {
		return "midnight"
	}
	return london.Clock(time.Date(2000, 1, 1, minutes/60, minutes%60, 0, 0, london.Location))
}

// HasHours reports whether the schedules give weekly opening hours, so that
// whether a service is open at a moment can be told.
func HasHours(schedules []Schedule) bool {
	for _, sch := range schedules {
		if len(openingPeriods(sch)) > 0 {
			return true
		}
	}
	return false
}

// OpenAt reports whether weekly schedules have a service open at t, judged
// in Europe/London.
func OpenAt(schedules []Schedule, t time.Time) bool {
	t = london.In(t)
	day := int(t.Weekday())
	if day == 0 {
		day = 7
	}
	minute := t.Hour()*60 + t.Minute()
	for _, sch := range schedules {
		for _, p := range openingPeriods(sch) {
			if p.weekday == day && p.opens <= minute && minute < p.closes {
				return true
			}
		}
	}
	return false
}
