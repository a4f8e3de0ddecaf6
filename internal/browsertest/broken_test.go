package browsertest

import (
	"bytes"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// brokenCSP is the site's Content-Security-Policy, so the fixture also shows
// that injecting axe works under it.
const brokenCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// serveFixtures serves testdata's deliberately broken pages, and one done
// right, from a test server.
func serveFixtures(t *testing.T) *httptest.Server {
	t.Helper()
	file := func(name, typ string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Security-Policy", brokenCSP)
			w.Header().Set("Content-Type", typ)
			http.ServeFile(w, r, "testdata/"+name)
		}
	}
	var pixel bytes.Buffer
	if err := png.Encode(&pixel, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", file("broken.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /broken.css", file("broken.css", "text/css"))
	mux.HandleFunc("GET /fixed-form", file("fixed_form.html", "text/html; charset=utf-8"))
	mux.HandleFunc("GET /pixel.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(pixel.Bytes())
	})
	// Every submission fails validation, as an empty form would.
	mux.HandleFunc("POST /submit", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("fixed") != "" {
			file("fixed_error.html", "text/html; charset=utf-8")(w, r)
			return
		}
		file("broken_error.html", "text/html; charset=utf-8")(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestChecksCatchProblems runs the checks of TestSite on testdata/broken.html
// and asserts that each one reports what is wrong there, so a green TestSite
// means the pages passed, not that the checks saw nothing.
func TestChecksCatchProblems(t *testing.T) {
	execPath := requireChromium(t)
	srv := serveFixtures(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 60*time.Second)
	load := func(t *testing.T, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, setViewport(desktop), chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("axe reports the missing alt text and label", func(t *testing.T) {
		load(t, "/")
		vs, err := runAxe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]bool{}
		for _, v := range vs {
			t.Logf("caught: %s", v)
			found[v.ID] = true
		}
		for _, want := range []string{"image-alt", "label"} {
			if !found[want] {
				t.Errorf("axe did not report %q on testdata/broken.html", want)
			}
		}
	})

	t.Run("reflow reports the 400px box at 320px only", func(t *testing.T) {
		load(t, "/")
		o, err := checkReflow(ctx, narrow)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("caught: %s", o)
		if o.ok() || len(o.Culprits) == 0 || !strings.Contains(o.Culprits[0].Selector, "too-wide") {
			t.Errorf("at 320px, want the overflow of div.too-wide reported; got ok=%v, culprits %+v", o.ok(), o.Culprits)
		}
		o, err = checkReflow(ctx, zoom200)
		if err != nil {
			t.Fatal(err)
		}
		if !o.ok() {
			t.Errorf("at 640 CSS px the 400px box fits, yet the check reported: %s", o)
		}
	})

	t.Run("skip link check reports its absence", func(t *testing.T) {
		load(t, "/")
		problems, err := checkSkipLink(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Logf("caught: %s", p)
		}
		if len(problems) == 0 || !strings.Contains(problems[0], "not the skip link") {
			t.Errorf("want the missing skip link reported, got %q", problems)
		}
	})

	t.Run("keyboard check reports the invisible focus", func(t *testing.T) {
		load(t, "/")
		_, problems, err := checkTabOrder(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Logf("caught: %s", p)
		}
		if len(problems) != 1 || !strings.Contains(problems[0], "no visible focus indicator on") ||
			!strings.Contains(problems[0], "no-focus") {
			t.Errorf("want exactly the link a.no-focus reported for its missing focus style, got %q", problems)
		}
	})

	t.Run("form check reports the unfocused error summary", func(t *testing.T) {
		load(t, "/")
		n, problems, err := checkForms(ctx, srv.URL+"/")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Logf("caught: %s", p)
		}
		if n != 1 || len(problems) != 1 || !strings.Contains(problems[0], "error summary") {
			t.Errorf("want 1 form with its unfocused error summary reported, got %d forms and %q", n, problems)
		}
	})

	t.Run("form check passes a summary with tabindex and autofocus", func(t *testing.T) {
		n, problems, err := checkForms(ctx, srv.URL+"/fixed-form")
		if err != nil {
			t.Fatal(err)
		}
		if n != 1 || len(problems) != 0 {
			t.Errorf("want 1 form and no problems, got %d forms and %q", n, problems)
		}
	})
}
