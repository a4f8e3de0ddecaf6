package news

import (
	"context"

	"github.com/joinedup/joinedup/internal/web"
)

// pageSize is how many posts a page of the listing shows.
const pageSize = 10

// feedSize is how many posts the Atom feed carries.
const feedSize = 20

// relatedSize is how many related posts a post's page suggests.
const relatedSize = 3

type handlers struct {
	site  *web.Site
	store *Store
}

// Mount registers the public routes for posts: the listing, each post's
// page and the Atom feed, and lists the posts in the sitemap.
func Mount(site *web.Site, store *Store) {
	h := handlers{site: site, store: store}
	site.Get("/news", h.list)
	site.Get("/news/{slug}", h.show)
	site.Get("/feeds/news.xml", h.atom)
	site.AddSitemapSource(h.sitemap)
}

// sitemap lists the listing (changed when its newest post did) and every
// published post.
func (h handlers) sitemap(ctx context.Context) ([]web.SitemapURL, error) {
	posts, err := h.store.Published(ctx)
	if err != nil {
		return nil, err
	}
	list := web.SitemapURL{Path: "/news"}
	urls := make([]web.SitemapURL, 0, len(posts)+1)
	urls = append(urls, list)
	for _, p := range posts {
		if p.Modified().After(urls[0].LastMod) {
			urls[0].LastMod = p.Modified()
		}
		urls = append(urls, web.SitemapURL{Path: p.URL(), LastMod: p.Modified()})
	}
	return urls, nil
}
