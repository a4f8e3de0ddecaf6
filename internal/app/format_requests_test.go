package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/media/mediatest"
	"github.com/joinedup/joinedup/internal/registrations"
)

// meetingPaper stores a meeting of a new Southwark board with a paper
// written as a web page, and returns the meeting's slug and id and the
// paper's id.
func (s *adminSite) meetingPaper(slug string) (string, int64, int64) {
	s.t.Helper()
	slug, meetingID := s.meeting(slug, s.clock.Now().AddDate(0, 0, 14), nil)
	var paperID int64
	err := s.db.Tx(context.Background(), func(q db.Querier) error {
		var err error
		paperID, err = boards.NewStore(q).AddPaper(context.Background(), boards.Paper{MeetingID: meetingID, Title: "Winter plan 2027",
			Format: boards.PaperHTML, Body: "The plan for the winter."})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return slug, meetingID, paperID
}

// formatRequest stores a resident's request for the paper paperID in Easy
// Read and returns its id.
func (s *adminSite) formatRequest(paperID int64, email string) int64 {
	s.t.Helper()
	var id int64
	err := s.db.Tx(context.Background(), func(q db.Querier) error {
		var err error
		id, err = formats.NewStore(q).Insert(context.Background(), formats.Request{Kind: formats.Paper, TargetID: paperID,
			PlaceID: s.placeID("southwark"), Title: "A paper", Path: "/events/x/papers/1", Format: formats.EasyRead,
			Email: email, DueOn: "2030-01-10", SubmittedAt: time.Now()})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// askFormat fills in the request form of the page at path like a person:
// opens it, takes some seconds, sends it.
func (s *adminSite) askFormat(b *browser, path string, f url.Values) response {
	s.t.Helper()
	form := b.get(path + "/another-format")
	m := stampField.FindStringSubmatch(form.body)
	if form.status != http.StatusOK || m == nil {
		s.t.Fatalf("request form of %s: status %d, no timestamp\n%s", path, form.status, form.body)
	}
	f.Set("started", m[1])
	s.clock.Add(5 * time.Second)
	return b.post(path+"/another-format", f)
}

var formatRef = regexp.MustCompile(`/another-format/sent\?ref=(F-\d{5,})$`)

// A resident asks for a board paper in Easy Read: the request reaches the
// governance officers' queue with its due date (10 working days, bank
// holidays skipped), not the editors', and the resident is emailed on
// receipt and on each change.
func TestFormatRequestForPaperInEasyRead(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	gov := s.visitor().mustLogin("gov@example.org")
	ed := s.visitor().mustLogin("ed@example.org")
	slug, _, paperID := s.meetingPaper("formats-meeting")
	paperPath := "/events/" + slug + "/papers/" + strconv.FormatInt(paperID, 10)

	// The meeting page offers the paper and the page in another format.
	_, page := s.get("/events/" + slug)
	for _, want := range []string{`href="` + paperPath + `/another-format"`, `href="/events/` + slug + `/another-format"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the meeting page lacks %s", want)
		}
	}
	if _, body := s.get(paperPath); !strings.Contains(body, `href="`+paperPath+`/another-format"`) {
		t.Error("the paper's page does not offer it in another format")
	}

	resident := s.visitor()
	res := s.askFormat(resident, paperPath, url.Values{"format": {"easy_read"}, "name": {"Ada Lovelace"}, "email": {"ada@example.org"},
		"details": {"Large pictures, please."}})
	m := formatRef.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("sending a request: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	ref := m[1]
	due := formats.DayText(formats.DueOn(s.clock.Now(), formats.DefaultWorkingDays))
	if thanks := resident.get(res.location); thanks.status != http.StatusOK || !strings.Contains(thanks.body, ref) ||
		!strings.Contains(thanks.body, due) || !strings.Contains(thanks.body, "the governance team of the Test board formats-meeting") {
		t.Errorf("thank-you page: status %d, lacks the reference, the due date %s or the team\n%s", thanks.status, due, thanks.body)
	}
	if other := resident.get(paperPath + "/another-format/sent?ref=F-99999"); other.status != http.StatusNotFound {
		t.Errorf("thank-you page of an unknown reference: status %d, want 404", other.status)
	}
	received := s.lastMail("ada@example.org", "format-request-received")
	for _, want := range []string{ref, "Dear Ada Lovelace", "Easy Read", "Winter plan 2027", due, "Large pictures, please.",
		"https://joinedup.example" + paperPath, "To have your details deleted now: https://joinedup.example/privacy/erase?"} {
		if !strings.Contains(received, want) {
			t.Errorf("the receipt lacks %q:\n%s", want, received)
		}
	}

	// It reaches the governance officers with its due date, by email and
	// in their queue, not editors.
	if mail := s.lastMail("gov@example.org", "format-request-team"); !strings.Contains(mail, ref) || !strings.Contains(mail, due) ||
		!strings.Contains(mail, "/admin/format-requests/") || strings.Contains(mail, "ada@example.org") {
		t.Errorf("the governance officer's email lacks the reference, due date or link, or shows the resident's address:\n%s", mail)
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE kind = 'format-request-team' AND to_addr = 'ed@example.org'`); n != 0 {
		t.Error("an editor was told of a paper's request")
	}
	queue := gov.get("/admin/format-requests")
	link := regexp.MustCompile(`href="(/admin/format-requests/\d+)">` + ref).FindStringSubmatch(queue.body)
	if queue.status != http.StatusOK || link == nil || !strings.Contains(queue.body, due) || !strings.Contains(queue.body, "Easy Read") {
		t.Fatalf("the governance officer's queue: status %d, no %s with Easy Read due %s\n%s", queue.status, ref, due, queue.body)
	}
	if q := ed.get("/admin/format-requests"); q.status != http.StatusOK || strings.Contains(q.body, ref) {
		t.Errorf("an editor's queue: status %d, holds the paper's request %v", q.status, strings.Contains(q.body, ref))
	}
	if res := ed.get(link[1]); res.status != http.StatusForbidden {
		t.Errorf("an editor opening the paper's request: status %d, want 403", res.status)
	}
	if one := gov.get(link[1]); one.status != http.StatusOK || !strings.Contains(one.body, "ada@example.org") || !strings.Contains(one.body, "Large pictures") {
		t.Errorf("the request's page: status %d\n%s", one.status, one.body)
	}

	// Each change emails the resident; "cannot provide" needs a reason,
	// and the form keeps what was typed.
	if res := gov.post(link[1], url.Values{"status": {"in_hand"}, "from": {"new"}}); res.status != http.StatusSeeOther {
		t.Fatalf("in hand: status %d\n%s", res.status, res.body)
	}
	if mail := s.lastMail("ada@example.org", "format-request-in_hand"); !strings.Contains(mail, ref) || !strings.Contains(mail, due) {
		t.Errorf("the in-hand email lacks the reference or due date:\n%s", mail)
	}
	if res := gov.post(link[1], url.Values{"status": {"sent"}, "from": {"new"}}); res.status != http.StatusConflict {
		t.Errorf("a change from an old status: %d, want 409", res.status)
	}
	res = gov.post(link[1], url.Values{"status": {"cannot_provide"}, "from": {"in_hand"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#reason"`) || !strings.Contains(res.body, `value="cannot_provide" checked`) {
		t.Errorf("cannot provide without a reason: status %d, want 422 with the reason's error and the choice kept\n%s", res.status, res.body)
	}
	if res := gov.post(link[1], url.Values{"status": {"sent"}, "reason": {"Posted to you today."}, "from": {"in_hand"}}); res.status != http.StatusSeeOther {
		t.Fatalf("sent: status %d\n%s", res.status, res.body)
	}
	if mail := s.lastMail("ada@example.org", "format-request-sent"); !strings.Contains(mail, "Posted to you today.") {
		t.Errorf("the sent email lacks the message:\n%s", mail)
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE to_addr LIKE '%ada@example.org%'`); n != 3 {
		t.Errorf("%d emails to the resident, want 3 (received, in hand, sent)", n)
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE record LIKE 'format_request:%'`); n != 2 {
		t.Errorf("%d audit entries for the request, want 2", n)
	}
	if q := gov.get("/admin/format-requests"); strings.Contains(q.body, ">"+ref+"</a>") {
		t.Error("a sent request is still in the open queue")
	}
	if q := gov.get("/admin/format-requests?status=sent"); !strings.Contains(q.body, ">"+ref+"</a>") {
		t.Error("the sent request is not listed under Sent")
	}
}

// The request form shows errors that link to their fields and keeps what
// was typed; a robot's sending is refused; nothing is stored.
func TestFormatRequestFormErrors(t *testing.T) {
	s := newAdminSite(t)
	slug, meetingID, paperID := s.meetingPaper("formats-errors")
	path := "/events/" + slug
	b := s.visitor()
	for _, c := range []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"nothing chosen, bad email", url.Values{"email": {"not-an-email"}, "details": {"Please call me"}}, http.StatusUnprocessableEntity,
			[]string{`href="#format-easy-read"`, `href="#email"`, `value="not-an-email"`, "Please call me"}},
		{"language not named", url.Values{"format": {"language"}, "email": {"a@example.org"}}, http.StatusUnprocessableEntity,
			[]string{`href="#language"`, `value="language" checked`, `value="a@example.org"`}},
		{"something else not said", url.Values{"format": {"other"}, "email": {"a@example.org"}, "name": {"Bo"}}, http.StatusUnprocessableEntity,
			[]string{`href="#details"`, `value="Bo"`}},
		{"honeypot", url.Values{"format": {"bsl"}, "email": {"a@example.org"}, "website": {"http://spam.example"}}, http.StatusUnprocessableEntity,
			[]string{"automated program", `value="bsl" checked`}},
	} {
		res := s.askFormat(b, path, c.form)
		if res.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, res.status, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(res.body, w) {
				t.Errorf("%s: the page lacks %s", c.name, w)
			}
		}
	}
	// Sent at once after the form opened: as a robot would.
	form := b.get(path + "/another-format")
	f := url.Values{"format": {"audio"}, "email": {"a@example.org"}, "started": {stampField.FindStringSubmatch(form.body)[1]}}
	if res := b.post(path+"/another-format", f); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "too quickly") {
		t.Errorf("sent too quickly: status %d", res.status)
	}
	// A stamp of another page does not pass.
	other := b.get("/events/" + slug + "/papers/" + strconv.FormatInt(paperID, 10) + "/another-format")
	if other.status != http.StatusOK {
		t.Fatalf("the paper's request form: status %d", other.status)
	}
	f.Set("started", stampField.FindStringSubmatch(other.body)[1])
	s.clock.Add(5 * time.Second)
	if res := b.post(path+"/another-format", f); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "could not check") {
		t.Errorf("a stamp from another page: status %d, want 422", res.status)
	}
	if n := s.count(`SELECT COUNT(*) FROM format_requests`); n != 0 {
		t.Errorf("%d requests stored from forms with errors", n)
	}
	// A draft meeting is not there to ask for.
	if err := s.db.Tx(context.Background(), func(q db.Querier) error {
		_, err := q.ExecContext(context.Background(), `UPDATE events SET published = FALSE WHERE id = (SELECT event_id FROM meetings WHERE id = $1)`, meetingID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if res := b.get(path + "/another-format"); res.status != http.StatusNotFound {
		t.Errorf("the form of a draft meeting: status %d, want 404", res.status)
	}
}

// A request for a post goes to the editors of its place: the editor of
// Southwark answers it, the editor of Lewisham neither sees nor opens it.
// The due date follows the administrator's setting.
func TestFormatRequestForPostGoesToItsPlacesEditors(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("admin@example.org", accounts.Administrator)
	s.addUser("se@example.org", accounts.Editor, "southwark")
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	admin := s.visitor().mustLogin("admin@example.org")
	se, lew, gov := s.visitor().mustLogin("se@example.org"), s.visitor().mustLogin("lew@example.org"), s.visitor().mustLogin("gov@example.org")
	s.southwarkPost()
	if _, body := s.get("/news/southwark-only-news"); !strings.Contains(body, `href="/news/southwark-only-news/another-format"`) {
		t.Fatal("the post does not offer itself in another format")
	}
	if res := admin.post("/admin/format-requests/settings", url.Values{"working_days": {"0"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `href="#working_days"`) || !strings.Contains(res.body, `value="0"`) {
		t.Errorf("0 working days: status %d, want 422 with the error and the input kept", res.status)
	}
	if res := admin.post("/admin/format-requests/settings", url.Values{"working_days": {"3"}}); res.status != http.StatusSeeOther {
		t.Fatalf("setting 3 working days: status %d\n%s", res.status, res.body)
	}
	res := s.askFormat(s.visitor(), "/news/southwark-only-news", url.Values{"format": {"language"}, "language": {"Polish"}, "email": {"jan@example.org"}})
	m := formatRef.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("sending a request: status %d\n%s", res.status, res.body)
	}
	due := formats.DayText(formats.DueOn(s.clock.Now(), 3))
	if due == formats.DayText(formats.DueOn(s.clock.Now(), formats.DefaultWorkingDays)) {
		t.Fatal("3 and 10 working days give the same date")
	}
	if mail := s.lastMail("jan@example.org", "format-request-received"); !strings.Contains(mail, "Another language: Polish") || !strings.Contains(mail, due) {
		t.Errorf("the receipt lacks the language or the due date %s:\n%s", due, mail)
	}
	if mail := s.lastMail("se@example.org", "format-request-team"); !strings.Contains(mail, m[1]) {
		t.Errorf("the Southwark editor's email lacks the reference:\n%s", mail)
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE kind = 'format-request-team' AND to_addr IN ('lew@example.org', 'gov@example.org')`); n != 0 {
		t.Error("the Lewisham editor or the governance officer was told of a Southwark post's request")
	}
	q := se.get("/admin/format-requests")
	link := regexp.MustCompile(`href="(/admin/format-requests/\d+)">` + m[1]).FindStringSubmatch(q.body)
	if link == nil || !strings.Contains(q.body, due) {
		t.Fatalf("the Southwark editor's queue lacks %s due %s\n%s", m[1], due, q.body)
	}
	if q := lew.get("/admin/format-requests"); strings.Contains(q.body, m[1]) {
		t.Error("the Lewisham editor's queue holds Southwark's request")
	}
	if q := gov.get("/admin/format-requests"); strings.Contains(q.body, m[1]) {
		t.Error("the governance officer's queue holds a post's request")
	}
	if res := lew.post(link[1], url.Values{"status": {"in_hand"}, "from": {"new"}}); res.status != http.StatusForbidden {
		t.Errorf("the Lewisham editor moving it on: status %d, want 403", res.status)
	}
	if res := se.post(link[1], url.Values{"status": {"cannot_provide"}, "reason": {"We have no Polish translator this month."}, "from": {"new"}}); res.status != http.StatusSeeOther {
		t.Fatalf("cannot provide: status %d\n%s", res.status, res.body)
	}
	if mail := s.lastMail("jan@example.org", "format-request-cannot_provide"); !strings.Contains(mail, "no Polish translator") {
		t.Errorf("the email lacks the reason:\n%s", mail)
	}
}

// The counts for the admin's home page: open requests and those past
// their due date, for the people who answer them.
func TestFormatRequestCounts(t *testing.T) {
	s := newAdminSite(t)
	_, _, paperID := s.meetingPaper("formats-count")
	ctx := context.Background()
	st := formats.NewStore(s.db)
	id := s.formatRequest(paperID, "a@example.org")
	s.formatRequest(paperID, "b@example.org")
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		_, err := q.ExecContext(ctx, `UPDATE format_requests SET due_on = '2000-01-03' WHERE id = $1`, id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		scope formats.Scope
		want  formats.Count
	}{
		{"governance", formats.Scope{Governance: true}, formats.Count{Open: 2, Overdue: 1}},
		{"editors", formats.Scope{Editors: true}, formats.Count{}},
		{"nobody", formats.Scope{}, formats.Count{}},
	} {
		got, err := st.Count(ctx, c.scope, s.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	r, _ := st.ByID(ctx, id)
	r.Status = formats.Sent
	if err := s.db.Tx(ctx, func(q db.Querier) error { return formats.NewStore(q).SetStatus(ctx, r, formats.New, s.clock.Now()) }); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Count(ctx, formats.Scope{Governance: true}, s.clock.Now()); got != (formats.Count{Open: 1}) {
		t.Errorf("after one is sent: %+v, want 1 open, none overdue", got)
	}
}

// Requesters' details go 12 months after the request is closed, or 24
// months after it was made; erasure by email takes them and their emails
// at once; the export holds them.
func TestFormatRequestsRetentionErasureAndExport(t *testing.T) {
	s := newAdminSite(t)
	_, _, paperID := s.meetingPaper("formats-retention")
	ctx := context.Background()
	now := s.clock.Now()
	months := func(n int) time.Time { return now.AddDate(0, -n, 0).UTC().Truncate(time.Second) }
	add := func(email string, made, closed time.Time) int64 {
		id := s.formatRequest(paperID, email)
		err := s.db.Tx(ctx, func(q db.Querier) error {
			var c any
			status := "new"
			if !closed.IsZero() {
				c, status = closed, "sent"
			}
			_, err := q.ExecContext(ctx, `UPDATE format_requests SET submitted_at = $1, closed_at = $2, status = $3, details = 'Big print'
				WHERE id = $4`, made, c, status, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	closedLongAgo := add("old@example.org", months(15), months(13))
	closedRecently := add("recent@example.org", months(15), months(11))
	openTooLong := add("stale@example.org", months(25), time.Time{})
	openNow := add("open@example.org", months(1), time.Time{})
	mailOld := s.addSent("old@example.org", months(13), true, formats.Ref(closedLongAgo))
	regs := personalData(s.db, s.cfg, registrations.NewService(s.db, outbox(s.cfg), s.cfg.BaseURL, s.cfg.Outbox(), nil), s.clock.Now)
	n, err := regs.Expire(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if n["format_requests"] != 2 {
		t.Errorf("expired %d requests, want 2", n["format_requests"])
	}
	for id, erased := range map[int64]bool{closedLongAgo: true, closedRecently: false, openTooLong: true, openNow: false} {
		r, err := formats.NewStore(s.db).ByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Erased != erased || erased && (r.Email != "" || r.Details != "") || !erased && r.Email == "" {
			t.Errorf("request %d: erased %v, email %q, details %q; want erased %v", id, r.Erased, r.Email, r.Details, erased)
		}
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE id = $1`, mailOld); n != 0 {
		t.Error("the email about an erased request is kept")
	}
	exp, err := regs.Export(ctx, "OPEN@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if asked, ok := exp.Holdings["format_requests"].([]formats.Asked); !ok || len(asked) != 1 || asked[0].Details != "Big print" {
		t.Errorf("the export's format requests: %#v", exp.Holdings["format_requests"])
	}
	if _, err := regs.Erase(ctx, "Open@Example.org", nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := formats.NewStore(s.db).ByID(ctx, openNow); !r.Erased || r.Email != "" {
		t.Errorf("after erasure by email: %+v", r)
	}
}

// A governance officer attaches an Easy Read PDF and an audio recording
// to a paper: both are listed beside the paper on the meeting's page and
// on the paper's own page; the PDF cannot be deleted from the media
// library while it is attached; bad input is refused with the form kept.
func TestPaperAlternativesShownBesideThePaper(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	slug, meetingID, paperID := s.meetingPaper("formats-alternatives")
	pdf := gov.mustUpload("", "winter-plan-easy-read.pdf", mediatest.PDF())
	admin := "/admin/meetings/" + strconv.FormatInt(meetingID, 10)
	paper := strconv.FormatInt(paperID, 10)

	res := gov.post(admin+"/alternatives", url.Values{"alt_paper": {paper}, "alt_format": {"audio"}, "alt_url": {"javascript:alert(1)"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#alt_url"`) || !strings.Contains(res.body, `value="audio" checked`) {
		t.Errorf("a link that is not a web address: status %d, want 422 with the error and the format kept", res.status)
	}
	res = gov.post(admin+"/alternatives", url.Values{"alt_paper": {paper}, "alt_format": {"language"}, "alt_url": {"https://audio.example/a.mp3"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#alt_label"`) {
		t.Errorf("another language without saying which: status %d", res.status)
	}
	for _, f := range []url.Values{
		{"alt_paper": {paper}, "alt_format": {"easy_read"}, "alt_media": {strconv.FormatInt(pdf.ID, 10)}},
		{"alt_paper": {paper}, "alt_format": {"audio"}, "alt_url": {"https://audio.example/winter-plan.mp3"}},
	} {
		if res := gov.post(admin+"/alternatives", f); res.status != http.StatusSeeOther {
			t.Fatalf("adding %s: status %d\n%s", f.Get("alt_format"), res.status, res.body)
		}
	}
	_, page := s.get("/events/" + slug)
	for _, want := range []string{`href="` + pdf.URL() + `">Easy Read`, `href="https://audio.example/winter-plan.mp3">Audio`} {
		if !strings.Contains(page, want) {
			t.Errorf("the meeting page lacks %s", want)
		}
	}
	if _, body := s.get("/events/" + slug + "/papers/" + paper); !strings.Contains(body, `href="`+pdf.URL()+`">Easy Read`) {
		t.Error("the paper's page does not list its Easy Read version")
	}
	if res := gov.post("/admin/media/"+strconv.FormatInt(pdf.ID, 10)+"/delete", nil); res.status != http.StatusConflict {
		t.Errorf("deleting the attached Easy Read PDF: status %d, want 409", res.status)
	}
	var altID int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM paper_alternatives WHERE media_id = $1`, pdf.ID).Scan(&altID); err != nil {
		t.Fatal(err)
	}
	if res := gov.post(admin+"/alternatives/"+strconv.FormatInt(altID, 10)+"/remove", nil); res.status != http.StatusSeeOther {
		t.Fatalf("removing it: status %d", res.status)
	}
	if _, page := s.get("/events/" + slug); strings.Contains(page, pdf.URL()) {
		t.Error("a removed Easy Read version is still on the meeting page")
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'paper_alternative_%'`); n != 3 {
		t.Errorf("%d audit entries for other formats, want 3", n)
	}
}
