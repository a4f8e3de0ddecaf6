package events

import (
	"net/url"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

// GoogleCalendarURL is a link that opens Google Calendar with the event
// filled in, for residents who do not use calendar files.
func GoogleCalendarURL(e Event, o Occurrence, pageURL string) string {
	q := url.Values{}
	q.Set("action", "TEMPLATE")
	q.Set("text", e.Title)
	if e.AllDay {
		q.Set("dates", london.In(o.Start).Format(dateLayout)+"/"+london.In(o.End).AddDate(0, 0, 1).Format(dateLayout))
	} else {
		q.Set("dates", o.Start.UTC().Format("20060102T150405Z")+"/"+o.End.UTC().Format("20060102T150405Z"))
	}
	q.Set("ctz", tzid)
	q.Set("details", e.Summary+"\n\n"+pageURL)
	if loc := e.locationText(); loc != "" {
		q.Set("location", loc)
	}
	if r := e.Rule(); r != nil {
		q.Set("recur", "RRULE:"+icsRule(r, e.AllDay))
	}
	return "https://calendar.google.com/calendar/render?" + q.Encode()
}

// OutlookCalendarURL is a link that opens Outlook on the web with the event
// filled in.
func OutlookCalendarURL(e Event, o Occurrence, pageURL string) string {
	q := url.Values{}
	q.Set("path", "/calendar/action/compose")
	q.Set("rru", "addevent")
	q.Set("subject", e.Title)
	q.Set("body", e.Summary+"\n\n"+pageURL)
	if e.AllDay {
		q.Set("allday", "true")
		q.Set("startdt", london.In(o.Start).Format("2006-01-02"))
		q.Set("enddt", london.In(o.End).AddDate(0, 0, 1).Format("2006-01-02"))
	} else {
		q.Set("startdt", london.In(o.Start).Format(time.RFC3339))
		q.Set("enddt", london.In(o.End).Format(time.RFC3339))
	}
	if loc := e.locationText(); loc != "" {
		q.Set("location", loc)
	}
	return "https://outlook.office.com/calendar/0/deeplink/compose?" + q.Encode()
}
