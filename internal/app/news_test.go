package app

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
)

const (
	seededNews  = "celebrating-success-at-the-hsj-awards-2024"
	seededStory = "supporting-patients-to-manage-their-lung-conditions"
)

// addPosts stores posts on the site's database, linking each to the places
// named by slug in placeSlugs (none: the whole system), creating any theme
// a post names.
func addPosts(t *testing.T, s *testSite, posts []news.Post, placeSlugs [][]string) {
	t.Helper()
	ctx := context.Background()
	err := s.db.Tx(ctx, func(q db.Querier) error {
		st, ps := news.NewStore(q), places.NewStore(q)
		for i, p := range posts {
			for _, th := range p.Themes {
				if _, err := st.SaveTheme(ctx, th); err != nil {
					return err
				}
			}
			if i < len(placeSlugs) {
				for _, slug := range placeSlugs[i] {
					pl, err := ps.BySlug(ctx, slug)
					if err != nil {
						return err
					}
					p.PlaceIDs = append(p.PlaceIDs, pl.ID)
				}
			}
			if _, err := st.Create(ctx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

var (
	themeAlpha = news.Theme{Slug: "alpha", Name: "Alpha care"}
	themeBeta  = news.Theme{Slug: "beta", Name: "Beta support"}
)

// filterFixture adds posts that tell the filters apart, on top of the two
// seeded ones (Southwark: a news item with the theme awards, a story with
// long-term-conditions and stopping-smoking), plus a draft and a post due
// in the future that no public page may show.
func filterFixture(t *testing.T, s *testSite) {
	t.Helper()
	at := func(day int) time.Time { return time.Date(2025, time.June, day, 9, 0, 0, 0, time.UTC) }
	post := func(kind news.Kind, slug string, day int, themes ...news.Theme) news.Post {
		return news.Post{Kind: kind, Slug: slug, Title: "Title of " + slug, Summary: "Summary of " + slug,
			Body: "Body of " + slug, PublishedAt: at(day), Themes: themes}
	}
	draft := post(news.KindNews, "lambeth-draft", 20, themeAlpha)
	draft.Status = news.StatusDraft
	future := post(news.KindNews, "lambeth-future", 1, themeAlpha)
	future.PublishedAt = time.Now().Add(48 * time.Hour)
	addPosts(t, s, []news.Post{
		post(news.KindNews, "lambeth-news-alpha", 1, themeAlpha),
		post(news.KindStory, "lambeth-story-alpha", 2, themeAlpha),
		post(news.KindNews, "lambeth-news-beta", 3, themeBeta),
		post(news.KindNews, "system-news-alpha", 4, themeAlpha),
		post(news.KindStory, "system-story", 5),
		post(news.KindNews, "bexley-news-beta", 6, themeBeta),
		post(news.KindStory, "lambeth-and-bexley-story", 7, themeAlpha, themeBeta),
		draft, future,
	}, [][]string{{"lambeth"}, {"lambeth"}, {"lambeth"}, nil, nil, {"bexley"}, {"lambeth", "bexley"}, {"lambeth"}, {"lambeth"}})
}

// listedSlugs returns the slugs of the posts a listing page shows, in order.
func listedSlugs(t *testing.T, doc *html.Node) []string {
	t.Helper()
	var out []string
	for _, a := range find(doc, hasClass("nhsuk-card__link")) {
		out = append(out, strings.TrimPrefix(attr(a, "href"), "/news/"))
	}
	return out
}

func TestNewsListingFilters(t *testing.T) {
	s := newTestSite(t)
	filterFixture(t, s)
	tests := []struct {
		query   string
		heading string
		want    []string
	}{
		{"", "News and stories", []string{"lambeth-and-bexley-story", "bexley-news-beta", "system-story", "system-news-alpha",
			"lambeth-news-beta", "lambeth-story-alpha", "lambeth-news-alpha", seededStory, seededNews}},
		{"type=&place=&theme=", "News and stories", []string{"lambeth-and-bexley-story", "bexley-news-beta", "system-story", "system-news-alpha",
			"lambeth-news-beta", "lambeth-story-alpha", "lambeth-news-alpha", seededStory, seededNews}},
		{"type=story", "Stories", []string{"lambeth-and-bexley-story", "system-story", "lambeth-story-alpha", seededStory}},
		{"type=news", "News", []string{"bexley-news-beta", "system-news-alpha", "lambeth-news-beta", "lambeth-news-alpha", seededNews}},
		// A place's list has its own posts and those for the whole system.
		{"place=lambeth", "News and stories in Lambeth", []string{"lambeth-and-bexley-story", "system-story", "system-news-alpha",
			"lambeth-news-beta", "lambeth-story-alpha", "lambeth-news-alpha"}},
		{"place=southwark", "News and stories in Southwark", []string{"system-story", "system-news-alpha", seededStory, seededNews}},
		{"theme=alpha", "News and stories with the theme Alpha care", []string{"lambeth-and-bexley-story", "system-news-alpha",
			"lambeth-story-alpha", "lambeth-news-alpha"}},
		{"theme=long-term-conditions", "News and stories with the theme Long-term conditions", []string{seededStory}},
		{"type=news&place=lambeth", "News in Lambeth", []string{"system-news-alpha", "lambeth-news-beta", "lambeth-news-alpha"}},
		{"type=story&theme=alpha", "Stories with the theme Alpha care", []string{"lambeth-and-bexley-story", "lambeth-story-alpha"}},
		{"place=bexley&theme=beta", "News and stories in Bexley with the theme Beta support", []string{"lambeth-and-bexley-story", "bexley-news-beta"}},
		{"type=news&place=lambeth&theme=alpha", "News in Lambeth with the theme Alpha care", []string{"system-news-alpha", "lambeth-news-alpha"}},
		{"type=story&place=bexley&theme=beta", "Stories in Bexley with the theme Beta support", []string{"lambeth-and-bexley-story"}},
		{"type=news&place=greenwich&theme=beta", "News in Greenwich with the theme Beta support", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			doc := s.page("/news?" + tt.query)
			if got := textOf(find(doc, tag("h1"))[0]); got != tt.heading {
				t.Errorf("heading %q, want %q", got, tt.heading)
			}
			got := listedSlugs(t, doc)
			if !slices.Equal(got, tt.want) {
				t.Errorf("listed %q\nwant   %q", got, tt.want)
			}
			results := textOf(section(t, doc, "results"))
			if len(tt.want) == 0 && !strings.Contains(results, "There are no news or stories that match what you chose.") {
				t.Errorf("empty result without its message: %q", results)
			}
			if len(tt.want) > 0 && !strings.HasPrefix(results, fmt.Sprint(len(tt.want))+" result") {
				t.Errorf("result count: %q", results)
			}
			// The chosen filters stay chosen in the form.
			q, _ := url.ParseQuery(tt.query)
			for _, name := range []string{"type", "place", "theme"} {
				sel := find(doc, func(n *html.Node) bool { return n.Data == "select" && attr(n, "name") == name })
				if len(sel) != 1 {
					t.Fatalf("want one select %q", name)
				}
				chosen := ""
				for _, o := range find(sel[0], tag("option")) {
					for _, a := range o.Attr {
						if a.Key == "selected" {
							chosen = attr(o, "value")
						}
					}
				}
				if chosen != q.Get(name) {
					t.Errorf("select %s shows %q chosen, want %q", name, chosen, q.Get(name))
				}
			}
		})
	}
	// The place page's feed keeps its six newest cards and leaves out the
	// draft and the post not due yet.
	feed := textOf(section(t, s.page("/in-your-area/lambeth"), "feed"))
	if strings.Contains(feed, "lambeth-draft") || strings.Contains(feed, "lambeth-future") || !strings.Contains(feed, "Title of lambeth-news-beta") {
		t.Errorf("Lambeth's feed: %q", feed)
	}
	for _, path := range []string{"/news/lambeth-draft", "/news/lambeth-future"} {
		if res, _ := s.get(path); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
	}
}

func TestNewsPagination(t *testing.T) {
	s := newTestSite(t)
	var posts []news.Post
	var where [][]string
	for i := range 23 {
		kind := news.KindNews
		if i%2 == 1 {
			kind = news.KindStory
		}
		posts = append(posts, news.Post{Kind: kind, Slug: fmt.Sprintf("post-%02d", i), Title: fmt.Sprintf("Post %02d", i),
			PublishedAt: time.Date(2025, time.July, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)})
		where = append(where, []string{"lambeth"})
	}
	addPosts(t, s, posts, where)

	// 25 posts with the two seeded ones: pages of 10, 10 and 5.
	pages := []struct {
		query      string
		first      string
		n          int
		prev, next string
	}{
		{"", "post-22", 10, "", "/news?page=2"},
		{"page=1", "post-22", 10, "", "/news?page=2"},
		{"page=2", "post-12", 10, "/news", "/news?page=3"},
		{"page=3", "post-02", 5, "/news?page=2", ""},
	}
	for _, p := range pages {
		doc := s.page("/news?" + p.query)
		got := listedSlugs(t, doc)
		if len(got) != p.n || got[0] != p.first {
			t.Errorf("?%s: %d posts from %q, want %d from %q", p.query, len(got), got[0], p.n, p.first)
		}
		var prev, next string
		for _, a := range find(doc, tag("a")) {
			switch attr(a, "rel") {
			case "prev":
				prev = attr(a, "href")
			case "next":
				next = attr(a, "href")
			}
		}
		if prev != p.prev || next != p.next {
			t.Errorf("?%s: previous %q and next %q, want %q and %q", p.query, prev, next, p.prev, p.next)
		}
	}
	if text := textOf(s.page("/news?page=2")); !strings.Contains(text, "Showing 11 to 20 of 25, newest first.") ||
		!strings.Contains(text, "Previous page: Page 1 of 3") || !strings.Contains(text, "Next page: Page 3 of 3") {
		t.Errorf("page 2 does not say where it is: %q", text)
	}

	// Filters are kept from page to page: 12 stories.
	doc := s.page("/news?type=story&place=lambeth")
	var next string
	for _, a := range find(doc, tag("a")) {
		if attr(a, "rel") == "next" {
			next = attr(a, "href")
		}
	}
	if next != "/news?page=2&place=lambeth&type=story" {
		t.Fatalf("next page of stories in Lambeth: %q", next)
	}
	if got := listedSlugs(t, s.page(next)); len(got) != 1 || got[0] != "post-01" {
		t.Errorf("second page of stories: %q", got)
	}

	for _, q := range []string{"page=4", "page=0", "page=-1", "page=two", "type=story&page=3"} {
		res, body := s.get("/news?" + q)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("?%s = %d, want 404", q, res.StatusCode)
		}
		if !strings.Contains(body, "There is no page") || !strings.Contains(body, "Go to the first page.") {
			t.Errorf("?%s: no message about the page", q)
		}
	}
}

// A filter naming nothing is a 404 that says what was not found and shows
// the filters to choose again, never a 500 or an empty list.
func TestNewsUnknownFilters(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		query string
		field string
		want  string
	}{
		{"type=blog", "type", "There is no type of post called “blog”. Choose news or stories."},
		{"place=atlantis", "place", "There is no place called “atlantis”. Choose a place from the list."},
		{"theme=gardening", "theme", "There is no theme called “gardening”. Choose a theme from the list."},
		{"type=news&place=atlantis", "place", "There is no place called “atlantis”."},
		{"theme=" + strings.Repeat("x", 300), "theme", "There is no theme called “" + strings.Repeat("x", 40) + "…”."},
		{"place=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "place", "There is no place called “<script>alert(1)</script>”."},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			res, body := s.get("/news?" + tt.query)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d, want 404", res.StatusCode)
			}
			doc, err := html.Parse(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			summary := find(doc, hasClass("nhsuk-error-summary"))
			if len(summary) != 1 {
				t.Fatal("no error summary")
			}
			links := find(summary[0], tag("a"))
			if len(links) == 0 || !strings.Contains(textOf(summary[0]), tt.want) {
				t.Errorf("summary %q, want %q", textOf(summary[0]), tt.want)
			}
			found := false
			for _, a := range links {
				found = found || attr(a, "href") == "#"+tt.field
			}
			if !found {
				t.Errorf("the summary does not link to the %s field", tt.field)
			}
			if len(find(doc, func(n *html.Node) bool { return n.Data == "select" && attr(n, "id") == tt.field })) != 1 {
				t.Errorf("no %s field to choose again", tt.field)
			}
			if len(find(doc, hasClass("nhsuk-card__link"))) != 0 {
				t.Error("posts listed under an unknown filter")
			}
			if len(find(doc, func(n *html.Node) bool { return n.Data == "script" })) != 0 {
				t.Error("script element on the page")
			}
			res, _ = s.get("/feeds/news.xml?" + tt.query)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("feed: status %d, want 404", res.StatusCode)
			}
		})
	}
}

