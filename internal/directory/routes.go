package directory

import (
	"context"
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/web"
)

type handlers struct {
	site   *web.Site
	store  *Store
	now    func() time.Time
	places func(context.Context) ([]PlaceRef, error)
	links  []ServiceLinksFunc
}

// PlaceRef names a place whose directory lists services.
type PlaceRef struct {
	ID         int64
	Slug, Name string
}

// Options are what the directory's pages need from the rest of the site.
type Options struct {
	// Now tells the time, for "open now"; nil means time.Now.
	Now func() time.Time
	// Places lists the places, to say where each service is listed and to
	// search one place's directory; nil means none.
	Places func(context.Context) ([]PlaceRef, error)
	// Links add links to each service's page, from other domains.
	Links []ServiceLinksFunc
}

// ServiceLinksFunc returns links a service's page lists for it, from other
// domains (such as what its closure would change).
type ServiceLinksFunc func(ctx context.Context, svc Service) ([]web.Link, error)

// Mount registers the resident's pages of the directory: the search at
// /directory and a page for each service.
func Mount(site *web.Site, store *Store, opts Options) {
	h := handlers{site: site, store: store, now: opts.Now, places: opts.Places, links: opts.Links}
	if h.now == nil {
		h.now = time.Now
	}
	if h.places == nil {
		h.places = func(context.Context) ([]PlaceRef, error) { return nil, nil }
	}
	// Searches are not cached: each query string is its own page, so they
	// would crowd every other page out of the cache, and "open now" changes
	// with the clock.
	site.GetUncached("/directory", h.search)
	site.Get("/directory/{$}", func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, "/directory", http.StatusMovedPermanently)
		return nil
	})
	site.Get("/directory/services/{id}", h.service)
	site.AddSitemapSource(h.sitemap)
}
