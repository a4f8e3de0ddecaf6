package news

import (
	"fmt"
	"net/http"

	"github.com/joinedup/joinedup/internal/web"
)

type listPage struct {
	Heading string
	// Type, Place and Theme are the filters as chosen, for the form.
	Type, Place, Theme string
	Options            options
	Errors             []fieldError
	Posts              []Post
	Total              int
	First, Last        int // the positions of the posts shown, from 1
	Page, Pages        int
	Pagination         web.Pagination
	FeedURL            string
	Filtered           bool
}

// ErrorFor returns the message for the filter named field ("type",
// "place", "theme"), if it named nothing.
func (p listPage) ErrorFor(field string) string {
	for _, e := range p.Errors {
		if e.Href == "#"+field {
			return e.Message
		}
	}
	return ""
}

// list shows the published posts, newest first, filtered by type, place
// and theme, a page at a time. A filter that names nothing is answered
// with 404 and the page saying what was not found, with the filters to
// choose again.
func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	opts, err := h.options(ctx)
	if err != nil {
		return err
	}
	sel := parseSelection(r.URL.Query(), opts, true)
	page := listPage{Type: sel.Type, Place: sel.Place, Theme: sel.Theme, Options: opts, Errors: sel.Errors,
		Page: sel.Page, Heading: sel.describe(), FeedURL: sel.url("/feeds/news.xml", 1),
		Filtered: sel.Type != "" || sel.Place != "" || sel.Theme != ""}
	meta := web.Meta{
		Title:       page.Heading,
		Description: "News from the partnership and residents' own stories about health and care where they live.",
		Path:        sel.url("/news", sel.Page),
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
		Forms:       true,
		Alternates:  []web.Alternate{{Type: "application/atom+xml", Title: page.Heading + " (Atom feed)", Href: page.FeedURL}},
	}
	status := http.StatusOK
	if len(sel.Errors) == 0 {
		if page.Total, err = h.store.Count(ctx, sel.Filter); err != nil {
			return err
		}
		page.Pages = max(1, (page.Total+pageSize-1)/pageSize)
		if sel.Page > page.Pages {
			page.Errors = append(page.Errors, fieldError{sel.url("/news", 1),
				fmt.Sprintf("There is no page %d of this list: it has %d. Go to the first page.", sel.Page, page.Pages)})
		}
	}
	if len(page.Errors) > 0 {
		status = http.StatusNotFound
		meta.Title = "Not found: " + meta.Title
		meta.NoIndex = true
		meta.Path = ""
		return h.site.Render(w, r, status, "news.html", meta, page)
	}
	offset := (sel.Page - 1) * pageSize
	if page.Posts, err = h.store.List(ctx, sel.Filter, pageSize, offset); err != nil {
		return err
	}
	if len(page.Posts) > 0 {
		page.First, page.Last = offset+1, offset+len(page.Posts)
	}
	page.Pagination = web.Paginate(sel.Page, page.Pages, func(n int) string { return sel.url("/news", n) })
	if sel.Page > 1 {
		meta.Title += fmt.Sprintf(" (page %d of %d)", sel.Page, page.Pages)
	}
	return h.site.Render(w, r, status, "news.html", meta, page)
}
