package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
)

// The public page cache is emptied only by writes that change what a
// public page shows. The test renames a published post behind the
// cache's back (a write that does not move the generation): while the
// cache is kept, /news still shows the old title; once it is emptied,
// the new one.
func TestPageCacheKeptByPrivateWrites(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	s.addUser("other@example.org", accounts.Editor, "southwark")
	ed := s.visitor().mustLogin("ed@example.org")
	if res := ed.post("/admin/posts", postForm("walk-for-health", "now")); res.status != http.StatusSeeOther {
		t.Fatalf("publish: status %d\n%s", res.status, res.body)
	}
	slug, _ := s.openMeeting("cache")
	ev := s.registrationEvent("cache-walk", 10, false)

	shows := func(title string) bool {
		t.Helper()
		res, body := s.get("/news")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("/news: status %d", res.StatusCode)
		}
		return strings.Contains(body, title)
	}
	if !shows("Walk for health") {
		t.Fatal("/news does not list the published post")
	}
	if _, err := s.db.ExecPrivate(context.Background(), `UPDATE posts SET title = 'Renamed quietly' WHERE slug = 'walk-for-health'`); err != nil {
		t.Fatal(err)
	}
	if !shows("Walk for health") {
		t.Fatal("/news is not served from the cache")
	}

	resident := s.visitor()
	steps := []struct {
		name   string
		do     func() response
		status int
	}{
		{"question sent too quickly", func() response {
			f := questionForm("Ann", "ann@example.org", "Why?")
			f.Set("started", s.stamp(resident, slug))
			return resident.post("/events/"+slug+"/questions", f)
		}, http.StatusUnprocessableEntity},
		{"question without the privacy box", func() response {
			f := questionForm("Ann", "ann@example.org", "Why?")
			f.Del("privacy")
			return s.ask(resident, slug, f)
		}, http.StatusUnprocessableEntity},
		{"question waiting for moderation", func() response {
			return s.ask(resident, slug, questionForm("Ann", "ann@example.org", "When does the clinic open?"))
		}, http.StatusSeeOther},
		{"question over the per-person rule", func() response {
			return s.ask(resident, slug, questionForm("Ann", "ann@example.org", "And another?"))
		}, http.StatusUnprocessableEntity},
		{"registration with a bad email", func() response {
			return resident.post("/events/"+ev.Slug+"/register", registrationForm("Ann", "not-an-address"))
		}, http.StatusUnprocessableEntity},
		{"failed sign-in", func() response {
			return s.visitor().login("other@example.org", "wrong password")
		}, http.StatusUnprocessableEntity},
		{"sign-in", func() response {
			return s.visitor().login("other@example.org", testPassword)
		}, http.StatusSeeOther},
		{"erase request", func() response {
			return resident.post("/privacy/erase", url.Values{"email": {"ann@example.org"}})
		}, 0},
	}
	for _, st := range steps {
		res := st.do()
		if st.status != 0 && res.status != st.status {
			t.Fatalf("%s: status %d, want %d\n%s", st.name, res.status, st.status, res.body)
		}
		if !shows("Walk for health") {
			t.Fatalf("%s emptied the page cache", st.name)
		}
	}

	// An editor publishing a post changes /news: the cache is emptied.
	if res := ed.post("/admin/posts", postForm("second-walk", "now")); res.status != http.StatusSeeOther {
		t.Fatalf("publish: status %d\n%s", res.status, res.body)
	}
	if !shows("Renamed quietly") {
		t.Error("after an editor published a post, /news was still served from the cache")
	}
}
