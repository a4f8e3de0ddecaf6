package app

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/media/mediatest"
)

// Every admin page, and its forms shown again with errors, is valid HTML
// as the W3C's Nu HTML Checker sees it.
func TestAdminPagesAreValidHTML(t *testing.T) {

	s := newAdminSite(t)
	boss := s.addUser("boss@example.org", accounts.Administrator)
	b := s.visitor()
	pages := map[string]string{
		"GET /admin/login":          b.get("/admin/login").body,
		"POST /admin/login (empty)": b.post("/admin/login", nil).body,
	}
	ctx := context.Background()
	setup, err := accounts.NewLinkToken(ctx, s.db, accounts.PurposeSetup, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pages["GET /admin/setup"] = b.get("/admin/setup?token=" + setup).body
	pages["POST /admin/setup (empty)"] = b.post("/admin/setup", url.Values{"token": {setup}}).body
	reset, err := accounts.NewLinkToken(ctx, s.db, accounts.PurposeReset, boss.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pages["GET /admin/reset"] = b.get("/admin/reset?token=" + reset).body
	pages["POST /admin/reset (empty)"] = b.post("/admin/reset", url.Values{"token": {reset}}).body
	pages["404 link"] = b.get("/admin/reset?token=nonsense").body

	b.mustLogin("boss@example.org")
	id := strconv.FormatInt(boss.ID, 10)
	for _, path := range []string{"/admin/", "/admin/account/password", "/admin/account/sessions", "/admin/users",
		"/admin/users/new", "/admin/users/" + id, "/admin/places", "/admin/places/southwark"} {
		pages["GET "+path] = b.get(path).body
	}
	for _, path := range []string{"/admin/account/password", "/admin/users", "/admin/users/" + id, "/admin/places/southwark"} {
		pages["POST "+path+" (empty)"] = b.post(path, nil).body
	}

	post, event := strconv.FormatInt(s.southwarkPost(), 10), strconv.FormatInt(s.southwarkEvent(), 10)
	for _, path := range []string{"/admin/posts", "/admin/posts/new", "/admin/posts/" + post,
		"/admin/events", "/admin/events/new", "/admin/events/" + event} {
		pages["GET "+path] = b.get(path).body
	}
	for _, path := range []string{"/admin/posts", "/admin/posts/" + post, "/admin/events", "/admin/events/" + event} {
		pages["POST "+path+" (empty)"] = b.post(path, nil).body
	}
	// Registration settings: new, with errors, and with people registered
	// (one waiting, one with access needs).
	reg := "/admin/events/" + event + "/registration"
	pages["GET "+reg+" (never set)"] = b.get(reg).body
	pages["POST "+reg+" (errors)"] = b.post(reg, url.Values{"settings": {"enabled"}, "capacity": {"none"}, "reminder_hours": {"-1"},
		"opens_date": {"2026-03-01"}, "closes_time": {"10:00"}}).body
	if res := b.post(reg, url.Values{"settings": {"enabled", "waiting_list", "ask_access_needs"}, "capacity": {"1"}, "reminder_hours": {"24"}}); res.status != 303 {
		t.Fatalf("enable registration: %d\n%s", res.status, res.body)
	}
	for i, who := range []string{"ann", "bob"} {
		f := registrationForm(who, who+"@example.org", "access_needs", "Step-free <access>", "access_consent", "yes")
		if res := s.visitor().post("/events/southwark-only-event/register", f); res.status != 303 {
			t.Fatalf("register %d: %d", i, res.status)
		}
	}
	pages["GET "+reg+" (people registered)"] = b.get(reg).body
	annID := s.count(`SELECT MIN(id) FROM registrations`)
	pages["GET /admin/privacy"] = b.get("/admin/privacy").body
	pages["POST /admin/privacy (errors)"] = b.post("/admin/privacy", url.Values{"lede": {""}, "body": {"## Kept"}}).body
	b.post("/admin/privacy", url.Values{"lede": {"Our notice."}, "body": {"## Who we are\n\nUs."}})
	pages["GET /admin/privacy/revisions"] = b.get("/admin/privacy/revisions").body
	pages["GET "+reg+"/{reg}/cancel"] = b.get(reg + "/" + strconv.Itoa(annID) + "/cancel").body
	bad := eventForm("southwark-only-event")
	bad.Set("end_time", "01:00")
	bad.Set("repeat_rule", "nonsense")
	pages["POST /admin/events (errors)"] = b.post("/admin/events", bad).body
	pages["POST /admin/posts (slug taken)"] = b.post("/admin/posts", postForm("southwark-only-news", "at")).body

	boardID, meetingID, questionID := s.strategicBoardQuestion()
	board, meeting, question := strconv.FormatInt(boardID, 10), strconv.FormatInt(meetingID, 10), strconv.FormatInt(questionID, 10)
	for _, path := range []string{"/admin/boards", "/admin/boards/new", "/admin/boards/" + board, "/admin/boards/" + board + "/meetings/new",
		"/admin/meetings/" + meeting, "/admin/questions", "/admin/questions?meeting=" + meeting,
		"/admin/questions?meeting=" + meeting + "&status=received", "/admin/questions/" + question} {
		pages["GET "+path] = b.get(path).body
	}
	for _, path := range []string{"/admin/boards", "/admin/boards/" + board, "/admin/boards/" + board + "/meetings",
		"/admin/meetings/" + meeting, "/admin/meetings/" + meeting + "/items", "/admin/meetings/" + meeting + "/papers",
		"/admin/meetings/" + meeting + "/declarations", "/admin/questions/" + question} {
		pages["POST "+path+" (empty)"] = b.post(path, nil).body
	}
	pages["POST /admin/boards (errors)"] = b.post("/admin/boards", url.Values{"place": {"southwark"}, "name": {"X"}, "slug": {"Not A Slug"},
		"kind": {"board"}, "accepts": {"yes"}, "deadline_days": {"many"}, "deadline_kind": {"working"}, "deadline_time": {"25:00"},
		"max_chars": {"10"}, "per_person": {"0"}, "answer_working_days": {"20"}, "retention_months": {"0"}, "members": {"a | b | c | d"}}).body
	b.post("/admin/meetings/"+meeting+"/archive", nil)
	b.post("/admin/boards/"+board+"/archive", nil)
	pages["GET /admin/boards (archived)"] = b.get("/admin/boards").body
	pages["GET /admin/boards/{id} (archived)"] = b.get("/admin/boards/" + board).body
	pages["GET /admin/meetings/{id} (archived)"] = b.get("/admin/meetings/" + meeting).body
	b.post("/admin/boards/"+board+"/unarchive", nil)
	b.post("/admin/meetings/"+meeting+"/unarchive", nil)
	subscribers := "/admin/meetings/" + meeting + "/subscribers"
	pages["GET "+subscribers+" (not sent)"] = b.get(subscribers).body
	b.post(subscribers, nil)
	pages["GET "+subscribers+" (sent)"] = b.get(subscribers).body
	// Requests for other formats and a paper's other formats.
	m, err := boards.NewStore(s.db).Meeting(ctx, meetingID)
	if err != nil || len(m.Papers) == 0 {
		t.Fatalf("the seeded meeting has no paper: %v", err)
	}
	paper := strconv.FormatInt(m.Papers[0].ID, 10)
	fr := strconv.FormatInt(s.formatRequest(m.Papers[0].ID, "resident@example.org"), 10)
	for _, path := range []string{"/admin/format-requests", "/admin/format-requests?status=all", "/admin/format-requests/" + fr,
		"/admin/format-requests/settings"} {
		pages["GET "+path] = b.get(path).body
	}
	for _, path := range []string{"/admin/format-requests/" + fr, "/admin/format-requests/settings", "/admin/meetings/" + meeting + "/alternatives"} {
		pages["POST "+path+" (empty)"] = b.post(path, nil).body
	}
	if res := b.post("/admin/meetings/"+meeting+"/alternatives", url.Values{"alt_paper": {paper}, "alt_format": {"audio"},
		"alt_url": {"https://audio.example/paper.mp3"}}); res.status != 303 {
		t.Fatalf("add an audio version: %d\n%s", res.status, res.body)
	}
	pages["GET /admin/meetings/{id} (a paper in another format)"] = b.get("/admin/meetings/" + meeting).body
	pages["GET /events/{slug} (a paper in another format)"] = b.get(m.Path()).body
	pages["GET /events/{slug}/another-format"] = b.get(m.Path() + "/another-format").body
	pages["POST /events/{slug}/another-format (errors)"] = b.post(m.Path()+"/another-format", url.Values{"email": {"nope"}}).body
	pages["POST /admin/questions/{id} (no answer)"] = b.post("/admin/questions/"+question, url.Values{"action": {"answered_at_meeting"}, "from": {"received"}}).body
	// Previews, versions, the directory and the audit log.
	pages["POST /admin/posts/preview"] = b.post("/admin/posts/preview", postForm("previewed", "now", "body", "## Heading\n\nText.")).body
	pages["GET /admin/posts/{id}/preview"] = b.get("/admin/posts/" + post + "/preview").body
	pages["POST /admin/posts/preview (errors)"] = b.post("/admin/posts/preview", postForm("previewed", "now", "title", "")).body
	pages["POST /admin/events/preview"] = b.post("/admin/events/preview", eventForm("previewed-event")).body
	pages["GET /admin/events/{id}/preview"] = b.get("/admin/events/" + event + "/preview").body
	changed := postForm("southwark-only-news", "now", "title", "Changed")
	b.post("/admin/posts/"+post, changed)
	changedEvent := eventForm("southwark-only-event")
	b.post("/admin/events/"+event, changedEvent)
	b.post("/admin/places/southwark", placeFormValues(t, s, "southwark"))
	service := s.someService()
	svc := serviceFormValues(t, b, service)
	svc.Set("hours-MO-1-opens", "09:00")
	svc.Set("hours-MO-1-closes", "17:00")
	b.post("/admin/directory/services/"+service, svc)
	s.revisionOfBoard(boardID)
	if res := b.post("/admin/meetings/"+meeting+"/items", url.Values{"item_number": {"9"}, "item_title": {"Any other business"}}); res.status != 303 {
		t.Fatalf("add an agenda item: %d\n%s", res.status, res.body)
	}
	for _, base := range []string{"/admin/posts/" + post, "/admin/events/" + event, "/admin/places/southwark",
		"/admin/directory/services/" + service, "/admin/boards/" + board, "/admin/meetings/" + meeting} {
		list := b.get(base + "/revisions").body
		pages["GET "+base+"/revisions"] = list
		links := revisionLinks(t, list)
		if len(links) == 0 {
			t.Fatalf("%s has no versions", base)
		}
		pages["GET "+base+"/revisions/{rev}"] = b.get(links[len(links)-1]).body
	}
	pages["GET /admin/directory"] = b.get("/admin/directory").body
	pages["GET /admin/directory?q=none"] = b.get("/admin/directory?q=nothing-matches").body
	pages["GET /admin/directory/services/{id}"] = b.get("/admin/directory/services/" + service).body
	badService := serviceFormValues(t, b, service)
	badService.Set("name", "")
	badService.Set("hours-TU-1-opens", "9am")
	badService.Set("loc-0-postcode", "nonsense")
	pages["POST /admin/directory/services/{id} (errors)"] = b.post("/admin/directory/services/"+service, badService).body
	// The reading age: lists sorted by it, and a paper written here with
	// its reading age and its form shown again.
	pages["GET /admin/posts?sort=reading-age"] = b.get("/admin/posts?sort=reading-age").body
	pages["GET /admin/events?sort=reading-age"] = b.get("/admin/events?sort=reading-age").body
	b.post("/admin/meetings/"+meeting+"/papers", url.Values{"paper_title": {"Winter plan"}, "paper_format": {"html"}, "paper_body": {hardText}})
	pages["GET /admin/meetings/{id} (a paper written here)"] = b.get("/admin/meetings/" + meeting).body
	pages["POST /admin/meetings/{id}/papers (errors, long text)"] = b.post("/admin/meetings/"+meeting+"/papers",
		url.Values{"paper_format": {"html"}, "paper_body": {hardText}}).body
	pages["GET /admin/audit"] = b.get("/admin/audit").body
	pages["GET /admin/audit (errors)"] = b.get("/admin/audit?from=nonsense").body
	pages["GET /admin/audit/{id}"] = b.get("/admin/audit/" + auditRow.FindStringSubmatch(b.get("/admin/audit?action=post_updated").body)[1]).body
	// The media library, and a post with a lead image.
	postID, _ := strconv.ParseInt(post, 10, 64)
	image := strconv.FormatInt(s.leadImage(postID), 10)
	pdf := strconv.FormatInt(b.mustUpload("", "papers.pdf", mediatest.PDF()).ID, 10)
	for _, path := range []string{"/admin/media", "/admin/media/new", "/admin/media/" + image, "/admin/media/" + pdf, "/admin/posts/" + post} {
		pages["GET "+path+" (media)"] = b.get(path).body
	}
	pages["POST /admin/media (errors)"] = b.upload("", "", "notes.png", []byte("not an image")).body
	pages["POST /admin/media/{image} (no alt)"] = b.post("/admin/media/"+image, nil).body
	pages["POST /admin/media/{image}/delete (in use)"] = b.post("/admin/media/"+image+"/delete", nil).body
	pages["GET /news/southwark-only-news (lead image)"] = b.get("/news/southwark-only-news").body
	pages["GET /news (lead image)"] = b.get("/news").body
	pages["GET /in-your-area/southwark (lead image)"] = b.get("/in-your-area/southwark").body

	// Two-factor authentication: set-up, its errors, the recovery codes,
	// the page once on, and the code page of a login.
	pages["GET /admin/account/two-factor"] = b.get("/admin/account/two-factor").body
	pages["POST /admin/account/two-factor (wrong)"] = b.post("/admin/account/two-factor", url.Values{"code": {"000000"}}).body
	pages["POST /admin/account/two-factor (codes)"] = b.enrol().page
	pages["GET /admin/account/two-factor (on)"] = b.get("/admin/account/two-factor").body
	pages["POST /admin/account/two-factor/disable (empty)"] = b.post("/admin/account/two-factor/disable", nil).body
	pages["GET /admin/users/{id} (two-factor)"] = b.get("/admin/users/" + id).body
	c := s.visitor()
	c.login("boss@example.org", testPassword)
	pages["GET /admin/login/code"] = c.get("/admin/login/code").body
	pages["POST /admin/login/code (wrong)"] = c.post("/admin/login/code", url.Values{"code": {"1"}}).body

	// Keeping listings true: the residents' report form, its errors and
	// its confirmation; the reports' queue, a report, their forms with
	// errors and the bulk close's question; the stale records; the checks'
	// findings, on their list and on the service's page.
	reportID := strconv.FormatInt(s.listingReport(service, "res@example.org"), 10)
	r := s.visitor()
	pages["GET /directory/services/{id}/report"] = r.get("/directory/services/" + service + "/report").body
	pages["POST /directory/services/{id}/report (errors)"] = r.post("/directory/services/"+service+"/report",
		s.reportForm(r, service)).body
	pages["GET /directory/services/{id}/report/sent"] = r.get("/directory/services/" + service + "/report/sent").body
	for _, path := range []string{"/admin/directory/reports", "/admin/directory/reports?status=all", "/admin/directory/reports/" + reportID,
		"/admin/directory/stale"} {
		pages["GET "+path] = b.get(path).body
	}
	pages["POST /admin/directory/reports/{id} (errors)"] = b.post("/admin/directory/reports/"+reportID, url.Values{"note": {strings.Repeat("x", 2001)}}).body
	pages["POST /admin/directory/reports/close (errors)"] = b.post("/admin/directory/reports/close", nil).body
	pages["POST /admin/directory/reports/close (ask)"] = b.post("/admin/directory/reports/close",
		url.Values{"report": {reportID}, "status": {"fixed"}, "note": {"Done <now>"}}).body
	listings, err := newUpkeep(s.db, s.cfg, s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := listings.RunChecks(ctx, listingChecker(s.cfg), s.clock.Now(), 40); err != nil {
		t.Fatal(err)
	}
	pages["GET /admin/directory/checks"] = b.get("/admin/directory/checks").body
	pages["GET /admin/directory/services/{id} (checked)"] = b.get("/admin/directory/services/" + service).body
	// The admin home with things waiting, the search, the lists' filters
	// and a bulk action's confirmation and errors.
	pages["GET /admin/ (things waiting)"] = b.get("/admin/").body
	pages["GET /admin/search"] = b.get("/admin/search").body
	pages["GET /admin/search?q=southwark"] = b.get("/admin/search?q=southwark").body
	pages["GET /admin/search?q=nothing"] = b.get("/admin/search?q=nothing-matches-this").body
	pages["GET /admin/search (too long)"] = b.get("/admin/search?q=" + strings.Repeat("a", 201)).body
	pages["GET /admin/meetings"] = b.get("/admin/meetings").body
	pages["GET /admin/meetings?status=papers-due"] = b.get("/admin/meetings?status=papers-due&place=southwark").body
	pages["GET /admin/questions?due=written"] = b.get("/admin/questions?due=written").body
	pages["GET /admin/posts?status=draft&place=southwark&sort=title"] = b.get("/admin/posts?status=draft&place=southwark&sort=title").body
	pages["POST /admin/posts/bulk (confirm)"] = b.post("/admin/posts/bulk", url.Values{"action": {"unpublish"}, "post": {post}}).body
	pages["POST /admin/posts/bulk (errors)"] = b.post("/admin/posts/bulk", url.Values{"action": {"publish"}}).body

	validateHTML(t, pages)
}
