package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/testenv"
)

// addEvent stores an event, in the places named by slug.
func (s *testSite) addEvent(e events.Event, placeSlugs ...string) events.Event {
	s.t.Helper()
	ctx := context.Background()
	for _, slug := range placeSlugs {
		p, err := places.NewStore(s.db).BySlug(ctx, slug)
		if err != nil {
			s.t.Fatal(err)
		}
		e.PlaceIDs = append(e.PlaceIDs, p.ID)
	}
	err := s.db.Tx(ctx, func(q db.Querier) error {
		id, err := events.NewStore(q).Create(ctx, e)
		e.ID = id
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return e
}

func hours(h int) time.Time {
	return time.Now().Add(time.Duration(h) * time.Hour).Truncate(time.Minute)
}

func TestEventListings(t *testing.T) {
	s := newTestSite(t)
	s.dropSampleMeeting()
	s.addEvent(events.Event{Slug: "lambeth-walk", Title: "Lambeth health walk", StartsAt: hours(48), EndsAt: hours(50)}, "lambeth")
	s.addEvent(events.Event{Slug: "southwark-clinic", Title: "Southwark pop-up clinic", StartsAt: hours(24), EndsAt: hours(26)}, "southwark")
	s.addEvent(events.Event{Slug: "everyone-webinar", Title: "System-wide webinar", StartsAt: hours(72), EndsAt: hours(73), Attendance: events.Online})

	titles := func(path string) []string {
		var out []string
		for _, a := range find(s.page(path), hasClass("nhsuk-card__link")) {
			out = append(out, textOf(a))
		}
		return out
	}
	tests := []struct {
		path string
		want []string
	}{
		{"/events", []string{"Southwark pop-up clinic", "Lambeth health walk", "System-wide webinar"}},
		{"/events?place=southwark", []string{"Southwark pop-up clinic", "System-wide webinar"}},
		{"/events?place=lambeth", []string{"Lambeth health walk", "System-wide webinar"}},
		{"/events?view=past", []string{"Partnership Southwark Strategic Board – 22 May 2025"}},
		{"/events?view=past&place=lewisham", nil},
	}
	for _, tt := range tests {
		if got := titles(tt.path); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s lists %q, want %q", tt.path, got, tt.want)
		}
	}
	res, body := s.get("/events?place=atlantis")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "There is no area called “atlantis”") {
		t.Errorf("unknown place: %d", res.StatusCode)
	}
	if res, _ := s.get("/events?page=0"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("page=0: %d, want 400", res.StatusCode)
	}
}

func TestEventPagination(t *testing.T) {
	s := newTestSite(t)
	s.dropSampleMeeting()
	for i := 1; i <= 12; i++ {
		s.addEvent(events.Event{Slug: fmt.Sprintf("session-%02d", i), Title: fmt.Sprintf("Session %02d", i), StartsAt: hours(24 * i), EndsAt: hours(24*i + 1)})
	}
	first := find(s.page("/events"), hasClass("nhsuk-card__link"))
	second := find(s.page("/events?page=2"), hasClass("nhsuk-card__link"))
	if len(first) != 10 || len(second) != 2 || textOf(first[0]) != "Session 01" || textOf(second[1]) != "Session 12" {
		t.Fatalf("pages hold %d and %d events", len(first), len(second))
	}
	if next := find(s.page("/events"), func(n *htmlNode) bool { return attr(n, "rel") == "next" }); len(next) != 1 || attr(next[0], "href") != "/events?page=2" {
		t.Errorf("no link to page 2")
	}
	if res, _ := s.get("/events?page=3"); res.StatusCode != http.StatusNotFound {
		t.Errorf("page 3 of 2: %d, want 404", res.StatusCode)
	}
}

func jsonLD(t *testing.T, s *testSite, path string) map[string]any {
	t.Helper()
	scripts := find(s.page(path), func(n *htmlNode) bool { return n.Data == "script" && attr(n, "type") == "application/ld+json" })
	if len(scripts) != 1 || scripts[0].FirstChild == nil {
		t.Fatalf("%s: want one JSON-LD script, found %d", path, len(scripts))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(scripts[0].FirstChild.Data), &doc); err != nil {
		t.Fatalf("%s: JSON-LD does not parse: %v", path, err)
	}
	return doc
}

