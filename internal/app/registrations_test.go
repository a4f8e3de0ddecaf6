package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/registrations"
)

func TestRegistrationHappyPath(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("walk", 2, true)
	b := s.visitor()

	page := b.get("/events/walk")
	if page.status != http.StatusOK || !strings.Contains(page.body, `href="/events/walk/register"`) || !strings.Contains(page.body, "2 places are left of 2") {
		t.Fatalf("event page does not offer registration: %d\n%s", page.status, page.body)
	}
	form := b.get("/events/walk/register")
	for _, want := range []string{`name="name"`, `name="email"`, `name="access_needs"`, `name="access_consent"`, `name="privacy"`, `href="/privacy"`, `name="website"`} {
		if !strings.Contains(form.body, want) {
			t.Errorf("form lacks %s", want)
		}
	}

	// Errors: one per field, input kept, nothing stored.
	bad := b.post("/events/walk/register", registrationForm("Ada", "not-an-email", "privacy", "", "access_needs", "Step-free access"))
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: status %d", bad.status)
	}
	for _, want := range []string{`href="#email"`, `href="#access_consent"`, `href="#privacy"`, `value="Ada"`, "Step-free access</textarea>"} {
		if !strings.Contains(bad.body, want) {
			t.Errorf("invalid form: missing %s", want)
		}
	}
	if n := len(s.statuses(e.ID)); n != 0 {
		t.Fatalf("invalid form stored %d registrations", n)
	}

	res := b.post("/events/walk/register", registrationForm("Ada Lovelace", "Ada@Example.org",
		"access_needs", "Step-free access", "access_consent", "yes"))
	if res.status != http.StatusSeeOther || res.location != "/events/walk/register/done" {
		t.Fatalf("register: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	if done := b.get(res.location); !strings.Contains(done.body, "You have a place at Health walk walk") {
		t.Errorf("done page: %s", done.body)
	}
	if page := s.page("/events/walk"); !strings.Contains(textOf(page), "1 place is left of 2") {
		t.Errorf("event page does not show the place taken")
	}
	again := b.post("/events/walk/register", registrationForm("Ada again", "ada@example.org"))
	if again.status != http.StatusUnprocessableEntity || !strings.Contains(again.body, "already registered") {
		t.Errorf("second registration with the same address: status %d", again.status)
	}

	// The confirmation, delivered as an .eml file, has the event's
	// calendar and a cancel link.
	if _, err := mail.Deliver(context.Background(), s.db, mail.FileSender{Dir: s.cfg.Outbox()}, "no-reply@joinedup.example", time.Now(), 100); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(s.cfg.Outbox(), "*.eml"))
	if len(files) != 1 {
		t.Fatalf("outbox files: %v", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	m := parseEmail(t, raw)
	if m.To != "ada@example.org" || m.Subject != "Your place at Health walk walk" {
		t.Errorf("confirmation to %q, subject %q", m.To, m.Subject)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(m.Attachments["walk.ics"]))
	if err != nil {
		t.Fatalf("attached calendar: %v", err)
	}
	evs := cal.Events()
	if len(evs) != 1 || evs[0].GetProperty(ics.ComponentPropertySummary).Value != "Health walk walk" {
		t.Fatalf("calendar events: %v", m.Attachments["walk.ics"])
	}
	if start, err := evs[0].GetStartAt(); err != nil || !start.Equal(e.StartsAt) {
		t.Errorf("calendar start %v (%v), want %v", start, err, e.StartsAt)
	}
	cancel := link(t, m.Text, "/register/cancel")

	// A guessed or altered link does not work.
	if res := b.get(strings.Replace(cancel, "t=", "t=x", 1)); res.status != http.StatusNotFound {
		t.Errorf("altered cancel link: status %d", res.status)
	}
	// Opening the link cancels nothing; the button does.
	confirm := b.get(cancel)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "Cancel my place") {
		t.Fatalf("cancel page: %d\n%s", confirm.status, confirm.body)
	}
	if st := s.statuses(e.ID)["ada@example.org"]; st != registrations.Confirmed {
		t.Fatalf("GET of the cancel link changed the registration to %s", st)
	}
	form2 := queryForm(t, cancel)
	if res := b.post("/events/walk/register/cancel", form2); res.status != http.StatusOK || !strings.Contains(res.body, "Your place is cancelled") {
		t.Fatalf("cancel: %d\n%s", res.status, res.body)
	}
	if st := s.statuses(e.ID)["ada@example.org"]; st != registrations.Cancelled {
		t.Errorf("after cancelling: %s", st)
	}
	if page := s.page("/events/walk"); !strings.Contains(textOf(page), "2 places are left of 2") {
		t.Errorf("event page does not show the place given back")
	}
	if res := b.post("/events/walk/register/cancel", form2); !strings.Contains(res.body, "already cancelled") {
		t.Errorf("cancelling twice: %d", res.status)
	}
}