// ldObjects returns the JSON-LD objects of a page, parsed.
func ldObjects(t *testing.T, doc *html.Node) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, sc := range find(doc, func(n *html.Node) bool { return n.Data == "script" && attr(n, "type") == "application/ld+json" }) {
		var v map[string]any
		if sc.FirstChild == nil {
			t.Fatal("empty JSON-LD")
		}
		if err := json.Unmarshal([]byte(sc.FirstChild.Data), &v); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, sc.FirstChild.Data)
		}
		out = append(out, v)
	}
	return out
}

// metaTags returns the page's <meta property|name=... content=...>.
func metaTags(doc *html.Node) map[string]string {
	out := map[string]string{}
	for _, m := range find(doc, tag("meta")) {
		if k := attr(m, "property") + attr(m, "name"); k != "" {
			out[k] = attr(m, "content")
		}
	}
	return out
}

func TestPostPage(t *testing.T) {
	s := newTestSite(t)
	addPosts(t, s, []news.Post{{
		Kind: news.KindStory, Slug: "a-day-at-the-hub", Title: "A day at the hub", Summary: "Amira tells of her day.",
		Body:   "## What happened\n\n### Before\n\nWe met at **the hub**. See [the NHS](https://www.nhs.uk/) and [our page](/in-your-area/lambeth).\n\n<script>alert(1)</script>",
		Author: "Lambeth Together", Storyteller: "Amira Khan", PullQuote: "It changed my week.", PullQuoteBy: "Amira Khan, resident",
		Hero:        news.Image{Path: "/uploads/hub.jpg", Alt: "Residents talking at the health hub", Caption: "The hub in Brixton"},
		PublishedAt: time.Date(2025, time.May, 2, 11, 0, 0, 0, time.UTC),
		Themes:      []news.Theme{themeAlpha, {Slug: "long-term-conditions", Name: "Long-term conditions"}},
	}}, [][]string{{"lambeth"}})
	doc := s.page("/news/a-day-at-the-hub")
	main := find(doc, tag("main"))[0]

	if h1 := find(doc, tag("h1")); len(h1) != 1 || textOf(h1[0]) != "A day at the hub" {
		t.Errorf("want the title as the page's one h1")
	}
	body := find(main, hasClass("jp-prose"))[0]
	// The body's top heading level is the page's second, whatever the
	// editor started from.
	if h := find(body, tag("h2")); len(h) != 1 || textOf(h[0]) != "What happened" {
		t.Errorf("the body's top heading is not an h2")
	}
	if h := find(body, tag("h3")); len(h) != 1 || textOf(h[0]) != "Before" {
		t.Errorf("the body's second heading level is not h3")
	}
	if len(find(body, tag("strong"))) != 1 || strings.Contains(textOf(body), "alert") {
		t.Errorf("markdown body: %q", textOf(body))
	}
	for _, a := range find(body, tag("a")) {
		wantRel := ""
		if strings.HasPrefix(attr(a, "href"), "https://") {
			wantRel = "noopener noreferrer"
		}
		if attr(a, "rel") != wantRel {
			t.Errorf("link %s has rel %q, want %q", attr(a, "href"), attr(a, "rel"), wantRel)
		}
	}
	fig := find(main, tag("figure"))
	if len(fig) != 1 {
		t.Fatal("no hero figure")
	}
	img := find(fig[0], tag("img"))[0]
	if attr(img, "src") != "/uploads/hub.jpg" || attr(img, "alt") != "Residents talking at the health hub" ||
		textOf(find(fig[0], tag("figcaption"))[0]) != "The hub in Brixton" {
		t.Errorf("hero image: src %q alt %q", attr(img, "src"), attr(img, "alt"))
	}
	if q := find(main, hasClass("jp-pull-quote")); len(q) != 1 || textOf(q[0]) != "“It changed my week.” Amira Khan, resident" {
		t.Errorf("pull quote missing or wrong")
	}
	text := textOf(main)
	for _, want := range []string{"Published 2 May 2025 by Lambeth Together.", "Told by Amira Khan.",
		"Themes: Alpha care, Long-term conditions", "Place: Lambeth"} {
		if !strings.Contains(text, want) {
			t.Errorf("post page does not say %q", want)
		}
	}
	if strings.Contains(text, "Last updated") {
		t.Error("a post never edited says it was updated")
	}
	hrefs := map[string]bool{}
	for _, a := range find(main, tag("a")) {
		hrefs[attr(a, "href")] = true
	}
	for _, want := range []string{"/news?theme=alpha", "/news?theme=long-term-conditions", "/in-your-area/lambeth"} {
		if !hrefs[want] {
			t.Errorf("no link to %s", want)
		}
		if res, _ := s.get(want); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", want, res.StatusCode)
		}
	}
	// Related: the seeded story shares a theme.
	rel := listedSlugs(t, section(t, doc, "related"))
	if !slices.Equal(rel, []string{seededStory}) {
		t.Errorf("related %q, want the seeded story", rel)
	}

	ld := ldObjects(t, doc)
	if len(ld) != 1 {
		t.Fatalf("want one JSON-LD object, got %d", len(ld))
	}
	a := ld[0]
	url := "https://joinedup.example/news/a-day-at-the-hub"
	for k, want := range map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle", "headline": "A day at the hub",
		"datePublished": "2025-05-02T11:00:00Z", "dateModified": "2025-05-02T11:00:00Z",
		"mainEntityOfPage": url, "url": url,
	} {
		if a[k] != want {
			t.Errorf("JSON-LD %s = %v, want %v", k, a[k], want)
		}
	}
	pub, _ := a["publisher"].(map[string]any)
	if pub["@type"] != "Organization" || pub["name"] != "Lambeth Together" || pub["url"] != "https://joinedup.example/in-your-area/lambeth" {
		t.Errorf("JSON-LD publisher %v", pub)
	}
	authors, _ := a["author"].([]any)
	if len(authors) != 1 || authors[0].(map[string]any)["name"] != "Lambeth Together" || authors[0].(map[string]any)["@type"] != "Organization" {
		t.Errorf("JSON-LD author %v", a["author"])
	}
	if imgs, _ := a["image"].([]any); len(imgs) != 1 || imgs[0] != "https://joinedup.example/uploads/hub.jpg" {
		t.Errorf("JSON-LD image %v", a["image"])
	}

	og := metaTags(doc)
	for k, want := range map[string]string{
		"og:type": "article", "og:title": "A day at the hub", "og:description": "Amira tells of her day.", "og:url": url,
		"og:image": "https://joinedup.example/uploads/hub.jpg", "og:image:alt": "Residents talking at the health hub",
		"twitter:card": "summary",
	} {
		if og[k] != want {
			t.Errorf("meta %s = %q, want %q", k, og[k], want)
		}
	}
	// The seeded news item has no image, so no og:image.
	if og := metaTags(s.page("/news/" + seededNews)); og["og:image"] != "" || og["og:title"] != "Celebrating success at the HSJ Awards 2024" {
		t.Errorf("seeded news: og:image %q og:title %q", og["og:image"], og["og:title"])
	}
}

