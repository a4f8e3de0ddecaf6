package admin

import (
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/revisions"
	"github.com/joinedup/joinedup/internal/web"
)

// revisionsPerPage is how many versions a page of a record's versions lists.
const revisionsPerPage = 50

type revisionListData struct {
	Noun      string
	Record    current
	Base      string // the path of the revisions, /admin/posts/12/revisions
	Revisions []revisions.Revision
	// Total counts every version; First is the newest version's place in
	// the list (0 on page 1), so the page can mark the current one.
	Total      int
	First      int
	Pagination web.Pagination
}

// revisionList lists the saved versions of a record, newest first, a page
// at a time (?page=).
func (h *handlers) revisionList(v versioned) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u accounts.User) error {
		page, err := pageNumber(r)
		if err != nil {
			return err
		}
		cur, err := v.load(r, u)
		if err != nil {
			return err
		}
		list, total, err := revisions.NewStore(h.db).Page(r.Context(), v.kind, cur.ID, page, revisionsPerPage)
		if err != nil {
			return err
		}
		pages := (total + revisionsPerPage - 1) / revisionsPerPage
		if page > 1 && page > pages {
			return web.NotFound("There are only " + strconv.Itoa(max(pages, 1)) + " pages of versions.")
		}
		base := cur.Edit + "/revisions"
		d := revisionListData{Noun: v.noun, Record: cur, Base: base, Revisions: list, Total: total, First: (page - 1) * revisionsPerPage,
			Pagination: web.Paginate(page, pages, func(n int) string {
				if n == 1 {
					return base
				}
				return base + "?page=" + strconv.Itoa(n)
			})}
		return h.render(w, r, http.StatusOK, "admin_revisions.html", "Versions of "+cur.Title, u, v.crumbs(cur), d)
	}
}