func TestRegistrationLastPlacesUnderConcurrency(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("busy", 10, true)
	const people = 50
	var wg sync.WaitGroup
	codes := make([]int, people)
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := s.visitor().post("/events/busy/register", registrationForm("Person "+strconv.Itoa(i), fmt.Sprintf("p%d@example.org", i)))
			codes[i] = res.status
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusSeeOther {
			t.Errorf("person %d: status %d", i, c)
		}
	}
	count := map[registrations.Status]int{}
	for _, st := range s.statuses(e.ID) {
		count[st]++
	}
	if count[registrations.Confirmed] != 10 || count[registrations.Waiting] != 40 || len(s.statuses(e.ID)) != people {
		t.Errorf("statuses %v, want 10 confirmed and 40 waiting", count)
	}
	settings, err := registrations.NewStore(s.db).Settings(context.Background(), e.ID)
	if err != nil || settings.Taken != 10 {
		t.Errorf("places taken %d (%v), want 10", settings.Taken, err)
	}
	kinds := map[string]int{}
	for _, m := range s.outbox() {
		kinds[m.Kind]++
	}
	if kinds["registration-confirmed"] != 10 || kinds["registration-waiting"] != 40 {
		t.Errorf("emails %v", kinds)
	}
}

// The same person sending the form several times at once gets one place,
// and the other requests are told they are already registered.
func TestRegistrationSamePersonAtOnce(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("twice", 10, true)
	const tries = 5 // the limit per email address
	var wg sync.WaitGroup
	codes := make([]int, tries)
	for i := range tries {
		wg.Go(func() {
			codes[i] = s.visitor().post("/events/twice/register", registrationForm("Sam", "sam@example.org")).status
		})
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusSeeOther] != 1 || count[http.StatusUnprocessableEntity] != tries-1 {
		t.Errorf("statuses %v, want one 303 and %d 422", count, tries-1)
	}
	if n := len(s.statuses(e.ID)); n != 1 {
		t.Errorf("%d registrations, want 1", n)
	}
}

