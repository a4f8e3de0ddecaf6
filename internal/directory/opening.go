package directory

import (
	"strconv"
	"strings"
)

// openingPeriod is one weekly opening period in minutes after local midnight.
type openingPeriod struct {
	weekday       int // 1 = Monday ... 7 = Sunday
	opens, closes int
}

var weekdays = map[string]int{"MO": 1, "TU": 2, "WE": 3, "TH": 4, "FR": 5, "SA": 6, "SU": 7}

// parseClock reads "HH:MM" (or "HH:MM:SS") as minutes after midnight;
// "24:00" is the end of the day.
func parseClock(s string) (int, bool) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, false
	}
	h, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// openingPeriods turns a weekly schedule into the periods it opens, split at
// midnight when it closes after it (an overnight pharmacy). Schedules that
// are not simple weekly rules yield none: they still show on the service
// page, but do not count as "open" in searches.
func openingPeriods(sch Schedule) []openingPeriod {
	if f := strings.ToUpper(sch.Freq); f != "" && f != "WEEKLY" {
		return nil
	}
	if sch.Interval != nil && *sch.Interval > 1 {
		return nil
	}
	opens, ok1 := parseClock(sch.OpensAt)
	closes, ok2 := parseClock(sch.ClosesAt)
	if !ok1 || !ok2 || sch.ByDay == "" {
		return nil
	}
	var out []openingPeriod
	for _, d := range strings.Split(strings.ToUpper(sch.ByDay), ",") {
		day, ok := weekdays[strings.TrimSpace(d)]
		if !ok {
			continue
		}
		switch {
		case closes > opens:
			out = append(out, openingPeriod{day, opens, closes})
		case closes == 0 && opens > 0: // closes at midnight
			out = append(out, openingPeriod{day, opens, 1440})
		case closes < opens: // overnight
			out = append(out, openingPeriod{day, opens, 1440}, openingPeriod{day%7 + 1, 0, closes})
		case closes == opens: // open all day
			out = append(out, openingPeriod{day, 0, 1440})
		}
	}
	return out
}
