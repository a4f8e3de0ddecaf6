package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/questions"
)

// A question's reference typed into the admin search opens the question,
// for those who moderate questions; an editor of Lambeth finds neither
// Southwark's question nor its posts, only their own place's.
func TestAdminSearch(t *testing.T) {
	s := newAdminSite(t)
	_, _, questionID := s.strategicBoardQuestion()
	q, err := questions.NewStore(s.db).ByID(context.Background(), questionID)
	if err != nil {
		t.Fatal(err)
	}
	s.addPost("southwark-walks", false, time.Now().Add(-time.Hour), "southwark")
	s.addPost("lambeth-walks", false, time.Now().Add(-time.Hour), "lambeth")
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	s.addUser("lambeth@example.org", accounts.Editor, "lambeth")
	s.addUser("southwark@example.org", accounts.Editor, "southwark")
	s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	gov := s.visitor().mustLogin("gov@example.org")
	lambeth := s.visitor().mustLogin("lambeth@example.org")
	southwark := s.visitor().mustLogin("southwark@example.org")
	boss := s.visitor().mustLogin("boss@example.org")
	dir := s.visitor().mustLogin("dir@example.org")
	question := "/admin/questions/" + strconv.FormatInt(questionID, 10)

	for _, typed := range []string{q.Reference, strings.ToLower(q.Reference), " " + q.Reference + " "} {
		res := gov.get("/admin/search?q=" + url.QueryEscape(typed))
		if res.status != http.StatusSeeOther || res.location != question {
			t.Errorf("governance officer searching %q: status %d, location %q; want 303 to %s", typed, res.status, res.location, question)
		}
	}
	if res := boss.get("/admin/search?q=" + q.Reference); res.location != question {
		t.Errorf("administrator searching the reference: location %q", res.location)
	}
	// By words: the question's text.
	if res := gov.get("/admin/search?q=southwark+answered"); res.status != http.StatusOK || !strings.Contains(res.body, `href="`+question+`"`) {
		t.Errorf("governance officer searching the question's words: status %d\n%s", res.status, res.body)
	}
	// An editor of Lambeth: no question, no Southwark post, their own post.
	for _, typed := range []string{q.Reference, "southwark answered", "Post southwark-walks"} {
		res := lambeth.get("/admin/search?q=" + url.QueryEscape(typed))
		if res.status != http.StatusOK || strings.Contains(res.body, "/admin/questions/") || strings.Contains(res.body, "Post southwark-walks</a>") {
			t.Errorf("editor of Lambeth searching %q: status %d, finds Southwark's records:\n%s", typed, res.status, res.body)
		}
	}
	if res := lambeth.get("/admin/search?q=walks"); !strings.Contains(res.body, "Post lambeth-walks</a>") || strings.Contains(res.body, "Post southwark-walks</a>") {
		t.Errorf("editor of Lambeth searching walks: want only Lambeth's post:\n%s", res.body)
	}
	if res := southwark.get("/admin/search?q=walks"); !strings.Contains(res.body, "Post southwark-walks</a>") || strings.Contains(res.body, "Post lambeth-walks</a>") {
		t.Errorf("editor of Southwark searching walks: want only Southwark's post:\n%s", res.body)
	}
	// Accounts for administrators only; services for the directory's editors.
	if res := boss.get("/admin/search?q=lambeth%40example"); !strings.Contains(res.body, "<h2>Accounts</h2>") {
		t.Errorf("administrator does not find the account:\n%s", res.body)
	}
	if res := lambeth.get("/admin/search?q=lambeth%40example"); strings.Contains(res.body, "<h2>Accounts</h2>") {
		t.Errorf("an editor finds accounts")
	}
	var service string
	if err := s.db.QueryRowContext(context.Background(), `SELECT name FROM dir_services ORDER BY name LIMIT 1`).Scan(&service); err != nil {
		t.Fatal(err)
	}
	if res := dir.get("/admin/search?q=" + url.QueryEscape(service)); !strings.Contains(res.body, "<h2>Services</h2>") ||
		strings.Contains(res.body, "<h2>Posts</h2>") {
		t.Errorf("directory editor searching %q:\n%s", service, res.body)
	}
	if res := lambeth.get("/admin/search?q=" + url.QueryEscape(service)); strings.Contains(res.body, "<h2>Services</h2>") {
		t.Errorf("an editor of posts finds directory services")
	}
	// A query too long is refused, kept in its box.
	long := strings.Repeat("a", 201)
	if res := gov.get("/admin/search?q=" + long); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `value="`+long+`"`) ||
		!strings.Contains(res.body, "Enter at most 200 characters") {
		t.Errorf("a query of 201 characters: status %d", res.status)
	}
}