func TestCancellationPromotesFirstWaiting(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("small", 1, true)
	for _, who := range []string{"first", "second", "third"} {
		if res := s.visitor().post("/events/small/register", registrationForm(who, who+"@example.org")); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d", who, res.status)
		}
	}
	if got := s.statuses(e.ID); got["first@example.org"] != registrations.Confirmed || got["second@example.org"] != registrations.Waiting {
		t.Fatalf("before: %v", got)
	}
	waiting := s.mailTo("third@example.org", "registration-waiting")
	if len(waiting) != 1 || !strings.Contains(waiting[0].Text, "number 2 in the queue") {
		t.Fatalf("waiting email: %+v", waiting)
	}
	if page := s.page("/events/small/register"); !strings.Contains(textOf(page), "This event is full") {
		t.Errorf("full event's form does not say so")
	}
	cancel := link(t, s.mailTo("first@example.org", "registration-confirmed")[0].Text, "/register/cancel")
	b := s.visitor()
	if res := b.post("/events/small/register/cancel", queryForm(t, cancel)); res.status != http.StatusOK {
		t.Fatalf("cancel: %d", res.status)
	}
	got := s.statuses(e.ID)
	if got["first@example.org"] != registrations.Cancelled || got["second@example.org"] != registrations.Confirmed || got["third@example.org"] != registrations.Waiting {
		t.Errorf("after: %v", got)
	}
	promoted := s.mailTo("second@example.org", "registration-promoted")
	if len(promoted) != 1 || promoted[0].Attachments["small.ics"] == "" || !strings.Contains(promoted[0].Text, "/register/cancel") {
		t.Errorf("promotion email: %+v", promoted)
	}
	if n := len(s.mailTo("third@example.org", "registration-promoted")); n != 0 {
		t.Errorf("third was emailed a place")
	}
}

func TestReminderSentOnce(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("remind", 5, true) // reminder 24 hours before a start 48 hours away
	if res := s.visitor().post("/events/remind/register", registrationForm("Bo", "bo@example.org")); res.status != http.StatusSeeOther {
		t.Fatalf("register: %d", res.status)
	}
	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	run := func() int {
		if err := runner.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		return len(s.mailTo("bo@example.org", "registration-reminder"))
	}
	if n := run(); n != 0 {
		t.Fatalf("reminder sent two days early")
	}
	s.clock.Add(e.StartsAt.Sub(s.clock.Now()) - 23*time.Hour)
	if n := run(); n != 1 {
		t.Fatalf("reminders a day before: %d, want 1", n)
	}
	for range 3 {
		s.clock.Add(10 * time.Minute)
		if n := run(); n != 1 {
			t.Fatalf("reminders later: %d, want still 1", n)
		}
	}
	m := s.mailTo("bo@example.org", "registration-reminder")[0]
	if !strings.HasPrefix(m.Subject, "Reminder: Health walk remind") || m.Attachments["remind.ics"] == "" {
		t.Errorf("reminder: %q %v", m.Subject, m.Attachments)
	}
}

func TestAttendeeExport(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("export", 1, true)
	s.addUser("se@example.org", "editor", "southwark")
	s.addUser("lew@example.org", "editor", "lewisham")
	for _, f := range []map[string][]string{
		registrationForm("=HYPERLINK(\"x\")", "a@example.org", "access_needs", "Hearing loop", "access_consent", "yes"),
		registrationForm("Bea", "b@example.org"),
	} {
		if res := s.visitor().post("/events/export/register", f); res.status != http.StatusSeeOther {
			t.Fatalf("register: %d %s", res.status, res.body)
		}
	}
	path := "/admin/events/" + strconv.FormatInt(e.ID, 10) + "/registration/attendees.csv"
	if res := s.visitor().mustLogin("lew@example.org").get(path); res.status != http.StatusForbidden {
		t.Errorf("editor of another place: status %d", res.status)
	}
	if res := s.visitor().get(path); res.status != http.StatusSeeOther {
		t.Errorf("anonymous: status %d", res.status)
	}
	res := s.visitor().mustLogin("se@example.org").get(path)
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", res.status, res.header.Get("Content-Type"))
	}
	want := "Name,Email,Status,Registered,Access needs\n\"'=HYPERLINK(\"\"x\"\")\",a@example.org,confirmed,"
	if !strings.HasPrefix(res.body, want) || !strings.Contains(res.body, ",Hearing loop\n") || !strings.Contains(res.body, "Bea,b@example.org,waiting,") {
		t.Errorf("csv:\n%s", res.body)
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'attendees_exported' AND actor = 'se@example.org'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("audit entries %d (%v)", n, err)
	}
}

