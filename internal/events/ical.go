package events

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/joinedup/joinedup/internal/london"
)

// CalendarInfo names a calendar and says where it lives.
type CalendarInfo struct {
	Name    string // shown by calendar apps, such as "Partnership Southwark events"
	URL     string // absolute URL of the calendar itself
	BaseURL string // the site, for absolute links to each event
}

const (
	localLayout = "20060102T150405"
	dateLayout  = "20060102"
	tzid        = "Europe/London"
)

// Calendar writes events as an iCalendar document (RFC 5545, with RFC 7986
// calendar names), in Europe/London time with its VTIMEZONE, so repeating
// events keep their local time across clock changes in every calendar app.
func Calendar(evs []Event, info CalendarInfo) string {
	return calendar(evs, info, UID)
}

// OccurrenceCalendar writes one date of event e as a calendar of its own,
// for a resident booked on that date: a one-off event with its own UID
// (the event's and the date), so that bookings for two dates of one
// series are two entries in the resident's calendar.
func OccurrenceCalendar(e Event, o Occurrence, info CalendarInfo) string {
	if e.Rule() == nil {
		return Calendar([]Event{e}, info)
	}
	one := e
	one.StartsAt, one.EndsAt, one.RepeatRule, one.Cancellations = o.Start, o.End, "", nil
	return calendar([]Event{one}, info, func(e Event, host string) string {
		return fmt.Sprintf("event-%d-%s@%s", e.ID, o.Date(), host)
	})
}

func calendar(evs []Event, info CalendarInfo, uid func(Event, string) string) string {
	cal := ics.NewCalendar()
	cal.SetProductId("-//joinedup//joinedup events//EN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetName(info.Name)
	cal.SetXWRCalName(info.Name)
	cal.SetXWRTimezone(tzid)
	cal.SetRefreshInterval("PT6H", ics.WithValue("DURATION"))
	cal.SetXPublishedTTL("PT6H")
	if info.URL != "" {
		cal.SetUrl(info.URL)
	}
	addLondon(cal)
	host := hostOf(info.BaseURL)
	for _, e := range evs {
		addEvent(cal, e, uid(e, host), strings.TrimRight(info.BaseURL, "/"))
	}
	return cal.Serialize(ics.WithNewLineWindows)
}

// addLondon writes the Europe/London rules in force since 1996: GMT in
// winter, BST from the last Sunday of March to the last Sunday of October.
func addLondon(cal *ics.Calendar) {
	tz := cal.AddTimezone(tzid)
	st := tz.AddStandard()
	st.AddProperty("DTSTART", "19701025T020000")
	st.AddProperty("RRULE", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
	st.AddProperty("TZOFFSETFROM", "+0100")
	st.AddProperty("TZOFFSETTO", "+0000")
	st.AddProperty("TZNAME", "GMT")
	dl := &ics.Daylight{}
	dl.AddProperty("DTSTART", "19700329T010000")
	dl.AddProperty("RRULE", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
	dl.AddProperty("TZOFFSETFROM", "+0000")
	dl.AddProperty("TZOFFSETTO", "+0100")
	dl.AddProperty("TZNAME", "BST")
	tz.Components = append(tz.Components, dl)
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Hostname()
	}
	return "joinedup.invalid"
}

// UID is the event's identifier in calendars, stable for its whole life.
func UID(e Event, host string) string { return fmt.Sprintf("event-%d@%s", e.ID, host) }

func addEvent(cal *ics.Calendar, e Event, uid, base string) {
	ev := cal.AddEvent(uid)
	ev.SetDtStampTime(e.UpdatedAt.UTC())
	ev.SetLastModifiedAt(e.UpdatedAt.UTC())
	ev.SetSequence(e.Sequence)
	title := e.Title
	switch e.Status {
	case StatusCancelled, StatusPostponed:
		title = e.Status.Label() + ": " + title
	}
	ev.SetSummary(title)
	pageURL := base + "/events/" + e.Slug
	ev.SetURL(pageURL)
	desc := e.Summary
	if e.StatusNote != "" {
		desc = e.StatusNote + "\n\n" + desc
	}
	if e.OnlineURL != "" && e.Attendance != InPerson {
		// The joining link itself is shown on the event page only from
		// shortly before the start, so calendars point there.
		desc += "\n\nTo join online, open the event page: the link appears there 30 minutes before the start."
	}
	ev.SetDescription(desc + "\n\n" + pageURL)
	if loc := e.locationText(); loc != "" {
		ev.SetLocation(loc)
	}
	switch e.Status {
	case StatusCancelled:
		ev.SetStatus(ics.ObjectStatusCancelled)
	case StatusPostponed:
		ev.SetStatus(ics.ObjectStatusTentative)
	default:
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	if e.AllDay {
		ev.SetProperty(ics.ComponentPropertyDtStart, london.In(e.StartsAt).Format(dateLayout), ics.WithValue("DATE"))
		// DTEND of an all-day event is the day after the last day.
		ev.SetProperty(ics.ComponentPropertyDtEnd, london.In(e.EndsAt).AddDate(0, 0, 1).Format(dateLayout), ics.WithValue("DATE"))
	} else {
		ev.SetProperty(ics.ComponentPropertyDtStart, london.In(e.StartsAt).Format(localLayout), ics.WithTZID(tzid))
		ev.SetProperty(ics.ComponentPropertyDtEnd, london.In(e.EndsAt).Format(localLayout), ics.WithTZID(tzid))
	}
	if r := e.Rule(); r != nil {
		ev.AddRrule(icsRule(r, e.AllDay))
		for _, day := range e.Cancellations {
			d, err := time.ParseInLocation("2006-01-02", day, london.Location)
			if err != nil {
				continue
			}
			if e.AllDay {
				ev.AddExdate(d.Format(dateLayout), ics.WithValue("DATE"))
				continue
			}
			start := london.In(e.StartsAt)
			at := time.Date(d.Year(), d.Month(), d.Day(), start.Hour(), start.Minute(), start.Second(), 0, london.Location)
			ev.AddExdate(at.Format(localLayout), ics.WithTZID(tzid))
		}
	}
}

// icsRule writes the rule for a calendar: RFC 5545 wants UNTIL in UTC when
// the start has a time zone, and as a date when the event is all day.
func icsRule(r *Rule, allDay bool) string {
	if r.Until == "" || allDay {
		return r.String()
	}
	c := *r
	u, _ := time.ParseInLocation(dateLayout, r.Until, london.Location)
	endOfDay := u.AddDate(0, 0, 1).Add(-time.Second).UTC()
	c.Until = ""
	return c.String() + ";UNTIL=" + endOfDay.Format("20060102T150405Z")
}

// locationText is where the event is, in one line.
func (e Event) locationText() string {
	var parts []string
	for _, p := range []string{e.Venue, e.VenueAddress, e.VenuePostcode} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if e.Attendance == Online || e.Status == StatusMovedOnline {
		return "Online"
	}
	if e.Attendance == Hybrid {
		parts = append(parts, "and online")
	}
	return strings.Join(parts, ", ")
}
