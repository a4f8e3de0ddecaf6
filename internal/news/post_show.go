package news

import (
	"context"
	"html/template"
	"net/http"

	"github.com/joinedup/joinedup/internal/schemaorg"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

type postPage struct {
	Post    Post
	Body    template.HTML
	Related []Post
	// Article describes the post as schema.org JSON-LD.
	Article schemaorg.NewsArticle
	// ImageURL is the lead or hero image's absolute URL, and ImageAlt its
	// alt text, for Open Graph.
	ImageURL string
	ImageAlt string
	SiteName string
}

// show shows a published post with its body, hero image, pull quote,
// themes, places and related posts, described for search engines (JSON-LD)
// and for sharing (Open Graph).
func (h handlers) show(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := h.store.BySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return h.render(w, r, p, nil)
}

// Preview shows p, saved or not, on the public post page marked as a
// preview and not to be indexed, for the admin. p's Places must be filled
// in.
func Preview(site *web.Site, store *Store, w http.ResponseWriter, r *http.Request, p Post, pv web.Preview) error {
	return handlers{site: site, store: store}.render(w, r, p, &pv)
}

func (h handlers) render(w http.ResponseWriter, r *http.Request, p Post, preview *web.Preview) error {
	ctx := r.Context()
	related, err := h.store.Related(ctx, p, relatedSize)
	if err != nil {
		return err
	}
	base := h.site.Config().BaseURL
	page := postPage{Post: p, Body: text.Markdown(p.Body), Related: related, SiteName: h.site.Config().SiteName}
	switch {
	case p.Lead != nil:
		page.ImageURL, page.ImageAlt = base+p.Lead.URLFor(1024), p.Lead.Alt
	case p.Hero.Path != "":
		page.ImageURL, page.ImageAlt = base+p.Hero.Path, p.Hero.Alt
	}
	if page.Article, err = h.article(ctx, p, base); err != nil {
		return err
	}
	meta := web.Meta{
		Title:       p.Title,
		Description: p.Summary,
		Path:        p.URL(),
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "News and stories", Href: "/news"}},
		Alternates:  []web.Alternate{{Type: "application/atom+xml", Title: "News and stories (Atom feed)", Href: "/feeds/news.xml"}},
	}
	if preview != nil {
		meta.Path, meta.NoIndex, meta.Forms, meta.Preview = "", true, true, preview
	}
	if len(p.Places) == 1 {
		pl := p.Places[0]
		meta.Header = web.Link{Label: pl.DisplayName(), Href: "/in-your-area/" + pl.Slug}
	}
	return h.site.Render(w, r, http.StatusOK, "post.html", meta, page)
}

// article describes p as a schema.org NewsArticle. Its publisher is the
// partnership of its place, or the system for a post of several places or
// none; an author with the publisher's name is that organisation, any other
// a person.
func (h handlers) article(ctx context.Context, p Post, base string) (schemaorg.NewsArticle, error) {
	publisher := schemaorg.Organization{Type: "Organization", URL: base + "/"}
	if len(p.Places) == 1 {
		publisher.Name = p.Places[0].DisplayName()
		publisher.URL = base + "/in-your-area/" + p.Places[0].Slug
	} else {
		name, err := h.store.SystemName(ctx)
		if err != nil {
			return schemaorg.NewsArticle{}, err
		}
		publisher.Name = name
	}
	url := base + p.URL()
	a := schemaorg.NewsArticle{
		Context:          schemaorg.Context,
		Type:             "NewsArticle",
		Headline:         p.Title,
		Description:      p.Summary,
		URL:              url,
		MainEntityOfPage: url,
		DatePublished:    schemaorg.Date(p.PublishedAt),
		DateModified:     schemaorg.Date(p.Modified()),
		Publisher:        publisher,
	}
	switch p.Author {
	case "":
		a.Author = []schemaorg.Agent{{Type: "Organization", Name: publisher.Name, URL: publisher.URL}}
	case publisher.Name:
		a.Author = []schemaorg.Agent{{Type: "Organization", Name: p.Author, URL: publisher.URL}}
	default:
		a.Author = []schemaorg.Agent{{Type: "Person", Name: p.Author}}
	}
	switch {
	case p.Lead != nil:
		a.Image = []string{base + p.Lead.URLFor(1024)}
	case p.Hero.Path != "":
		a.Image = []string{base + p.Hero.Path}
	}
	for _, t := range p.Themes {
		a.Keywords = append(a.Keywords, t.Name)
	}
	return a, nil
}
