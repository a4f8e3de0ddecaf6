package app

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestSecurityHeadersOnEveryKindOfResponse(t *testing.T) {
	s := newTestSite(t)
	_, body := s.get("/")
	css := body[strings.Index(body, "/static/app."):]
	css = css[:strings.Index(css, `"`)]
	for _, path := range []string{"/", "/in-your-area/southwark", "/news/celebrating-success-at-the-hsj-awards-2024", "/no-such-page", css, "/healthz"} {
		res, _ := s.get(path)
		h := res.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows inline or eval: %q", path, csp)
		}
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(header); got != want {
				t.Errorf("%s: %s = %q, want %q", path, header, got, want)
			}
		}
	}
}

// Pages run no script at all: the only script elements allowed carry
// schema.org data (application/ld+json), which browsers do not execute.
func TestPagesHaveNoScript(t *testing.T) {
	s := newTestSite(t)
	for _, path := range crawl(t, s, 200) {
		_, body := s.get(path)
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range find(doc, tag("script")) {
			if attr(sc, "type") != "application/ld+json" || attr(sc, "src") != "" {
				t.Errorf("%s has a script element of type %q", path, attr(sc, "type"))
			}
		}
		for _, el := range find(doc, func(*html.Node) bool { return true }) {
			for _, a := range el.Attr {
				if a.Key == "style" || strings.HasPrefix(a.Key, "on") {
					t.Errorf("%s: <%s> has an inline %s attribute", path, el.Data, a.Key)
				}
			}
		}
	}
}

func TestCrossSiteWritesAreRefused(t *testing.T) {
	s := newTestSite(t)
	post := func(headers map[string]string) int {
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/in-your-area/southwark", strings.NewReader("a=b"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := s.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := post(map[string]string{"Sec-Fetch-Site": "cross-site"}); code != http.StatusForbidden {
		t.Errorf("cross-site POST = %d, want 403", code)
	}
	if code := post(map[string]string{"Origin": "https://evil.example"}); code != http.StatusForbidden {
		t.Errorf("POST from another origin = %d, want 403", code)
	}
	// The same request from the site itself gets past the check (and finds
	// no POST route there).
	if code := post(map[string]string{"Sec-Fetch-Site": "same-origin"}); code == http.StatusForbidden {
		t.Errorf("same-origin POST was refused")
	}
}
