package places

import (
	"context"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/web"
)

// sitemap lists the system's home, the list of places, each place's page
// (changed when its place was edited) and the page about the data.
func (h handlers) sitemap(ctx context.Context) ([]web.SitemapURL, error) {
	var sysUpdated time.Time
	if err := h.store.q.QueryRowContext(ctx, `SELECT updated_at FROM systems ORDER BY id LIMIT 1`).Scan(&sysUpdated); err != nil {
		return nil, fmt.Errorf("places: sitemap: %w", err)
	}
	rows, err := h.store.q.QueryContext(ctx, `SELECT slug, updated_at FROM places ORDER BY position, name, id`)
	if err != nil {
		return nil, fmt.Errorf("places: sitemap: %w", err)
	}
	defer rows.Close()
	urls := []web.SitemapURL{{Path: "/", LastMod: sysUpdated}, {Path: "/in-your-area/"}}
	for rows.Next() {
		var u web.SitemapURL
		var slug string
		if err := rows.Scan(&slug, &u.LastMod); err != nil {
			return nil, fmt.Errorf("places: sitemap: %w", err)
		}
		u.Path = "/in-your-area/" + slug
		if u.LastMod.After(urls[1].LastMod) {
			urls[1].LastMod = u.LastMod
		}
		urls = append(urls, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("places: sitemap: %w", err)
	}
	return append(urls, web.SitemapURL{Path: "/about/data"}), nil
}
