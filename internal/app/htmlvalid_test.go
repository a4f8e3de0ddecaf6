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
	return append(pages, "/this-page-does-not-exist", "/search?q=%21%21", "/directory?age=200&postcode=nowhere",
		"/directory?postcode=SW1A+1AA", "/news?place=atlantis", "/events?place=atlantis")
}

// Every page the site links to is valid HTML, as the W3C's Nu HTML Checker
// (npm package vnu-jar, run on Java) sees it.
func TestPagesAreValidHTML(t *testing.T) {
	root := testenv.RepoRoot(t)
	jar := filepath.Join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(jar); err != nil {
		testenv.Missing(t, "the Nu HTML Checker", "run npm ci in the repository root")
	}
	java := testenv.LookPath(t, "install Java: apt-get install default-jre-headless", "java")

	s := newTestSite(t)
	dir := t.TempDir()
	files := map[string]string{}
	var args []string
	for i, path := range crawl(t, s, 200) {
		_, body := s.get(path)
		name := filepath.Join(dir, fmt.Sprintf("page%03d.html", i))
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		files["file:"+name] = path
		args = append(args, name)
	}
	if len(args) < 6 {
		t.Fatalf("the crawl found only %d pages", len(args))
	}
	// The checker writes its JSON report to standard error.
	var out bytes.Buffer
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always"}, args...)...)
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
	t.Logf("validated %d pages", len(args))
}
