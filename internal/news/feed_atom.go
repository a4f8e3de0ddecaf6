package news

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

// The Atom feed (RFC 4287), as encoding/xml writes it.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Base    string      `xml:"xml:base,attr"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr"`
	Label  string `xml:"label,attr"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

func atomDate(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// atom serves the newest published posts as an Atom feed, with the same
// type, place and theme filters as the listing.
func (h handlers) atom(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	opts, err := h.options(ctx)
	if err != nil {
		return err
	}
	sel := parseSelection(r.URL.Query(), opts, false)
	if len(sel.Errors) > 0 {
		return web.NotFound(sel.Errors[0].Message)
	}
	posts, err := h.store.List(ctx, sel.Filter, feedSize, 0)
	if err != nil {
		return err
	}
	cfg := h.site.Config()
	self := cfg.BaseURL + sel.url("/feeds/news.xml", 1)
	feed := atomFeed{
		Base: cfg.BaseURL + "/",
		Lang: "en-GB",
		// The feed's own absolute URL, its filters in one canonical order,
		// names it for good.
		ID:    self,
		Title: sel.describe() + " – " + cfg.SiteName,
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: self},
			{Rel: "alternate", Type: "text/html", Href: cfg.BaseURL + sel.url("/news", 1)},
		},
		Author: atomPerson{Name: cfg.SiteName},
		// An empty feed has changed at no time we know of; the epoch keeps
		// its ETag stable.
		Updated: atomDate(time.Unix(0, 0)),
	}
	tagBase := tagAuthority(cfg.BaseURL)
	for _, p := range posts {
		if m := p.Modified(); atomDate(m) > feed.Updated {
			feed.Updated = atomDate(m)
		}
		link := cfg.BaseURL + p.URL()
		e := atomEntry{
			// A tag URI on the post's id stays the same when its slug or
			// title is edited, so readers never show it twice.
			ID:        tagBase + "post/" + strconv.FormatInt(p.ID, 10),
			Title:     p.Title,
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: link}},
			Published: atomDate(p.PublishedAt),
			Updated:   atomDate(p.Modified()),
			Content:   atomText{Type: "html", Body: string(text.Markdown(p.Body))},
		}
		if p.Summary != "" {
			e.Summary = &atomText{Type: "text", Body: p.Summary}
		}
		if p.Author != "" {
			e.Authors = []atomPerson{{Name: p.Author}}
		}
		for _, t := range p.Themes {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name,
				Scheme: cfg.BaseURL + "/news?theme="})
		}
		feed.Entries = append(feed.Entries, e)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(feed); err != nil {
		return fmt.Errorf("news: atom feed: %w", err)
	}
	buf.WriteByte('\n')
	web.WriteBody(w, r, http.StatusOK, "application/atom+xml; charset=utf-8", buf.Bytes())
	return nil
}

// tagAuthority returns the start of the tag URIs (RFC 4151) that name this
// site's posts: "tag:joinedup.example,2025:".
func tagAuthority(baseURL string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return "tag:" + strings.ToLower(host) + ",2025:"
}
