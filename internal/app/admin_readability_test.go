package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/readability"
)

// hardText is harder than the target: a sentence of jargon and one of 29
// words.
const (
	jargon      = "The partnership will facilitate community engagement regarding additional mental health services."
	longOne     = "Residents who wish to participate in the consultation should complete the questionnaire and return it to the engagement team at the town hall before the closing date in March."
	hardText    = jargon + " " + longOne
	readingAgeB = "Reading age <strong>"
)

// ageOf is the reading age the panel should show for a form's texts,
// each its own paragraph.
func ageOf(texts ...string) string {
	return readability.Measure(strings.Join(texts, "\n\n")).AgeLabel()
}

// checkPanel checks that page shows the reading age panel with id, for
// text made harder than the target by hardText.
func checkPanel(t *testing.T, what, page, id, age string, form bool) {
	t.Helper()
	n, err := strconv.Atoi(age)
	if err != nil || n <= readability.TargetHigh {
		t.Fatalf("%s: the test's text should be harder than the target, not %q", what, age)
	}
	for _, want := range []string{
		`id="` + id + `"`,
		readingAgeB + age + "</strong>",
		"Harder than the target of 9 to 11",
		"<q>" + longOne + "</q> (29 words)",
		"“facilitate”: try “help, make easier”",
		"“participate”: try “take part”",
		"Measured by the Flesch-Kincaid grade level",
		"plus 5 for a UK reading age",
		"it never stops you saving or publishing",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: the reading age panel does not show %q", what, want)
		}
	}
	if got := strings.Contains(page, `data-readability-fields=`) && strings.Contains(page, `<script src="/static/readability.js" defer></script>`); got != form {
		t.Errorf("%s: the panel's script is there: %v, want %v", what, got, form)
	}
}

