package admin

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/registrations"
	"github.com/joinedup/joinedup/internal/web"
)

// registrationForm is the registration settings form as typed.
type registrationForm struct {
	Enabled, WaitingList, AskAccessNeeds bool
	Capacity, ReminderHours              string
	OpensDate, OpensTime                 string
	ClosesDate, ClosesTime               string
}

// registrationData is what admin_event_registration.html shows.
type registrationData struct {
	Event     events.Event
	Settings  registrations.Settings
	Form      registrationForm
	Errors    formErrors
	Options   []option
	Attendees []registrations.Registration
	Confirmed int
	Waiting   int
	Public    string
}

func newRegistrationForm(s registrations.Settings) registrationForm {
	f := registrationForm{Enabled: s.Enabled, WaitingList: s.WaitingList, AskAccessNeeds: s.AskAccessNeeds,
		Capacity: strconv.Itoa(s.Capacity), ReminderHours: strconv.FormatFloat(s.ReminderBefore.Hours(), 'f', -1, 64)}
	if !s.OpensAt.IsZero() {
		f.OpensDate, f.OpensTime = londonDate(s.OpensAt), londonTime(s.OpensAt)
	}
	if !s.ClosesAt.IsZero() {
		f.ClosesDate, f.ClosesTime = londonDate(s.ClosesAt), londonTime(s.ClosesAt)
	}
	return f
}

// optionalLondon reads an optional date and time; both empty is no time.
func optionalLondon(errs *formErrors, field, label, date, clock string) time.Time {
	if date == "" && clock == "" {
		return time.Time{}
	}
	t, wrong := parseLondon(date, clock)
	switch wrong {
	case "date":
		errs.add(field+"_date", "Enter the date "+label+" as a real date, or leave it and the time empty")
	case "time":
		errs.add(field+"_time", "Enter the time "+label+" as hours and minutes, like 09:30")
	}
	return t
}

// readRegistrationForm reads the form over before and checks it.
func readRegistrationForm(r *http.Request, before registrations.Settings) (registrationForm, registrations.Settings, formErrors) {
	ticked := r.PostForm["settings"]
	has := func(v string) bool {
		for _, t := range ticked {
			if t == v {
				return true
			}
		}
		return false
	}
	f := registrationForm{Enabled: has("enabled"), WaitingList: has("waiting_list"), AskAccessNeeds: has("ask_access_needs"),
		Capacity: formValue(r, "capacity"), ReminderHours: formValue(r, "reminder_hours"),
		OpensDate: formValue(r, "opens_date"), OpensTime: formValue(r, "opens_time"),
		ClosesDate: formValue(r, "closes_date"), ClosesTime: formValue(r, "closes_time")}
	var errs formErrors
	s := before
	s.Enabled, s.WaitingList, s.AskAccessNeeds = f.Enabled, f.WaitingList, f.AskAccessNeeds
	capacity, err := strconv.Atoi(f.Capacity)
	if err != nil || capacity < 1 || capacity > 100000 {
		errs.add("capacity", "Enter the number of places as a whole number from 1 to 100000")
	}
	s.Capacity = capacity
	hours, err := strconv.ParseFloat(f.ReminderHours, 64)
	if err != nil || hours < 0 || hours > 24*30 {
		errs.add("reminder_hours", "Enter how many hours before the start to send the reminder, from 0 (no reminder) to 720")
	}
	s.ReminderBefore = time.Duration(hours * float64(time.Hour)).Round(time.Minute)
	s.OpensAt = optionalLondon(&errs, "opens", "registration opens", f.OpensDate, f.OpensTime)
	s.ClosesAt = optionalLondon(&errs, "closes", "registration closes", f.ClosesDate, f.ClosesTime)
	if !s.OpensAt.IsZero() && !s.ClosesAt.IsZero() && !s.ClosesAt.After(s.OpensAt) {
		errs.add("closes_date", "Registration must close after it opens")
	}
	return f, s, errs
}