// An edit on a later day shows as the post's update, on the page, in the
// JSON-LD and in the feed.
func TestEditedPostSaysWhen(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	if _, err := s.db.ExecContext(ctx, `UPDATE posts SET updated_at = $1 WHERE slug = $2`,
		time.Date(2025, time.April, 3, 15, 0, 0, 0, time.UTC), seededStory); err != nil {
		t.Fatal(err)
	}
	doc := s.page("/news/" + seededStory)
	if text := textOf(doc); !strings.Contains(text, "Last updated 3 April 2025.") {
		t.Errorf("no update date shown: %q", text)
	}
	if ld := ldObjects(t, doc); ld[0]["dateModified"] != "2025-04-03T15:00:00Z" || ld[0]["datePublished"] != "2025-03-27T10:00:00Z" {
		t.Errorf("JSON-LD dates %v %v", ld[0]["datePublished"], ld[0]["dateModified"])
	}
	_, body := s.get("/feeds/news.xml")
	f := parseFeed(t, body)
	if f.Feed.Updated != "2025-04-03T15:00:00Z" || f.Entries[0].Updated != "2025-04-03T15:00:00Z" || f.Entries[0].Published != "2025-03-27T10:00:00Z" {
		t.Errorf("feed updated %q, entry updated %q published %q", f.Feed.Updated, f.Entries[0].Updated, f.Entries[0].Published)
	}
}

