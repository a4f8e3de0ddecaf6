package app

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/registrations"
)

// fixture helpers for the retention test: rows written straight to the
// database, since nobody can register for an event that is over.

func (s *adminSite) pastEvent(slug string, ended time.Time) int64 {
	s.t.Helper()
	return s.addEvent(events.Event{Slug: slug, Title: "Event " + slug, Summary: "x", StartsAt: ended.Add(-2 * time.Hour),
		EndsAt: ended, Venue: "Hall"}, "southwark").ID
}

func (s *adminSite) addRegistration(eventID int64, name, addr, needs string) {
	s.t.Helper()
	_, err := s.db.ExecContext(context.Background(), `INSERT INTO registrations (event_id, name, email, access_needs, access_consent,
		status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'confirmed', $6, $6)`, eventID, name, addr, needs, needs != "", time.Now().UTC())
	if err != nil {
		s.t.Fatal(err)
	}
}

func (s *adminSite) addQuestion(meetingID int64, name, addr, org, body string) {
	s.t.Helper()
	ctx := context.Background()
	err := s.db.Tx(ctx, func(q db.Querier) error {
		st := questions.NewStore(q)
		ref, err := st.NextReference(ctx, 2025)
		if err != nil {
			return err
		}
		id, err := st.Insert(ctx, questions.Question{MeetingID: meetingID, Reference: ref, Name: name, Email: addr, Organisation: org,
			Body: body, PublishName: true, PrivacyAccepted: true, SubmittedAt: time.Now()})
		if err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, `UPDATE questions SET status = 'answered_at_meeting', answer = 'We will.' WHERE id = $1`, id)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

// addSent stores an email sent to addr, queued at created, about the
// record ref names (if given).
func (s *adminSite) addSent(addr string, created time.Time, sent bool, ref ...string) int64 {
	s.t.Helper()
	var sentAt any
	if sent {
		sentAt = created
	}
	var id int64
	err := s.db.Tx(context.Background(), func(q db.Querier) error {
		return q.QueryRowContext(context.Background(), `INSERT INTO mail_outbox (kind, to_addr, subject, message, created_at, next_attempt_at, sent_at, ref)
			VALUES ('test', $1, 'Hello', $2, $3, $3, $4, $5) RETURNING id`, addr, []byte("Hello "+addr), created.UTC(), sentAt, strings.Join(ref, "")).Scan(&id)
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

func TestRetentionErasesExactlyWhatItShould(t *testing.T) {
	s := newAdminSite(t)
	now := s.clock.Now()
	months := func(n int) time.Time { return now.AddDate(0, -n, 0) }

	oldWalk := s.pastEvent("old-walk", months(13))       // default 12 months: erased
	recentWalk := s.pastEvent("recent-walk", months(11)) // kept
	s.addRegistration(oldWalk, "Ann Old", "ann@example.org", "Wheelchair space")
	s.addRegistration(oldWalk, "Bob Old", "bob@example.org", "")
	s.addRegistration(recentWalk, "Cat Recent", "cat@example.org", "Hearing loop")
	upcoming := s.registrationEvent("soon", 10, true)
	s.addRegistration(upcoming.ID, "Ann Soon", "ann@example.org", "")

	// A board keeping data 6 months: its meeting that ended 7 months ago is erased.
	short, shortMeeting := s.meeting("short-meeting", months(7).Add(-3*time.Hour), func(b *boards.Board) { b.RetentionMonths = 6 })
	s.addQuestion(shortMeeting, "Dan Asker", "Dan@Example.org", "Dan's Trust", "Why is the clinic closing?")
	shortEvent, err := events.NewStore(s.db).BySlug(context.Background(), short)
	if err != nil {
		t.Fatal(err)
	}
	s.addRegistration(shortEvent.ID, "Eve Attendee", "eve@example.org", "")
	// A board keeping data 24 months: its meeting 13 months ago is kept.
	_, longMeeting := s.meeting("long-meeting", months(13).Add(-3*time.Hour), func(b *boards.Board) { b.RetentionMonths = 24 })
	s.addQuestion(longMeeting, "Fay Asker", "fay@example.org", "Fay's Group", "When will the survey close?")

	oldToAnn := s.addSent("ann@example.org", months(14), true)
	recentToAnn := s.addSent("ann@example.org", months(1), true)
	oldToZed := s.addSent("zed@example.org", months(14), true)
	questionRef := func(meetingID int64) string {
		var id int64
		if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM questions WHERE meeting_id = $1`, meetingID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return questions.Ref(id)
	}
	oldToDan := s.addSent("dan@example.org", months(8), true, questionRef(shortMeeting))
	oldToFay := s.addSent("fay@example.org", months(14), true, questionRef(longMeeting))
	// The offline sender's copies of two of them.
	eml := func(id int64) string { return filepath.Join(s.cfg.Outbox(), itoa(id)+".eml") }
	if err := os.MkdirAll(s.cfg.Outbox(), 0o750); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{oldToAnn, recentToAnn} {
		if err := os.WriteFile(eml(id), []byte("To: ann@example.org\r\n\r\nHello"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second run changes nothing more
		if err := runner.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(7 * time.Hour)
	}

	regs := func(eventID int64) []registrations.Registration {
		list, err := registrations.NewStore(s.db).ForEvent(context.Background(), eventID)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	for _, c := range []struct {
		name   string
		event  int64
		erased bool
	}{
		{"event ended 13 months ago", oldWalk, true},
		{"event ended 11 months ago", recentWalk, false},
		{"event to come", upcoming.ID, false},
		{"meeting of a 6-month board, 7 months ago", shortEvent.ID, true},
	} {
		for _, r := range regs(c.event) {
			blank := r.Name == "" && r.Email == "" && r.AccessNeeds == "" && !r.AccessConsent
			if r.Erased != c.erased || blank != c.erased {
				t.Errorf("%s: registration %+v, want erased=%v", c.name, r, c.erased)
			}
		}
	}
	if r := regs(recentWalk)[0]; r.AccessNeeds != "Hearing loop" {
		t.Errorf("recent access needs: %q", r.AccessNeeds)
	}

	type qrow struct {
		name, email, org, body, answer string
		erased                         bool
	}
	question := func(meetingID int64) qrow {
		var q qrow
		var erased *time.Time
		if err := s.db.QueryRowContext(context.Background(), `SELECT name, email, organisation, body, answer, erased_at FROM questions
			WHERE meeting_id = $1`, meetingID).Scan(&q.name, &q.email, &q.org, &q.body, &q.answer, &erased); err != nil {
			t.Fatal(err)
		}
		q.erased = erased != nil
		return q
	}
	if q := question(shortMeeting); q != (qrow{body: "Why is the clinic closing?", answer: "We will.", erased: true}) {
		t.Errorf("question of the 6-month board: %+v", q)
	}
	if q := question(longMeeting); q.name != "Fay Asker" || q.email != "fay@example.org" || q.org != "Fay's Group" || q.erased {
		t.Errorf("question of the 24-month board: %+v", q)
	}
	page := s.page("/events/" + short)
	if text := textOf(page); !strings.Contains(text, "Why is the clinic closing?") || !strings.Contains(text, "a resident") || strings.Contains(text, "Dan") {
		t.Errorf("meeting page after erasure does not show the question from a resident:\n%s", text)
	}

	exists := func(id int64) bool {
		var n int
		if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM mail_outbox WHERE id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n == 1
	}
	for name, c := range map[string]struct {
		id   int64
		kept bool
	}{
		"old email to an erased attendee":                  {oldToAnn, false},
		"recent email to the same person":                  {recentToAnn, true},
		"email about no record, past the retention period": {oldToZed, false},
		"email about an erased question":                   {oldToDan, false},
		"old email about a question still kept":            {oldToFay, true},
	} {
		if exists(c.id) != c.kept {
			t.Errorf("%s: kept %v, want %v", name, !c.kept, c.kept)
		}
	}
	if _, err := os.Stat(eml(oldToAnn)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the .eml file of an erased email is still there (%v)", err)
	}
	if _, err := os.Stat(eml(recentToAnn)); err != nil {
		t.Errorf("the .eml file of a kept email: %v", err)
	}
}

func TestPrivacyNoticeAndErasureLink(t *testing.T) {
	s := newAdminSite(t)
	doc := s.page("/privacy")
	text := textOf(doc)
	for _, want := range []string{"Who we are", "What we collect", "How long we keep it", "Your rights", "12 months after the event", "ico.org.uk"} {
		if !strings.Contains(text, want) {
			t.Errorf("privacy notice lacks %q", want)
		}
	}
	if links := find(s.page("/"), func(n *htmlNode) bool { return n.Data == "a" && attr(n, "href") == "/privacy" }); len(links) == 0 {
		t.Errorf("the footer does not link to the privacy notice")
	}
	if _, sitemap := s.get("/sitemap.xml"); !strings.Contains(sitemap, "<loc>https://joinedup.example/privacy</loc>") {
		t.Errorf("the sitemap does not list the privacy notice")
	}

	e := s.registrationEvent("erase-me", 1, true)
	b := s.visitor()
	for _, who := range []string{"gil", "hal"} {
		if res := b.post("/events/erase-me/register", registrationForm(who, who+"@example.org", "access_needs", "Seat near the door", "access_consent", "yes")); res.status != http.StatusSeeOther {
			t.Fatalf("register %s: %d", who, res.status)
		}
	}
	ctx := context.Background()
	_, meetingID := s.meeting("gil-meeting", time.Now().Add(-48*time.Hour), nil)
	s.addQuestion(meetingID, "Gil", "GIL@example.org", "Gil's Club", "A question kept after erasure")
	if _, err := mail.Deliver(ctx, s.db, mail.FileSender{Dir: s.cfg.Outbox()}, "no-reply@joinedup.example", time.Now(), 100); err != nil {
		t.Fatal(err)
	}
	before, _ := filepath.Glob(filepath.Join(s.cfg.Outbox(), "*.eml"))
	confirmation := s.mailTo("gil@example.org", "registration-confirmed")[0]
	erase := link(t, confirmation.Text, "/privacy/erase")
	if res := b.get(strings.Replace(erase, "t=", "t=forged", 1)); res.status != http.StatusNotFound {
		t.Errorf("forged erasure link: %d", res.status)
	}
	other := url.Values{"a": {"aGFsQGV4YW1wbGUub3Jn"}, "t": {queryForm(t, erase).Get("t")}} // hal's address, gil's signature
	if res := b.post("/privacy/erase", other); res.status != http.StatusNotFound {
		t.Errorf("another address with gil's signature: %d", res.status)
	}
	page := b.get(erase)
	if page.status != http.StatusOK || !strings.Contains(page.body, "gil@example.org") || !strings.Contains(page.body, "Delete my details") {
		t.Fatalf("erasure page: %d\n%s", page.status, page.body)
	}
	if st := s.statuses(e.ID); st["gil@example.org"] != registrations.Confirmed {
		t.Fatalf("opening the link erased something: %v", st)
	}
	if res := b.post("/privacy/erase", queryForm(t, erase)); res.status != http.StatusOK || !strings.Contains(res.body, "Your details have been deleted") {
		t.Fatalf("erase: %d\n%s", res.status, res.body)
	}
	st := s.statuses(e.ID)
	if _, left := st["gil@example.org"]; left || st["hal@example.org"] != registrations.Confirmed {
		t.Errorf("after erasure: %v (hal should have gil's place)", st)
	}
	if n := s.count(`SELECT COUNT(*) FROM registrations WHERE name = 'gil' OR access_needs <> '' AND email = ''`); n != 0 {
		t.Errorf("%d registrations still hold gil's details", n)
	}
	var qname, qbody string
	if err := s.db.QueryRowContext(ctx, `SELECT name, body FROM questions WHERE meeting_id = $1`, meetingID).Scan(&qname, &qbody); err != nil || qname != "" || qbody != "A question kept after erasure" {
		t.Errorf("question after erasure: %q %q %v", qname, qbody, err)
	}
	left := s.mailTo("gil@example.org", "")
	if len(left) != 1 || left[0].Kind != "data-erased" {
		t.Errorf("emails to gil after erasure: %d, want only the confirmation", len(left))
	}
	if n := len(s.mailTo("hal@example.org", "registration-promoted")); n != 1 {
		t.Errorf("hal was not told of the place")
	}
	after, _ := filepath.Glob(filepath.Join(s.cfg.Outbox(), "*.eml"))
	if len(before) != 2 || len(after) != 1 {
		t.Errorf(".eml files before erasure %v, after %v: want gil's gone and hal's kept", before, after)
	}
}

func TestResidentTextIsEscaped(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("xss", 5, true)
	s.addUser("ed@example.org", "editor", "southwark")
	name := `<script>alert("n")</script>`
	needs := `<img src=x onerror=alert(1)>`
	if res := s.visitor().post("/events/xss/register", registrationForm(name, "x@example.org", "access_needs", needs, "access_consent", "yes")); res.status != http.StatusSeeOther {
		t.Fatalf("register: %d %s", res.status, res.body)
	}
	admin := s.visitor().mustLogin("ed@example.org").get("/admin/events/" + itoa(e.ID) + "/registration")
	cancel := s.visitor().get(link(t, s.mailTo("x@example.org", "")[0].Text, "/register/cancel"))
	again := s.visitor().post("/events/xss/register", registrationForm(name, "bad", "access_needs", needs, "access_consent", "yes"))
	for what, body := range map[string]string{"admin attendee list": admin.body, "public cancel page": cancel.body, "form shown again": again.body} {
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
			t.Errorf("%s: resident's text is not escaped", what)
		}
		if !strings.Contains(body, "&lt;script&gt;") && !strings.Contains(body, "&lt;img") {
			t.Errorf("%s: resident's text is missing", what)
		}
	}
}