// Posts are published and unpublished many at once, after a confirmation;
// an editor cannot change another place's post that way.
func TestAdminBulkPublish(t *testing.T) {
	s := newAdminSite(t)
	now := time.Now()
	a := s.addPost("bulk-a", true, now, "southwark")
	b := s.addPost("bulk-b", true, now, "southwark")
	lew := s.addPost("bulk-lew", true, now, "lewisham")
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	ed := s.visitor().mustLogin("ed@example.org")
	ids := func(list ...int64) url.Values {
		v := url.Values{}
		for _, id := range list {
			v.Add("post", strconv.FormatInt(id, 10))
		}
		return v
	}
	public := func(slug string) bool { return s.status("/news/"+slug) == http.StatusOK }

	f := ids(a, b)
	f.Set("action", "publish")
	res := ed.post("/admin/posts/bulk", f)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Publish these 2 posts?") || public("bulk-a") {
		t.Fatalf("asking to publish: status %d, bulk-a public %v\n%s", res.status, public("bulk-a"), res.body)
	}
	f.Set("confirm", "yes")
	if res = ed.post("/admin/posts/bulk", f); res.status != http.StatusSeeOther || res.location != "/admin/posts" {
		t.Fatalf("confirming: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	if !public("bulk-a") || !public("bulk-b") || public("bulk-lew") {
		t.Errorf("after publishing: a %v, b %v, lewisham %v", public("bulk-a"), public("bulk-b"), public("bulk-lew"))
	}
	if list := ed.get("/admin/posts"); !strings.Contains(list.body, "2 posts have been published.") {
		t.Errorf("no message after publishing:\n%s", list.body)
	}
	var audited int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'post_updated'`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Errorf("%d audit entries, want one for each post", audited)
	}
	// Another place's post among them: refused, and nothing changes.
	f = ids(a, lew)
	f.Set("action", "unpublish")
	f.Set("confirm", "yes")
	if res = ed.post("/admin/posts/bulk", f); res.status != http.StatusForbidden || !public("bulk-a") {
		t.Errorf("with Lewisham's post: status %d, bulk-a public %v", res.status, public("bulk-a"))
	}
	// Unpublishing one.
	f = ids(b)
	f.Set("action", "unpublish")
	f.Set("confirm", "yes")
	if res = ed.post("/admin/posts/bulk", f); res.status != http.StatusSeeOther || public("bulk-b") || !public("bulk-a") {
		t.Errorf("unpublishing: status %d, b public %v", res.status, public("bulk-b"))
	}
	// Nothing chosen, or no action: the list again with the errors, the
	// choice kept.
	res = ed.post("/admin/posts/bulk", url.Values{"action": {"publish"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose at least one post") {
		t.Errorf("no post chosen: status %d", res.status)
	}
	res = ed.post("/admin/posts/bulk", ids(a))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Choose whether to publish or unpublish") ||
		!strings.Contains(res.body, fmt.Sprintf(`value="%d" checked`, a)) {
		t.Errorf("no action chosen: status %d\n%s", res.status, res.body)
	}
}

// The post list is paged, sorted by any column each way, and filtered by
// place and status.
func TestAdminPostListPagesSortsAndFilters(t *testing.T) {
	s := newAdminSite(t)
	base := time.Now().Add(-100 * time.Hour)
	for i := range 55 {
		s.addPost(fmt.Sprintf("p%02d", i), i%5 == 0, base.Add(time.Duration(i)*time.Hour), "southwark")
	}
	s.addPost("lewisham-one", false, base, "lewisham")
	s.addUser("ed@example.org", accounts.Editor)
	ed := s.visitor().mustLogin("ed@example.org")
	first := ed.get("/admin/posts")
	if n := records(first.body); n != 50 {
		t.Errorf("page 1 shows %d posts, want 50", n)
	}
	if !strings.Contains(first.body, `rel="next"`) || !strings.Contains(first.body, `aria-sort="descending"`) {
		t.Errorf("page 1 has no next page link, or its date column is not marked sorted")
	}
	var total int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM posts`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.body, fmt.Sprintf("Showing 1 to 50 of %d", total)) {
		t.Errorf("page 1 does not say it shows 1 to 50 of %d", total)
	}
	byTitle := ed.get("/admin/posts?sort=title&order=asc&place=southwark").body
	if i, j := strings.Index(byTitle, "Post p00</a>"), strings.Index(byTitle, "Post p01</a>"); i < 0 || j < i {
		t.Errorf("sorted by title: p00 at %d, p01 at %d", i, j)
	}
	byTitle = ed.get("/admin/posts?sort=title&order=desc&place=southwark").body
	if i, j := strings.Index(byTitle, "Post p54</a>"), strings.Index(byTitle, "Post p53</a>"); i < 0 || j < i {
		t.Errorf("sorted by title, descending: p54 at %d, p53 at %d", i, j)
	}
	if got := records(ed.get("/admin/posts?place=lewisham").body); got < 1 || strings.Contains(ed.get("/admin/posts?place=lewisham").body, "Post p00") {
		t.Errorf("filtered by Lewisham: %d posts, or Southwark's among them", got)
	}
	if got := records(ed.get("/admin/posts?place=southwark&status=draft").body); got != 11 {
		t.Errorf("Southwark's drafts: %d, want 11", got)
	}
	if res := ed.get("/admin/posts?sort=reading-age"); !strings.Contains(res.body, "hardest to read first") ||
		!strings.Contains(res.body, `aria-sort="descending"><a href="/admin/posts?order=asc&amp;sort=reading-age">Reading age`) {
		t.Errorf("sorted by reading age: the column is not marked, or its link does not turn the order:\n%s", res.body)
	}
	for _, bad := range []string{"?sort=nonsense", "?order=sideways", "?status=lost", "?page=0", "?page=x"} {
		if res := ed.get("/admin/posts" + bad); res.status != http.StatusBadRequest {
			t.Errorf("/admin/posts%s: status %d, want 400", bad, res.status)
		}
	}
	if res := ed.get("/admin/events?sort=title&place=southwark&status=published"); res.status != http.StatusOK ||
		!strings.Contains(res.body, "Showing 1 to") || !strings.Contains(res.body, `aria-sort="ascending"`) {
		t.Errorf("the event list is not sorted, filtered and counted:\n%s", res.body)
	}
}
