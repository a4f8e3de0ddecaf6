package web

import (
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
)

type fixture struct {
	site    *Site
	srv     *httptest.Server
	gen     atomic.Uint64
	renders atomic.Int64
	logs    strings.Builder
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{}
	site, err := New(Config{BaseURL: "https://example.org/", SiteName: "Test System"},
		slog.New(slog.NewTextHandler(&f.logs, nil)), f.gen.Load)
	if err != nil {
		t.Fatal(err)
	}
	f.site = site
	site.Get("/page", func(w http.ResponseWriter, r *http.Request) error {
		n := f.renders.Add(1)
		return site.Render(w, r, http.StatusOK, "error.html", Meta{Title: "A page", Path: "/page"},
			errorPage{Status: 200, Heading: "Rendered", Message: fmt.Sprintf("render %d %s", n, strings.Repeat("padding ", 100))})
	})
	site.Get("/cors", func(w http.ResponseWriter, r *http.Request) error {
		f.renders.Add(1)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		WriteBody(w, r, http.StatusOK, "application/json", []byte(`{"ok":true}`))
		return nil
	})
	site.Get("/boom", func(w http.ResponseWriter, r *http.Request) error { panic("kaboom") })
	site.Get("/broken", func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("db: connection to secret-host refused")
	})
	site.Get("/missing", func(w http.ResponseWriter, r *http.Request) error {
		return fmt.Errorf("loading: %w", db.ErrNotFound)
	})
	site.Get("/bad", func(w http.ResponseWriter, r *http.Request) error {
		return BadRequest("Enter a postcode, like SE1 7EH.")
	})
	site.Post("/form", func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return &StatusError{Status: http.StatusRequestEntityTooLarge, Message: "That was too much to send.", Err: err}
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	})
	f.srv = httptest.NewServer(site.Handler())
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) do(t *testing.T, method, path string, body io.Reader, headers ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, body)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// A bare transport, so gzip is not undone for us.
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestErrorsBecomePages(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		path    string
		status  int
		want    string
		notWant string
	}{
		{"/boom", 500, "Sorry, there is a problem with this website", "kaboom"},
		{"/broken", 500, "Sorry, there is a problem with this website", "secret-host"},
		{"/missing", 404, "Page not found", ""},
		{"/nowhere", 404, "Page not found", ""},
		{"/bad", 400, "Enter a postcode, like SE1 7EH.", ""},
	}
	for _, tt := range tests {
		res, body := f.do(t, "GET", tt.path, nil)
		if res.StatusCode != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, res.StatusCode, tt.status)
		}
		if !strings.Contains(body, tt.want) || !strings.Contains(body, `class="nhsuk-header"`) {
			t.Errorf("%s: page in the site's design with %q not shown", tt.path, tt.want)
		}
		if tt.notWant != "" && strings.Contains(body, tt.notWant) {
			t.Errorf("%s: internal detail %q shown to the user", tt.path, tt.notWant)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: error page without security headers", tt.path)
		}
	}
	if !strings.Contains(f.logs.String(), "kaboom") || !strings.Contains(f.logs.String(), "secret-host") {
		t.Errorf("the causes of 500s were not logged: %s", f.logs.String())
	}
}

