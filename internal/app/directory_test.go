package app

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// linksTo returns the links of doc to href.
func linksTo(doc *html.Node, href string) []*html.Node {
	return find(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == href })
}

// Residents reach the directory from the home page and from the page of a
// place whose services it lists, and the links lead to real searches.
func TestDirectoryIsLinked(t *testing.T) {
	s := newTestSite(t)
	if len(linksTo(s.page("/"), "/directory")) != 1 {
		t.Error("the home page does not link to the directory")
	}
	southwark := s.page("/in-your-area/southwark")
	for href, want := range map[string]string{
		"/directory?category=RO76":  "GP practices",
		"/directory?category=RO182": "pharmacies",
	} {
		if len(linksTo(southwark, href)) != 1 {
			t.Errorf("the Southwark page does not link to %s", href)
			continue
		}
		doc := s.page(href)
		lede := find(doc, hasClass("nhsuk-lede-text"))
		if len(lede) == 0 || !strings.Contains(textOf(lede[0]), want) {
			t.Errorf("%s does not list %s", href, want)
		}
	}
	if res, _ := s.get("/directory/"); res.Request.URL.Path != "/directory" || res.StatusCode != http.StatusOK {
		t.Errorf("/directory/ ends at %s with %d, want a redirect to /directory", res.Request.URL.Path, res.StatusCode)
	}
}
