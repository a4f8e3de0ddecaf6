package testenv

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

// ICalEvent is an event as Python's icalendar package reads it.
type ICalEvent struct {
	UID, Summary, Status, Start, End, RRule, URL, Location string
	Sequence                                               int
	ExDates                                                []string
}

// ICal is a calendar as Python's icalendar package reads it.
type ICal struct {
	Name   string
	TZIDs  []string
	Events []ICalEvent
}

// ParseICal reads an iCalendar document with Python's icalendar package,
// an implementation independent of ours, failing the test if it cannot.
// Times come back in ISO 8601 with their offset, or as dates.
func ParseICal(t testing.TB, doc string) ICal {
	t.Helper()
	python := Python(t, "icalendar", "install it: apt-get install python3-icalendar")
	const script = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {'Name': str(cal.get('NAME', '')), 'TZIDs': [str(c.get('TZID')) for c in cal.walk('VTIMEZONE')], 'Events': []}
for ev in cal.walk('VEVENT'):
    raw = ev.get('EXDATE')
    raw = raw if isinstance(raw, list) else ([raw] if raw else [])
    out['Events'].append({
        'UID': str(ev.get('UID')), 'Summary': str(ev.get('SUMMARY')), 'Status': str(ev.get('STATUS', '')),
        'Sequence': int(ev.get('SEQUENCE', 0)), 'Start': ev.decoded('DTSTART').isoformat(),
        'End': ev.decoded('DTEND').isoformat(), 'URL': str(ev.get('URL', '')), 'Location': str(ev.get('LOCATION', '')),
        'RRule': ev.get('RRULE').to_ical().decode() if ev.get('RRULE') else '',
        'ExDates': [d.dt.isoformat() for e in raw for d in e.dts],
    })
print(json.dumps(out))
`
	cmd := exec.Command(python, "-c", script)
	cmd.Stdin = strings.NewReader(doc)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("Python's icalendar could not read the calendar: %v\n%s\n%s", err, out, doc)
	}
	var cal ICal
	if err := json.Unmarshal(out, &cal); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return cal
}
