package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
)

// TestMain runs the package's tests on SQLite, then on PostgreSQL.
func TestMain(m *testing.M) { dbtest.Main(m) }

// onTestEngine points cfg at the database of the engine under test: SQLite
// in the data dir, or on PostgreSQL a fresh copy of a migrated and seeded
// database, the same one each time for the same data dir.
func onTestEngine(tb testing.TB, cfg config.Config) config.Config {
	tb.Helper()
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = dbtest.DataDirURL(tb, cfg.DataDir, "seeded", prepareSeeded)
	}
	return cfg
}

// prepareSeeded migrates and seeds the database at url.
func prepareSeeded(ctx context.Context, url string) error {
	d, err := Open(ctx, config.Config{DatabaseURL: url}, quietLog())
	if err != nil {
		return err
	}
	return d.Close()
}

// testSite is a real joinedup site on a fresh SQLite database in a temp dir,
// served over real HTTP on loopback.
type testSite struct {
	t   *testing.T
	cfg config.Config
	db  *db.DB
	srv *httptest.Server
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	return openTestSite(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"})
}

func openTestSite(t *testing.T, cfg config.Config) *testSite {
	t.Helper()
	cfg = onTestEngine(t, cfg)
	d, err := Open(context.Background(), cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	h, err := Handler(d, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return &testSite{t: t, cfg: cfg, db: d, srv: srv}
}

// get fetches path and returns the response with its body read.
func (s *testSite) get(path string, header ...string) (*http.Response, string) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := s.srv.Client().Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res, string(body)
}

// page fetches path, requires a 200 and returns the parsed document.
func (s *testSite) page(path string) *html.Node {
	s.t.Helper()
	res, body := s.get(path)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: status %d", path, res.StatusCode)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		s.t.Fatalf("GET %s: parse: %v", path, err)
	}
	return doc
}

// find returns every element below n for which match is true, in document order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// htmlNode is a parsed element, for match functions.
type htmlNode = html.Node

func tag(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		for _, c := range strings.Fields(attr(n, "class")) {
			if c == class {
				return true
			}
		}
		return false
	}
}

// textOf returns the text of n with white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// section returns the <section> whose heading has the given id.
func section(t *testing.T, doc *html.Node, headingID string) *html.Node {
	t.Helper()
	secs := find(doc, func(n *html.Node) bool { return n.Data == "section" && attr(n, "aria-labelledby") == headingID })
	if len(secs) != 1 {
		t.Fatalf("want one section labelled by #%s, found %d", headingID, len(secs))
	}
	return secs[0]
}

// figures returns the key figures shown on a place page, by label.
func figures(t *testing.T, doc *html.Node) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, li := range find(section(t, doc, "figures"), hasClass("jp-figure")) {
		label := textOf(find(li, hasClass("jp-figure__label"))[0])
		out[label] = textOf(find(li, hasClass("jp-figure__value"))[0])
	}
	return out
}
