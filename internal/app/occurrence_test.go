package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	tz "github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/registrations"
)

// weeklyEvent adds an open-ended weekly event, first in 48 hours, taking
// registrations with capacity places a date.
func (s *adminSite) weeklyEvent(slug string, capacity int) events.Event {
	s.t.Helper()
	start := s.clock.Now().Add(48 * time.Hour).Truncate(time.Hour)
	e := s.addEvent(events.Event{Slug: slug, Title: "Drop-in " + slug, Summary: "A weekly drop-in.", StartsAt: start,
		EndsAt: start.Add(2 * time.Hour), Venue: "Library", Organiser: "Partnership Southwark", RepeatRule: "FREQ=WEEKLY"}, "southwark")
	st := registrations.DefaultSettings(e.ID)
	st.Enabled, st.Capacity, st.WaitingList = true, capacity, true
	if err := s.db.Tx(context.Background(), func(q db.Querier) error {
		return registrations.NewStore(q).SaveSettings(context.Background(), st)
	}); err != nil {
		s.t.Fatal(err)
	}
	return e
}

// byDate returns each "address date" pair's registration at the event.
func (s *adminSite) byDate(eventID int64) map[string]registrations.Registration {
	s.t.Helper()
	list, err := registrations.NewStore(s.db).ForEvent(context.Background(), eventID)
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]registrations.Registration{}
	for _, r := range list {
		out[r.Email+" "+r.Date] = r
	}
	return out
}

