package search

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/web"
)

// Services finds local services for the same words, from the directory.
type Services func(ctx context.Context, text string, limit int) (results []Result, total int, err error)

// Options are what the search page needs from outside the package.
type Options struct {
	Services Services // nil leaves services out
	Now      func() time.Time
}

// perPage is how many results a page shows.
const perPage = 10

// maxQuery bounds what the search box accepts.
const maxQuery = 200

type page struct {
	Query         string
	Error         string
	Errors        []web.FieldError // Error, for the error summary
	Results       []Result
	Total         int
	Page, Pages   int
	Pagination    web.Pagination
	Services      []Result
	ServicesTotal int
	ServicesURL   string
}

// Mount registers GET /search.
func Mount(site *web.Site, store *Store, opt Options) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	site.Get("/search", func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		q := r.URL.Query()
		p := page{Query: strings.TrimSpace(q.Get("q")), Page: 1}
		status := http.StatusOK
		if v := q.Get("page"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 1000 {
				return web.BadRequest("The page number must be a whole number from 1.")
			}
			p.Page = n
		}
		switch {
		case len(p.Query) > maxQuery:
			p.Error, status = "Search for "+strconv.Itoa(maxQuery)+" characters or fewer", http.StatusBadRequest
		case p.Query != "" && len(Words(p.Query)) == 0:
			p.Error, status = "Enter words to search for, not only punctuation", http.StatusBadRequest
		case p.Query != "":
			var err error
			p.Results, p.Total, err = store.Search(ctx, Query{Text: p.Query, Now: opt.Now(), Limit: perPage, Offset: (p.Page - 1) * perPage})
			if err != nil {
				return err
			}
			p.Pages = (p.Total + perPage - 1) / perPage
			link := func(n int) string {
				v := url.Values{"q": {p.Query}}
				if n > 1 {
					v.Set("page", strconv.Itoa(n))
				}
				return "/search?" + v.Encode()
			}
			p.Pagination = web.Paginate(p.Page, p.Pages, link)
			if opt.Services != nil && p.Page == 1 {
				if p.Services, p.ServicesTotal, err = opt.Services(ctx, p.Query, 5); err != nil {
					return err
				}
				p.ServicesURL = "/directory?" + url.Values{"q": {p.Query}}.Encode()
			}
		}
		if p.Error != "" {
			p.Errors = []web.FieldError{{Field: "q", Message: p.Error}}
		}
		title := "Search"
		if p.Query != "" {
			title = "Search results for “" + p.Query + "”"
		}
		if p.Error != "" {
			title = "Error: " + title
		}
		return site.Render(w, r, status, "search.html", web.Meta{
			Title:       title,
			Description: "Search news, stories, events, places and local services.",
			Path:        "/search",
			NoIndex:     p.Query != "",
			Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
			Forms:       true,
		}, p)
	})
}
