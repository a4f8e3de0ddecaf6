package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/upkeep"
	"github.com/joinedup/joinedup/internal/web"
)

var reportsCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb,
	{Label: "Reports of problems", Href: "/admin/directory/reports"}}

type reportFilter struct {
	Label, Href string
	Current     bool
}

type reportsData struct {
	Filters []reportFilter
	Reports []upkeep.Report
	// Open is set when the list shows open reports, which can be closed
	// together.
	Open   bool
	Errors formErrors
	Chosen map[int64]bool
	Closes []option
	Note   string
	// CloseStatus is the closing status chosen, when the form is shown again.
	CloseStatus string
	Statuses    []upkeep.Status
}

// reportsStatus reads ?status=: "" (open: new and in hand), "all", or one
// status.
func reportsStatus(r *http.Request) (string, []upkeep.Status, error) {
	v := r.URL.Query().Get("status")
	switch v {
	case "":
		return "", []upkeep.Status{upkeep.New, upkeep.InHand}, nil
	case "all":
		return v, nil, nil
	}
	if st := upkeep.Status(v); st.Valid() {
		return v, []upkeep.Status{st}, nil
	}
	return "", nil, web.BadRequest("There is no report status called “" + v + "”.")
}

var closingStatuses = []option{{Value: string(upkeep.Fixed), Label: "Fixed: the listing is corrected"},
	{Value: string(upkeep.NotAProblem), Label: "Not a problem: the listing was right"}}

func (h *handlers) reportsPage(w http.ResponseWriter, r *http.Request, u accounts.User, status int, d reportsData) error {
	cur, statuses, err := reportsStatus(r)
	if err != nil {
		return err
	}
	d.Reports, err = h.upkeep.Reports(r.Context(), upkeep.ReportFilter{Statuses: statuses})
	if err != nil {
		return err
	}
	d.Open = cur == "" || cur == string(upkeep.New) || cur == string(upkeep.InHand)
	d.Filters = []reportFilter{{Label: "Open", Href: "/admin/directory/reports", Current: cur == ""}}
	for _, st := range upkeep.Statuses {
		d.Filters = append(d.Filters, reportFilter{Label: st.Label(), Href: "/admin/directory/reports?status=" + string(st), Current: cur == string(st)})
	}
	d.Filters = append(d.Filters, reportFilter{Label: "All", Href: "/admin/directory/reports?status=all", Current: cur == "all"})
	for _, o := range closingStatuses {
		o.Checked = o.Value == d.CloseStatus
		d.Closes = append(d.Closes, o)
	}
	d.Statuses = upkeep.Statuses
	title := "Reports of problems with listings"
	if d.Errors.Any() {
		title = "Error: " + title
	}
	return h.render(w, r, status, "admin_reports.html", title, u, []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}, d)
}

// reportQueue lists residents' reports, open ones by default.
func (h *handlers) reportQueue(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.reportsPage(w, r, u, http.StatusOK, reportsData{})
}

type reportData struct {
	Report   upkeep.Report
	Statuses []option
	Note     string
	Errors   formErrors
}

func (h *handlers) reportByPath(r *http.Request) (upkeep.Report, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return upkeep.Report{}, web.NotFound("")
	}
	rep, err := h.upkeep.Report(r.Context(), id)
	if err != nil {
		return upkeep.Report{}, err
	}
	list, err := h.directory.ServiceNames(r.Context(), []string{rep.ServiceID})
	if err != nil {
		return upkeep.Report{}, err
	}
	rep.ServiceName = list[rep.ServiceID]
	return rep, nil
}

func (h *handlers) reportFormPage(w http.ResponseWriter, r *http.Request, u accounts.User, rep upkeep.Report, chosen upkeep.Status, note string, errs formErrors, status int) error {
	d := reportData{Report: rep, Note: note, Errors: errs}
	for _, st := range upkeep.Statuses {
		d.Statuses = append(d.Statuses, option{Value: string(st), Label: st.Label(), Checked: st == chosen})
	}
	title := "Report " + strconv.FormatInt(rep.ID, 10) + ": " + rep.ServiceName
	if errs.Any() {
		title = "Error: " + title
	}
	return h.render(w, r, status, "admin_report.html", title, u, reportsCrumbs, d)
}

