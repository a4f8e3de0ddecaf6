package events

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

// Mount registers the public routes for events.
func Mount(site *web.Site, store *Store) {
	site.Get("/events/{slug}", func(w http.ResponseWriter, r *http.Request) error {
		e, err := store.BySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		return site.Render(w, r, http.StatusOK, "event.html", web.Meta{
			Title:       e.Title,
			Description: e.Summary,
			Path:        "/events/" + e.Slug,
			Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
		}, struct {
			Event      Event
			Paragraphs []string
		}{e, text.Paragraphs(e.Body)})
	})
}
