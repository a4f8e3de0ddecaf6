package news

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

// Mount registers the public routes for posts.
func Mount(site *web.Site, store *Store) {
	site.Get("/news/{slug}", func(w http.ResponseWriter, r *http.Request) error {
		p, err := store.BySlug(r.Context(), r.PathValue("slug"))
		if err != nil {
			return err
		}
		return site.Render(w, r, http.StatusOK, "post.html", web.Meta{
			Title:       p.Title,
			Description: p.Summary,
			Path:        "/news/" + p.Slug,
			Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
		}, struct {
			Post       Post
			Paragraphs []string
		}{p, text.Paragraphs(p.Body)})
	})
}
