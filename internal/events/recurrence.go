package events

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// Rule is how an event repeats: the subset of RFC 5545 RRULE that
// partnerships use (a weekly drop-in, a monthly meeting).
//
//	FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20260331
//	FREQ=MONTHLY;BYDAY=1TH;COUNT=12   (first Thursday)
//	FREQ=MONTHLY;BYDAY=-1FR           (last Friday)
//	FREQ=MONTHLY;BYMONTHDAY=15
type Rule struct {
	Freq       string // WEEKLY or MONTHLY
	Interval   int    // every Interval weeks or months; at least 1
	ByDay      []time.Weekday
	Nth        int // MONTHLY with one BYDAY: 1..4 or -1 (last); 0 otherwise
	ByMonthDay int // MONTHLY: day of the month, 1..31
	Count      int // stop after this many occurrences (0: no limit)
	Until      string
}

var dayCodes = map[string]time.Weekday{"MO": time.Monday, "TU": time.Tuesday, "WE": time.Wednesday,
	"TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday, "SU": time.Sunday}

var dayNames = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// ParseRule reads a rule; an empty string is no rule.
func ParseRule(s string) (*Rule, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "RRULE:")
	if s == "" {
		return nil, nil
	}
	r := &Rule{Interval: 1}
	for _, part := range strings.Split(s, ";") {
		key, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("repeat rule: %q is not KEY=VALUE", part)
		}
		switch strings.ToUpper(key) {
		case "FREQ":
			r.Freq = strings.ToUpper(val)
		case "INTERVAL":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 52 {
				return nil, fmt.Errorf("repeat rule: INTERVAL %q must be from 1 to 52", val)
			}
			r.Interval = n
		case "COUNT":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 1000 {
				return nil, fmt.Errorf("repeat rule: COUNT %q must be from 1 to 1000", val)
			}
			r.Count = n
		case "UNTIL":
			d := val
			if len(d) >= 8 {
				d = d[:8]
			}
			if _, err := time.Parse("20060102", d); err != nil {
				return nil, fmt.Errorf("repeat rule: UNTIL %q is not a date YYYYMMDD", val)
			}
			r.Until = d
		case "BYMONTHDAY":
			n, err := strconv.Atoi(val)
			if err != nil || n < 1 || n > 31 {
				return nil, fmt.Errorf("repeat rule: BYMONTHDAY %q must be from 1 to 31", val)
			}
			r.ByMonthDay = n
		case "BYDAY":
			for _, d := range strings.Split(strings.ToUpper(val), ",") {
				code := d
				if len(d) > 2 {
					n, err := strconv.Atoi(d[:len(d)-2])
					if err != nil || n == 0 || n < -1 || n > 4 {
						return nil, fmt.Errorf("repeat rule: BYDAY %q: the week of the month must be 1 to 4 or -1", d)
					}
					r.Nth, code = n, d[len(d)-2:]
				}
				wd, ok := dayCodes[code]
				if !ok {
					return nil, fmt.Errorf("repeat rule: BYDAY %q is not a day (MO, TU, WE, TH, FR, SA, SU)", d)
				}
				r.ByDay = append(r.ByDay, wd)
			}
		default:
			return nil, fmt.Errorf("repeat rule: %s is not supported", key)
		}
	}
	switch {
	case r.Freq != "WEEKLY" && r.Freq != "MONTHLY":
		return nil, errors.New("repeat rule: FREQ must be WEEKLY or MONTHLY")
	case r.Count > 0 && r.Until != "":
		return nil, errors.New("repeat rule: give COUNT or UNTIL, not both")
	case r.Freq == "WEEKLY" && (r.Nth != 0 || r.ByMonthDay != 0):
		return nil, errors.New("repeat rule: a weekly rule takes plain days, such as BYDAY=TU")
	case r.Freq == "MONTHLY" && r.Nth == 0 && r.ByMonthDay == 0:
		return nil, errors.New("repeat rule: a monthly rule needs BYDAY with a week (1TH, -1FR) or BYMONTHDAY")
	case r.Freq == "MONTHLY" && r.Nth != 0 && (len(r.ByDay) != 1 || r.ByMonthDay != 0):
		return nil, errors.New("repeat rule: a monthly rule takes one day of one week, such as BYDAY=1TH")
	}
	sort.Slice(r.ByDay, func(i, j int) bool { return mondayFirst(r.ByDay[i]) < mondayFirst(r.ByDay[j]) })
	return r, nil
}

func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

