package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/london"
)

// revisionRestore saves an earlier version of a record as its newest
// version, through the record's own save path: so the same checks apply as
// to editing it, and the restore is audited and is itself a revision.
func (h *handlers) revisionRestore(v versioned) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u accounts.User) error {
		d, err := h.revisionByPath(r, u, v)
		if err != nil {
			return err
		}
		note := "Restored the version of " + london.Date(d.Revision.At) + " at " + london.Clock(d.Revision.At) +
			" (version " + itoa(d.Revision.ID) + ")"
		problem, err := v.restore(r.Context(), u, d.Record, d.Revision.Data, note)
		if err != nil {
			return err
		}
		if problem != "" {
			d.Errors.add("restore", problem)
			return h.render(w, r, http.StatusUnprocessableEntity, "admin_revision.html", revisionTitle(d), u, v.crumbs(d.Record), d)
		}
		return h.redirect(w, r, d.Record.Edit, "The "+v.noun+" has been restored to the version of "+
			london.Date(d.Revision.At)+" at "+london.Clock(d.Revision.At)+".")
	}
}
