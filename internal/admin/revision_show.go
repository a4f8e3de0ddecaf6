package admin

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/revisions"
	"github.com/joinedup/joinedup/internal/web"
)

type revisionData struct {
	Noun     string
	Record   current
	Revision revisions.Revision
	Latest   bool // the revision is the newest, so the record is as it says
	// Changes compare the revision with the record as it is now.
	Changes []revisions.Change
	Errors  formErrors
	Restore string // where to POST to restore it
}

// revisionByPath loads the record the route names (checking u may edit
// it) and the revision {rev} of it.
func (h *handlers) revisionByPath(r *http.Request, u accounts.User, v versioned) (revisionData, error) {
	cur, err := v.load(r, u)
	if err != nil {
		return revisionData{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("rev"), 10, 64)
	if err != nil || id <= 0 {
		return revisionData{}, web.NotFound("")
	}
	store := revisions.NewStore(h.db)
	rev, err := store.Get(r.Context(), v.kind, cur.ID, id)
	if err != nil {
		return revisionData{}, err
	}
	now, err := json.Marshal(cur.Record)
	if err != nil {
		return revisionData{}, err
	}
	changes, err := revisions.Compare(rev.Data, now)
	if err != nil {
		return revisionData{}, err
	}
	latest, err := store.LatestID(r.Context(), v.kind, cur.ID)
	if err != nil {
		return revisionData{}, err
	}
	return revisionData{Noun: v.noun, Record: cur, Revision: rev, Latest: latest == rev.ID,
		Changes: changes, Restore: cur.Edit + "/revisions/" + itoa(rev.ID) + "/restore"}, nil
}

// revisionShow shows one saved version of a record, field by field against
// the record as it is now, with a button to restore it.
func (h *handlers) revisionShow(v versioned) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u accounts.User) error {
		d, err := h.revisionByPath(r, u, v)
		if err != nil {
			return err
		}
		return h.render(w, r, http.StatusOK, "admin_revision.html", revisionTitle(d), u, v.crumbs(d.Record), d)
	}
}

func revisionTitle(d revisionData) string {
	return "Version " + itoa(d.Revision.ID) + " of " + d.Record.Title
}
