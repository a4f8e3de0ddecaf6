package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
)

// A record's versions are listed 50 to a page, newest first, with links
// between the pages; a page past the last is not found.
func TestRevisionListIsPaged(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	ed := s.visitor().mustLogin("ed@example.org")
	postID := s.southwarkPost()
	for range 51 {
		s.revisionOfPost(postID)
	}
	base := "/admin/posts/" + itoa(postID) + "/revisions"
	first := ed.get(base)
	if n := len(revisionLinks(t, first.body)); n != 50 {
		t.Errorf("page 1 lists %d versions, want 50", n)
	}
	if !strings.Contains(first.body, "51 versions, page 1 of 2") || !strings.Contains(first.body, `href="`+base+`?page=2" rel="next"`) ||
		!strings.Contains(first.body, "(current version)") {
		t.Errorf("page 1 does not say there are two pages or link to the next:\n%s", first.body)
	}
	second := ed.get(base + "?page=2")
	links := revisionLinks(t, second.body)
	if len(links) != 1 || !strings.Contains(second.body, `href="`+base+`" rel="prev"`) || strings.Contains(second.body, "(current version)") {
		t.Errorf("page 2: %d versions\n%s", len(links), second.body)
	}
	// The oldest version is on the last page, and opens.
	if res := ed.get(links[0]); res.status != http.StatusOK || !strings.Contains(res.body, "Restore this version") {
		t.Errorf("the oldest version: %d", res.status)
	}
	for path, want := range map[string]int{base + "?page=3": http.StatusNotFound, base + "?page=0": http.StatusBadRequest,
		base + "?page=x": http.StatusBadRequest} {
		if res := ed.get(path); res.status != want {
			t.Errorf("%s: %d, want %d", path, res.status, want)
		}
	}
}
