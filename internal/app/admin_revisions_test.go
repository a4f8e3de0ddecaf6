package app

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/media/mediatest"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/revisions"
)

// revisionOf stores record as a revision of kind/id, as if saved in the
// admin, and returns the revision's id.
func (s *adminSite) revisionOf(kind, id string, record any) string {
	s.t.Helper()
	ctx := context.Background()
	var rev int64
	err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		rev, err = revisions.NewStore(q).Record(ctx, kind, id, 0, "seed", "", record)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return strconv.FormatInt(rev, 10)
}

func (s *adminSite) revisionOfPost(id int64) string {
	s.t.Helper()
	p, err := news.NewStore(s.db).ByID(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("post", strconv.FormatInt(id, 10), p)
}

func (s *adminSite) revisionOfEvent(id int64) string {
	s.t.Helper()
	e, err := events.NewStore(s.db).ByID(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("event", strconv.FormatInt(id, 10), e)
}

func (s *adminSite) revisionOfPlace(slug string) string {
	s.t.Helper()
	p, err := places.NewStore(s.db).BySlug(context.Background(), slug)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("place", slug, p)
}

// someService returns the id of a seeded directory service.
func (s *adminSite) someService() string {
	s.t.Helper()
	var id string
	if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM dir_services ORDER BY name, id LIMIT 1`).Scan(&id); err != nil {
		s.t.Fatal(err)
	}
	return id
}

func (s *adminSite) revisionOfService(id string) string {
	s.t.Helper()
	svc, err := directory.NewStore(s.db).Service(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("service", id, svc)
}

// revisionLink finds the links to versions on a revisions page, newest first.
var revisionLink = regexp.MustCompile(`href="(/admin/[a-z/]+/[0-9a-z-]+/revisions/(\d+))"`)

func revisionLinks(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range revisionLink.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestAdminPostRevisions(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	b := s.visitor().mustLogin("ed@example.org")
	res := b.post("/admin/posts", postForm("walk-for-health", "now"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d\n%s", res.status, res.body)
	}
	edit := res.location
	if res := b.post(edit, postForm("walk-for-health", "now", "title", "Run for health", "summary", "A run.")); res.status != http.StatusSeeOther {
		t.Fatalf("update: status %d\n%s", res.status, res.body)
	}

	list := b.get(edit + "/revisions")
	links := revisionLinks(t, list.body)
	if list.status != http.StatusOK || len(links) != 2 || !strings.Contains(list.body, "ed@example.org") {
		t.Fatalf("revisions page: status %d, %d versions (want 2), or no author\n%s", list.status, len(links), list.body)
	}
	first := links[1]
	view := b.get(first)
	for _, want := range []string{"<th class=\"nhsuk-table__header\" scope=\"row\">Title</th>", "Walk for health", "Run for health",
		"A walk in the park.", "Restore this version"} {
		if !strings.Contains(view.body, want) {
			t.Errorf("the first version's page lacks %q", want)
		}
	}
	if strings.Contains(view.body, "scope=\"row\">Body</th>") {
		t.Error("the comparison lists the body, which did not change")
	}
	if cur := b.get(links[0]); strings.Contains(cur.body, "Restore this version") {
		t.Error("the current version offers to restore itself")
	}

	// Another place's editor may neither see nor restore it.
	lew := s.visitor().mustLogin("lew@example.org")
	for _, r := range []response{lew.get(edit + "/revisions"), lew.get(first), lew.post(first+"/restore", nil)} {
		if r.status != http.StatusForbidden {
			t.Errorf("a Lewisham editor on a Southwark post's versions: status %d, want 403", r.status)
		}
	}
	if _, body := s.get("/news/walk-for-health"); !strings.Contains(body, "Run for health") {
		t.Error("a refused restore changed the post")
	}

	// Restoring brings the first version back, as a new version.
	res = b.post(first+"/restore", nil)
	if res.status != http.StatusSeeOther || res.location != edit {
		t.Fatalf("restore: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	if _, body := s.get("/news/walk-for-health"); !strings.Contains(body, "Walk for health") || !strings.Contains(body, "A walk in the park.") {
		t.Error("after the restore, the public page does not show the first version")
	}
	list = b.get(edit + "/revisions")
	if n := len(revisionLinks(t, list.body)); n != 3 || !strings.Contains(list.body, "Restored the version of") {
		t.Errorf("after the restore: %d versions (want 3), or no note saying it was restored", n)
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'post_updated'
		AND record = $1`, "post:"+strings.TrimPrefix(edit, "/admin/posts/")).Scan(&n); err != nil || n != 2 {
		t.Errorf("audit entries of the update and the restore: %d (%v), want 2", n, err)
	}

	// A version is found only through its own record.
	other := b.post("/admin/posts", postForm("another-post", "draft"))
	if res := b.get(other.location + "/revisions/" + strings.TrimPrefix(first, edit+"/revisions/")); res.status != http.StatusNotFound {
		t.Errorf("a post's version through another post: status %d, want 404", res.status)
	}
}

func TestAdminRestoreRefusals(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	boss := s.visitor().mustLogin("boss@example.org")

	// A version whose web address another post has taken since.
	res := boss.post("/admin/posts", postForm("first-address", "now"))
	edit := res.location
	boss.post(edit, postForm("second-address", "now"))
	boss.post("/admin/posts", postForm("first-address", "now", "title", "The newcomer"))
	links := revisionLinks(t, boss.get(edit+"/revisions").body)
	if len(links) != 2 {
		t.Fatalf("%d versions, want 2", len(links))
	}
	res = boss.post(links[1]+"/restore", nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Another post now has this version") ||
		!strings.Contains(res.body, `href="#restore"`) {
		t.Errorf("restoring a taken address: status %d, want 422 with the reason\n%s", res.status, res.body)
	}
	if _, body := s.get("/news/second-address"); !strings.Contains(body, "Walk for health") {
		t.Error("a refused restore changed the post")
	}

	// A version linked to a place the editor may not change: the post
	// was Lewisham's, and is Southwark's now.
	res = boss.post("/admin/posts", postForm("moved-post", "now", "places", "lewisham"))
	moved := res.location
	boss.post(moved, postForm("moved-post", "now", "places", "southwark"))
	ed := s.visitor().mustLogin("ed@example.org")
	links = revisionLinks(t, ed.get(moved+"/revisions").body)
	if len(links) != 2 {
		t.Fatalf("%d versions of the moved post, want 2", len(links))
	}
	res = ed.post(links[1]+"/restore", nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "places your account may not change") {
		t.Errorf("a Southwark editor restoring a Lewisham version: status %d, want 422", res.status)
	}
	p, err := news.NewStore(s.db).BySlug(context.Background(), "moved-post")
	if err != nil || len(p.Places) != 1 || p.Places[0].Slug != "southwark" {
		t.Errorf("after a refused restore the post's places are %v (%v)", p.Places, err)
	}
}

// Restoring a version goes through the checks editing applies: a version
// whose lead image has since been deleted is refused with the reason on
// the page, and the post is unchanged.
func TestAdminRestoreChecksLikeEditing(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	boss := s.visitor().mustLogin("boss@example.org")
	img := boss.mustUpload("Walkers at the park gate", "walk.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(800, 500, red, blue), 1))
	res := boss.post("/admin/posts", postForm("with-image", "now", "lead_image", strconv.FormatInt(img.ID, 10)))
	if res.status != http.StatusSeeOther {
		t.Fatalf("saving with a lead image: status %d\n%s", res.status, errorSummary(res.body))
	}
	edit := res.location
	if res := boss.post(edit, postForm("with-image", "now", "title", "Without its image")); res.status != http.StatusSeeOther {
		t.Fatalf("saving without the image: status %d\n%s", res.status, errorSummary(res.body))
	}
	if res := boss.post("/admin/media/"+strconv.FormatInt(img.ID, 10)+"/delete", nil); res.status != http.StatusSeeOther {
		t.Fatalf("deleting the image: status %d\n%s", res.status, errorSummary(res.body))
	}
	links := revisionLinks(t, boss.get(edit+"/revisions").body)
	if len(links) != 2 {
		t.Fatalf("%d versions, want 2", len(links))
	}
	res = boss.post(links[1]+"/restore", nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "no longer in the media library") ||
		!strings.Contains(res.body, `href="#restore"`) {
		t.Errorf("restoring a version whose lead image is gone: status %d, want 422 with the reason\n%s", res.status, errorSummary(res.body))
	}
	p, err := news.NewStore(s.db).BySlug(context.Background(), "with-image")
	if err != nil || p.Title != "Without its image" || p.LeadImageID != 0 {
		t.Errorf("after a refused restore the post is %q with lead image %d (%v)", p.Title, p.LeadImageID, err)
	}
}

func TestAdminPlaceAndEventRevisions(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	b := s.visitor().mustLogin("ed@example.org")

	form := placeFormValues(t, s, "southwark")
	form.Set("pop_value", "400000")
	if res := b.post("/admin/places/southwark", form); res.status != http.StatusSeeOther {
		t.Fatalf("save place: status %d\n%s", res.status, res.body)
	}
	form.Set("pop_value", "500000")
	b.post("/admin/places/southwark", form)
	list := b.get("/admin/places/southwark/revisions").body
	links := revisionLinks(t, list)
	if len(links) != 3 || !strings.Contains(list, "As it was before it was first changed in the admin") {
		t.Fatalf("%d versions of the seeded place, want 3 with the first as seeded", len(links))
	}
	if view := b.get(links[1]); !strings.Contains(view.body, "Figures › 1 › Value") || !strings.Contains(view.body, "400000") {
		t.Errorf("the place's version does not show the figure that changed:\n%s", view.body)
	}
	if res := s.visitor().mustLogin("lew@example.org").post(links[1]+"/restore", nil); res.status != http.StatusForbidden {
		t.Errorf("a Lewisham editor restoring Southwark: status %d, want 403", res.status)
	}
	if res := b.post(links[1]+"/restore", nil); res.status != http.StatusSeeOther {
		t.Fatalf("restore place: status %d\n%s", res.status, res.body)
	}
	if got := figures(t, s.page("/in-your-area/southwark"))["Population"]; got != "400,000" {
		t.Errorf("population after the restore: %s, want 400,000", got)
	}

	res := b.post("/admin/events", eventForm("drop-in"))
	edit := res.location
	changed := eventForm("drop-in")
	changed.Set("venue", "The library")
	b.post(edit, changed)
	links = revisionLinks(t, b.get(edit+"/revisions").body)
	if len(links) != 2 {
		t.Fatalf("%d versions of the event, want 2", len(links))
	}
	if res := b.post(links[1]+"/restore", nil); res.status != http.StatusSeeOther {
		t.Fatalf("restore event: status %d\n%s", res.status, res.body)
	}
	if _, body := s.get("/events/drop-in"); !strings.Contains(body, "The hall") || strings.Contains(body, "The library") {
		t.Error("after the restore, the event page does not show the first venue")
	}
}

func TestAdminPreview(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	b := s.visitor().mustLogin("ed@example.org")

	// Unsaved changes, on the public template, marked and not kept.
	res := b.post("/admin/posts/preview", postForm("previewed", "now", "title", "Not saved yet", "body", "## A heading"))
	checkPreview(t, "new post", res, "Not saved yet", "<h2>A heading</h2>")
	if got := s.status("/news/previewed"); got != http.StatusNotFound {
		t.Errorf("a previewed post is public: status %d", got)
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM posts WHERE slug = 'previewed'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("previewing saved the post (%d, %v)", n, err)
	}
	// "Back to editing" shows the form with the input kept; errors too.
	back := postForm("previewed", "now", "title", "Not saved yet")
	back.Set("preview_back", "yes")
	if res := b.post("/admin/posts/preview", back); res.status != http.StatusOK || !strings.Contains(res.body, `value="Not saved yet"`) {
		t.Errorf("back to editing: status %d, or the title is not kept", res.status)
	}
	if res := b.post("/admin/posts/preview", postForm("previewed", "now", "title", "")); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `href="#title"`) {
		t.Errorf("previewing a post with no title: status %d, want 422 with an error on the title", res.status)
	}

	// A saved draft, as saved; and its unsaved changes.
	res = b.post("/admin/posts", postForm("a-draft", "draft", "title", "Draft title"))
	edit := res.location
	checkPreview(t, "saved draft", b.get(edit+"/preview"), "Draft title", "It is a draft")
	checkPreview(t, "changed draft", b.post(edit+"/preview", postForm("a-draft", "draft", "title", "Changed title")), "Changed title", "")
	if got, _ := news.NewStore(s.db).BySlug(context.Background(), "a-draft"); got.Title == "Changed title" {
		t.Error("a previewed change was saved")
	}
	// The preview's Save button posts the form's fields to the save path.
	preview := b.post(edit+"/preview", postForm("a-draft", "draft", "title", "Saved from the preview"))
	if !strings.Contains(preview.body, `formaction="`+edit+`"`) {
		t.Errorf("the preview's Save button does not post to %s", edit)
	}
	if res := b.post(edit, formValues(t, preview.body)); res.status != http.StatusSeeOther {
		t.Errorf("saving from the preview: status %d\n%s", res.status, res.body)
	}
	if got, err := news.NewStore(s.db).ByID(context.Background(), postIDOf(t, edit)); err != nil || got.Title != "Saved from the preview" {
		t.Errorf("after saving from the preview the title is %q (%v)", got.Title, err)
	}
	lew := s.visitor().mustLogin("lew@example.org")
	for _, r := range []response{lew.get(edit + "/preview"), lew.post(edit+"/preview", postForm("a-draft", "draft", "places", "lewisham"))} {
		if r.status != http.StatusForbidden || strings.Contains(r.body, "Draft title") {
			t.Errorf("a Lewisham editor previewing a Southwark draft: status %d, want 403", r.status)
		}
	}
	if res := lew.post("/admin/posts/preview", postForm("for-southwark", "now")); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a Lewisham editor previewing a Southwark post: status %d, want 422", res.status)
	}

	// Events.
	ev := eventForm("previewed-event")
	ev.Set("title", "Event not saved")
	checkPreview(t, "new event", b.post("/admin/events/preview", ev), "Event not saved", "The hall")
	ev.Set("publish", "draft")
	res = b.post("/admin/events", ev)
	checkPreview(t, "saved event", b.get(res.location+"/preview"), "Event not saved", "It is a draft")
	if got := s.status("/events/previewed-event"); got != http.StatusNotFound {
		t.Errorf("a draft event is public after its preview: status %d", got)
	}
	if r := lew.get(res.location + "/preview"); r.status != http.StatusForbidden {
		t.Errorf("a Lewisham editor previewing a Southwark event: status %d, want 403", r.status)
	}
}

func checkPreview(t *testing.T, what string, res response, wants ...string) {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("%s preview: status %d\n%s", what, res.status, res.body)
	}
	wants = append(wants, `<meta name="robots" content="noindex">`, "Residents cannot see this.")
	for _, want := range wants {
		if !strings.Contains(res.body, want) {
			t.Errorf("%s preview lacks %q", what, want)
		}
	}
	if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("%s preview: Cache-Control %q, want no-store", what, cc)
	}
	if got := res.header.Get("X-Robots-Tag"); got != "noindex" {
		t.Errorf("%s preview: X-Robots-Tag %q, want noindex", what, got)
	}
	if strings.Contains(res.body, `rel="canonical"`) {
		t.Errorf("%s preview names a canonical address", what)
	}
}