// The partnership and the system describe themselves as schema.org
// Organizations.
func TestOrganizationJSONLD(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		path, name, url string
		sameAs          []string
	}{
		{"/", "South East London", "https://joinedup.example/", nil},
		{"/in-your-area/southwark", "Partnership Southwark", "https://joinedup.example/in-your-area/southwark",
			[]string{"https://bsky.app/profile/lb-southwark.bsky.social"}},
	}
	for _, tt := range tests {
		ld := ldObjects(t, s.page(tt.path))
		if len(ld) != 1 {
			t.Fatalf("%s: want one JSON-LD object, got %d", tt.path, len(ld))
		}
		o := ld[0]
		if o["@context"] != "https://schema.org" || o["@type"] != "Organization" || o["name"] != tt.name || o["url"] != tt.url {
			t.Errorf("%s: JSON-LD %v", tt.path, o)
		}
		var sameAs []string
		if list, ok := o["sameAs"].([]any); ok {
			for _, v := range list {
				sameAs = append(sameAs, v.(string))
			}
		}
		if !slices.Equal(sameAs, tt.sameAs) {
			t.Errorf("%s: sameAs %v, want %v", tt.path, sameAs, tt.sameAs)
		}
	}
	// The place page links its feed for feed readers.
	doc := s.page("/in-your-area/southwark")
	alt := find(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "alternate" })
	if len(alt) != 1 || attr(alt[0], "type") != "application/atom+xml" || attr(alt[0], "href") != "/feeds/news.xml?place=southwark" {
		t.Errorf("place page feed link: %d links", len(alt))
	}
}

