package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/news"
)

func (s *testSite) addPost(p news.Post) {
	s.t.Helper()
	ctx := context.Background()
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		_, err := news.NewStore(q).Create(ctx, p)
		return err
	}); err != nil {
		s.t.Fatal(err)
	}
}

type searchHit struct{ kind, title, url, snippet string }

func (s *testSite) search(q string) []searchHit {
	s.t.Helper()
	var out []searchHit
	doc := s.page("/search?q=" + q)
	for _, li := range find(doc, tag("li")) {
		tags := find(li, hasClass("nhsuk-tag"))
		links := find(li, tag("a"))
		if len(tags) == 0 || len(links) == 0 {
			continue
		}
		snip := ""
		if ps := find(li, tag("p")); len(ps) > 0 {
			snip = textOf(ps[0])
		}
		out = append(out, searchHit{textOf(tags[0]), textOf(links[0]), attr(links[0], "href"), snip})
	}
	return out
}

func TestSiteSearch(t *testing.T) {
	s := newTestSite(t)
	past := time.Now().Add(-24 * time.Hour)
	s.addPost(news.Post{Kind: news.KindNews, Slug: "allotment-open-day", Title: "Allotment open day", Summary: "Come and see.", PublishedAt: past})
	s.addPost(news.Post{Kind: news.KindNews, Slug: "green-spaces", Title: "Green spaces and health", Summary: "Parks.",
		Body: "Allotment plots, allotment gardening and the allotment society: allotment, allotment, allotment.", PublishedAt: past})
	s.addPost(news.Post{Kind: news.KindNews, Slug: "secret-allotment", Title: "Allotment plans not yet public", PublishedAt: time.Now().Add(48 * time.Hour)})

	// A title match ranks above a body that repeats the word.
	hits := s.search("allotment")
	if len(hits) != 2 || hits[0].url != "/news/allotment-open-day" || hits[1].url != "/news/green-spaces" {
		t.Fatalf("allotment: %+v", hits)
	}
	// A post scheduled for later is not found before its time.
	for _, h := range hits {
		if strings.Contains(h.url, "secret") {
			t.Error("found a post before its publication time")
		}
	}
	// A word only in a body finds the post; the match is highlighted.
	_, body := s.get("/search?q=prescribers")
	if !strings.Contains(body, "<mark>prescribers</mark>") {
		t.Error("the matching word is not highlighted")
	}
	if hits := s.search("prescribers"); len(hits) != 1 || hits[0].url != "/news/supporting-patients-to-manage-their-lung-conditions" || hits[0].kind != "Story" {
		t.Errorf("prescribers: %+v", hits)
	}
	// Stems and prefixes: "meetings" finds the board "meeting"; "strat" finds "Strategic".
	for _, q := range []string{"meetings", "strat"} {
		if hits := s.search(q); len(hits) == 0 || hits[0].kind != "Event" {
			t.Errorf("%s: %+v", q, hits)
		}
	}
	// Places are found by name.
	if hits := s.search("Lambeth"); len(hits) == 0 || hits[0].url != "/in-your-area/lambeth" || hits[0].title != "Lambeth Together" {
		t.Errorf("Lambeth: %+v", hits)
	}
	// An edit is searchable at once (the index follows through triggers).
	if _, err := s.db.ExecContext(context.Background(), `UPDATE posts SET title = 'Orchard open day' WHERE slug = 'allotment-open-day'`); err != nil {
		t.Fatal(err)
	}
	if hits := s.search("orchard"); len(hits) != 1 {
		t.Errorf("after an edit: %+v", hits)
	}
	// Local services come from the directory.
	doc := textOf(s.page("/search?q=pharmacy"))
	_, pharmacies := shippedCounts()
	if !strings.Contains(doc, "Local services") || !strings.Contains(doc, fmt.Sprintf("See all %d local services", pharmacies)) {
		t.Errorf("services section missing: %s", doc)
	}
}

func TestSiteSearchInputIsHandled(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		q      string
		status int
		want   string
	}{
		{"", 200, "Search news, stories, events, places and local services"},
		{"%22lung%22+AND+(+NEAR*+OR", 200, "results for"},
		{"!!!+%3F%3F", 400, "Enter words to search for, not only punctuation"},
		{strings.Repeat("a", 201), 400, "Search for 200 characters or fewer"},
		{"zzyzx", 200, "Nothing on this site matches"},
	}
	for _, tt := range tests {
		res, body := s.get("/search?q=" + tt.q)
		if res.StatusCode != tt.status || !strings.Contains(body, tt.want) {
			t.Errorf("q=%.20s: %d, want %d and %q", tt.q, res.StatusCode, tt.status, tt.want)
		}
		if tt.status == 400 && !strings.Contains(body, `value="`) {
			t.Errorf("q=%.20s: the input was not kept", tt.q)
		}
	}
	if res, _ := s.get("/search?q=lung&page=x"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("bad page: %d", res.StatusCode)
	}
}

// A result's snippet is a passage around the match, with an ellipsis
// where it cuts the text short, on either engine.
func TestSearchSnippetMarksWhereItCuts(t *testing.T) {
	s := newTestSite(t)
	past := time.Now().Add(-24 * time.Hour)
	long := strings.Repeat("Residents walked along the river path together. ", 8) + "The volunteers planted marigolds by the clinic. " +
		strings.Repeat("Everyone shared stories over tea afterwards. ", 8)
	s.addPost(news.Post{Kind: news.KindNews, Slug: "riverside", Title: "Riverside walk", Summary: "A walk.", Body: long, PublishedAt: past})
	s.addPost(news.Post{Kind: news.KindNews, Slug: "short-note", Title: "Short note", Summary: "Zinnias bloom.", PublishedAt: past})
	hits := s.search("marigolds")
	if len(hits) != 1 {
		t.Fatalf("marigolds: %+v", hits)
	}
	if sn := hits[0].snippet; !strings.HasPrefix(sn, "…") || !strings.HasSuffix(sn, "…") || !strings.Contains(sn, "marigolds") {
		t.Errorf("snippet from the middle of a long body: %q; want the match with an ellipsis at each end", sn)
	}
	hits = s.search("zinnias")
	if len(hits) != 1 || strings.Contains(hits[0].snippet, "…") || !strings.Contains(hits[0].snippet, "Zinnias bloom") {
		t.Errorf("snippet of a short body: %+v; want it whole, without an ellipsis", hits)
	}
}