// reportForm shows one report with the form that moves it on.
func (h *handlers) reportForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	rep, err := h.reportByPath(r)
	if err != nil {
		return err
	}
	return h.reportFormPage(w, r, u, rep, rep.Status, rep.Note, formErrors{}, http.StatusOK)
}

// readNote reads the note to the reporter, checking its length.
func readNote(r *http.Request, errs *formErrors) string {
	note := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("note"), "\r\n", "\n"))
	if utf8.RuneCountInString(note) > 2000 {
		errs.add("note", "The note must be 2000 characters or fewer")
	}
	return note
}

// reportUpdate moves a report to the chosen status; closing it emails
// the reporter.
func (h *handlers) reportUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	rep, err := h.reportByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	var errs formErrors
	st := upkeep.Status(r.PostFormValue("status"))
	if !st.Valid() {
		errs.add("status-"+string(upkeep.New), "Choose the report's status")
	}
	note := readNote(r, &errs)
	if errs.Any() {
		return h.reportFormPage(w, r, u, rep, st, note, errs, http.StatusUnprocessableEntity)
	}
	after, err := h.upkeep.SetStatus(r.Context(), u, rep.ID, upkeep.Change{Status: st, Note: note})
	if err != nil {
		return err
	}
	msg := "The report about " + rep.ServiceName + " is now " + strings.ToLower(after.Status.Label()) + "."
	if st.Closes() && !rep.Status.Closes() && rep.Email != "" {
		msg += " We have emailed the resident who sent it."
	}
	return h.redirect(w, r, "/admin/directory/reports", msg)
}

type reportsCloseData struct {
	Reports []upkeep.Report
	Status  upkeep.Status
	Note    string
	Emails  int
}

// reportsClose closes several open reports at once: the first POST (from
// the queue's checkboxes) shows what will happen and asks to confirm; the
// second, with confirm=yes, closes them.
func (h *handlers) reportsClose(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	var errs formErrors
	var ids []int64
	for _, v := range r.PostForm["report"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 {
			return web.BadRequest("A chosen report is not one of the list's.")
		}
		ids = append(ids, id)
	}
	st := upkeep.Status(r.PostFormValue("status"))
	if len(ids) == 0 {
		errs.add("reports", "Choose the reports to close")
	}
	if !st.Closes() {
		errs.add("close-"+string(upkeep.Fixed), "Choose whether the listings are fixed or were right")
	}
	note := readNote(r, &errs)
	if errs.Any() {
		chosen := map[int64]bool{}
		for _, id := range ids {
			chosen[id] = true
		}
		return h.reportsPage(w, r, u, http.StatusUnprocessableEntity, reportsData{Errors: errs, Chosen: chosen, Note: note, CloseStatus: string(st)})
	}
	if r.PostFormValue("confirm") != "yes" {
		d := reportsCloseData{Status: st, Note: note}
		for _, id := range ids {
			rep, err := h.upkeep.Report(ctx, id)
			if errors.Is(err, db.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if rep.Status.Closes() {
				continue
			}
			if rep.Email != "" {
				d.Emails++
			}
			d.Reports = append(d.Reports, rep)
		}
		if len(d.Reports) == 0 {
			return h.redirect(w, r, "/admin/directory/reports", "The reports you chose are closed already.")
		}
		names, err := h.directory.ServiceNames(ctx, serviceIDs(d.Reports))
		if err != nil {
			return err
		}
		for i := range d.Reports {
			d.Reports[i].ServiceName = names[d.Reports[i].ServiceID]
		}
		return h.render(w, r, http.StatusOK, "admin_reports_close.html", "Close "+strconv.Itoa(len(d.Reports))+" reports?", u, reportsCrumbs, d)
	}
	n, err := h.upkeep.CloseAll(ctx, u, ids, st, note)
	if errors.Is(err, db.ErrNotFound) {
		return web.NotFound("A chosen report no longer exists.")
	}
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/reports", strconv.Itoa(n)+" reports closed as "+strings.ToLower(st.Label())+".")
}

func serviceIDs(list []upkeep.Report) []string {
	out := make([]string, len(list))
	for i, r := range list {
		out[i] = r.ServiceID
	}
	return out
}
