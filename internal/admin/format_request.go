package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

var formatCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Requests for other formats", Href: formats.QueueURL}}

// formatScope is whose requests for another format u answers: governance
// officers those for papers and meetings, editors those for posts of
// their places (every place's, and the whole system's, for an editor of
// every place), administrators all.
func formatScope(u accounts.User) formats.Scope {
	sc := formats.Scope{Governance: u.Can(accounts.ManageBoards), Editors: u.Can(accounts.EditContent)}
	if sc.Editors && limited(u) {
		sc.Places = u.Places
	}
	if !u.Can(accounts.AnswerFormatRequests) {
		return formats.Scope{}
	}
	return sc
}

// inScope reports whether u answers request fr.
func inScope(u accounts.User, fr formats.Request) bool {
	if fr.Kind.Governance() {
		return u.Can(accounts.AnswerFormatRequests) && u.Can(accounts.ManageBoards)
	}
	var places []int64
	if fr.PlaceID != 0 {
		places = []int64{fr.PlaceID}
	}
	return u.Can(accounts.AnswerFormatRequests) && canEditPlaces(u, places)
}

type formatFilter struct {
	Label, Href string
	Current     bool
}

type formatRow struct {
	formats.Request
	Overdue bool
}

type formatQueuePage struct {
	Filters  []formatFilter
	Requests []formatRow
	Count    formats.Count
	Days     int
	Settings bool // the user may change the number of working days
}

// formatQueue lists the requests u answers: open ones (new and in hand)
// by default, soonest due first, or those of one status (?status=), or
// all (?status=all).
func (h *handlers) formatQueue(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	ctx := r.Context()
	st := formats.NewStore(h.db)
	chosen := r.URL.Query().Get("status")
	var statuses []formats.Status
	switch chosen {
	case "":
		statuses = []formats.Status{formats.New, formats.InHand}
	case "all":
	default:
		if !formats.Status(chosen).Valid() {
			return web.BadRequest("There is no request status called “" + chosen + "”.")
		}
		statuses = []formats.Status{formats.Status(chosen)}
	}
	sc := formatScope(u)
	list, err := st.List(ctx, sc, statuses...)
	if err != nil {
		return err
	}
	p := formatQueuePage{Settings: u.Can(accounts.ManageAccounts)}
	if p.Count, err = st.Count(ctx, sc, h.now()); err != nil {
		return err
	}
	if p.Days, err = st.WorkingDays(ctx); err != nil {
		return err
	}
	now := h.now()
	for _, fr := range list {
		p.Requests = append(p.Requests, formatRow{Request: fr, Overdue: fr.Overdue(now)})
	}
	p.Filters = append(p.Filters, formatFilter{Label: "Open (" + strconv.Itoa(p.Count.Open) + ")", Href: formats.QueueURL, Current: chosen == ""})
	for _, s := range formats.Statuses {
		p.Filters = append(p.Filters, formatFilter{Label: s.Label(), Href: formats.QueueURL + "?status=" + string(s), Current: chosen == string(s)})
	}
	p.Filters = append(p.Filters, formatFilter{Label: "All", Href: formats.QueueURL + "?status=all", Current: chosen == "all"})
	return h.render(w, r, http.StatusOK, "admin_format_requests.html", "Requests for other formats", u, formatCrumbs, p)
}

// formatChangeForm is the form that moves a request on, as typed.
type formatChangeForm struct {
	Status string
	Reason string
	From   string
}

type formatRequestPage struct {
	Request formats.Request
	Details []string
	Overdue bool
	Form    formatChangeForm
	Errors  formErrors
	Actions []option
}

func (h *handlers) formatRequestByPath(r *http.Request, u accounts.User) (formats.Request, error) {
	id, err := idFromPath(r)
	if err != nil {
		return formats.Request{}, err
	}
	fr, err := formats.NewStore(h.db).ByID(r.Context(), id)
	if err != nil {
		return formats.Request{}, err
	}
	if !inScope(u, fr) {
		return formats.Request{}, errForbidden
	}
	return fr, nil
}

func (h *handlers) formatRequestPage(fr formats.Request, f formatChangeForm, errs formErrors) formatRequestPage {
	p := formatRequestPage{Request: fr, Details: text.Paragraphs(fr.Details), Overdue: fr.Overdue(h.now()), Form: f, Errors: errs}
	for _, a := range []struct {
		s     formats.Status
		label string
	}{{formats.InHand, "In hand: we are working on it"}, {formats.Sent, "Sent: the resident has what they asked for"},
		{formats.CannotProvide, "Cannot provide it (give the reason)"}, {formats.New, "New: not started"}} {
		p.Actions = append(p.Actions, option{Value: string(a.s), Label: a.label, Checked: f.Status == string(a.s)})
	}
	return p
}