func TestAtomFeed(t *testing.T) {
	s := newTestSite(t)
	filterFixture(t, s)
	tests := []struct {
		query string
		title string
		want  []string
	}{
		{"", "News and stories – South East London", []string{"lambeth-and-bexley-story", "bexley-news-beta", "system-story",
			"system-news-alpha", "lambeth-news-beta", "lambeth-story-alpha", "lambeth-news-alpha", seededStory, seededNews}},
		{"type=story", "Stories – South East London", []string{"lambeth-and-bexley-story", "system-story", "lambeth-story-alpha", seededStory}},
		{"place=southwark", "News and stories in Southwark – South East London", []string{"system-story", "system-news-alpha", seededStory, seededNews}},
		{"theme=alpha&type=news", "News with the theme Alpha care – South East London", []string{"system-news-alpha", "lambeth-news-alpha"}},
		{"place=greenwich&theme=beta", "News and stories in Greenwich with the theme Beta support – South East London", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, body := s.get("/feeds/news.xml?" + tt.query)
			if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
				t.Fatalf("status %d, Content-Type %q", res.StatusCode, res.Header.Get("Content-Type"))
			}
			f := parseFeed(t, body)
			if f.Version != "atom10" || f.Feed.Title != tt.title {
				t.Errorf("feed %s titled %q", f.Version, f.Feed.Title)
			}
			self := "https://joinedup.example/feeds/news.xml"
			if tt.query != "" {
				q, _ := url.ParseQuery(tt.query)
				self += "?" + q.Encode()
			}
			if f.Feed.ID != self {
				t.Errorf("feed id %q, want %q", f.Feed.ID, self)
			}
			links := map[string]string{}
			for _, l := range f.Feed.Links {
				links[l.Rel] = l.Href
			}
			if links["self"] != self || !strings.HasPrefix(links["alternate"], "https://joinedup.example/news") {
				t.Errorf("feed links %v", f.Feed.Links)
			}
			var got []string
			ids := map[string]bool{}
			for _, e := range f.Entries {
				slug := strings.TrimPrefix(e.Link, "https://joinedup.example/news/")
				got = append(got, slug)
				if !strings.HasPrefix(e.ID, "tag:joinedup.example,2025:post/") || ids[e.ID] {
					t.Errorf("entry %s: id %q not a unique tag URI", slug, e.ID)
				}
				ids[e.ID] = true
				if e.Title != "Title of "+slug && slug != seededNews && slug != seededStory {
					t.Errorf("entry %s: title %q", slug, e.Title)
				}
				if e.Published == "" || e.Updated == "" || len(e.Content) != 1 || e.Content[0].Type != "text/html" {
					t.Errorf("entry %s: published %q updated %q content %v author %q", slug, e.Published, e.Updated, e.Content, e.Author)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("entries %q\nwant    %q", got, tt.want)
			}
			if len(tt.want) > 0 && f.Feed.Updated == "" {
				t.Error("feed has no updated time")
			}
		})
	}

	// The seeded story, in full.
	_, body := s.get("/feeds/news.xml?theme=stopping-smoking")
	f := parseFeed(t, body)
	if len(f.Entries) != 1 {
		t.Fatalf("want the seeded story, got %d entries", len(f.Entries))
	}
	e := f.Entries[0]
	var tags []string
	for _, tg := range e.Tags {
		tags = append(tags, tg.Term+"="+tg.Label)
	}
	if !slices.Equal(tags, []string{"long-term-conditions=Long-term conditions", "stopping-smoking=Stopping smoking"}) ||
		e.Author != "Partnership Southwark" || !strings.HasPrefix(e.Summary, "Local resident Ralf Nicholson") ||
		!strings.Contains(e.Content[0].Value, "<p>A Community Lung Health Day brought") || e.Published != "2025-03-27T10:00:00Z" {
		t.Errorf("seeded story entry: %+v", e)
	}

	// The listing links the feed for its filters, in the head and the page.
	doc := s.page("/news?type=story&place=lambeth")
	alt := find(doc, func(n *html.Node) bool { return n.Data == "link" && attr(n, "rel") == "alternate" })
	if len(alt) != 1 || attr(alt[0], "type") != "application/atom+xml" || attr(alt[0], "href") != "/feeds/news.xml?place=lambeth&type=story" {
		t.Fatalf("listing's feed link: %v", alt)
	}
	visible := false
	for _, a := range find(doc, tag("a")) {
		visible = visible || attr(a, "href") == "/feeds/news.xml?place=lambeth&type=story"
	}
	if !visible {
		t.Error("no visible link to the feed")
	}

	// Compressed, and revalidated with its ETag.
	res, gz := s.get("/feeds/news.xml", "Accept-Encoding", "gzip")
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("ETag") == "" {
		t.Fatalf("feed not gzipped or without ETag: %v", res.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if plain, _ := io.ReadAll(zr); !strings.Contains(string(plain), "<feed") {
		t.Error("gzipped feed does not unzip to a feed")
	}
	res, _ = s.get("/feeds/news.xml", "Accept-Encoding", "gzip", "If-None-Match", res.Header.Get("ETag"))
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", res.StatusCode)
	}
}