// Every kind of public text shows its reading age on saving (the form as
// saved, and the form again with errors) and on previewing; hard text is
// saved all the same; the lists show each item's reading age.
func TestAdminReadingAge(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("boss@example.org")
	saved := func(what, path string, f url.Values) string {
		t.Helper()
		res := b.post(path, f)
		if res.status != http.StatusSeeOther {
			t.Fatalf("%s: hard text must not stop a save: status %d\n%s", what, res.status, res.body)
		}
		return res.location
	}
	page := func(what, path string) string {
		t.Helper()
		res := b.get(path)
		if res.status != http.StatusOK {
			t.Fatalf("%s: GET %s: status %d", what, path, res.status)
		}
		return res.body
	}

	// Posts: on save, with errors, and on both previews.
	pf := postForm("hard-to-read", "now", "body", hardText, "pull_quote", "")
	postAge := ageOf(pf.Get("summary"), hardText, "")
	postPath := saved("post", "/admin/posts", pf)
	checkPanel(t, "post form", page("post", postPath), "readability", postAge, true)
	bad := postForm("hard-to-read-2", "now", "body", hardText, "title", "")
	res := b.post("/admin/posts", bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("post without a title: %d", res.status)
	}
	checkPanel(t, "post form with errors", res.body, "readability", postAge, true)
	res = b.post("/admin/posts/preview", postForm("hard-preview", "now", "body", hardText))
	checkPanel(t, "post preview", res.body, "readability", postAge, false)
	checkPanel(t, "saved post preview", page("post preview", postPath+"/preview"), "readability", postAge, false)

	// Events.
	ef := eventForm("hard-event")
	ef.Set("body", hardText)
	eventAge := ageOf(ef.Get("summary"), hardText)
	eventPath := saved("event", "/admin/events", ef)
	checkPanel(t, "event form", page("event", eventPath), "readability", eventAge, true)
	checkPanel(t, "event preview", b.post("/admin/events/preview", ef).body, "readability", eventAge, false)
	checkPanel(t, "saved event preview", page("event preview", eventPath+"/preview"), "readability", eventAge, false)

	// A place page: its aims are one to a line, each a sentence.
	pl := placeFormValues(t, s, "southwark")
	pl.Set("purpose", hardText)
	placeAge := ageOf(pl.Get("summary"), hardText, pl.Get("aims_intro"), strings.ReplaceAll(pl.Get("aims"), "\n", "\n\n"))
	saved("place", "/admin/places/southwark", pl)
	checkPanel(t, "place form", page("place", "/admin/places/southwark"), "readability", placeAge, true)

	// A directory service.
	service := s.someService()
	sv := serviceFormValues(t, b, service)
	sv.Set("description", hardText)
	saved("service", "/admin/directory/services/"+service, sv)
	checkPanel(t, "service form", page("service", "/admin/directory/services/"+service), "readability", ageOf(hardText), true)

	// A board, a meeting, and a paper written as a web page.
	bf := boardFields("hard-board", "description", hardText)
	boardPath := saved("board", "/admin/boards", bf)
	checkPanel(t, "board form", page("board", boardPath), "readability", ageOf(hardText, "", "", ""), true)
	mf := url.Values{"title": {"Hard meeting"}, "slug": {"hard-meeting"}, "summary": {"The board meets."}, "body": {hardText},
		"date": {"2031-01-28"}, "start_time": {"13:30"}, "end_time": {"16:30"}, "attendance": {"in_person"}, "venue": {"Tooley Street"},
		"status": {"scheduled"}, "publish": {"published"}}
	meetingPath := saved("meeting", boardPath+"/meetings", mf)
	meetingAge := ageOf("The board meets.", hardText, "")
	checkPanel(t, "meeting form", page("meeting", meetingPath), "readability", meetingAge, true)
	res = b.post(meetingPath+"/papers", url.Values{"paper_format": {"html"}, "paper_body": {hardText}})
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a paper without a title: %d", res.status)
	}
	checkPanel(t, "paper form with errors", res.body, "readability-paper", ageOf(hardText), true)
	saved("paper", meetingPath+"/papers", url.Values{"paper_title": {"Winter plan"}, "paper_format": {"html"}, "paper_body": {hardText}})
	if p := page("meeting", meetingPath); !strings.Contains(p, "Winter plan</a>") || !strings.Contains(p, "Reading age "+ageOf(hardText)+"</span>") {
		t.Errorf("the meeting's papers do not show the paper's reading age %s", ageOf(hardText))
	}

	// The lists: each item's reading age, and the hardest first on asking.
	list := page("posts", "/admin/posts?sort=reading-age")
	if !strings.Contains(list, "Sorted by reading age, hardest to read first") {
		t.Error("the post list does not say it is sorted by reading age")
	}
	hard := strings.Index(list, "Walk for health</a>")
	if hard < 0 || !strings.Contains(list[hard:], `<td class="nhsuk-table__cell">`+postAge+`</td>`) {
		t.Errorf("the post list does not show the post's reading age %s", postAge)
	}
	// A newer, easier post: first by date, second by reading age.
	saved("easy post", "/admin/posts", postForm("easy-read", "now", "title", "Easy read", "summary", "Come for a walk.", "body", "We meet at ten."))
	list = page("posts", "/admin/posts?sort=reading-age")
	hard, easy := strings.Index(list, "Walk for health</a>"), strings.Index(list, "Easy read</a>")
	if hard < 0 || easy < 0 || hard > easy {
		t.Errorf("sorted by reading age, the hard post (at %d) should come before the easy one (at %d)", hard, easy)
	}
	list = page("posts", "/admin/posts")
	if hard, easy = strings.Index(list, "Walk for health</a>"), strings.Index(list, "Easy read</a>"); hard < easy {
		t.Error("by default the post list is newest first")
	}
	if list := page("events", "/admin/events?sort=reading-age"); !strings.Contains(list, `<td class="nhsuk-table__cell">`+eventAge+`</td>`) {
		t.Errorf("the event list does not show the event's reading age %s", eventAge)
	}
	if list := page("places", "/admin/places"); !strings.Contains(list, "Reading age "+placeAge+"</p>") {
		t.Errorf("the place list does not show Southwark's reading age %s", placeAge)
	}
	if list := page("boards", "/admin/boards"); !strings.Contains(list, "Reading age "+ageOf(hardText, "", "", "")+".") ||
		!strings.Contains(list, "reading age "+meetingAge+")") {
		t.Errorf("the board list does not show the board's and the meeting's reading ages")
	}
	if list := page("directory", "/admin/directory?q="+url.QueryEscape(sv.Get("name"))); !strings.Contains(list, `<td class="nhsuk-table__cell">`+ageOf(hardText)+`</td>`) {
		t.Errorf("the directory list does not show the service's reading age %s", ageOf(hardText))
	}
}

// POST /admin/readability measures text as an editor types, as the same
// panel part the forms show, and refuses text too long to measure.
func TestAdminReadabilityEndpoint(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	res := b.post("/admin/readability", url.Values{"text": {"Short one.", hardText}})
	if res.status != http.StatusOK || strings.Contains(res.body, "<html") {
		t.Fatalf("status %d, want a part of a page\n%s", res.status, res.body)
	}
	if !strings.Contains(res.body, readingAgeB+ageOf("Short one.", hardText)+"</strong>") || !strings.Contains(res.body, "<q>"+longOne+"</q>") {
		t.Errorf("the answer does not show the reading age and the long sentence:\n%s", res.body)
	}
	// Lines are a list, each its own sentence: two of one word each.
	res = b.post("/admin/readability", url.Values{"lines": {"Walking\nTalking"}})
	if !strings.Contains(res.body, "2 words in 2 sentences") {
		t.Errorf("lines are not read one a sentence:\n%s", res.body)
	}
	res = b.post("/admin/readability", nil)
	if res.status != http.StatusOK || !strings.Contains(res.body, "There is no text to measure yet.") {
		t.Errorf("no text: status %d\n%s", res.status, res.body)
	}
	res = b.post("/admin/readability", url.Values{"text": {strings.Repeat("word ", 50_000)}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "too long to measure") {
		t.Errorf("too long: status %d", res.status)
	}
	// Another site's page cannot ask (the admin's CSRF protection).
	res = b.post("/admin/readability", url.Values{"text": {"Hello."}}, "Sec-Fetch-Site", "cross-site")
	if res.status != http.StatusForbidden {
		t.Errorf("a cross-site request: status %d, want 403", res.status)
	}
}
