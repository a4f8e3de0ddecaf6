package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/joinedup/joinedup/internal/testenv"
)

// crawl follows the site's own links from / and returns the paths of the
// HTML pages it found, plus one page that does not exist.
func crawl(t *testing.T, s *testSite, limit int) []string {
	t.Helper()
	seen := map[string]bool{"/": true}
	queue := []string{"/"}
	var pages []string
	for len(queue) > 0 && len(pages) < limit {
		path := queue[0]
		queue = queue[1:]
		res, body := s.get(path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages = append(pages, path)
		doc, err := html.Parse(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range find(doc, tag("a")) {
			u, err := url.Parse(attr(a, "href"))
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
				continue
			}
			p := u.Path
			if u.RawQuery != "" {
				p += "?" + u.RawQuery
			}
			if !seen[p] && !strings.HasPrefix(p, "/static/") {
				seen[p] = true
				queue = append(queue, p)
			}
		}
	}
	// Error states are pages too, with their own markup (error summaries).
	// The access pages (SVG pictures, wide tables, a what-if) whether or
	// not the crawl's limit reached them.
	for _, p := range []string{"/in-your-area/southwark/access", "/in-your-area/southwark/access?without=FK012",
		"/in-your-area/access", "/in-your-area/southwark/access?measure=imd_score"} {
		if !seen[p] || !slices.Contains(pages, p) {
			pages = append(pages, p)
		}
	}
	return append(pages, "/this-page-does-not-exist", "/search?q=%21%21", "/directory?age=200&postcode=nowhere",
		"/directory?postcode=SW1A+1AA", "/news?place=atlantis", "/events?place=atlantis")
}

// validateHTML checks documents (named for the messages) with the W3C's
// Nu HTML Checker (npm package vnu-jar, run on Java), failing the test for
// each error it reports.
func validateHTML(t *testing.T, docs map[string]string) {
	t.Helper()
	jar := filepath.Join(testenv.RepoRoot(t), "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(jar); err != nil {
		testenv.Missing(t, "the Nu HTML Checker", "run npm ci in the repository root")
	}
	java := testenv.LookPath(t, "install Java: apt-get install default-jre-headless", "java")
	dir := t.TempDir()
	files := map[string]string{}
	args := []string{"-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always"}
	i := 0
	for what, body := range docs {
		name := filepath.Join(dir, fmt.Sprintf("doc%03d.html", i))
		i++
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		files["file:"+name] = what
		args = append(args, name)
	}
	// The checker writes its JSON report to standard error.
	var out bytes.Buffer
	cmd := exec.Command(java, args...)
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu: %v\n%s", err, out.String())
	}
	var report struct {
		Messages []struct {
			URL, Type, Message, Extract string
			LastLine                    int
		}
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out.String())
	}
	for _, m := range report.Messages {
		t.Errorf("%s line %d: %s: %s\n\t%s", files[m.URL], m.LastLine, m.Type, m.Message, m.Extract)
	}
	t.Logf("validated %d documents", len(docs))
}

// Every page the site links to is valid HTML, and so are its error pages.
func TestPagesAreValidHTML(t *testing.T) {
	s := newTestSite(t)
	docs := map[string]string{}
	for _, path := range crawl(t, s, 200) {
		_, docs[path] = s.get(path)
	}
	if len(docs) < 6 {
		t.Fatalf("the crawl found only %d pages", len(docs))
	}
	validateHTML(t, docs)
}
