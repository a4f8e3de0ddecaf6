package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	ldn "github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/media/mediatest"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/seed"
)

// meeting stores a board of Southwark (with rule changed by edit, if not
// nil) and a published meeting of it at start, and returns the meeting's
// event slug and id.
func (s *adminSite) meeting(slug string, start time.Time, edit func(*boards.Board)) (string, int64) {
	s.t.Helper()
	ctx := context.Background()
	b := boards.Board{PlaceID: s.placeID("southwark"), Slug: slug + "-board", Name: "Test board " + slug, Kind: boards.KindBoard,
		Rule: boards.DefaultRule(), RetentionMonths: 12}
	if edit != nil {
		edit(&b)
	}
	var meetingID int64
	err := s.db.Tx(ctx, func(q db.Querier) error {
		st := boards.NewStore(q)
		id, err := st.SaveBoard(ctx, b)
		if err != nil {
			return err
		}
		eventID, err := events.NewStore(q).Create(ctx, events.Event{Slug: slug, Title: "Meeting " + slug, StartsAt: start,
			EndsAt: start.Add(3 * time.Hour), Venue: "Town hall", PlaceIDs: []int64{s.placeID("southwark")}})
		if err != nil {
			return err
		}
		meetingID, err = st.CreateMeeting(ctx, boards.Meeting{BoardID: id, EventID: eventID, Status: boards.MeetingScheduled,
			MinutesStatus: boards.MinutesNone})
		if err != nil {
			return err
		}
		_, err = st.AddAgendaItem(ctx, meetingID, boards.AgendaItem{Number: 1, Title: "Winter plan", StartsAt: "14:00"})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return slug, meetingID
}

// strategicBoardQuestion stores a question to the seeded Strategic Board's
// meeting to come and returns the ids of the board, the meeting and the
// question.
func (s *adminSite) strategicBoardQuestion() (boardID, meetingID, questionID int64) {
	s.t.Helper()
	ctx := context.Background()
	b, err := boards.NewStore(s.db).BoardBySlug(ctx, "southwark", "strategic-board")
	if err != nil {
		s.t.Fatal(err)
	}
	ms, err := boards.NewStore(s.db).Meetings(ctx, b.ID)
	if err != nil || len(ms) < 2 {
		s.t.Fatalf("seeded meetings: %v, %v", ms, err)
	}
	m := ms[len(ms)-1]
	err = s.db.Tx(ctx, func(q db.Querier) error {
		st := questions.NewStore(q)
		ref, err := st.NextReference(ctx, 2027)
		if err != nil {
			return err
		}
		questionID, err = st.Insert(ctx, questions.Question{MeetingID: m.ID, Reference: ref, Name: "Eve", Email: "eve@example.org",
			Body: "Is the Southwark question answered?", PrivacyAccepted: true, SubmittedAt: time.Now()})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return b.ID, m.ID, questionID
}

// dropSampleMeeting deletes the seeded sample meeting to come (whose date
// depends on the day the test runs), for tests of the seeded listings.
func (s *testSite) dropSampleMeeting() {
	s.t.Helper()
	_, err := s.db.ExecContext(context.Background(), `DELETE FROM events WHERE slug LIKE $1 AND starts_at > $2`,
		seed.SampleMeetingSlugPrefix+"%", time.Now().UTC())
	if err != nil {
		s.t.Fatal(err)
	}
}

// sampleMeeting returns the path of the seeded sample meeting to come.
func (s *testSite) sampleMeeting() string {
	s.t.Helper()
	var slug string
	err := s.db.QueryRowContext(context.Background(), `SELECT slug FROM events WHERE slug LIKE $1 AND starts_at > $2`,
		seed.SampleMeetingSlugPrefix+"%", time.Now().UTC()).Scan(&slug)
	if err != nil {
		s.t.Fatal(err)
	}
	return "/events/" + slug
}

var stampField = regexp.MustCompile(`name="started" value="([^"]+)"`)

// stamp opens the question form of the meeting slug and returns its signed
// timestamp.
func (s *adminSite) stamp(b *browser, slug string) string {
	s.t.Helper()
	res := b.get("/events/" + slug + "/questions")
	m := stampField.FindStringSubmatch(res.body)
	if res.status != http.StatusOK || m == nil {
		s.t.Fatalf("question form of %s: status %d, no timestamp\n%s", slug, res.status, res.body)
	}
	return m[1]
}

// ask fills in the question form like a person: opens it, takes some
// seconds, sends it.
func (s *adminSite) ask(b *browser, slug string, f url.Values) response {
	s.t.Helper()
	f.Set("started", s.stamp(b, slug))
	s.clock.Add(5 * time.Second)
	return b.post("/events/"+slug+"/questions", f)
}

func questionForm(name, email, question string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "question": {question}, "publish": {"name"}, "privacy": {"yes"}}
}

func (s *adminSite) count(query string, args ...any) int {
	s.t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// lastMail returns the newest queued message to addr of kind.
func (s *adminSite) lastMail(addr, kind string) string {
	s.t.Helper()
	var raw []byte
	err := s.db.QueryRowContext(context.Background(), `SELECT message FROM mail_outbox WHERE to_addr = $1 AND kind = $2
		ORDER BY id DESC LIMIT 1`, addr, kind).Scan(&raw)
	if err != nil {
		s.t.Fatalf("no %s email to %s: %v", kind, addr, err)
	}
	return decodeQP(string(raw))
}

// decodeQP returns a plain-text message's headers and its body decoded
// from quoted-printable, to search.
func decodeQP(s string) string {
	head, body, _ := strings.Cut(s, "\r\n\r\n")
	text, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(body)))
	if err != nil {
		return s
	}
	return head + "\n\n" + string(text)
}

var sentRef = regexp.MustCompile(`/questions/sent\?ref=(Q-\d{4}-\d{4,})$`)

// The whole life of a question, through HTTP: sent, confirmed by email,
// accepted, answered in writing, and published with its answer.
func TestQuestionLifeCycle(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	ctx := context.Background()

	// The governance officer adds a meeting of the seeded board: it
	// becomes an event, listed and in calendars.
	day := ldn.In(s.clock.Now().AddDate(0, 0, 21)).Format("2006-01-02")
	res := gov.post("/admin/boards/1/meetings", url.Values{"title": {"Strategic Board in public"}, "slug": {"strategic-board-test"},
		"summary": {"The board meets in public."}, "date": {day}, "start_time": {"13:30"}, "end_time": {"16:30"},
		"attendance": {"in_person"}, "venue": {"Tooley Street"}, "status": {"scheduled"}, "publish": {"published"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/meetings/") {
		t.Fatalf("adding a meeting: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	meetingPath := res.location
	res = gov.post(meetingPath+"/items", url.Values{"item_number": {"1"}, "item_title": {"Winter plan"}, "item_presenter": {"Director of Care"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("adding an agenda item: status %d\n%s", res.status, res.body)
	}
	if cal, body := s.get("/events/strategic-board-test/calendar.ics"); cal.StatusCode != http.StatusOK || !strings.Contains(body, "SUMMARY:Strategic Board in public") {
		t.Errorf("the meeting's calendar file: status %d\n%s", cal.StatusCode, body)
	}
	if _, body := s.get("/events?place=southwark"); !strings.Contains(body, "/events/strategic-board-test") {
		t.Error("the meeting is not in the event listing")
	}

	// A resident asks a question.
	resident := s.visitor()
	f := questionForm("Ada Lovelace", "ada@example.org", "How will the winter plan help carers?\n\nThank you.")
	f.Set("organisation", "Carers Forum")
	res = s.ask(resident, "strategic-board-test", f)
	m := sentRef.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("sending a question: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	ref := m[1]
	if want := fmt.Sprintf("Q-%d-0001", ldn.In(s.clock.Now()).Year()); ref != want {
		t.Errorf("reference %s, want %s", ref, want)
	}
	if thanks := resident.get(res.location); thanks.status != http.StatusOK || !strings.Contains(thanks.body, ref) {
		t.Errorf("thank-you page: status %d, reference not shown", thanks.status)
	}
	confirm := s.lastMail("ada@example.org", "question-received")
	for _, want := range []string{ref, "How will the winter plan help carers?", "https://joinedup.example/events/strategic-board-test",
		"To have your details deleted now: https://joinedup.example/privacy/erase?"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation email lacks %q:\n%s", want, confirm)
		}
	}
	// The mail job writes it to the outbox directory, as no SMTP is set.
	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	emls, _ := filepath.Glob(filepath.Join(s.cfg.Outbox(), "*.eml"))
	found := false
	for _, name := range emls {
		raw, _ := os.ReadFile(name)
		found = found || strings.Contains(decodeQP(string(raw)), ref)
	}
	if !found {
		t.Errorf("no .eml in %s holds the reference %s (files: %v)", s.cfg.Outbox(), ref, emls)
	}

	// Received questions are not published.
	_, page := s.get("/events/strategic-board-test")
	if strings.Contains(page, "How will the winter plan") {
		t.Error("a received question is on the meeting page before it is accepted")
	}

	// The governance officer finds it in the queue and accepts it.
	queue := gov.get("/admin/questions?meeting=" + strings.TrimPrefix(meetingPath, "/admin/meetings/") + "&status=received")
	link := regexp.MustCompile(`href="(/admin/questions/\d+)">` + ref).FindStringSubmatch(queue.body)
	if queue.status != http.StatusOK || link == nil {
		t.Fatalf("queue: status %d, no link to %s\n%s", queue.status, ref, queue.body)
	}
	qPath := link[1]
	if res := gov.post(qPath, url.Values{"action": {"accepted"}, "from": {"received"}}); res.status != http.StatusSeeOther {
		t.Fatalf("accepting: status %d\n%s", res.status, res.body)
	}
	if mail := s.lastMail("ada@example.org", "question-accepted"); !strings.Contains(mail, ref) {
		t.Errorf("acceptance email lacks the reference:\n%s", mail)
	}
	_, page = s.get("/events/strategic-board-test")
	if !strings.Contains(page, "How will the winter plan help carers?") || !strings.Contains(page, "Ada Lovelace (Carers Forum)") {
		t.Error("the accepted question is not on the meeting page with the name the resident agreed to publish")
	}
	// A second officer's form, opened before the acceptance, is stale.
	if res := gov.post(qPath, url.Values{"action": {"declined"}, "reason": {"Late"}, "from": {"received"}}); res.status != http.StatusConflict {
		t.Errorf("a change based on an old status: %d, want 409", res.status)
	}

	// To be answered in writing: first the due date, then the answer.
	if res := gov.post(qPath, url.Values{"action": {"answered_in_writing"}, "due_on": {"2030-01-31"}, "from": {"accepted"}}); res.status != http.StatusSeeOther {
		t.Fatalf("answering in writing: status %d\n%s", res.status, res.body)
	}
	_, page = s.get("/events/strategic-board-test")
	if !strings.Contains(page, "A written answer will be published by Thursday 31 January 2030") {
		t.Error("the due date of the written answer is not on the meeting page")
	}
	answer := "Carers get a **named contact** in every neighbourhood team."
	if res := gov.post(qPath, url.Values{"action": {"answered_in_writing"}, "due_on": {"2030-01-31"}, "answer": {answer},
		"from": {"answered_in_writing"}}); res.status != http.StatusSeeOther {
		t.Fatalf("adding the written answer: status %d\n%s", res.status, res.body)
	}
	if mail := s.lastMail("ada@example.org", "question-answered_in_writing"); !strings.Contains(mail, "named contact") {
		t.Errorf("the answer email lacks the answer:\n%s", mail)
	}
	_, page = s.get("/events/strategic-board-test")
	if !strings.Contains(page, "<strong>named contact</strong>") || !strings.Contains(page, "Answered in writing") {
		t.Error("the answer is not published on the meeting page")
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE to_addr = 'ada@example.org'`); n != 4 {
		t.Errorf("%d emails to the resident, want 4 (received, accepted, due date, answer)", n)
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE record LIKE 'question:%'`); n != 3 {
		t.Errorf("%d audit entries for the question, want 3", n)
	}

	// Another question is declined, with the reason sent to the resident
	// and nothing published.
	res = s.ask(s.visitor(), "strategic-board-test", questionForm("Bob", "bob@example.org", "Why was my appointment moved?"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("second question: status %d\n%s", res.status, res.body)
	}
	var bobID int64
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM questions WHERE email = 'bob@example.org'`).Scan(&bobID); err != nil {
		t.Fatal(err)
	}
	if res := gov.post("/admin/questions/"+strconv.FormatInt(bobID, 10), url.Values{"action": {"declined"}, "from": {"received"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `href="#reason"`) {
		t.Errorf("declining without a reason: status %d, want 422 with the reason's error", res.status)
	}
	reason := "The board cannot discuss one person's care; PALS can help."
	if res := gov.post("/admin/questions/"+strconv.FormatInt(bobID, 10), url.Values{"action": {"declined"}, "reason": {reason}, "from": {"received"}}); res.status != http.StatusSeeOther {
		t.Fatalf("declining: status %d\n%s", res.status, res.body)
	}
	if mail := s.lastMail("bob@example.org", "question-declined"); !strings.Contains(mail, "PALS can help") {
		t.Errorf("the decline email lacks the reason:\n%s", mail)
	}
	if _, page = s.get("/events/strategic-board-test"); strings.Contains(page, "appointment moved") {
		t.Error("a declined question is published")
	}
}

// openMeeting is a meeting three weeks ahead, whose board takes one
// question of up to 100 characters per person.
func (s *adminSite) openMeeting(slug string) (string, int64) {
	return s.meeting(slug, s.clock.Now().AddDate(0, 0, 21), func(b *boards.Board) {
		b.Rule.MaxChars, b.Rule.PerPerson = 100, 1
	})
}

// Each refusal keeps what the resident typed, says what is wrong, and
// stores nothing.
func TestQuestionRefusalsKeepInput(t *testing.T) {
	s := newAdminSite(t)
	slug, meetingID := s.openMeeting("refusals")
	late, _ := s.meeting("too-late", s.clock.Now().AddDate(0, 0, 3), nil) // six days' notice: closed
	b := s.visitor()
	typed := "Will the clinic on Lordship Lane stay open?"
	stored := func() int { return s.count(`SELECT COUNT(*) FROM questions WHERE meeting_id = $1`, meetingID) }

	check := func(name string, res response, status int, want string) {
		t.Helper()
		if res.status != status {
			t.Errorf("%s: status %d, want %d", name, res.status, status)
		}
		if !strings.Contains(res.body, want) {
			t.Errorf("%s: page lacks %q", name, want)
		}
		if !strings.Contains(res.body, "Lordship Lane") {
			t.Errorf("%s: the question typed is not kept", name)
		}
		if n := stored(); n != 0 {
			t.Errorf("%s: %d questions stored, want 0", name, n)
		}
	}

	f := questionForm("Cy", "cy@example.org", typed)
	f.Set("website", "http://spam.example")
	check("honeypot", s.ask(b, slug, f), http.StatusUnprocessableEntity, "automated program")

	f = questionForm("Cy", "cy@example.org", typed)
	f.Set("started", s.stamp(b, slug)) // sent at once
	check("too fast", b.post("/events/"+slug+"/questions", f), http.StatusUnprocessableEntity, "too quickly")

	f = questionForm("Cy", "cy@example.org", typed)
	f.Set("started", "1700000000.forged")
	check("forged timestamp", b.post("/events/"+slug+"/questions", f), http.StatusUnprocessableEntity, "could not check this form")

	long := typed + strings.Repeat(" Really?", 10)
	res := s.ask(b, slug, questionForm("Cy", "cy@example.org", long))
	check("too long", res, http.StatusUnprocessableEntity, "100 characters or fewer")
	if !strings.Contains(res.body, `href="#question"`) || !strings.Contains(res.body, `value="cy@example.org"`) {
		t.Error("too long: no error summary link to the question, or the email is not kept")
	}

	f = questionForm("Cy", "not-an-email", typed)
	f.Del("privacy")
	res = s.ask(b, slug, f)
	check("bad email, no privacy", res, http.StatusUnprocessableEntity, `href="#privacy"`)
	if !strings.Contains(res.body, `href="#email"`) {
		t.Error("bad email: no error for the email")
	}

	res = b.post("/events/"+late+"/questions", questionForm("Cy", "cy@example.org", typed)) // a form opened before the deadline
	check("after the deadline", res, http.StatusUnprocessableEntity, "The deadline for questions to this meeting was")
	if !strings.Contains(res.body, "What you can do instead") || strings.Contains(res.body, `name="started"`) {
		t.Error("after the deadline: the page does not explain what to do instead, or still offers the form")
	}
	if get := b.get("/events/" + late + "/questions"); !strings.Contains(get.body, "What you can do instead") {
		t.Error("after the deadline, the form page does not say so")
	}

	// One question per person: the second from the same address (in any
	// case) is refused.
	if res := s.ask(b, slug, questionForm("Cy", "cy@example.org", "A first question")); res.status != http.StatusSeeOther {
		t.Fatalf("first question: status %d\n%s", res.status, res.body)
	}
	res = s.ask(b, slug, questionForm("Cy", "CY@Example.org", typed))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "one question per person") ||
		!strings.Contains(res.body, "Lordship Lane") || stored() != 1 {
		t.Errorf("over the limit per person: status %d, %d stored", res.status, stored())
	}
}

// The rate limit per email counts every attempt in the window, across
// meetings.
func TestQuestionRateLimit(t *testing.T) {
	s := newAdminSite(t)
	slug, _ := s.openMeeting("rate")
	b := s.visitor()
	var last response
	for i := 0; i < 11; i++ {
		last = s.ask(b, slug, questionForm("Dee", "dee@example.org", "Too long "+strings.Repeat("x", 200)))
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "Too many questions") {
		t.Errorf("11th attempt in an hour: status %d, want 429", last.status)
	}
	s.clock.Add(2 * time.Hour)
	if res := s.ask(b, slug, questionForm("Dee", "dee@example.org", "A short question")); res.status != http.StatusSeeOther {
		t.Errorf("after the window: status %d, want 303", res.status)
	}
}

// 200 residents send questions at the same moment: each is stored once,
// with its own reference, and each gets its confirmation.
func TestQuestionsConcurrent(t *testing.T) {
	saved := questionLimits
	questionLimits.PerAddress = 1000 // every test request comes from 127.0.0.1
	t.Cleanup(func() { questionLimits = saved })
	s := newAdminSite(t)
	slug, meetingID := s.openMeeting("crowd")
	stamp := s.stamp(s.visitor(), slug)
	s.clock.Add(time.Minute)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			f := questionForm(fmt.Sprintf("Resident %d", i), fmt.Sprintf("r%d@example.org", i), fmt.Sprintf("Question number %d", i))
			f.Set("started", stamp)
			res, err := client.PostForm(s.srv.URL+"/events/"+slug+"/questions", f)
			if err != nil {
				errs <- err
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusSeeOther {
				errs <- fmt.Errorf("question %d: status %d\n%.500s", i, res.StatusCode, body)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := s.count(`SELECT COUNT(*) FROM questions WHERE meeting_id = $1`, meetingID); got != n {
		t.Errorf("%d questions stored, want %d", got, n)
	}
	if got := s.count(`SELECT COUNT(DISTINCT reference) FROM questions WHERE meeting_id = $1`, meetingID); got != n {
		t.Errorf("%d distinct references, want %d", got, n)
	}
	if got := s.count(`SELECT COUNT(DISTINCT email_key) FROM questions WHERE meeting_id = $1`, meetingID); got != n {
		t.Errorf("%d distinct askers stored, want %d (each exactly once)", got, n)
	}
	if got := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE kind = 'question-received'`); got != n {
		t.Errorf("%d confirmations queued, want %d", got, n)
	}
}

// The pages of boards, meetings and questions are valid HTML in every
// state: open and closed forms, errors, the thank-you page, published
// answers and minutes, and a paper.
func TestBoardPagesAreValidHTML(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	slug, meetingID := s.openMeeting("valid")
	late, _ := s.meeting("valid-late", s.clock.Now().AddDate(0, 0, 2), nil)
	b := s.visitor()
	docs := map[string]string{}
	docs["form"] = b.get("/events/" + slug + "/questions").body
	docs["form closed"] = b.get("/events/" + late + "/questions").body
	docs["form closed, kept"] = b.post("/events/"+late+"/questions", questionForm("A", "a@example.org", "Kept question")).body
	bad := questionForm("", "nope", strings.Repeat("x", 200))
	bad.Set("agenda_item", "999")
	bad.Del("publish")
	bad.Del("privacy")
	docs["form errors"] = s.ask(b, slug, bad).body
	res := s.ask(b, slug, questionForm("Ann", "ann@example.org", "What is the plan?"))
	docs["sent"] = b.get(res.location).body
	var qid int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM questions WHERE meeting_id = $1`, meetingID).Scan(&qid); err != nil {
		t.Fatal(err)
	}
	gov.post("/admin/questions/"+strconv.FormatInt(qid, 10), url.Values{"action": {"answered_at_meeting"}, "answer": {"The plan is *ready*."}, "from": {"received"}})
	mp := "/admin/meetings/" + strconv.FormatInt(meetingID, 10)
	gov.post(mp+"/papers", url.Values{"paper_title": {"Winter plan"}, "paper_format": {"html"}, "paper_body": {"## Summary\n\nText."}})
	gov.post(mp+"/declarations", url.Values{"decl_member": {"Sam"}, "decl_interest": {"Works for a provider"}})
	docs["meeting"] = b.get("/events/" + slug).body
	docs["board"] = b.get("/in-your-area/southwark/boards/valid-board").body
	docs["boards"] = b.get("/in-your-area/southwark/boards").body
	docs["paper"] = b.get("/events/" + slug + "/papers/2").body
	docs["seeded meeting"] = b.get(s.sampleMeeting()).body
	for name, body := range docs {
		if len(body) < 500 {
			t.Errorf("%s: page too short: %q", name, body)
		}
	}
	validateHTML(t, docs)
}

// A place lists its boards; a board's page shows its members, terms of
// reference, and its meetings to come and past.
func TestBoardPage(t *testing.T) {
	s := newAdminSite(t)
	doc := s.page("/in-your-area/southwark")
	links := find(section(t, doc, "boards"), tag("a"))
	if len(links) != 1 || attr(links[0], "href") != "/in-your-area/southwark/boards/strategic-board" {
		t.Fatalf("the place page's boards section links to %d boards", len(links))
	}
	_, body := s.get("/in-your-area/southwark/boards/strategic-board")
	for _, want := range []string{"Partnership Southwark Strategic Board", "Representative of Healthwatch Southwark",
		"Terms of reference", "Partnership Southwark Strategic Board – 22 May 2025", s.sampleMeeting(),
		"6 days before the meeting, at midnight at the start of that day", "Questions for the meeting on", "Patient Advice and Liaison Service"} {
		if !strings.Contains(body, want) {
			t.Errorf("the board page lacks %q", want)
		}
	}
	upcoming := textOf(section(t, s.page("/in-your-area/southwark/boards/strategic-board"), "upcoming"))
	if strings.Contains(upcoming, "22 May 2025") {
		t.Error("a past meeting is listed as coming")
	}
	// The meeting page shows the agenda with its paper, and the way to ask.
	_, page := s.get(s.sampleMeeting())
	for _, want := range []string{"Tackling inequality: progress report", "(Web page,", "Ask the board a question", "Declarations of interest"} {
		if !strings.Contains(page, want) {
			t.Errorf("the meeting page lacks %q", want)
		}
	}
	// Other places' pages list no boards, and an unknown board is a 404.
	if got := find(s.page("/in-your-area/lewisham"), func(n *htmlNode) bool { return attr(n, "id") == "boards" }); len(got) != 0 {
		t.Error("Lewisham's page has a boards section without boards")
	}
	if res, _ := s.get("/in-your-area/southwark/boards/nope"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown board: %d", res.StatusCode)
	}
}

// Every text field of boards, meetings, questions and answers comes out
// escaped (or sanitised, for markdown) on the public pages.
func TestBoardFieldsEscaped(t *testing.T) {
	const script = `<script>alert("xss")</script>`
	const img = `<img src=x onerror=alert(1)>`
	const link = `[click](javascript:alert(1))`
	payload := script + img + link
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	res := gov.post("/admin/boards", url.Values{"place": {"southwark"}, "name": {"Board " + payload}, "slug": {"xss-board"},
		"kind": {"peoples_partnership"}, "description": {payload}, "terms": {payload}, "members": {"Name " + script + " | Role " + img + " | Rep " + script},
		"accepts": {"yes"}, "deadline_days": {"1"}, "deadline_kind": {"calendar"}, "deadline_time": {"09:00"}, "max_chars": {"1000"},
		"per_person": {"2"}, "answer_working_days": {"20"}, "out_of_scope": {payload}, "after_deadline": {payload},
		"contact_email": {"gov@example.org"}, "retention_months": {"12"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("board: %d\n%s", res.status, res.body)
	}
	boardPath := res.location
	day := ldn.In(s.clock.Now().AddDate(0, 0, 14)).Format("2006-01-02")
	res = gov.post(boardPath+"/meetings", url.Values{"title": {"Meeting " + script}, "slug": {"xss-meeting"}, "summary": {payload},
		"body": {payload}, "date": {day}, "start_time": {"10:00"}, "end_time": {"12:00"}, "attendance": {"in_person"},
		"venue": {"Hall " + img}, "venue_address": {payload}, "status": {"scheduled"}, "publish": {"published"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("meeting: %d\n%s", res.status, res.body)
	}
	mp := res.location
	for path, f := range map[string]url.Values{
		"/items":        {"item_number": {"1"}, "item_title": {"Item " + script}, "item_presenter": {img}, "item_description": {payload}},
		"/declarations": {"decl_member": {"Member " + script}, "decl_interest": {img}},
	} {
		if res := gov.post(mp+path, f); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d\n%s", path, res.status, res.body)
		}
	}
	if res := gov.post(mp+"/papers", url.Values{"paper_title": {"Paper " + script}, "paper_format": {"html"}, "paper_body": {payload}}); res.status != http.StatusSeeOther {
		t.Fatalf("paper: %d\n%s", res.status, res.body)
	}
	f := questionForm("Name "+script, "x@example.org", "Question "+payload)
	f.Set("organisation", img)
	if res := s.ask(s.visitor(), "xss-meeting", f); res.status != http.StatusSeeOther {
		t.Fatalf("question: %d\n%s", res.status, res.body)
	}
	var qid, paperID int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM questions WHERE email = 'x@example.org'`).Scan(&qid); err != nil {
		t.Fatal(err)
	}
	if err := s.db.QueryRowContext(context.Background(), `SELECT MAX(id) FROM papers`).Scan(&paperID); err != nil {
		t.Fatal(err)
	}
	if res := gov.post("/admin/questions/"+strconv.FormatInt(qid, 10), url.Values{"action": {"answered_at_meeting"},
		"answer": {"Answer " + payload}, "from": {"received"}}); res.status != http.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", res.status, res.body)
	}
	// The minutes, approved at a later meeting, are public too.
	later := ldn.In(s.clock.Now().AddDate(0, 0, 60)).Format("2006-01-02")
	res = gov.post(boardPath+"/meetings", url.Values{"title": {"Later meeting"}, "slug": {"xss-later"}, "date": {later},
		"start_time": {"10:00"}, "end_time": {"12:00"}, "attendance": {"online"}, "online_url": {"https://meet.example/x"},
		"status": {"scheduled"}, "publish": {"published"}})
	laterID := strings.TrimPrefix(res.location, "/admin/meetings/")
	if res := gov.post(mp, url.Values{"title": {"Meeting " + script}, "slug": {"xss-meeting"}, "summary": {payload}, "date": {day},
		"start_time": {"10:00"}, "end_time": {"12:00"}, "attendance": {"in_person"}, "venue": {"Hall " + img}, "status": {"held"},
		"publish": {"published"}, "minutes": {"Minutes " + payload}, "minutes_status": {"approved"}, "approved_by": {laterID},
		"recording_url": {"https://video.example/rec"}}); res.status != http.StatusSeeOther {
		t.Fatalf("minutes: %d\n%s", res.status, res.body)
	}
	pages := []string{"/in-your-area/southwark", "/in-your-area/southwark/boards", "/in-your-area/southwark/boards/xss-board",
		"/events/xss-meeting", "/events/xss-meeting/questions", "/events/xss-meeting/papers/" + strconv.FormatInt(paperID, 10),
		"/events", "/events/xss-later"}
	for _, path := range pages {
		res, body := s.get(path)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, res.StatusCode)
			continue
		}
		for _, bad := range []string{"<script>alert", "<img src=x", `href="javascript:`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s has %q unescaped", path, bad)
			}
		}
	}
	_, body := s.get("/events/xss-meeting")
	for _, want := range []string{"Item &lt;script&gt;", "Member &lt;script&gt;", "Minutes", "Answer", "Name &lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("the meeting page lacks %q", want)
		}
	}
}

// Editing boards and meetings: errors keep the input; PDF papers come from
// the media library and are downloads with their type and size shown; minutes are
// public only once approved; a cancelled meeting is cancelled in listings.
func TestAdminBoardsAndMeetings(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	slug, meetingID := s.openMeeting("admin-meeting")
	mp := "/admin/meetings/" + strconv.FormatInt(meetingID, 10)

	res := gov.post("/admin/boards", url.Values{"place": {"lewisham"}, "name": {"Lewisham people's partnership"}, "slug": {"Bad Slug"},
		"kind": {"peoples_partnership"}, "accepts": {"yes"}, "deadline_days": {"10"}, "deadline_kind": {"working"},
		"deadline_time": {"09:00"}, "max_chars": {"500"}, "per_person": {"1"}, "answer_working_days": {"20"}, "retention_months": {"12"},
		"members": {"Sam Patel | Chair | Lewisham Council"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#slug"`) ||
		!strings.Contains(res.body, "Sam Patel | Chair | Lewisham Council") || !strings.Contains(res.body, `value="Lewisham people&#39;s partnership"`) {
		t.Errorf("a board with a bad web address: status %d, or the input is not kept", res.status)
	}

	// A PDF paper is a PDF of the media library, which checks uploads
	// by content; the paper form chooses one.
	fields := url.Values{"paper_title": {"Finance report"}, "paper_format": {"pdf"}}
	res = gov.post(mp+"/papers", fields)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#paper_media"`) ||
		!strings.Contains(res.body, `value="Finance report"`) {
		t.Errorf("a PDF paper without its PDF: status %d, or the title is not kept", res.status)
	}
	fields.Set("paper_media", "999999")
	if res := gov.post(mp+"/papers", fields); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose a PDF from the list") {
		t.Errorf("a PDF paper naming no PDF: status %d", res.status)
	}
	pdf := mediatest.PDF()
	it := gov.mustUpload("", "finance report.pdf", pdf)
	if form := gov.get(mp); !strings.Contains(form.body, `<option value="`+strconv.FormatInt(it.ID, 10)+`">`+it.Name+` (`) {
		t.Errorf("the paper form does not offer the uploaded PDF")
	}
	fields.Set("paper_media", strconv.FormatInt(it.ID, 10))
	if res := gov.post(mp+"/papers", fields); res.status != http.StatusSeeOther {
		t.Fatalf("a PDF paper: status %d\n%s", res.status, res.body)
	}
	_, meetingPage := s.get("/events/" + slug)
	link := regexp.MustCompile(`href="(/media/[0-9a-f]{32}\.pdf)">Finance report</a> <span class="nhsuk-body-s">\(PDF, (\d+) bytes\)`).FindStringSubmatch(meetingPage)
	if link == nil || link[2] != strconv.Itoa(len(pdf)) {
		t.Fatalf("the meeting page does not list the PDF with its type and size")
	}
	dl, data := s.get(link[1])
	if dl.StatusCode != http.StatusOK || dl.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment;") || data != string(pdf) {
		t.Errorf("downloading the PDF: status %d, type %q, disposition %q", dl.StatusCode, dl.Header.Get("Content-Type"), dl.Header.Get("Content-Disposition"))
	}
	if err := media.NewStore(s.db).Delete(context.Background(), it.ID); !errors.Is(err, media.ErrInUse) {
		t.Errorf("deleting a PDF that a paper uses: %v, want ErrInUse", err)
	}
	if uses, err := media.NewStore(s.db).Uses(context.Background(), it.ID); err != nil || len(uses) != 1 || uses[0].Label != "Meeting paper: Finance report" {
		t.Errorf("the PDF's uses: %v, %v", uses, err)
	}

	// Draft minutes stay private; approved ones are published.
	form := url.Values{"title": {"Meeting admin-meeting"}, "slug": {slug}, "date": {ldn.In(s.clock.Now().AddDate(0, 0, 21)).Format("2006-01-02")},
		"start_time": {"10:00"}, "end_time": {"12:00"}, "attendance": {"in_person"}, "venue": {"Town hall"}, "status": {"held"},
		"publish": {"published"}, "minutes": {"The board agreed the winter plan."}, "minutes_status": {"draft"}}
	if res := gov.post(mp, form); res.status != http.StatusSeeOther {
		t.Fatalf("saving draft minutes: %d\n%s", res.status, res.body)
	}
	if _, page := s.get("/events/" + slug); strings.Contains(page, "agreed the winter plan") {
		t.Error("draft minutes are public")
	}
	form.Set("minutes_status", "approved")
	if res := gov.post(mp, form); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#approved_by"`) {
		t.Errorf("approved minutes without the approving meeting: status %d", res.status)
	}

	// Cancelling the meeting cancels its event.
	form.Set("minutes_status", "draft")
	form.Set("status", "cancelled")
	if res := gov.post(mp, form); res.status != http.StatusSeeOther {
		t.Fatalf("cancelling: %d\n%s", res.status, res.body)
	}
	if _, ics := s.get("/events/" + slug + "/calendar.ics"); !strings.Contains(ics, "STATUS:CANCELLED") {
		t.Error("the cancelled meeting's calendar entry is not cancelled")
	}
	if _, page := s.get("/events/" + slug + "/questions"); !strings.Contains(page, "This meeting has been cancelled") {
		t.Error("the question form of a cancelled meeting is open")
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE record = $1`, "meeting:"+strconv.FormatInt(meetingID, 10)); n != 3 {
		t.Errorf("%d audit entries for the meeting, want 3 (the paper, the draft minutes, the cancellation)", n)
	}
}

// A board's subscribers are told once when a meeting's papers become
// public: at the first paper of a published meeting, or when a draft
// meeting with papers is published.
func TestPapersPublishedHook(t *testing.T) {
	var mu sync.Mutex
	var told []string
	saved := papersPublished
	papersPublished = func(_ context.Context, _ db.Querier, _ int64, m boards.Meeting) error {
		mu.Lock()
		defer mu.Unlock()
		told = append(told, m.Slug)
		return nil
	}
	t.Cleanup(func() { papersPublished = saved })
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	_, meetingID := s.openMeeting("hook-published")
	mp := "/admin/meetings/" + strconv.FormatInt(meetingID, 10)
	paper := func(title string) url.Values {
		return url.Values{"paper_title": {title}, "paper_format": {"html"}, "paper_body": {"Text."}}
	}
	gov.post(mp+"/papers", paper("First"))
	gov.post(mp+"/papers", paper("Second"))
	if strings.Join(told, ",") != "hook-published" {
		t.Errorf("after two papers of a published meeting, subscribers told for %q, want once", told)
	}

	day := ldn.In(s.clock.Now().AddDate(0, 0, 30)).Format("2006-01-02")
	form := url.Values{"title": {"Draft meeting"}, "slug": {"hook-draft"}, "date": {day}, "start_time": {"10:00"}, "end_time": {"12:00"},
		"attendance": {"in_person"}, "venue": {"Hall"}, "status": {"scheduled"}, "publish": {"draft"}}
	res := gov.post("/admin/boards/1/meetings", form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("draft meeting: %d", res.status)
	}
	gov.post(res.location+"/papers", paper("Draft paper"))
	if len(told) != 1 {
		t.Errorf("a paper of a draft meeting told subscribers: %q", told)
	}
	form.Set("publish", "published")
	if res := gov.post(res.location, form); res.status != http.StatusSeeOther {
		t.Fatalf("publishing: %d\n%s", res.status, res.body)
	}
	if strings.Join(told, ",") != "hook-published,hook-draft" {
		t.Errorf("after publishing a draft meeting with papers, subscribers told for %q", told)
	}
}

// The limit per address counts the client's address behind a trusted
// proxy, not the proxy's.
func TestQuestionRateLimitPerAddress(t *testing.T) {
	saved := questionLimits
	questionLimits.PerAddress = 2
	t.Cleanup(func() { questionLimits = saved })
	s := openAdminSite(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	slug, _ := s.openMeeting("per-address")
	b := s.visitor()
	send := func(email, from string) int {
		f := questionForm("Fay", email, "Is the clinic open?")
		f.Set("started", s.stamp(b, slug))
		s.clock.Add(5 * time.Second)
		return b.post("/events/"+slug+"/questions", f, "X-Forwarded-For", from).status
	}
	for i, want := range []int{http.StatusSeeOther, http.StatusSeeOther, http.StatusTooManyRequests} {
		if got := send(fmt.Sprintf("f%d@example.org", i), "203.0.113.5"); got != want {
			t.Errorf("question %d from one address: status %d, want %d", i+1, got, want)
		}
	}
	if got := send("g@example.org", "203.0.113.6"); got != http.StatusSeeOther {
		t.Errorf("a question from another address behind the same proxy: status %d, want 303", got)
	}
}

// Moderating a question whose asker has had their details erased sends
// no email, and the officer is not told that one went.
func TestModeratingAnErasedQuestion(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	slug, _ := s.openMeeting("erased-asker")
	if res := s.ask(s.visitor(), slug, questionForm("Ida", "ida@example.org", "Will the library open later?")); res.status != http.StatusSeeOther {
		t.Fatalf("asking: status %d\n%s", res.status, res.body)
	}
	erase := link(t, s.lastMail("ida@example.org", "question-received"), "/privacy/erase")
	if res := s.visitor().post("/privacy/erase", queryForm(t, erase)); res.status != http.StatusOK {
		t.Fatalf("erasing: status %d\n%s", res.status, res.body)
	}
	var id int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM questions WHERE erased_at IS NOT NULL`).Scan(&id); err != nil {
		t.Fatalf("the erased question: %v", err)
	}
	before := s.count(`SELECT COUNT(*) FROM mail_outbox`)
	res := gov.post("/admin/questions/"+strconv.FormatInt(id, 10), url.Values{"action": {"accepted"}, "from": {"received"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("accepting: status %d\n%s", res.status, res.body)
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox`); n != before {
		t.Errorf("%d emails queued for a question with no one to tell", n-before)
	}
	page := gov.get(res.location)
	if strings.Contains(page.body, "We have emailed the resident") {
		t.Errorf("the officer is told the resident was emailed, though their details were erased:\n%s", page.body)
	}
	if !strings.Contains(page.body, "is now Accepted") || !strings.Contains(page.body, "No email went: the resident&#39;s details have been erased") {
		t.Errorf("the message does not say the question is accepted and that no email went:\n%s", page.body)
	}
}

// A meeting that has taken place, or was cancelled, does not invite
// residents to come and listen: its question page says what is left to do.
func TestQuestionPageOfAPastMeeting(t *testing.T) {
	s := newAdminSite(t)
	past, _ := s.meeting("past-meeting", s.clock.Now().AddDate(0, 0, -7), nil)
	ownText, _ := s.meeting("past-own-text", s.clock.Now().AddDate(0, 0, -7), func(b *boards.Board) {
		b.Rule.AfterDeadline = "Come to the meeting and listen."
		b.Rule.ContactEmail = "governance@example.org"
	})
	cancelled, cancelledID := s.meeting("cancelled-meeting", s.clock.Now().AddDate(0, 0, 21), nil)
	if _, err := s.db.ExecContext(context.Background(), `UPDATE meetings SET status = $1 WHERE id = $2`,
		string(boards.MeetingCancelled), cancelledID); err != nil {
		t.Fatal(err)
	}
	late, _ := s.meeting("late-meeting", s.clock.Now().AddDate(0, 0, 3), nil)
	for _, c := range []struct {
		slug, want, not string
	}{
		{past, "This meeting has taken place", "come and listen"},
		{ownText, "governance@example.org", "Come to the meeting"},
		{cancelled, "This meeting has been cancelled", "come and listen"},
		{late, "you are welcome to come and listen", "has taken place"}, // to come: the standard text still applies
	} {
		res := s.visitor().get("/events/" + c.slug + "/questions")
		if res.status != http.StatusOK || !strings.Contains(res.body, c.want) || strings.Contains(res.body, c.not) {
			t.Errorf("%s: status %d, want %q and not %q:\n%s", c.slug, res.status, c.want, c.not, res.body)
		}
	}
}
