package admin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/upkeep"
	"github.com/joinedup/joinedup/internal/web"
)

// serviceUpkeep is what the admin's service page says of a record's
// upkeep: when a person last confirmed it, its automatic checks, and the
// residents' reports still open.
type serviceUpkeep struct {
	ServiceID   string
	ConfirmedAt *time.Time
	Assurer     string
	Stale       bool
	StaleMonths int
	Checks      []upkeep.CheckResult
	CheckedAt   time.Time
	OpenReports []upkeep.Report
	CanConfirm  bool
}

func (h *handlers) serviceUpkeep(ctx context.Context, u accounts.User, svc directory.Service) (*serviceUpkeep, error) {
	if h.upkeep == nil {
		return nil, nil
	}
	d := &serviceUpkeep{ServiceID: svc.ID, ConfirmedAt: svc.ConfirmedAt, Assurer: svc.AssurerEmail,
		StaleMonths: h.upkeep.StaleMonths(), CanConfirm: u.Can(accounts.EditDirectory)}
	d.Stale = svc.Status == directory.StatusActive && (svc.ConfirmedAt == nil || svc.ConfirmedAt.Before(h.upkeep.StaleBefore(h.now())))
	var err error
	if d.Checks, d.CheckedAt, err = h.upkeep.ServiceChecks(ctx, svc.ID); err != nil {
		return nil, err
	}
	// Reports hold residents' addresses: only those who handle them see
	// them (not reviewers).
	if u.Can(accounts.EditDirectory) {
		d.OpenReports, err = h.upkeep.Reports(ctx, upkeep.ReportFilter{Statuses: []upkeep.Status{upkeep.New, upkeep.InHand},
			ServiceIDs: []string{svc.ID}})
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// serviceConfirm records, in one click, that the signed-in editor has
// checked the service and it is still correct.
func (h *handlers) serviceConfirm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	svc, err := h.serviceByPath(r)
	if err != nil {
		return err
	}
	if err := h.upkeep.Confirm(r.Context(), u, svc.ID); err != nil {
		return err
	}
	back := "/admin/directory/services/" + svc.ID
	if r.PostFormValue("back") == "stale" {
		back = "/admin/directory/stale"
	}
	return h.redirect(w, r, back, "You have confirmed that "+svc.Name+" is still correct. Its page now says it was checked today.")
}

// stalePerPage is how many stale records a page lists.
const stalePerPage = 50

type staleData struct {
	Services   []directory.StaleService
	Total      int
	Months     int
	Pagination web.Pagination
	CanConfirm bool
	Errors     formErrors
	Chosen     map[string]bool // the records ticked, when the page shows an error
}

// staleList lists the records nobody has confirmed for the stale period,
// longest unconfirmed first.
func (h *handlers) staleList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.stalePage(w, r, u, http.StatusOK, staleData{})
}

func (h *handlers) stalePage(w http.ResponseWriter, r *http.Request, u accounts.User, status int, d staleData) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	list, total, err := h.upkeep.Stale(r.Context(), page, stalePerPage)
	if err != nil {
		return err
	}
	pages := (total + stalePerPage - 1) / stalePerPage
	if page > 1 && page > pages {
		return web.NotFound("There are only " + strconv.Itoa(max(pages, 1)) + " pages of stale records.")
	}
	d.Services, d.Total, d.Months, d.CanConfirm = list, total, h.upkeep.StaleMonths(), u.Can(accounts.EditDirectory)
	d.Pagination = web.Paginate(page, pages, func(n int) string {
		if n == 1 {
			return "/admin/directory/stale"
		}
		return "/admin/directory/stale?" + url.Values{"page": {strconv.Itoa(n)}}.Encode()
	})
	return h.render(w, r, status, "admin_stale.html", "Records not confirmed for "+strconv.Itoa(d.Months)+" months", u,
		[]web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}, d)
}

type staleConfirmData struct {
	Services []directory.Service
}

// staleConfirm confirms several records at once as still correct: the
// first POST (from the stale list's checkboxes) lists them and asks to
// confirm; the second, with confirm=yes, confirms them in one go.
func (h *handlers) staleConfirm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	ids := slices.Compact(slices.Sorted(slices.Values(r.PostForm["service"])))
	if len(ids) == 0 {
		var errs formErrors
		errs.add("services", "Choose the records to confirm as still correct")
		return h.stalePage(w, r, u, http.StatusUnprocessableEntity, staleData{Errors: errs})
	}
	svcs, err := h.directory.Services(ctx, ids)
	if err != nil {
		return err
	}
	if len(svcs) != len(ids) {
		return web.NotFound("A chosen record is not in the directory.")
	}
	if r.PostFormValue("confirm") != "yes" {
		return h.render(w, r, http.StatusOK, "admin_stale_confirm.html", "Confirm "+strconv.Itoa(len(svcs))+" records?", u,
			[]web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb, {Label: "Stale records", Href: "/admin/directory/stale"}},
			staleConfirmData{Services: svcs})
	}
	if err := h.upkeep.ConfirmAll(ctx, u, ids); err != nil {
		return err
	}
	msg := "You have confirmed that " + strconv.Itoa(len(ids)) + " records are still correct. Their pages now say they were checked today."
	if len(ids) == 1 {
		msg = "You have confirmed that " + svcs[0].Name + " is still correct. Its page now says it was checked today."
	}
	return h.redirect(w, r, "/admin/directory/stale", msg)
}

type checksData struct {
	Problems  []upkeep.CheckResult
	FlagAfter int
}

// checkProblems lists what the automatic checks found wrong, flagged
// first.
func (h *handlers) checkProblems(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	list, err := h.upkeep.Problems(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_checks.html", "Problems found by the automatic checks", u,
		[]web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}, checksData{Problems: list, FlagAfter: upkeep.FlagAfter})
}