func TestCancelledEventEverywhere(t *testing.T) {
	s := newTestSite(t)
	s.addEvent(events.Event{Slug: "summer-fair", Title: "Summer health fair", Summary: "Stalls and checks.", StartsAt: hours(100), EndsAt: hours(104),
		Status: events.StatusCancelled, StatusNote: "Called off because of the forecast heat.", Venue: "Burgess Park", VenuePostcode: "SE5 0RJ"}, "southwark")

	page := textOf(s.page("/events/summer-fair"))
	for _, want := range []string{"This event is cancelled", "Called off because of the forecast heat."} {
		if !strings.Contains(page, want) {
			t.Errorf("event page does not say %q", want)
		}
	}
	ld := jsonLD(t, s, "/events/summer-fair")
	if ld["@type"] != "Event" || ld["eventStatus"] != "https://schema.org/EventCancelled" ||
		ld["eventAttendanceMode"] != "https://schema.org/OfflineEventAttendanceMode" {
		t.Errorf("JSON-LD = %v", ld)
	}
	if loc, _ := ld["location"].(map[string]any); loc["name"] != "Burgess Park" {
		t.Errorf("JSON-LD location = %v", ld["location"])
	}
	if !strings.Contains(textOf(find(s.page("/events"), hasClass("nhsuk-card"))[0]), "Cancelled") {
		t.Error("the listing does not flag the cancellation")
	}
	res, body := s.get("/events/summer-fair/calendar.ics")
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	cal := testenv.ParseICal(t, body)
	if len(cal.Events) != 1 || cal.Events[0].Status != "CANCELLED" || !strings.HasPrefix(cal.Events[0].Summary, "Cancelled: ") ||
		cal.Events[0].URL != "https://joinedup.example/events/summer-fair" {
		t.Errorf("calendar file: %+v", cal.Events)
	}
}

func TestEventFeedAndSequence(t *testing.T) {
	s := newTestSite(t)
	s.dropSampleMeeting()
	ctx := context.Background()
	drop := s.addEvent(events.Event{Slug: "carers-drop-in", Title: "Carers' drop-in", StartsAt: hours(30), EndsAt: hours(32),
		RepeatRule: "FREQ=WEEKLY;COUNT=10"}, "southwark")
	s.addEvent(events.Event{Slug: "lewisham-only", Title: "Lewisham forum", StartsAt: hours(40), EndsAt: hours(41)}, "lewisham")

	_, body := s.get("/feeds/events.ics?place=southwark")
	cal := testenv.ParseICal(t, body)
	var uids []string
	for _, e := range cal.Events {
		uids = append(uids, e.Summary)
		if e.Summary == "Carers' drop-in" && (e.RRule == "" || e.Sequence != 0) {
			t.Errorf("drop-in in the feed: %+v", e)
		}
	}
	if got := strings.Join(uids, "|"); got != "Partnership Southwark Strategic Board – 22 May 2025|Carers' drop-in" {
		t.Errorf("Southwark feed has %q", got)
	}
	if !strings.Contains(cal.Name, "Southwark") {
		t.Errorf("feed name %q", cal.Name)
	}

	// An edit bumps SEQUENCE, and the calendar shows it at once.
	drop.Title = "Carers' drop-in (new room)"
	drop.Cancellations = []string{london(drop.StartsAt.AddDate(0, 0, 7))}
	if err := s.db.Tx(ctx, func(q db.Querier) error { return events.NewStore(q).Update(ctx, drop) }); err != nil {
		t.Fatal(err)
	}
	_, body = s.get("/events/carers-drop-in/calendar.ics")
	cal = testenv.ParseICal(t, body)
	if e := cal.Events[0]; e.Sequence != 1 || e.Summary != "Carers' drop-in (new room)" || len(e.ExDates) != 1 {
		t.Errorf("after an edit: %+v", e)
	}
	page := textOf(s.page("/events/carers-drop-in"))
	if !strings.Contains(page, "Repeats") || !strings.Contains(page, ", 10 times") || !strings.Contains(page, ": cancelled") {
		t.Errorf("repeating event page: %s", page)
	}
}

func london(t time.Time) string { return t.In(mustLondon).Format("2006-01-02") }

var mustLondon, _ = time.LoadLocation("Europe/London")