// The residents' pages of registration, privacy and subscriptions, in
// each of their states, answer with the status each state calls for and
// are valid HTML.
func TestResidentPagesAreValidHTML(t *testing.T) {
	s := newAdminSite(t)
	s.registrationEvent("valid", 1, true)
	v := s.visitor()
	type page struct {
		res  response
		want int
	}
	pages := map[string]page{
		"event page":      {v.get("/events/valid"), http.StatusOK},
		"form":            {v.get("/events/valid/register"), http.StatusOK},
		"form (errors)":   {v.post("/events/valid/register", registrationForm("", "bad", "privacy", "", "access_needs", "x")), http.StatusUnprocessableEntity},
		"privacy notice":  {v.get("/privacy"), http.StatusOK},
		"bad cancel link": {v.get("/events/valid/register/cancel?r=1&t=x"), http.StatusNotFound},
	}
	v.post("/events/valid/register", registrationForm("Kim", "kim@example.org"))
	v.post("/events/valid/register", registrationForm("Lee", "lee@example.org"))
	pages["done"] = page{v.get("/events/valid/register/done"), http.StatusOK}
	pages["done (waiting)"] = page{v.get("/events/valid/register/done?waiting=1"), http.StatusOK}
	pages["full event page"] = page{v.get("/events/valid"), http.StatusOK}
	pages["full form"] = page{v.get("/events/valid/register"), http.StatusOK}
	kim := s.mailTo("kim@example.org", "registration-confirmed")[0].Text
	pages["cancel page"] = page{v.get(link(t, kim, "/register/cancel")), http.StatusOK}
	pages["cancelled"] = page{v.post("/events/valid/register/cancel", queryForm(t, link(t, kim, "/register/cancel"))), http.StatusOK}
	pages["erase page"] = page{v.get(link(t, kim, "/privacy/erase")), http.StatusOK}
	pages["erased"] = page{v.post("/privacy/erase", queryForm(t, link(t, kim, "/privacy/erase"))), http.StatusOK}
	board := "/in-your-area/southwark/boards/strategic-board/subscribe"
	pages["subscribe"] = page{v.get(board), http.StatusOK}
	pages["subscribe (errors)"] = page{v.post(board, map[string][]string{"email": {"x"}}), http.StatusUnprocessableEntity}
	pages["subscribed, check email"] = page{v.post(board, map[string][]string{"email": {"mo@example.org"}}), http.StatusOK}
	confirm := link(t, s.mailTo("mo@example.org", "subscription-confirm")[0].Text, "/subscriptions/confirm")
	pages["confirm subscription"] = page{v.get(confirm), http.StatusOK}
	pages["subscription confirmed"] = page{v.post("/subscriptions/confirm", queryForm(t, confirm)), http.StatusOK}
	s.weeklyEvent("weekly-valid", 1)
	pages["form of a repeating event"] = page{v.get("/events/weekly-valid/register"), http.StatusOK}
	pages["form of a repeating event (errors)"] = page{v.post("/events/weekly-valid/register", registrationForm("Nia", "nia@example.org")), http.StatusUnprocessableEntity}
	docs := map[string]string{}
	for what, p := range pages {
		if p.res.status != p.want {
			t.Errorf("%s: status %d, want %d", what, p.res.status, p.want)
		}
		if !strings.Contains(p.res.body, "</html>") {
			t.Errorf("%s: not a page:\n%.300s", what, p.res.body)
		}
		if strings.Contains(p.res.body, `href=""`) {
			t.Errorf("%s has a link to nowhere", what)
		}
		docs[what] = p.res.body
	}
	validateHTML(t, docs)
}

