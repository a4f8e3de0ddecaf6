package app

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/testenv"
)

// parsedFeed is what Python's feedparser (Debian's python3-feedparser), an
// independent implementation, makes of a feed.
type parsedFeed struct {
	Bozo          int    `json:"bozo"`
	BozoException string `json:"bozo_exception"`
	Version       string `json:"version"`
	Feed          struct {
		Title   string     `json:"title"`
		ID      string     `json:"id"`
		Updated string     `json:"updated"`
		Links   []feedLink `json:"links"`
	} `json:"feed"`
	Entries []struct {
		ID        string `json:"id"`
		Title     string `json:"title"`
		Link      string `json:"link"`
		Published string `json:"published"`
		Updated   string `json:"updated"`
		Summary   string `json:"summary"`
		Author    string `json:"author"`
		Content   []struct {
			Value string `json:"value"`
			Type  string `json:"type"`
		} `json:"content"`
		Tags []struct {
			Term  string `json:"term"`
			Label string `json:"label"`
		} `json:"tags"`
	} `json:"entries"`
}

type feedLink struct {
	Rel  string `json:"rel"`
	Href string `json:"href"`
	Type string `json:"type"`
}

const feedparserScript = `
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
def links(ls):
    return [{"rel": l.get("rel", ""), "href": l.get("href", ""), "type": l.get("type", "")} for l in ls]
json.dump({
    "bozo": int(bool(d.bozo)),
    "bozo_exception": str(d.get("bozo_exception", "")),
    "version": d.version,
    "feed": {"title": d.feed.get("title", ""), "id": d.feed.get("id", ""),
             "updated": d.feed.get("updated", ""), "links": links(d.feed.get("links", []))},
    "entries": [{
        "id": e.get("id", ""), "title": e.get("title", ""), "link": e.get("link", ""),
        "published": e.get("published", ""), "updated": e.get("updated", ""),
        "summary": e.get("summary", ""), "author": e.get("author", ""),
        "content": [{"value": c.value, "type": c.type} for c in e.get("content", [])],
        "tags": [{"term": t.get("term", ""), "label": t.get("label", "")} for t in e.get("tags", [])],
    } for e in d.entries],
}, sys.stdout)
`

// parseFeed runs feedparser on body and fails the test if it reports the
// feed malformed (bozo).
func parseFeed(t *testing.T, body string) parsedFeed {
	t.Helper()
	py := testenv.Python(t, "feedparser", "install python3-feedparser: apt-get install python3-feedparser")
	var out, errOut bytes.Buffer
	cmd := exec.Command(py, "-c", feedparserScript)
	cmd.Stdin = strings.NewReader(body)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("feedparser: %v\n%s", err, errOut.String())
	}
	var f parsedFeed
	if err := json.Unmarshal(out.Bytes(), &f); err != nil {
		t.Fatalf("feedparser output: %v\n%s", err, out.String())
	}
	if f.Bozo != 0 {
		t.Fatalf("feedparser found the feed malformed: %s\n%s", f.BozoException, body)
	}
	return f
}
