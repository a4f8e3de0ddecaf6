package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/web"
)

// auditPerPage is how many entries a page of the audit log shows.
const auditPerPage = 50

var auditCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Audit log", Href: "/admin/audit"}}

// auditForm is the audit log's filter as typed.
type auditForm struct {
	Actor, Record, Action, From, To string
}

type auditListData struct {
	Form       auditForm
	Errors     formErrors
	Actions    []option
	Entries    []accounts.LoggedEntry
	Total      int
	Pagination web.Pagination
}

// filter checks the form and returns the filter it describes: dates are
// whole days in UK time, To included.
func (f auditForm) filter() (accounts.AuditFilter, formErrors) {
	var errs formErrors
	out := accounts.AuditFilter{Actor: f.Actor, Record: f.Record, Action: f.Action}
	if f.From != "" {
		d, err := time.ParseInLocation(dateLayout, f.From, london.Location)
		if err != nil {
			errs.add("from", "Enter the first day as a real date, like 2026-03-27")
		}
		out.From = d
	}
	if f.To != "" {
		d, err := time.ParseInLocation(dateLayout, f.To, london.Location)
		if err != nil {
			errs.add("to", "Enter the last day as a real date, like 2026-03-27")
		} else {
			out.To = d.AddDate(0, 0, 1)
		}
	}
	if !out.From.IsZero() && !out.To.IsZero() && !out.To.After(out.From) {
		errs.add("to", "The last day must be the same as the first day or after it")
	}
	checkLength(&errs, "actor", f.Actor, "The user", 254)
	checkLength(&errs, "record", f.Record, "The record", 200)
	if errs.Any() {
		return accounts.AuditFilter{}, errs
	}
	return out, errs
}

func (f auditForm) query(page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"actor": f.Actor, "record": f.Record, "action": f.Action, "from": f.From, "to": f.To} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/admin/audit"
	}
	return "/admin/audit?" + v.Encode()
}

// auditList shows the audit log, newest first, filtered by who, which
// record, what action and when. A filter with errors shows the errors and
// no entries.
func (h *handlers) auditList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := auditForm{Actor: q.Get("actor"), Record: q.Get("record"), Action: q.Get("action"), From: q.Get("from"), To: q.Get("to")}
	filter, errs := f.filter()
	store := accounts.NewStore(h.db)
	actions, err := store.AuditActions(r.Context())
	if err != nil {
		return err
	}
	d := auditListData{Form: f, Errors: errs, Actions: []option{{Value: "", Label: "Any action", Checked: f.Action == ""}}}
	for _, a := range actions {
		d.Actions = append(d.Actions, option{Value: a, Label: a, Checked: f.Action == a})
	}
	status := http.StatusOK
	if errs.Any() {
		status = http.StatusUnprocessableEntity
	} else {
		d.Entries, d.Total, err = store.AuditLog(r.Context(), filter, page, auditPerPage)
		if err != nil {
			return err
		}
		pages := (d.Total + auditPerPage - 1) / auditPerPage
		if page > 1 && page > pages {
			return web.NotFound("There are only " + strconv.Itoa(max(pages, 1)) + " pages of entries.")
		}
		d.Pagination = web.Paginate(page, pages, f.query)
	}
	return h.render(w, r, status, "admin_audit.html", "Audit log", u, dashboardCrumbs, d)
}
