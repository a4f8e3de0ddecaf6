package events

import (
	"github.com/joinedup/joinedup/internal/london"
)

var schemaStatus = map[Status]string{
	StatusScheduled:   "https://schema.org/EventScheduled",
	StatusCancelled:   "https://schema.org/EventCancelled",
	StatusPostponed:   "https://schema.org/EventPostponed",
	StatusMovedOnline: "https://schema.org/EventMovedOnline",
}

var schemaAttendance = map[Attendance]string{
	InPerson: "https://schema.org/OfflineEventAttendanceMode",
	Online:   "https://schema.org/OnlineEventAttendanceMode",
	Hybrid:   "https://schema.org/MixedEventAttendanceMode",
}

// JSONLD describes an occurrence of the event for search engines as a
// schema.org Event.
func JSONLD(e Event, o Occurrence, pageURL string) map[string]any {
	status := e.Status
	if o.Cancelled {
		status = StatusCancelled
	}
	attendance := e.Attendance
	if e.Status == StatusMovedOnline {
		attendance = Online
	}
	doc := map[string]any{
		"@context":            "https://schema.org",
		"@type":               "Event",
		"name":                e.Title,
		"description":         e.Summary,
		"url":                 pageURL,
		"eventStatus":         schemaStatus[status],
		"eventAttendanceMode": schemaAttendance[attendance],
		"startDate":           london.ISO(o.Start),
		"endDate":             london.ISO(o.End),
	}
	if e.AllDay {
		doc["startDate"] = london.In(o.Start).Format("2006-01-02")
		doc["endDate"] = london.In(o.End).Format("2006-01-02")
	}
	if e.Organiser != "" {
		doc["organizer"] = map[string]any{"@type": "Organization", "name": e.Organiser}
	}
	var locations []any
	if attendance != Online && (e.Venue != "" || e.VenueAddress != "" || e.VenuePostcode != "") {
		place := map[string]any{"@type": "Place", "name": e.Venue}
		addr := map[string]any{"@type": "PostalAddress", "addressCountry": "GB"}
		if e.VenueAddress != "" {
			addr["streetAddress"] = e.VenueAddress
		}
		if e.VenuePostcode != "" {
			addr["postalCode"] = e.VenuePostcode
		}
		place["address"] = addr
		locations = append(locations, place)
	}
	if attendance != InPerson {
		// The joining link is not published ahead of time; the page is.
		locations = append(locations, map[string]any{"@type": "VirtualLocation", "url": pageURL})
	}
	switch len(locations) {
	case 1:
		doc["location"] = locations[0]
	case 2:
		doc["location"] = locations
	}
	return doc
}
