// Package london shows times the way residents read them: in Europe/London,
// in the NHS and GOV.UK style ("22 May 2025", "1.30pm to 4.30pm").
package london

import (
	"fmt"
	"time"
	_ "time/tzdata" // the binary must not depend on the host's zoneinfo
)

// Location is Europe/London.
var Location = mustLoad()

func mustLoad() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(fmt.Sprintf("london: load Europe/London: %v", err))
	}
	return loc
}

// In returns t in Europe/London.
func In(t time.Time) time.Time { return t.In(Location) }

// Date formats t as "22 May 2025".
func Date(t time.Time) string { return In(t).Format("2 January 2006") }

// ShortDate formats t as "22 May 2025" with the month abbreviated ("22 Nov 2024").
func ShortDate(t time.Time) string { return In(t).Format("2 Jan 2006") }

// LongDate formats t as "Thursday 22 May 2025".
func LongDate(t time.Time) string { return In(t).Format("Monday 2 January 2006") }

// Clock formats the time of day as "1.30pm", "9am" or "midday".
func Clock(t time.Time) string {
	t = In(t)
	h, m := t.Hour(), t.Minute()
	if h == 12 && m == 0 {
		return "midday"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h12, suffix)
	}
	return fmt.Sprintf("%d.%02d%s", h12, m, suffix)
}

// TimeRange formats the times of an event, such as "1.30pm to 4.30pm".
func TimeRange(start, end time.Time) string {
	if !end.After(start) {
		return Clock(start)
	}
	return Clock(start) + " to " + Clock(end)
}

// When formats an event's date and times, such as "22 May 2025, 1.30pm to
// 4.30pm", or "22 May 2025, 6pm to 23 May 2025, 1am" when it spans days.
func When(start, end time.Time) string {
	if Date(start) != Date(end) && end.After(start) {
		return Date(start) + ", " + Clock(start) + " to " + Date(end) + ", " + Clock(end)
	}
	return Date(start) + ", " + TimeRange(start, end)
}

// ISO formats t for a <time datetime> attribute, with its London offset.
func ISO(t time.Time) string { return In(t).Format(time.RFC3339) }