func TestCompressionAndRevalidation(t *testing.T) {
	f := newFixture(t)
	plainRes, plain := f.do(t, "GET", "/page", nil)
	if plainRes.Header.Get("Content-Encoding") != "" {
		t.Fatal("compressed for a client that did not ask")
	}
	res, body := f.do(t, "GET", "/page", nil, "Accept-Encoding", "gzip, br")
	if res.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("not gzipped: %v", res.Header)
	}
	zr, err := gzip.NewReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != plain {
		t.Fatal("gzipped body differs from the plain one")
	}
	if len(body) >= len(plain)/2 {
		t.Errorf("gzip saved little: %d of %d bytes", len(body), len(plain))
	}
	etag := res.Header.Get("ETag")
	if etag == "" || etag == plainRes.Header.Get("ETag") {
		t.Fatalf("want distinct ETags per encoding, got %q and %q", etag, plainRes.Header.Get("ETag"))
	}
	res, body = f.do(t, "GET", "/page", nil, "Accept-Encoding", "gzip", "If-None-Match", etag)
	if res.StatusCode != http.StatusNotModified || body != "" {
		t.Errorf("revalidation: %d with %d bytes, want 304 and no body", res.StatusCode, len(body))
	}
	res, _ = f.do(t, "GET", "/page", nil, "If-None-Match", `"something-else"`)
	if res.StatusCode != http.StatusOK {
		t.Errorf("stale ETag: %d, want 200", res.StatusCode)
	}
}

func TestPageCacheFollowsContentChanges(t *testing.T) {
	f := newFixture(t)
	_, first := f.do(t, "GET", "/page", nil)
	_, second := f.do(t, "GET", "/page", nil, "Accept-Encoding", "gzip")
	_, third := f.do(t, "GET", "/page", nil)
	if f.renders.Load() != 1 || first != third || second == "" {
		t.Fatalf("rendered %d times for three requests, want 1", f.renders.Load())
	}
	f.gen.Add(1) // a write committed
	_, fourth := f.do(t, "GET", "/page", nil)
	if f.renders.Load() != 2 || !strings.Contains(fourth, "render 2") {
		t.Fatalf("after a write: rendered %d times, want 2", f.renders.Load())
	}
	// Query strings are separate pages.
	f.do(t, "GET", "/page?x=1", nil)
	if f.renders.Load() != 3 {
		t.Fatalf("query string served from the cache of another URL")
	}
	// Errors are not cached.
	f.do(t, "GET", "/broken", nil)
	res, _ := f.do(t, "GET", "/broken", nil)
	if res.StatusCode != 500 || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("error response: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

func TestRequestBodyIsLimited(t *testing.T) {
	f := newFixture(t)
	res, _ := f.do(t, "POST", "/form", strings.NewReader("a="+strings.Repeat("x", 2<<20)),
		"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB form: status %d, want 413", res.StatusCode)
	}
	res, _ = f.do(t, "POST", "/form", strings.NewReader("a=b"),
		"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("small form: status %d, want 204", res.StatusCode)
	}
}

func TestStaticAssetsAreImmutableAndPrecompressed(t *testing.T) {
	f := newFixture(t)
	css := f.site.static.css["app"]
	res, body := f.do(t, "GET", css, nil, "Accept-Encoding", "gzip")
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET %s: %d %v", css, res.StatusCode, res.Header)
	}
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q", got)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
		t.Errorf("Content-Type %q", ct)
	}
	if len(body) > 10<<10 {
		t.Errorf("app.css is %d bytes gzipped; the page weight budget allows about 9 KB", len(body))
	}
	res, _ = f.do(t, "GET", "/static/nothing.css", nil)
	if res.StatusCode != 404 {
		t.Errorf("missing asset: %d", res.StatusCode)
	}
}

func TestFormatNumber(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 57: "57", 999: "999", 1000: "1,000", 319610: "319,610", 1234567: "1,234,567", -4500: "-4,500"} {
		if got := formatNumber(in); got != want {
			t.Errorf("formatNumber(%d) = %q, want %q", in, got, want)
		}
	}
}

// A page served from the cache keeps the headers its handler set.
func TestCachedPagesKeepTheirHeaders(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 3; i++ {
		res, body := f.do(t, "GET", "/cors", nil)
		if res.Header.Get("Access-Control-Allow-Origin") != "*" || body != `{"ok":true}` || res.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %d: %v %q", i, res.Header, body)
		}
	}
	if f.renders.Load() != 1 {
		t.Errorf("rendered %d times, want 1", f.renders.Load())
	}
}
