package admin

import (
	"cmp"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/readability"
)

type postRow struct {
	Post   news.Post
	State  string // "Draft", "Published" or "Scheduled"
	Places string
	age    *readability.Result
}

// postStatuses are the post list's status filter.
var postStatuses = []option{{Value: "draft", Label: "Draft"}, {Value: "scheduled", Label: "Scheduled"}, {Value: "published", Label: "Published"}}

var postColumns = []sortable[postRow]{
	{"title", "Title", func(a, b postRow) int {
		return cmp.Compare(strings.ToLower(a.Post.Title), strings.ToLower(b.Post.Title))
	}, false},
	{"status", "Status", func(a, b postRow) int { return cmp.Compare(a.State, b.State) }, false},
	{"date", "Date", func(a, b postRow) int { return a.Post.PublishedAt.Compare(b.Post.PublishedAt) }, true},
	{"places", "Places", func(a, b postRow) int { return cmp.Compare(a.Places, b.Places) }, false},
	{"reading-age", "Reading age", func(a, b postRow) int { return compareReadingAge(a.ReadingAge(), b.ReadingAge()) }, true},
}

// postRows lists the posts u may see in the admin's list, of the query's
// place and status, newest first. The list and the admin home's counts of
// drafts and scheduled posts both read it, so they agree.
func postRows(ctx context.Context, q db.Querier, u accounts.User, now time.Time, lq listQuery) ([]postRow, []places.Place, error) {
	all, err := news.NewStore(q).All(ctx)
	if err != nil {
		return nil, nil, err
	}
	placeList, err := places.NewStore(q).List(ctx)
	if err != nil {
		return nil, nil, err
	}
	slugOf := map[int64]string{}
	for _, p := range placeList {
		slugOf[p.ID] = p.Slug
	}
	var rows []postRow
	for _, p := range all {
		// An editor limited to places sees the posts they may change.
		if !canEditPlaces(u, placesOf(p)) && !u.ReadOnly(http.MethodGet, accounts.EditContent, accounts.ViewContent) {
			continue
		}
		row := postRow{Post: p, State: "Published", Places: "Whole system"}
		switch {
		case p.Status == news.StatusDraft:
			row.State = "Draft"
		case p.PublishedAt.After(now):
			row.State = "Scheduled"
		}
		if lq.Status != "" && strings.ToLower(row.State) != lq.Status {
			continue
		}
		if !lq.inPlace(placesOf(p), slugOf) {
			continue
		}
		var names []string
		for _, pl := range p.Places {
			names = append(names, pl.Name)
		}
		if len(names) > 0 {
			row.Places = strings.Join(names, ", ")
		}
		m := row.ReadingAge()
		row.age = &m
		rows = append(rows, row)
	}
	return rows, placeList, nil
}

type postListData struct {
	Posts []postRow
	List  listView
	// Bulk reports that u may publish and unpublish the listed posts.
	Bulk bool
	// Errors and Chosen: a bulk action asked for without posts or action.
	Errors formErrors
	Chosen map[int64]bool
}

func (h *handlers) postList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	lq, err := readListQuery(r, postColumns, "date", postStatuses)
	if err != nil {
		return err
	}
	rows, placeList, err := postRows(r.Context(), h.db, u, h.now(), lq)
	if err != nil {
		return err
	}
	shown, lv := sortAndPage("/admin/posts", lq, rows, postColumns, placeList, u, postStatuses)
	return h.render(w, r, http.StatusOK, "admin_posts.html", "Posts", u, dashboardCrumbs,
		postListData{Posts: shown, List: lv, Bulk: u.Can(accounts.EditContent)})
}