func TestRegistrationSpamProtection(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("spam", 50, true)
	v := s.visitor()
	// A bot fills in the hidden field: it is told all went well, and
	// nothing is stored or sent.
	if res := v.post("/events/spam/register", registrationForm("Bot", "bot@example.org", "website", "http://spam.example")); res.status != http.StatusSeeOther {
		t.Errorf("honeypot: status %d", res.status)
	}
	if n := len(s.statuses(e.ID)); n != 0 || len(s.outbox()) != 0 {
		t.Errorf("honeypot stored %d registrations and %d emails", n, len(s.outbox()))
	}
	// One address may try five times an hour.
	for i := range 5 {
		if res := v.post("/events/spam/register", registrationForm("Rep", "rep@example.org")); res.status != http.StatusSeeOther && res.status != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i+1, res.status)
		}
	}
	if res := v.post("/events/spam/register", registrationForm("Rep", "REP@example.org")); res.status != http.StatusTooManyRequests {
		t.Errorf("sixth attempt in an hour: status %d, want 429", res.status)
	}
	if res := v.post("/events/spam/register", registrationForm("Other", "other@example.org")); res.status != http.StatusSeeOther {
		t.Errorf("another address from the same client: status %d", res.status)
	}
	s.clock.Add(time.Hour)
	if res := v.post("/events/spam/register", registrationForm("Rep", "rep@example.org")); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already registered") {
		t.Errorf("an hour later: status %d", res.status)
	}
}

