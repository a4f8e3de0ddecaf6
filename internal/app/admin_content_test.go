package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
)

// placeID returns the id of the place with slug.
func (s *adminSite) placeID(slug string) int64 {
	s.t.Helper()
	id, err := places.NewStore(s.db).IDBySlug(context.Background(), slug)
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// southwarkPost stores a published post of Southwark alone and returns its id.
func (s *adminSite) southwarkPost() int64 {
	s.t.Helper()
	ctx := context.Background()
	var id int64
	err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		id, err = news.NewStore(q).Create(ctx, news.Post{Kind: news.KindNews, Slug: "southwark-only-news", Title: "Southwark only",
			Summary: "For Southwark.", PublishedAt: time.Now().Add(-time.Hour), PlaceIDs: []int64{s.placeID("southwark")}})
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// southwarkEvent stores a published event of Southwark alone and returns its id.
func (s *adminSite) southwarkEvent() int64 {
	s.t.Helper()
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	e := s.addEvent(events.Event{Slug: "southwark-only-event", Title: "Southwark only", Summary: "For Southwark.",
		StartsAt: start, EndsAt: start.Add(time.Hour), Venue: "The hall"}, "southwark")
	return e.ID
}

// postForm is a complete, valid post form.
func postForm(slug, publish string, extra ...string) url.Values {
	f := url.Values{"kind": {"news"}, "title": {"Walk for health"}, "slug": {slug}, "summary": {"A walk in the park."},
		"body": {"Meet at the gate.\n\nBring water."}, "author": {"Partnership Southwark"}, "publish": {publish},
		"places": {"southwark"}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

func (s *adminSite) status(path string) int {
	s.t.Helper()
	res, _ := s.get(path)
	return res.StatusCode
}

var savedPost = regexp.MustCompile(`^/admin/posts/(\d+)$`)

func TestAdminPostPublishing(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")

	// A draft is saved, and is not public.
	res := b.post("/admin/posts", postForm("walk-for-health", "draft"))
	m := savedPost.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create draft: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	edit := res.location
	if got := s.status("/news/walk-for-health"); got != http.StatusNotFound {
		t.Errorf("draft: public page status %d, want 404", got)
	}
	if page := b.get(edit); !strings.Contains(page.body, "saved as a draft") || !strings.Contains(page.body, `value="walk-for-health"`) {
		t.Errorf("after saving a draft, the form does not say so or lost the slug:\n%s", page.body)
	}
	var before, after string
	if err := s.db.QueryRowContext(context.Background(), `SELECT before_json, after_json FROM audit_log
		WHERE action = 'post_created' AND record = $1`, "post:"+m[1]).Scan(&before, &after); err != nil {
		t.Fatalf("no audit row for the new post: %v", err)
	}
	if before != "" || !strings.Contains(after, `"Walk for health"`) {
		t.Errorf("audit of the new post: before %q, after %q", before, after)
	}

	// Publish now: public at once.
	if res := b.post(edit, postForm("walk-for-health", "now")); res.status != http.StatusSeeOther {
		t.Fatalf("publish: status %d\n%s", res.status, res.body)
	}
	if res, body := s.get("/news/walk-for-health"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Walk for health") {
		t.Errorf("published: public page status %d", res.StatusCode)
	}
	if err := s.db.QueryRowContext(context.Background(), `SELECT before_json, after_json FROM audit_log
		WHERE action = 'post_updated' AND record = $1`, "post:"+m[1]).Scan(&before, &after); err != nil {
		t.Fatalf("no audit row for the update: %v", err)
	}
	if !strings.Contains(before, `"draft"`) || !strings.Contains(after, `"published"`) {
		t.Errorf("audit of publishing: before %q, after %q", before, after)
	}

	// Scheduled for tomorrow: not public until then.
	tomorrow := time.Now().Add(24 * time.Hour)
	res = b.post(edit, postForm("walk-for-health", "at", "publish_date", london(tomorrow),
		"publish_time", tomorrow.In(mustLondon).Format("15:04")))
	if res.status != http.StatusSeeOther {
		t.Fatalf("schedule: status %d\n%s", res.status, res.body)
	}
	if got := s.status("/news/walk-for-health"); got != http.StatusNotFound {
		t.Errorf("scheduled: public page status %d, want 404", got)
	}
	if list := b.get("/admin/posts"); !strings.Contains(list.body, "Scheduled") {
		t.Errorf("the list does not show the post as scheduled:\n%s", list.body)
	}

	// Published again, then unpublished: back to a draft, and gone.
	b.post(edit, postForm("walk-for-health", "now"))
	if got := s.status("/news/walk-for-health"); got != http.StatusOK {
		t.Fatalf("republished: public page status %d", got)
	}
	if res := b.post(edit, postForm("walk-for-health", "draft")); res.status != http.StatusSeeOther {
		t.Fatalf("unpublish: status %d", res.status)
	}
	if got := s.status("/news/walk-for-health"); got != http.StatusNotFound {
		t.Errorf("unpublished: public page status %d, want 404", got)
	}
}

func TestAdminPostValidation(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	if res := b.post("/admin/posts", postForm("taken-slug", "draft")); res.status != http.StatusSeeOther {
		t.Fatalf("first post: status %d\n%s", res.status, res.body)
	}
	tests := []struct {
		name  string
		form  url.Values
		field string // the id the message is on
		kept  string // typed input shown again
	}{
		{"no title", postForm("fine-slug", "draft", "title", "", "summary", "Kept summary <b>"), "title", "Kept summary &lt;b&gt;"},
		{"bad slug", postForm("Not A Slug!", "draft"), "slug", `value="Not A Slug!"`},
		{"slug taken", postForm("taken-slug", "draft", "title", "Kept title"), "slug", `value="Kept title"`},
		{"no publication", postForm("fine-slug", "", "author", "Kept author"), "publish-draft", `value="Kept author"`},
		{"bad date", postForm("fine-slug", "at", "publish_date", "31/02/2026", "publish_time", "10:00"), "publish_date", `value="31/02/2026"`},
		{"story without storyteller", postForm("fine-slug", "draft", "kind", "story"), "storyteller", `value="story" checked`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.post("/admin/posts", tt.form)
			wantFieldError(t, res, tt.field, tt.kept)
		})
	}
}

func TestAdminPostPlaces(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	postID := strconv.FormatInt(s.southwarkPost(), 10)
	b := s.visitor().mustLogin("lew@example.org")
	if res := b.get("/admin/posts/" + postID); res.status != http.StatusForbidden {
		t.Errorf("a Lewisham editor opening a Southwark post: status %d, want 403", res.status)
	}
	if res := b.post("/admin/posts/"+postID, postForm("southwark-only-news", "now", "places", "lewisham")); res.status != http.StatusForbidden {
		t.Errorf("a Lewisham editor saving a Southwark post: status %d, want 403", res.status)
	}
	if list := b.get("/admin/posts"); strings.Contains(list.body, "/admin/posts/"+postID+`"`) {
		t.Error("a Lewisham editor's list offers a Southwark post")
	}
	res := b.post("/admin/posts", postForm("for-southwark", "now"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#places"`) {
		t.Errorf("a Lewisham editor creating a Southwark post: status %d, want 422 with an error on places", res.status)
	}
	if got := s.status("/news/for-southwark"); got != http.StatusNotFound {
		t.Errorf("the refused post is public: status %d", got)
	}
	res = b.post("/admin/posts", postForm("for-nobody", "now", "places", ""))
	if res.status != http.StatusUnprocessableEntity {
		t.Errorf("a Lewisham editor creating a post for the whole system: status %d, want 422", res.status)
	}
	if res := b.post("/admin/posts", postForm("for-lewisham", "now", "places", "lewisham")); res.status != http.StatusSeeOther {
		t.Errorf("a Lewisham editor creating a Lewisham post: status %d\n%s", res.status, res.body)
	}
	if res := b.get("/admin/events/" + strconv.FormatInt(s.southwarkEvent(), 10)); res.status != http.StatusForbidden {
		t.Errorf("a Lewisham editor opening a Southwark event: status %d, want 403", res.status)
	}
}

const xss = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`

// handlerAttr is an event-handler attribute inside a tag.
var handlerAttr = regexp.MustCompile(`<[a-zA-Z][^>"]*\sonerror=`)

func noXSS(t *testing.T, what, body string) {
	t.Helper()
	for _, bad := range []string{"<script>alert", "<img src=x"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: the page contains %q unescaped", what, bad)
		}
	}
	if m := handlerAttr.FindString(body); m != "" {
		t.Errorf("%s: a tag has an event handler: %s", what, m)
	}
}

func TestAdminContentXSS(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("boss@example.org")
	form := postForm("xss-post", "now", "kind", "story")
	for _, f := range []string{"title", "summary", "body", "author", "storyteller", "pull_quote", "pull_quote_by"} {
		form.Set(f, f+" "+xss)
	}
	if res := b.post("/admin/posts", form); res.status != http.StatusSeeOther {
		t.Fatalf("create post: status %d\n%s", res.status, res.body)
	}
	res, body := s.get("/news/xss-post")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "title &lt;script&gt;") {
		t.Fatalf("post page: status %d, or the title is not shown escaped", res.StatusCode)
	}
	noXSS(t, "post page", body)
	_, body = s.get("/news")
	noXSS(t, "news listing", body)

	ev := eventForm("xss-event")
	for _, f := range []string{"title", "summary", "body", "venue", "venue_address", "venue_postcode", "venue_accessibility",
		"organiser", "status_note"} {
		ev.Set(f, f+" "+xss)
	}
	ev.Set("venue_postcode", "<b>x")
	if res := b.post("/admin/events", ev); res.status != http.StatusSeeOther {
		t.Fatalf("create event: status %d\n%s", res.status, res.body)
	}
	res, body = s.get("/events/xss-event")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "title &lt;script&gt;") {
		t.Fatalf("event page: status %d, or the title is not shown escaped", res.StatusCode)
	}
	noXSS(t, "event page", body)
	_, body = s.get("/events")
	noXSS(t, "events listing", body)
}

// eventForm is a complete, valid event form, two days ahead.
func eventForm(slug string) url.Values {
	day := london(time.Now().Add(48 * time.Hour))
	return url.Values{"title": {"Drop-in"}, "slug": {slug}, "summary": {"Come along."}, "body": {"Tea and advice."},
		"start_date": {day}, "start_time": {"10:00"}, "end_date": {day}, "end_time": {"12:00"}, "attendance": {"in_person"},
		"venue": {"The hall"}, "status": {"scheduled"}, "publish": {"published"}, "places": {"southwark"}}
}

var sequence = regexp.MustCompile(`SEQUENCE:(\d+)`)

func TestAdminEventEditing(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")

	// Errors keep the input and say what is wrong with each field.
	bad := eventForm("drop-in")
	bad.Set("end_time", "09:00")
	bad.Set("repeat_rule", "FREQ=DAILY")
	bad.Set("title", "")
	bad.Set("venue", "Kept venue")
	res := b.post("/admin/events", bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid event: status %d", res.status)
	}
	for _, f := range []string{"title", "end_date", "repeat_rule"} {
		if !strings.Contains(res.body, `href="#`+f+`"`) {
			t.Errorf("invalid event: no error on %s", f)
		}
	}
	if !strings.Contains(res.body, `value="Kept venue"`) || !strings.Contains(res.body, `value="FREQ=DAILY"`) {
		t.Error("invalid event: the input is not kept")
	}

	// A draft is not public; publishing it is.
	draft := eventForm("drop-in")
	draft.Set("publish", "draft")
	draft.Set("repeat_rule", "FREQ=WEEKLY;BYDAY=TU")
	res = b.post("/admin/events", draft)
	if res.status != http.StatusSeeOther {
		t.Fatalf("create event: status %d\n%s", res.status, res.body)
	}
	edit := res.location
	if got := s.status("/events/drop-in"); got != http.StatusNotFound {
		t.Errorf("draft event: public status %d, want 404", got)
	}
	if res := b.post(edit, eventForm("drop-in")); res.status != http.StatusSeeOther {
		t.Fatalf("publish event: status %d\n%s", res.status, res.body)
	}
	_, ics := s.get("/events/drop-in/calendar.ics")
	m := sequence.FindStringSubmatch(ics)
	if m == nil {
		t.Fatalf("no SEQUENCE in the calendar:\n%s", ics)
	}
	first, _ := strconv.Atoi(m[1])

	// An edit bumps the calendar's SEQUENCE, and is audited.
	changed := eventForm("drop-in")
	changed.Set("start_time", "11:00")
	if res := b.post(edit, changed); res.status != http.StatusSeeOther {
		t.Fatalf("edit event: status %d\n%s", res.status, res.body)
	}
	_, ics = s.get("/events/drop-in/calendar.ics")
	if m := sequence.FindStringSubmatch(ics); m == nil || m[1] != strconv.Itoa(first+1) {
		t.Errorf("after an edit, SEQUENCE is %v, want %d", m, first+1)
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'event_updated'
		AND before_json <> '' AND after_json <> ''`).Scan(&n); err != nil || n != 2 {
		t.Errorf("audit rows for the two event updates: %d (%v), want 2", n, err)
	}

	// Another event cannot take its slug.
	res = b.post("/admin/events", eventForm("drop-in"))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `id="slug-error"`) {
		t.Errorf("duplicate event slug: status %d, want 422 with an error on the slug", res.status)
	}
}

// Saves racing for one new slug: exactly one wins, the others are told on
// the slug field, and none fails with a server error.
func TestAdminSlugRace(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("editor@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("editor@example.org")
	const n = 30
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- b.post("/admin/posts", postForm("same-slug", "draft")).status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for st := range statuses {
		count[st]++
	}
	if count[http.StatusSeeOther] != 1 || count[http.StatusUnprocessableEntity] != n-1 {
		t.Fatalf("statuses %v, want one 303 and %d 422", count, n-1)
	}
}
