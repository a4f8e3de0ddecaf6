package directory

import (
	"context"
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/web"
)

type handlers struct {
	site  *web.Site
	store *Store
	now   func() time.Time
	links []ServiceLinksFunc
}

// ServiceLinksFunc returns links a service's page lists for it, from other
// domains (such as what its closure would change).
type ServiceLinksFunc func(ctx context.Context, svc Service) ([]web.Link, error)

// Mount registers the resident's pages of the directory: the search at
// /directory and a page for each service. now tells the time, for "open
// now"; pass time.Now. links add links to each service's page.
func Mount(site *web.Site, store *Store, now func() time.Time, links ...ServiceLinksFunc) {
	h := handlers{site: site, store: store, now: now, links: links}
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