func TestAdminRegistrationSettings(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("settings", 1, false)
	s.addUser("se@example.org", "editor", "southwark")
	b := s.visitor().mustLogin("se@example.org")
	path := "/admin/events/" + itoa(e.ID) + "/registration"
	if res := s.visitor().post("/events/settings/register", registrationForm("Uma", "uma@example.org")); res.status != http.StatusSeeOther {
		t.Fatalf("register: %d", res.status)
	}
	full := s.visitor().post("/events/settings/register", registrationForm("Val", "val@example.org"))
	if full.status != http.StatusConflict || !strings.Contains(full.body, "no waiting list") {
		t.Fatalf("full event without a waiting list: %d", full.status)
	}

	// Errors keep the input and change nothing.
	bad := b.post(path, map[string][]string{"settings": {"enabled"}, "capacity": {"lots"}, "reminder_hours": {"24"}, "opens_date": {"2026-03-01"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `href="#capacity"`) || !strings.Contains(bad.body, `href="#opens_time"`) || !strings.Contains(bad.body, `value="lots"`) {
		t.Fatalf("bad settings: %d\n%s", bad.status, bad.body)
	}
	// A waiting list, then more places: the people waiting get them.
	b.post(path, map[string][]string{"settings": {"enabled", "waiting_list"}, "capacity": {"1"}, "reminder_hours": {"24"}})
	for _, who := range []string{"val", "wes"} {
		if res := s.visitor().post("/events/settings/register", registrationForm(who, who+"@example.org")); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d", who, res.status)
		}
	}
	res := b.post(path, map[string][]string{"settings": {"enabled", "waiting_list", "ask_access_needs"}, "capacity": {"3"}, "reminder_hours": {"2.5"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", res.status, res.body)
	}
	page := b.get(path)
	if !strings.Contains(page.body, "2 people on the waiting list now have places") || !strings.Contains(page.body, "3 of 3 places taken") || !strings.Contains(page.body, `value="2.5"`) {
		t.Errorf("after raising the capacity:\n%s", page.body)
	}
	st := s.statuses(e.ID)
	if st["val@example.org"] != registrations.Confirmed || st["wes@example.org"] != registrations.Confirmed || len(s.mailTo("wes@example.org", "registration-promoted")) != 1 {
		t.Errorf("after raising the capacity: %v", st)
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'registration_settings_updated' AND actor = 'se@example.org'`); n != 2 {
		t.Errorf("audit entries: %d, want 2", n)
	}
	// Registration off: the event page and form no longer offer it.
	b.post(path, map[string][]string{"capacity": {"3"}, "reminder_hours": {"0"}})
	if res := s.visitor().get("/events/settings/register"); res.status != http.StatusNotFound {
		t.Errorf("form of an event without registration: %d", res.status)
	}
	if page := s.page("/events/settings"); strings.Contains(textOf(page), "Register") {
		t.Errorf("event page still offers registration")
	}
}

func TestCancelLinkAfterTheEvent(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("over", 1, true)
	for _, who := range []string{"nia", "oli"} {
		s.visitor().post("/events/over/register", registrationForm(who, who+"@example.org"))
	}
	cancel := link(t, s.mailTo("nia@example.org", "registration-confirmed")[0].Text, "/register/cancel")
	s.clock.Add(e.EndsAt.Sub(s.clock.Now()) + time.Hour)
	for _, res := range []response{s.visitor().get(cancel), s.visitor().post("/events/over/register/cancel", queryForm(t, cancel))} {
		if res.status != http.StatusOK || !strings.Contains(res.body, "has already happened") {
			t.Errorf("cancel link after the event: %d", res.status)
		}
	}
	if st := s.statuses(e.ID); st["nia@example.org"] != registrations.Confirmed || st["oli@example.org"] != registrations.Waiting {
		t.Errorf("after the event, the cancel link changed %v", st)
	}
}

// Behind a trusted reverse proxy, the per-client limit counts each
// resident's own address, not the proxy's.
func TestRegistrationLimitBehindProxy(t *testing.T) {
	s := openAdminSite(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	s.registrationEvent("proxied", 10, true)
	for i, addr := range []string{"203.0.113.7", "198.51.100.9"} {
		res := s.visitor().post("/events/proxied/register", registrationForm("R", fmt.Sprintf("r%d@example.org", i)), "X-Forwarded-For", addr)
		if res.status != http.StatusSeeOther {
			t.Fatalf("register from %s: %d", addr, res.status)
		}
	}
	for _, key := range []string{"register:client:203.0.113.7", "register:client:198.51.100.9"} {
		sum := sha256.Sum256([]byte(key))
		if n := s.count(`SELECT COUNT(*) FROM form_throttle WHERE key = $1`, base64.RawURLEncoding.EncodeToString(sum[:])); n != 1 {
			t.Errorf("no rate-limit count for %s", key)
		}
	}
	sum := sha256.Sum256([]byte("register:client:127.0.0.1"))
	if n := s.count(`SELECT COUNT(*) FROM form_throttle WHERE key = $1`, base64.RawURLEncoding.EncodeToString(sum[:])); n != 0 {
		t.Errorf("the proxy's own address was counted")
	}
}

func TestRegistrationOpensAndCloses(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("window", 10, true)
	st := registrations.DefaultSettings(e.ID)
	st.Enabled, st.Capacity = true, 10
	st.OpensAt, st.ClosesAt = s.clock.Now().Add(2*time.Hour), s.clock.Now().Add(4*time.Hour)
	if err := s.db.Tx(context.Background(), func(q db.Querier) error {
		return registrations.NewStore(q).SaveSettings(context.Background(), st)
	}); err != nil {
		t.Fatal(err)
	}
	try := func(addr string) response {
		return s.visitor().post("/events/window/register", registrationForm("Tess", addr))
	}
	if res := try("early@example.org"); res.status != http.StatusConflict || !strings.Contains(res.body, "Registration opens on") {
		t.Errorf("before opening: %d", res.status)
	}
	if page := s.page("/events/window"); !strings.Contains(textOf(page), "Registration opens on") {
		t.Errorf("the event page does not say when registration opens")
	}
	s.clock.Add(3 * time.Hour)
	if res := try("ontime@example.org"); res.status != http.StatusSeeOther {
		t.Errorf("while open: %d", res.status)
	}
	s.clock.Add(2 * time.Hour)
	if res := try("late@example.org"); res.status != http.StatusConflict || !strings.Contains(res.body, "Registration closed on") {
		t.Errorf("after closing: %d", res.status)
	}
	if got := s.statuses(e.ID); len(got) != 1 || got["ontime@example.org"] != registrations.Confirmed {
		t.Errorf("registrations: %v", got)
	}
}
