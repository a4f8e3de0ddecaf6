package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/directory"

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

// Each service page says which place lists it, linking to the place: for
// a pharmacy of each of the six places, the place its postcode lies in.
func TestServicePageSaysWhichPlaceListsIt(t *testing.T) {
	s := newTestSite(t)
	rows := readCSV(t, "sel_pharmacies.csv")
	for _, p := range sixPlaces {
		t.Run(p.slug, func(t *testing.T) {
			code := ""
			for _, r := range rows {
				if r["lad_code"] == p.area {
					code = r["ods_code"]
					break
				}
			}
			if code == "" {
				t.Fatalf("no shipped pharmacy in %s", p.area)
			}
			doc := s.page("/directory/services/" + directory.DerivedID("ods", "service", code))
			var listedIn *html.Node
			for _, dt := range find(doc, tag("dt")) {
				if textOf(dt) == "Listed in" {
					listedIn = dt
				}
			}
			if listedIn == nil {
				t.Fatalf("the page of %s does not say where it is listed", code)
			}
			dd := listedIn.NextSibling
			for dd != nil && dd.Type != html.ElementNode {
				dd = dd.NextSibling
			}
			if dd == nil || textOf(dd) != p.name || len(linksTo(dd, "/in-your-area/"+p.slug)) != 1 {
				t.Errorf("%s: Listed in %q, want %s linked to its place page", code, textOf(dd), p.name)
			}
		})
	}
}

// Every page, error pages included, names the data's licences in its
// footer and links to where the data comes from.
func TestEveryPageFooterNamesItsSources(t *testing.T) {
	s := newTestSite(t)
	for _, path := range []string{"/", "/in-your-area/southwark", "/news", "/events", "/directory", "/search?q=pharmacy",
		"/privacy", "/about/data", "/in-your-area/southwark/access", "/admin/login", "/no-such-page"} {
		t.Run(path, func(t *testing.T) {
			_, body := s.get(path)
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			footer := find(doc, tag("footer"))
			if len(footer) != 1 {
				t.Fatalf("%d footers", len(footer))
			}
			text := textOf(footer[0])
			for _, want := range []string{"Open Government Licence v3.0", "OS data © Crown copyright and database right 2025"} {
				if !strings.Contains(text, want) {
					t.Errorf("the footer does not say %q: %s", want, text)
				}
			}
			if len(linksTo(footer[0], "/about/data")) == 0 {
				t.Error("the footer does not link to /about/data")
			}
		})
	}
}
