package directory

import (
	"context"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/web"
)

// sitemap lists the search page and the page of every active service.
func (h handlers) sitemap(ctx context.Context) ([]web.SitemapURL, error) {
	rows, err := h.store.q.QueryContext(ctx, `SELECT id, last_modified FROM dir_services WHERE status = $1 ORDER BY id`, StatusActive)
	if err != nil {
		return nil, fmt.Errorf("directory: sitemap: %w", err)
	}
	defer rows.Close()
	urls := []web.SitemapURL{{Path: "/directory"}}
	for rows.Next() {
		var id string
		var modified time.Time
		if err := rows.Scan(&id, &modified); err != nil {
			return nil, fmt.Errorf("directory: sitemap: %w", err)
		}
		urls = append(urls, web.SitemapURL{Path: "/directory/services/" + id, LastMod: modified})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: sitemap: %w", err)
	}
	return urls, nil
}
