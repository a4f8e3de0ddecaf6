package admin

import (
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/revisions"
	"github.com/joinedup/joinedup/internal/web"
)

type auditEntryData struct {
	Entry accounts.LoggedEntry
	// Changes compare the record before and after; for an entry with only
	// one of them, its fields.
	Changes []revisions.Change
}

// auditShow shows one entry of the audit log with the record before and
// after, field by field.
func (h *handlers) auditShow(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return web.NotFound("")
	}
	e, err := accounts.NewStore(h.db).AuditEntry(r.Context(), id)
	if err != nil {
		return err
	}
	changes, err := revisions.Compare([]byte(e.Before), []byte(e.After))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_audit_entry.html", "Audit entry "+itoa(e.ID), u, auditCrumbs,
		auditEntryData{Entry: e, Changes: changes})
}
