package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/revisions"
)

type revisionListData struct {
	Noun      string
	Record    current
	Base      string // the path of the revisions, /admin/posts/12/revisions
	Revisions []revisions.Revision
}

// revisionList lists the saved versions of a record, newest first.
func (h *handlers) revisionList(v versioned) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u accounts.User) error {
		cur, err := v.load(r, u)
		if err != nil {
			return err
		}
		list, err := revisions.NewStore(h.db).List(r.Context(), v.kind, cur.ID)
		if err != nil {
			return err
		}
		d := revisionListData{Noun: v.noun, Record: cur, Base: cur.Edit + "/revisions", Revisions: list}
		return h.render(w, r, http.StatusOK, "admin_revisions.html", "Versions of "+cur.Title, u, v.crumbs(cur), d)
	}
}
