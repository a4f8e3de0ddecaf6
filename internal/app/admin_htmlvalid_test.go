package app

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
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
	bad := eventForm("southwark-only-event")
	bad.Set("end_time", "01:00")
	bad.Set("repeat_rule", "nonsense")
	pages["POST /admin/events (errors)"] = b.post("/admin/events", bad).body
	pages["POST /admin/posts (slug taken)"] = b.post("/admin/posts", postForm("southwark-only-news", "at")).body

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

	validateHTML(t, pages)
}
