package web

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// SitemapURL is one public page for the sitemap: its path on the site and,
// when known, when its content last changed.
type SitemapURL struct {
	Path    string
	LastMod time.Time
}

// SitemapSource lists public pages for the sitemap. Each domain adds one
// for its pages when it mounts its routes.
type SitemapSource func(ctx context.Context) ([]SitemapURL, error)

// AddSitemapSource adds the pages that source lists to /sitemap.xml, after
// those of sources added before it. Call it while wiring the site, before
// it serves.
func (s *Site) AddSitemapSource(source SitemapSource) {
	s.sitemap = append(s.sitemap, source)
}

// mountSitemap registers /sitemap.xml (https://www.sitemaps.org/protocol.html)
// and /robots.txt, which points crawlers to it.
func (s *Site) mountSitemap() {
	s.Get("/sitemap.xml", s.serveSitemap)
	s.Get("/robots.txt", func(w http.ResponseWriter, r *http.Request) error {
		// /admin/ is for editors, so crawlers are asked to stay out of it.
		body := "User-agent: *\nAllow: /\nDisallow: /admin/\n\nSitemap: " + s.cfg.BaseURL + "/sitemap.xml\n"
		WriteBody(w, r, http.StatusOK, "text/plain; charset=utf-8", []byte(body))
		return nil
	})
}

type sitemapURLSet struct {
	XMLName xml.Name         `xml:"urlset"`
	NS      string           `xml:"xmlns,attr"`
	URLs    []sitemapURLElem `xml:"url"`
}

type sitemapURLElem struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (s *Site) serveSitemap(w http.ResponseWriter, r *http.Request) error {
	set := sitemapURLSet{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	seen := map[string]bool{}
	for _, source := range s.sitemap {
		urls, err := source(r.Context())
		if err != nil {
			return fmt.Errorf("web: sitemap: %w", err)
		}
		for _, u := range urls {
			if !strings.HasPrefix(u.Path, "/") || seen[u.Path] {
				continue
			}
			seen[u.Path] = true
			e := sitemapURLElem{Loc: s.cfg.BaseURL + u.Path}
			if !u.LastMod.IsZero() {
				e.LastMod = u.LastMod.UTC().Format(time.RFC3339)
			}
			set.URLs = append(set.URLs, e)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", " ")
	if err := enc.Encode(set); err != nil {
		return fmt.Errorf("web: sitemap: %w", err)
	}
	buf.WriteByte('\n')
	WriteBody(w, r, http.StatusOK, "application/xml; charset=utf-8", buf.Bytes())
	return nil
}