func TestSitemapAndRobots(t *testing.T) {
	s := newTestSite(t)
	filterFixture(t, s)
	res, body := s.get("/sitemap.xml")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/xml") {
		t.Fatalf("sitemap: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var set struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("sitemap is not a sitemaps.org urlset: %v", err)
	}
	listed := map[string]string{}
	for _, u := range set.URLs {
		if !strings.HasPrefix(u.Loc, "https://joinedup.example/") {
			t.Errorf("not an absolute URL on the site: %q", u.Loc)
		}
		if _, dup := listed[u.Loc]; dup {
			t.Errorf("listed twice: %s", u.Loc)
		}
		if u.LastMod != "" {
			if _, err := time.Parse(time.RFC3339, u.LastMod); err != nil {
				t.Errorf("%s: lastmod %q is not a W3C datetime", u.Loc, u.LastMod)
			}
		}
		listed[u.Loc] = u.LastMod
	}
	for _, path := range []string{"/", "/in-your-area/", "/in-your-area/southwark", "/in-your-area/bexley", "/about/data",
		"/news", "/news/" + seededNews, "/news/" + seededStory, "/news/lambeth-and-bexley-story"} {
		if _, ok := listed["https://joinedup.example"+path]; !ok {
			t.Errorf("sitemap does not list %s", path)
		}
		// Every page listed exists.
		if res, _ := s.get(path); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, res.StatusCode)
		}
	}
	for _, path := range []string{"/news/lambeth-draft", "/news/lambeth-future"} {
		if _, ok := listed["https://joinedup.example"+path]; ok {
			t.Errorf("sitemap lists %s, which is not public", path)
		}
	}
	if got := listed["https://joinedup.example/news/"+seededStory]; got != "2025-03-27T10:00:00Z" {
		t.Errorf("seeded story lastmod %q", got)
	}
	if got := listed["https://joinedup.example/news"]; got != "2025-06-07T09:00:00Z" {
		t.Errorf("news list lastmod %q, want its newest post's", got)
	}

	res, body = s.get("/robots.txt")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("robots.txt: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	for _, want := range []string{"User-agent: *\n", "Allow: /\n", "Disallow: /admin/\n", "Sitemap: https://joinedup.example/sitemap.xml\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("robots.txt lacks %q:\n%s", want, body)
		}
	}
}

