package admin

import (
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/news"
)

type postRow struct {
	Post   news.Post
	State  string // "Draft", "Published" or "Scheduled"
	Places string
}

func (h *handlers) postList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	all, err := h.news.All(r.Context())
	if err != nil {
		return err
	}
	now := h.now()
	var rows []postRow
	for _, p := range all {
		// An editor limited to places sees the posts they may change.
		if !canEditPlaces(u, placesOf(p)) && !u.ReadOnly(r.Method, accounts.EditContent, accounts.ViewContent) {
			continue
		}
		row := postRow{Post: p, State: "Published", Places: "Whole system"}
		switch {
		case p.Status == news.StatusDraft:
			row.State = "Draft"
		case p.PublishedAt.After(now):
			row.State = "Scheduled"
		}
		var names []string
		for _, pl := range p.Places {
			names = append(names, pl.Name)
		}
		if len(names) > 0 {
			row.Places = strings.Join(names, ", ")
		}
		rows = append(rows, row)
	}
	byAge := sortByReadingAge(r, rows, postRow.ReadingAge)
	return h.render(w, r, http.StatusOK, "admin_posts.html", "Posts", u, dashboardCrumbs, struct {
		Posts []postRow
		ByAge bool
	}{rows, byAge})
}