// A repeating event takes registrations per date: places, the waiting
// list, once per person, reminders and erasure each count one date.
func TestRegistrationPerOccurrence(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	e := s.weeklyEvent("weekly", 1)
	first := e.StartsAt
	second := first.AddDate(0, 0, 7)
	late := first.AddDate(0, 0, 7*13) // about three months on
	day := func(t time.Time) string { return tz.In(t).Format("2006-01-02") }

	form := s.visitor().get("/events/weekly/register")
	for _, d := range []time.Time{first, second, late} {
		if !strings.Contains(form.body, `value="`+day(d)+`"`) {
			t.Fatalf("the form does not offer %s:\n%s", day(d), form.body)
		}
	}
	if res := s.visitor().post("/events/weekly/register", registrationForm("Zoe", "zoe@example.org")); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Choose the date") || !strings.Contains(res.body, `value="zoe@example.org"`) {
		t.Errorf("no date chosen: %d", res.status)
	}
	if res := s.visitor().post("/events/weekly/register", registrationForm("Zoe", "zoe@example.org", "date", "2001-01-01")); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a date the event is not on: %d", res.status)
	}
	register := func(name, addr string, d time.Time) response {
		return s.visitor().post("/events/weekly/register", registrationForm(name, addr, "date", day(d)))
	}
	for _, c := range []struct {
		name, addr string
		date       time.Time
		status     int
	}{
		{"Ann", "ann@example.org", first, http.StatusSeeOther},
		{"Bob", "bob@example.org", first, http.StatusSeeOther},  // waiting: the one place of the first date is Ann's
		{"Bob", "bob@example.org", second, http.StatusSeeOther}, // a place on another date
		{"Ann", "ann@example.org", second, http.StatusSeeOther}, // once per person per date, not per series
		{"Ann", "ann@example.org", late, http.StatusSeeOther},
		{"Ann", "ann@example.org", first, http.StatusUnprocessableEntity}, // twice for one date
	} {
		if res := register(c.name, c.addr, c.date); res.status != c.status {
			t.Errorf("%s for %s: %d, want %d\n%s", c.name, day(c.date), res.status, c.status, res.body)
		}
	}
	regs := s.byDate(e.ID)
	for key, want := range map[string]registrations.Status{
		"ann@example.org " + day(first):  registrations.Confirmed,
		"bob@example.org " + day(first):  registrations.Waiting,
		"bob@example.org " + day(second): registrations.Confirmed,
		"ann@example.org " + day(second): registrations.Waiting,
		"ann@example.org " + day(late):   registrations.Confirmed,
	} {
		if regs[key].Status != want {
			t.Errorf("%s: %q, want %q", key, regs[key].Status, want)
		}
	}
	// The email names the date chosen and its calendar file is that date alone.
	var lateMail email
	for _, m := range s.mailTo("ann@example.org", "registration-confirmed") {
		if strings.Contains(m.Text, tz.LongDate(late)) {
			lateMail = m
		}
	}
	if lateMail.ID == 0 {
		t.Fatalf("no confirmation names %s", tz.LongDate(late))
	}
	ics := lateMail.Attachments["weekly.ics"]
	if !strings.Contains(ics, "DTSTART;TZID=Europe/London:"+tz.In(late).Format("20060102T150405")) || strings.Contains(ics, "FREQ=WEEKLY") {
		t.Errorf("the calendar file is not the date chosen (%s):\n%s", tz.In(late).Format("20060102T150405"), ics)
	}
	if page := s.visitor().get("/events/weekly/register/done?date=" + day(late)); !strings.Contains(page.body, tz.LongDate(late)) {
		t.Errorf("the page after registering does not name the date")
	}

	// Cancelling Ann's place on the first date gives it to Bob, who waits for that date.
	cancel := link(t, s.mailTo("ann@example.org", "registration-confirmed")[0].Text, "/register/cancel")
	if res := s.visitor().post("/events/weekly/register/cancel", queryForm(t, cancel)); res.status != http.StatusOK {
		t.Fatalf("cancel: %d", res.status)
	}
	regs = s.byDate(e.ID)
	if regs["bob@example.org "+day(first)].Status != registrations.Confirmed || regs["ann@example.org "+day(second)].Status != registrations.Waiting {
		t.Errorf("after cancelling the first date: %+v", regs)
	}

	// Reminders go for each date a day before it.
	svc := registrations.NewService(s.db, outbox(s.cfg), s.cfg.BaseURL, s.cfg.Outbox(), nil)
	reminded := func(at time.Time) []string {
		if _, err := svc.SendReminders(ctx, at); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range s.outbox() {
			if m.Kind == "registration-reminder" {
				out = append(out, m.To+" "+m.Subject)
			}
		}
		return out
	}
	if got := reminded(first.Add(-23 * time.Hour)); len(got) != 1 || !strings.HasPrefix(got[0], "bob@example.org") || !strings.Contains(got[0], tz.LongDate(first)) {
		t.Errorf("reminders a day before the first date: %q", got)
	}
	if got := reminded(second.Add(-23 * time.Hour)); len(got) != 2 || !strings.HasPrefix(got[1], "bob@example.org") || !strings.Contains(got[1], tz.LongDate(second)) {
		t.Errorf("reminders a day before the second date: %q", got)
	}

	// A second place a date books the first person waiting on each date
	// that has someone waiting, and nobody else.
	st := registrations.DefaultSettings(e.ID)
	st.Enabled, st.Capacity, st.WaitingList = true, 2, true
	var promoted int
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		promoted, err = svc.SaveSettings(ctx, q, e, st)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if regs = s.byDate(e.ID); promoted != 1 || regs["ann@example.org "+day(second)].Status != registrations.Confirmed {
		t.Errorf("after raising the capacity: %d promoted, %+v", promoted, regs)
	}

	// The organiser's list says each registration's date.
	s.addUser("ed@example.org", "editor", "southwark")
	list := s.visitor().mustLogin("ed@example.org").get("/admin/events/" + itoa(e.ID) + "/registration/attendees.csv")
	if !strings.HasPrefix(list.body, "Date,Name,Email") || !strings.Contains(list.body, day(late)+",Ann,ann@example.org,confirmed") {
		t.Errorf("attendee list:\n%s", list.body)
	}

	// Thirteen months after the first date, the series goes on, but the
	// details of the first two dates are erased; the late date's are kept.
	s.clock.Add(first.AddDate(1, 1, 0).Sub(s.clock.Now()))
	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := registrations.NewStore(s.db).ForEvent(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range all {
		erase := r.Date != day(late)
		if r.Erased != erase || (r.Email == "") != erase {
			t.Errorf("registration for %s: erased %v (%q), want %v", r.Date, r.Erased, r.Email, erase)
		}
	}
}

// A one-off event still takes one registration per person, with no date to choose.
func TestRegistrationOneOffHasNoDateChoice(t *testing.T) {
	s := newAdminSite(t)
	s.registrationEvent("one-off", 1, true)
	form := s.visitor().get("/events/one-off/register")
	if strings.Contains(form.body, `name="date"`) {
		t.Errorf("a one-off event asks for a date")
	}
	for _, c := range []struct {
		addr   string
		status int
	}{{"a@example.org", http.StatusSeeOther}, {"a@example.org", http.StatusUnprocessableEntity}, {"b@example.org", http.StatusSeeOther}} {
		if res := s.visitor().post("/events/one-off/register", registrationForm("A", c.addr)); res.status != c.status {
			t.Errorf("%s: %d, want %d", c.addr, res.status, c.status)
		}
	}
}
