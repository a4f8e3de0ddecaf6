package browsertest

import (
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// maxPages bounds the crawl, so a link loop cannot run the tests forever.
const maxPages = 300

// notFoundPath is a page that does not exist, to check the 404 page.
const notFoundPath = "/this-page-does-not-exist"

// sitePage is an HTML page found by the crawl.
type sitePage struct {
	Path   string // path and query, no fragment
	Status int
	From   string // a page linking to it, for messages
}

// hrefRE finds the links of the server-rendered HTML; the templates write
// attributes in double quotes.
var hrefRE = regexp.MustCompile(`(?is)<a\s[^>]*?\bhref\s*=\s*"([^"]*)"`)

// crawl follows the site's own links from "/", breadth first, and returns
// every HTML page reached, then the 404 page. Links elsewhere, to /static/,
// or to anything but HTML are not followed. A link to a page that does not
// answer 200 is reported in broken.
func crawl(base string) (pages []sitePage, broken []string, err error) {
	root, err := url.Parse(base)
	if err != nil {
		return nil, nil, err
	}
	client := &http.Client{Timeout: 10 * time.Second}
	seen := map[string]bool{"/": true, "/admin/login": true}
	queue := []sitePage{{Path: "/", From: "(start)"}, {Path: "/admin/login", From: "(start)"}}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		status, body, isHTML, err := fetch(client, base+p.Path)
		if err != nil {
			return nil, nil, err
		}
		if status != http.StatusOK {
			broken = append(broken, fmt.Sprintf("%s (linked from %s) answered %d", p.Path, p.From, status))
			continue
		}
		if !isHTML {
			continue
		}
		p.Status = status
		pages = append(pages, p)
		from, _ := url.Parse(base + p.Path)
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			u, err := from.Parse(html.UnescapeString(strings.TrimSpace(m[1])))
			if err != nil || u.Host != root.Host || (u.Scheme != "http" && u.Scheme != "https") {
				continue
			}
			if strings.HasPrefix(u.Path, "/static/") {
				continue
			}
			key := u.EscapedPath()
			if key == "" {
				key = "/"
			}
			if u.RawQuery != "" {
				key += "?" + u.RawQuery
			}
			if seen[key] || len(seen) >= maxPages {
				continue
			}
			seen[key] = true
			queue = append(queue, sitePage{Path: key, From: p.Path})
		}
	}
	status, _, _, err := fetch(client, base+notFoundPath)
	if err != nil {
		return nil, nil, err
	}
	pages = append(pages, sitePage{Path: notFoundPath, Status: status, From: "(made up)"})
	return pages, broken, nil
}

func fetch(client *http.Client, u string) (status int, body string, isHTML bool, err error) {
	resp, err := client.Get(u)
	if err != nil {
		return 0, "", false, fmt.Errorf("crawl %s: %w", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, "", false, fmt.Errorf("crawl %s: %w", u, err)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return resp.StatusCode, string(b), mt == "text/html", nil
}

// pageType names the kind of page at path: the path with its last segment
// replaced, such as /news/{slug}, so the log shows what the crawl covered.
func pageType(p sitePage) string {
	if p.Status == http.StatusNotFound {
		return "404"
	}
	path, query, _ := strings.Cut(p.Path, "?")
	// A place's pages are of one type whichever place they belong to
	// (/in-your-area/{place}/access is one type, not six).
	if rest, ok := strings.CutPrefix(path, "/in-your-area/"); ok {
		if place, below, ok := strings.Cut(rest, "/"); ok && place != "" {
			path = "/in-your-area/{place}/" + below
		}
	}
	// A listing (/in-your-area/, /events) is its own type; below it, the
	// last segment names one item of the type (/events/{slug}).
	if !strings.HasSuffix(path, "/") && strings.Count(path, "/") > 1 {
		path = path[:strings.LastIndex(path, "/")+1] + "{slug}"
	}
	if query != "" {
		path += "?…"
	}
	return path
}

// pageTypes counts the pages of each type, sorted by type.
func pageTypes(pages []sitePage) []string {
	counts := map[string]int{}
	for _, p := range pages {
		counts[pageType(p)]++
	}
	var out []string
	for typ, n := range counts {
		out = append(out, fmt.Sprintf("%s (%d)", typ, n))
	}
	slices.Sort(out)
	return out
}

// perType is how many pages of each type the browser checks: enough to
// catch what differs between items, without checking all 90 pharmacies.
const perType = 3

// sample keeps the first perType pages of each type, in crawl order, and
// every page in always.
func sample(pages []sitePage, always []string, perType int) []sitePage {
	seen := map[string]int{}
	var out []sitePage
	for _, p := range pages {
		typ := pageType(p)
		if seen[typ] < perType || slices.Contains(always, p.Path) {
			seen[typ]++
			out = append(out, p)
		}
	}
	return out
}
