package directory

import (
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/web"
)

type handlers struct {
	site  *web.Site
	store *Store
	now   func() time.Time
}

// Mount registers the resident's pages of the directory: the search at
// /directory and a page for each service. now tells the time, for "open
// now"; pass time.Now.
func Mount(site *web.Site, store *Store, now func() time.Time) {
	h := handlers{site: site, store: store, now: now}
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