func TestAdminExport(t *testing.T) {
	s := newAdminSite(t)
	boss := s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	b := s.visitor().mustLogin("boss@example.org")
	post := s.southwarkPost()
	postID := strconv.FormatInt(post, 10)
	serviceID := s.someService()
	_, _, questionID := s.strategicBoardQuestion()
	imageID := s.leadImage(post)
	tests := []struct {
		path, kind, want string
	}{
		{"/admin/posts/" + postID + "/export", "post", `"Title": "Southwark only"`},
		{"/admin/events/" + strconv.FormatInt(s.southwarkEvent(), 10) + "/export", "event", `"Venue": "The hall"`},
		{"/admin/places/southwark/export", "place", `"Name": "Southwark"`},
		{"/admin/directory/services/" + serviceID + "/export", "service", `"ID": "` + serviceID + `"`},
		{"/admin/users/" + strconv.FormatInt(boss.ID, 10) + "/export", "user", `"email": "boss@example.org"`},
		// A resident's question, with their details, for a request to see their data.
		{"/admin/questions/" + strconv.FormatInt(questionID, 10) + "/export", "question", `"Email": "eve@example.org"`},
		{"/admin/media/" + strconv.FormatInt(imageID, 10) + "/export", "media", `"Alt": "Walkers at the park gate"`},
	}
	for _, tt := range tests {
		res := b.post(tt.path, nil)
		if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="`+tt.kind+"-") ||
			!strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: status %d, Content-Disposition %q", tt.path, res.status, res.header.Get("Content-Disposition"))
			continue
		}
		var doc struct {
			Kind   string          `json:"kind"`
			Record json.RawMessage `json:"record"`
		}
		if err := json.Unmarshal([]byte(res.body), &doc); err != nil || doc.Kind != tt.kind || !strings.Contains(res.body, tt.want) {
			t.Errorf("%s: kind %q (%v), or the record lacks %s:\n%s", tt.path, doc.Kind, err, tt.want, res.body)
		}
		var n int
		if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor = $2`,
			tt.kind+"_exported", "boss@example.org").Scan(&n); err != nil || n != 1 {
			t.Errorf("%s: %d audit entries for the download (%v), want 1", tt.path, n, err)
		}
	}
	if res := b.post("/admin/users/"+strconv.FormatInt(boss.ID, 10)+"/export", nil); strings.Contains(strings.ToLower(res.body), "password") ||
		strings.Contains(res.body, "argon2") {
		t.Error("an account's download holds its password hash")
	}
	if res := s.visitor().mustLogin("lew@example.org").post("/admin/posts/"+postID+"/export", nil); res.status != http.StatusForbidden ||
		strings.Contains(res.body, "Southwark only") {
		t.Errorf("a Lewisham editor downloading a Southwark post: status %d, want 403", res.status)
	}
}

func postIDOf(t *testing.T, edit string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(edit, "/admin/posts/"), 10, 64)
	if err != nil {
		t.Fatalf("no post id in %q", edit)
	}
	return id
}

func (s *adminSite) revisionOfBoard(id int64) string {
	s.t.Helper()
	b, err := boards.NewStore(s.db).Board(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("board", strconv.FormatInt(id, 10), b)
}

// revisionOfMeeting stores the meeting as its revisions hold it: the
// meeting and its event.
func (s *adminSite) revisionOfMeeting(id int64) string {
	s.t.Helper()
	ctx := context.Background()
	m, err := boards.NewStore(s.db).Meeting(ctx, id)
	if err != nil {
		s.t.Fatal(err)
	}
	e, err := events.NewStore(s.db).ByID(ctx, m.EventID)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("meeting", strconv.FormatInt(id, 10), struct {
		Meeting boards.Meeting `json:"meeting"`
		Event   events.Event   `json:"event"`
	}{m, e})
}
