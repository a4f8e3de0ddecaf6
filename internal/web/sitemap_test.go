package web

import (
	"context"
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Sources registered by the domains make one sitemap, in order, with
// absolute URLs; a failing source is a 500, not a partial sitemap.
func TestSitemapJoinsItsSources(t *testing.T) {
	f := newFixture(t)
	f.site.AddSitemapSource(func(ctx context.Context) ([]SitemapURL, error) {
		return []SitemapURL{{Path: "/"}, {Path: "/a", LastMod: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)}}, nil
	})
	f.site.AddSitemapSource(func(ctx context.Context) ([]SitemapURL, error) {
		return []SitemapURL{{Path: "/b?x=1&y=2"}, {Path: "/a"}, {Path: "not-a-path"}}, nil
	})
	res, body := f.do(t, "GET", "/sitemap.xml", nil)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/xml; charset=utf-8" {
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
		t.Fatal(err)
	}
	var got []string
	for _, u := range set.URLs {
		got = append(got, u.Loc+" "+u.LastMod)
	}
	want := []string{"https://example.org/ ", "https://example.org/a 2025-05-01T12:00:00Z", "https://example.org/b?x=1&y=2 "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("sitemap lists %q, want %q", got, want)
	}

	res, body = f.do(t, "GET", "/robots.txt", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "Sitemap: https://example.org/sitemap.xml\n") || !strings.Contains(body, "Disallow: /admin/\n") {
		t.Errorf("robots.txt: %d\n%s", res.StatusCode, body)
	}

	broken, err := New(Config{BaseURL: "https://example.org"}, slog.New(slog.DiscardHandler), f.gen.Load)
	if err != nil {
		t.Fatal(err)
	}
	broken.AddSitemapSource(func(ctx context.Context) ([]SitemapURL, error) { return nil, errors.New("db down") })
	rec := httptest.NewRecorder()
	broken.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/sitemap.xml", nil))
	if rec.Code != 500 {
		t.Errorf("failing source: %d, want 500", rec.Code)
	}
}