// xssPayload is put in every text field of a post.
const xssPayload = `<script>alert(1)</script><img src=x onerror=alert(2)>"'><svg onload=alert(3)>`

// Text that residents and editors write comes out as text, whatever it
// holds, on every page and in the feed.
func TestPostFieldsAreEscapedEverywhere(t *testing.T) {
	s := newTestSite(t)
	evil := news.Theme{Slug: "evil", Name: "Theme " + xssPayload}
	addPosts(t, s, []news.Post{{
		Kind: news.KindStory, Slug: "evil-story", Title: "Title " + xssPayload, Summary: "Summary " + xssPayload,
		Body:   "Body " + xssPayload + "\n\n[link](javascript:alert(4)) <a href=\"javascript:alert(5)\" onclick=\"alert(6)\">x</a>",
		Author: "Author " + xssPayload, Storyteller: "Teller " + xssPayload,
		PullQuote: "Quote " + xssPayload, PullQuoteBy: "By " + xssPayload,
		Hero:        news.Image{Path: "/uploads/x.jpg", Alt: "Alt " + xssPayload, Caption: "Caption " + xssPayload},
		PublishedAt: time.Now().Add(-time.Minute), Themes: []news.Theme{evil},
	}}, [][]string{{"southwark"}})

	pages := map[string][]string{
		"/news/evil-story":        {"Title ", "Summary ", "Author ", "Teller ", "Quote ", "By ", "Theme ", "Caption "},
		"/news":                   {"Title ", "Summary ", "Theme "},
		"/news?theme=evil":        {"Title ", "Summary ", "Theme "},
		"/in-your-area/southwark": {"Title ", "Summary "},
	}
	for path, fields := range pages {
		res, body := s.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.StatusCode)
		}
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, el := range find(doc, func(*html.Node) bool { return true }) {
			switch el.Data {
			case "script":
				if attr(el, "type") != "application/ld+json" {
					t.Errorf("%s: a script element got through", path)
				}
			case "svg":
				if !strings.Contains(attr(el, "class"), "nhsuk-icon") {
					t.Errorf("%s: an svg element got through", path)
				}
			case "img":
				if attr(el, "src") != "/uploads/x.jpg" {
					t.Errorf("%s: an img element got through: %q", path, attr(el, "src"))
				}
			}
			for _, a := range el.Attr {
				if strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s %s> got through", path, el.Data, a.Key)
				}
				if a.Key == "href" && strings.HasPrefix(strings.ToLower(strings.TrimSpace(a.Val)), "javascript:") {
					t.Errorf("%s: a javascript: link got through", path)
				}
			}
		}
		// Each field's text is on the page, as text.
		text := textOf(doc)
		for _, f := range fields {
			if !strings.Contains(text, f+xssPayload) {
				t.Errorf("%s: %q not shown as text", path, f+"…")
			}
		}
		if path == "/news/evil-story" {
			img := find(find(doc, tag("figure"))[0], tag("img"))[0]
			if attr(img, "alt") != "Alt "+xssPayload {
				t.Errorf("alt text changed: %q", attr(img, "alt"))
			}
			ld := ldObjects(t, doc)
			if len(ld) != 1 || ld[0]["headline"] != "Title "+xssPayload {
				t.Errorf("JSON-LD headline %v", ld[0]["headline"])
			}
			if og := metaTags(doc); og["og:title"] != "Title "+xssPayload || og["og:image:alt"] != "Alt "+xssPayload {
				t.Errorf("Open Graph: %q %q", og["og:title"], og["og:image:alt"])
			}
		}
	}

	// In the feed, text fields are text and the content is sanitised HTML.
	_, body := s.get("/feeds/news.xml?theme=evil")
	if strings.Contains(body, "<script") || strings.Contains(body, "<img") || strings.Contains(body, "<svg") {
		t.Errorf("raw markup in the feed XML:\n%s", body)
	}
	var feed struct {
		Entries []struct {
			Title    string `xml:"title"`
			Summary  string `xml:"summary"`
			Content  string `xml:"content"`
			Author   string `xml:"author>name"`
			Category []struct {
				Label string `xml:"label,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(body), &feed); err != nil {
		t.Fatal(err)
	}
	if len(feed.Entries) != 1 {
		t.Fatalf("want 1 entry, got %d", len(feed.Entries))
	}
	e := feed.Entries[0]
	if e.Title != "Title "+xssPayload || e.Summary != "Summary "+xssPayload || e.Author != "Author "+xssPayload ||
		len(e.Category) != 1 || e.Category[0].Label != "Theme "+xssPayload {
		t.Errorf("feed text fields changed: %+v", e)
	}
	content, err := html.Parse(strings.NewReader(e.Content))
	if err != nil {
		t.Fatal(err)
	}
	for _, el := range find(content, func(*html.Node) bool { return true }) {
		if el.Data == "script" || el.Data == "img" || el.Data == "svg" {
			t.Errorf("feed content has <%s>", el.Data)
		}
		for _, a := range el.Attr {
			if strings.HasPrefix(a.Key, "on") || (a.Key == "href" && strings.Contains(strings.ToLower(a.Val), "javascript")) {
				t.Errorf("feed content has <%s %s=%q>", el.Data, a.Key, a.Val)
			}
		}
	}
	// Raw HTML in markdown is dropped, not shown.
	if !strings.Contains(textOf(content), "Body alert(1)") {
		t.Errorf("feed content lost the body's text: %q", textOf(content))
	}
	_ = parseFeed(t, body)
}

// The seeded posts carry their themes and storyteller, loaded once.
func TestSeededPostThemes(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	story, err := news.NewStore(s.db).BySlug(ctx, seededStory)
	if err != nil {
		t.Fatal(err)
	}
	var themes []string
	for _, th := range story.Themes {
		themes = append(themes, th.Slug)
	}
	if !slices.Equal(themes, []string{"long-term-conditions", "stopping-smoking"}) || story.Storyteller != "Ralf Nicholson" {
		t.Errorf("seeded story: themes %v, storyteller %q", themes, story.Storyteller)
	}
	if story.Edited() {
		t.Error("loading the seed made the story look edited")
	}
	// An editor's change survives a restart.
	if err := news.NewStore(s.db).SetThemes(ctx, story.ID, []string{"awards"}); err != nil {
		t.Fatal(err)
	}
	s2 := openTestSite(t, s.cfg)
	again, err := news.NewStore(s2.db).BySlug(ctx, seededStory)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Themes) != 1 || again.Themes[0].Slug != "awards" {
		t.Errorf("after a restart the themes are %v", again.Themes)
	}
}

// A hero image needs its alt text, and must be a path on the site.
func TestPostValidation(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	base := news.Post{Kind: news.KindNews, Slug: "x", Title: "X", PublishedAt: time.Now()}
	bad := map[string]func(*news.Post){
		"hero without alt":     func(p *news.Post) { p.Hero = news.Image{Path: "/uploads/x.jpg"} },
		"hero from elsewhere":  func(p *news.Post) { p.Hero = news.Image{Path: "https://evil.example/x.jpg", Alt: "x"} },
		"protocol-relative":    func(p *news.Post) { p.Hero = news.Image{Path: "//evil.example/x.jpg", Alt: "x"} },
		"bad slug":             func(p *news.Post) { p.Slug = "Not A Slug" },
		"no title":             func(p *news.Post) { p.Title = " " },
		"unknown kind":         func(p *news.Post) { p.Kind = "blog" },
		"unknown status":       func(p *news.Post) { p.Status = "hidden" },
		"theme that not exist": func(p *news.Post) { p.Themes = []news.Theme{{Slug: "nope"}} },
	}
	for name, change := range bad {
		p := base
		change(&p)
		err := s.db.Tx(ctx, func(q db.Querier) error {
			_, err := news.NewStore(q).Create(ctx, p)
			return err
		})
		if err == nil {
			t.Errorf("%s: saved", name)
		}
	}
	// The database holds to the alt text rule too.
	if _, err := s.db.ExecContext(ctx, `UPDATE posts SET hero_image = '/uploads/x.jpg' WHERE slug = $1`, seededNews); err == nil {
		t.Error("the database took a hero image without alt text")
	}
}