func (h *handlers) formatRequestForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	fr, err := h.formatRequestByPath(r, u)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_format_request.html", "Request "+fr.Reference(), u, formatCrumbs,
		h.formatRequestPage(fr, formatChangeForm{From: string(fr.Status)}, formErrors{}))
}

// formatRequestUpdate moves a request to a new status with a message,
// and emails the resident, in one transaction with the audit entry.
func (h *handlers) formatRequestUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	fr, err := h.formatRequestByPath(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := formatChangeForm{Status: formValue(r, "status"), Reason: formText(r, "reason"), From: formValue(r, "from")}
	var errs formErrors
	after := fr
	after.Status, after.Reason = formats.Status(f.Status), f.Reason
	switch {
	case !after.Status.Valid():
		errs.add("status-in_hand", "Choose where the request stands")
	case after.Status == formats.CannotProvide && f.Reason == "":
		errs.add("reason", "Enter the reason you cannot provide it; the resident will see it")
	case after.Status == fr.Status:
		errs.add("status-in_hand", "The request is already "+fr.Status.Label()+": choose another status, or go back")
	}
	checkLength(&errs, "reason", f.Reason, "The message", 2000)
	if !formats.Status(f.From).Valid() {
		f.From = string(fr.Status)
	}
	again := func(status int) error {
		return h.render(w, r, status, "admin_format_request.html", "Request "+fr.Reference(), u, formatCrumbs,
			h.formatRequestPage(fr, f, errs))
	}
	if errs.Any() {
		return again(http.StatusUnprocessableEntity)
	}
	// A request is never public: the change leaves the page cache be.
	err = h.db.TxPrivate(r.Context(), func(tx db.Querier) error {
		if err := formats.NewStore(tx).SetStatus(r.Context(), after, formats.Status(f.From), h.now()); err != nil {
			return err
		}
		if err := accounts.Audit(r.Context(), tx, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "format_request_" + string(after.Status),
			Record: "format_request:" + itoa(fr.ID), Before: formatRecord(fr), After: formatRecord(after)}); err != nil {
			return err
		}
		if fr.Erased {
			return nil // nobody left to tell
		}
		return h.formatMailer.StatusChanged(r.Context(), tx, after)
	})
	if errors.Is(err, formats.ErrStale) {
		fresh, err := formats.NewStore(h.db).ByID(r.Context(), fr.ID)
		if err != nil {
			return err
		}
		fr, f.From = fresh, string(fresh.Status)
		errs.add("status-in_hand", "Someone else changed this request while you were looking at it; it is now "+
			fresh.Status.Label()+". Check it, then choose again.")
		return again(http.StatusConflict)
	}
	if err != nil {
		return err
	}
	told := " We have emailed the resident."
	if fr.Erased {
		told = " No email went: the resident's details have been erased."
	}
	return h.redirect(w, r, formats.QueueURL, "Request "+fr.Reference()+" is now "+after.Status.Label()+"."+told)
}

// formatRecord is a request as the audit log keeps it, without the
// resident's name, email and details.
func formatRecord(fr formats.Request) map[string]string {
	return map[string]string{"reference": fr.Reference(), "status": string(fr.Status), "reason": fr.Reason, "due_on": fr.DueOn}
}

type formatSettingsPage struct {
	Days   string
	Errors formErrors
}

func (h *handlers) formatSettingsForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	n, err := formats.NewStore(h.db).WorkingDays(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_format_settings.html", "Due date of requests for other formats", u, formatCrumbs,
		formatSettingsPage{Days: strconv.Itoa(n)})
}

// formatSettingsSave sets how many working days a request may take, for
// requests made from then on.
func (h *handlers) formatSettingsSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	p := formatSettingsPage{Days: formValue(r, "working_days")}
	n, err := strconv.Atoi(p.Days)
	if err != nil || n < 1 || n > formats.MaxWorkingDays {
		p.Errors.add("working_days", "Enter a whole number of working days from 1 to "+strconv.Itoa(formats.MaxWorkingDays))
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_format_settings.html", "Error: Due date of requests for other formats",
			u, formatCrumbs, p)
	}
	err = h.db.TxPrivate(r.Context(), func(tx db.Querier) error {
		st := formats.NewStore(tx)
		before, err := st.WorkingDays(r.Context())
		if err != nil {
			return err
		}
		if err := st.SetWorkingDays(r.Context(), n, h.now()); err != nil {
			return err
		}
		return accounts.Audit(r.Context(), tx, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "format_settings_updated",
			Record: "format_settings", Before: map[string]int{"working_days": before}, After: map[string]int{"working_days": n}})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, formats.QueueURL, "Requests made from now on are due "+strconv.Itoa(n)+" working days after they arrive.")
}