// String writes the rule back as an RRULE value.
func (r *Rule) String() string {
	if r == nil {
		return ""
	}
	parts := []string{"FREQ=" + r.Freq}
	if r.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.Interval))
	}
	if len(r.ByDay) > 0 {
		days := make([]string, len(r.ByDay))
		for i, d := range r.ByDay {
			days[i] = dayNames[d]
			if r.Nth != 0 {
				days[i] = strconv.Itoa(r.Nth) + days[i]
			}
		}
		parts = append(parts, "BYDAY="+strings.Join(days, ","))
	}
	if r.ByMonthDay != 0 {
		parts = append(parts, "BYMONTHDAY="+strconv.Itoa(r.ByMonthDay))
	}
	if r.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	}
	if r.Until != "" {
		parts = append(parts, "UNTIL="+r.Until)
	}
	return strings.Join(parts, ";")
}

// maxOccurrences bounds expansion, so a rule without an end cannot run away.
const maxOccurrences = 2000

// dates returns the local dates (London) on which the rule places the
// event, starting from first and stopping at the rule's end or after last.
func (r *Rule) dates(first, last time.Time) []time.Time {
	var out []time.Time
	until := last
	if r.Until != "" {
		u, _ := time.ParseInLocation("20060102", r.Until, london.Location)
		if u.Before(until) {
			until = u
		}
	}
	emit := func(d time.Time) bool {
		if d.Before(first) {
			return true
		}
		if d.After(until) || (r.Count > 0 && len(out) >= r.Count) || len(out) >= maxOccurrences {
			return false
		}
		out = append(out, d)
		return true
	}
	switch r.Freq {
	case "WEEKLY":
		days := r.ByDay
		if len(days) == 0 {
			days = []time.Weekday{first.Weekday()}
		}
		monday := first.AddDate(0, 0, -mondayFirst(first.Weekday()))
		for week := 0; ; week += r.Interval {
			start := monday.AddDate(0, 0, 7*week)
			if start.After(until) {
				return out
			}
			for _, d := range days {
				if !emit(start.AddDate(0, 0, mondayFirst(d))) {
					return out
				}
			}
		}
	case "MONTHLY":
		for m := 0; ; m += r.Interval {
			month := time.Date(first.Year(), first.Month()+time.Month(m), 1, 0, 0, 0, 0, london.Location)
			if month.After(until) {
				return out
			}
			d, ok := r.dayInMonth(month)
			if ok && !emit(d) {
				return out
			}
		}
	}
	return out
}

// dayInMonth returns the rule's day in the month starting at month, if the
// month has one (not every month has a 31st or a fifth Friday).
func (r *Rule) dayInMonth(month time.Time) (time.Time, bool) {
	if r.ByMonthDay != 0 {
		d := month.AddDate(0, 0, r.ByMonthDay-1)
		return d, d.Month() == month.Month()
	}
	want := r.ByDay[0]
	if r.Nth > 0 {
		d := month.AddDate(0, 0, (int(want)-int(month.Weekday())+7)%7+7*(r.Nth-1))
		return d, d.Month() == month.Month()
	}
	lastDay := month.AddDate(0, 1, -1)
	return lastDay.AddDate(0, 0, -((int(lastDay.Weekday()) - int(want) + 7) % 7)), true
}

// Describe says the rule in plain English: "Every Tuesday and Thursday",
// "Every 2 weeks on Monday", "On the first Thursday of every month".
func (r *Rule) Describe() string {
	names := make([]string, len(r.ByDay))
	for i, d := range r.ByDay {
		names[i] = d.String()
	}
	days := joinAnd(names)
	var s string
	switch {
	case r.Freq == "WEEKLY" && r.Interval == 1:
		s = "Every " + days
	case r.Freq == "WEEKLY":
		s = fmt.Sprintf("Every %d weeks on %s", r.Interval, days)
	case r.Nth != 0:
		s = fmt.Sprintf("On the %s %s of %s", ordinal(r.Nth), days, everyMonths(r.Interval))
	default:
		s = fmt.Sprintf("On the %s of %s", dayOrdinal(r.ByMonthDay), everyMonths(r.Interval))
	}
	if r.Until != "" {
		u, _ := time.ParseInLocation("20060102", r.Until, london.Location)
		s += ", until " + london.Date(u)
	}
	if r.Count > 0 {
		s += fmt.Sprintf(", %d times", r.Count)
	}
	return s
}

func everyMonths(n int) string {
	if n == 1 {
		return "every month"
	}
	return fmt.Sprintf("every %d months", n)
}

func ordinal(n int) string {
	return map[int]string{1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}[n]
}

func dayOrdinal(n int) string {
	suffix := "th"
	switch {
	case n%10 == 1 && n != 11:
		suffix = "st"
	case n%10 == 2 && n != 12:
		suffix = "nd"
	case n%10 == 3 && n != 13:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