func TestJoiningLinkShownOnlyWhenUseful(t *testing.T) {
	s := newTestSite(t)
	s.addEvent(events.Event{Slug: "soon", Title: "Webinar soon", StartsAt: hours(48), EndsAt: hours(49), Attendance: events.Online,
		OnlineURL: "https://meet.example/soon"})
	s.addEvent(events.Event{Slug: "now", Title: "Webinar now", StartsAt: time.Now().Add(-10 * time.Minute), EndsAt: hours(1),
		Attendance: events.Hybrid, OnlineURL: "https://meet.example/now", Venue: "Tooley Street"})
	_, soon := s.get("/events/soon")
	if strings.Contains(soon, "meet.example") || !strings.Contains(soon, "will be shown here 30 minutes before the start") {
		t.Error("the link was shown two days early, or no notice given")
	}
	_, now := s.get("/events/now")
	if !strings.Contains(now, `href="https://meet.example/now"`) {
		t.Error("the link is not shown while the event is on")
	}
	ld := jsonLD(t, s, "/events/now")
	if ld["eventAttendanceMode"] != "https://schema.org/MixedEventAttendanceMode" {
		t.Errorf("hybrid JSON-LD: %v", ld["eventAttendanceMode"])
	}
	if _, ics := s.get("/events/now/calendar.ics"); strings.Contains(ics, "meet.example") {
		t.Error("the joining link leaked into the calendar file")
	}
}

func TestSeededBoardMeetingPage(t *testing.T) {
	s := newTestSite(t)
	ld := jsonLD(t, s, "/events/partnership-southwark-strategic-board-22-may-2025")
	if ld["startDate"] != "2025-05-22T13:30:00+01:00" || ld["endDate"] != "2025-05-22T16:30:00+01:00" || ld["eventStatus"] != "https://schema.org/EventScheduled" {
		t.Errorf("JSON-LD = %v", ld)
	}
	links := find(s.page("/events/partnership-southwark-strategic-board-22-may-2025"), tag("a"))
	var google, outlook bool
	for _, a := range links {
		href := attr(a, "href")
		google = google || strings.HasPrefix(href, "https://calendar.google.com/calendar/render?") && strings.Contains(href, "dates=20250522T123000Z%2F20250522T153000Z")
		outlook = outlook || strings.HasPrefix(href, "https://outlook.office.com/calendar/0/deeplink/compose?") && strings.Contains(href, "startdt=2025-05-22T13%3A30%3A00%2B01%3A00")
	}
	if !google || !outlook {
		t.Errorf("Add to calendar links: Google %v, Outlook %v", google, outlook)
	}
}

func TestEventThemeFilter(t *testing.T) {
	s := newTestSite(t)
	if _, err := s.db.ExecContext(context.Background(), `INSERT INTO themes (slug, name) VALUES ('mental-health', 'Mental health'), ('carers', 'Carers')`); err != nil {
		t.Fatal(err)
	}
	s.addEvent(events.Event{Slug: "wellbeing-cafe", Title: "Wellbeing café", StartsAt: hours(24), EndsAt: hours(26),
		Themes: []events.Theme{{Slug: "mental-health"}}})
	s.addEvent(events.Event{Slug: "carers-lunch", Title: "Carers' lunch", StartsAt: hours(30), EndsAt: hours(32),
		Themes: []events.Theme{{Slug: "carers"}, {Slug: "mental-health"}}})
	s.addEvent(events.Event{Slug: "untagged", Title: "Untagged talk", StartsAt: hours(36), EndsAt: hours(37)})

	var got []string
	for _, a := range find(s.page("/events?theme=carers"), hasClass("nhsuk-card__link")) {
		got = append(got, textOf(a))
	}
	if strings.Join(got, "|") != "Carers' lunch" {
		t.Errorf("carers theme lists %q", got)
	}
	_, body := s.get("/feeds/events.ics?theme=mental-health")
	cal := testenv.ParseICal(t, body)
	if len(cal.Events) != 2 || cal.Name != "Health and care events: Mental health" {
		t.Errorf("mental health feed %q has %d events", cal.Name, len(cal.Events))
	}
	if res, _ := s.get("/feeds/events.ics?theme=gardening"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown theme feed: %d", res.StatusCode)
	}
	if !strings.Contains(textOf(s.page("/events/carers-lunch")), "Themes Carers, Mental health") {
		t.Error("the event page does not list its themes")
	}
	// Saving an event with a theme that does not exist changes nothing.
	ctx := context.Background()
	err := s.db.Tx(ctx, func(q db.Querier) error {
		_, err := events.NewStore(q).Create(ctx, events.Event{Slug: "bad-theme", Title: "Bad", StartsAt: hours(5), EndsAt: hours(6),
			Themes: []events.Theme{{Slug: "no-such-theme"}}})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), `no theme "no-such-theme"`) {
		t.Fatalf("err = %v", err)
	}
	if res, _ := s.get("/events/bad-theme"); res.StatusCode != http.StatusNotFound {
		t.Error("the event with a bad theme was half saved")
	}
}
