package events

import (
	"context"

	"github.com/joinedup/joinedup/internal/web"
)

// sitemap lists the events listings and every published event.
func (h handlers) sitemap(ctx context.Context) ([]web.SitemapURL, error) {
	evs, err := h.store.List(ctx, Filter{})
	if err != nil {
		return nil, err
	}
	urls := []web.SitemapURL{{Path: "/events"}, {Path: "/events?view=past"}}
	for _, e := range evs {
		urls = append(urls, web.SitemapURL{Path: "/events/" + e.Slug, LastMod: e.UpdatedAt})
		if e.UpdatedAt.After(urls[0].LastMod) {
			urls[0].LastMod = e.UpdatedAt
		}
	}
	return urls, nil
}