func (h *handlers) registrationData(r *http.Request, e events.Event, f registrationForm, errs formErrors) (registrationData, error) {
	st := registrations.NewStore(h.db)
	s, err := st.Settings(r.Context(), e.ID)
	if err != nil {
		return registrationData{}, err
	}
	list, err := st.ForEvent(r.Context(), e.ID)
	if err != nil {
		return registrationData{}, err
	}
	d := registrationData{Event: e, Settings: s, Form: f, Errors: errs, Attendees: list, Options: []option{
		{Value: "enabled", Label: "Residents must register for this event", Checked: f.Enabled},
		{Value: "waiting_list", Label: "Keep a waiting list when the event is full", Checked: f.WaitingList},
		{Value: "ask_access_needs", Label: "Ask about access needs (kept only with the resident's consent)", Checked: f.AskAccessNeeds},
	}}
	for _, a := range list {
		switch a.Status {
		case registrations.Confirmed:
			d.Confirmed++
		case registrations.Waiting:
			d.Waiting++
		}
	}
	if !e.Draft {
		d.Public = "/events/" + e.Slug
	}
	return d, nil
}

func registrationCrumbs(e events.Event) []web.Crumb {
	return append(append([]web.Crumb{}, eventsCrumbs...), web.Crumb{Label: e.Title, Href: "/admin/events/" + itoa(e.ID)})
}

func (h *handlers) registrationPage(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	s, err := registrations.NewStore(h.db).Settings(r.Context(), e.ID)
	if err != nil {
		return err
	}
	d, err := h.registrationData(r, e, newRegistrationForm(s), formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_event_registration.html", "Registration for "+e.Title, u, registrationCrumbs(e), d)
}

func (h *handlers) registrationSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	before, err := registrations.NewStore(h.db).Settings(ctx, e.ID)
	if err != nil {
		return err
	}
	f, after, errs := readRegistrationForm(r, before)
	if errs.Any() {
		d, err := h.registrationData(r, e, f, errs)
		if err != nil {
			return err
		}
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_event_registration.html", "Registration for "+e.Title, u, registrationCrumbs(e), d)
	}
	var promoted int
	err = h.db.Tx(ctx, func(q db.Querier) error {
		var err error
		if promoted, err = h.registrations.SaveSettings(ctx, q, e, after); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "registration_settings_updated",
			Record: "event:" + itoa(e.ID), Before: before, After: after})
	})
	if err != nil {
		return err
	}
	msg := "The registration settings have been saved."
	if promoted > 0 {
		msg += " " + strconv.Itoa(promoted) + " people on the waiting list now have places and have been emailed."
	}
	return h.redirect(w, r, "/admin/events/"+itoa(e.ID)+"/registration", msg)
}

// csvCell keeps a cell from being read as a formula by spreadsheets.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// registrationExport downloads the attendee list as CSV: access needs only
// of people who agreed to share them, and nothing of erased registrations.
// Every download is in the audit log.
func (h *handlers) registrationExport(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	ctx := r.Context()
	list, err := registrations.NewStore(h.db).ForEvent(ctx, e.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	repeats := e.RepeatRule != "" // a repeating event's list says each registration's date
	head := []string{"Name", "Email", "Status", "Registered", "Access needs"}
	if repeats {
		head = append([]string{"Date"}, head...)
	}
	_ = cw.Write(head)
	rows := 0
	for _, a := range list {
		if a.Status == registrations.Cancelled || a.Erased {
			continue
		}
		needs := ""
		if a.AccessConsent {
			needs = a.AccessNeeds
		}
		row := []string{csvCell(a.Name), csvCell(a.Email), string(a.Status),
			london.In(a.CreatedAt).Format("2006-01-02 15:04"), csvCell(needs)}
		if repeats {
			row = append([]string{a.Date}, row...)
		}
		_ = cw.Write(row)
		rows++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	err = h.db.Tx(ctx, func(q db.Querier) error {
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "attendees_exported",
			Record: "event:" + itoa(e.ID), After: map[string]int{"rows": rows}})
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+e.Slug+`-attendees.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}
