package registrations

import (
	"context"
	"errors"
	"net/http"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/web"
)

// Limits of the residents' forms, per hour.
type Limits struct {
	PerClient  int // from one client address (an office or a library may share one)
	PerAddress int // for one email address
}

// DefaultLimits are generous for people and tight for scripts.
var DefaultLimits = Limits{PerClient: 100, PerAddress: 5}

// Options are what the residents' pages need from outside the package.
type Options struct {
	// Limits are the forms' rate limits; DefaultLimits when zero.
	Limits Limits
	// ClientIP finds the address a request came from (behind trusted
	// proxies, from X-Forwarded-For); by default the connection's peer.
	ClientIP func(*http.Request) string
}

type handlers struct {
	site     *web.Site
	svc      *Service
	throttle *Throttle
	opt      Options
}

// Mount registers the registration pages, the privacy notice, the erasure
// link's pages and those of board subscriptions.
func Mount(site *web.Site, svc *Service, opt Options) {
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	if opt.ClientIP == nil {
		opt.ClientIP = web.ClientIP
	}
	h := handlers{site: site, svc: svc, throttle: NewThrottle(svc.DB), opt: opt}
	site.GetUncached("/events/{slug}/register", h.form)
	site.Post("/events/{slug}/register", h.submit)
	site.GetUncached("/events/{slug}/register/done", h.done)
	site.GetUncached("/events/{slug}/register/cancel", h.cancelForm)
	site.Post("/events/{slug}/register/cancel", h.cancel)
	site.Get("/privacy", h.privacy)
	site.AddSitemapSource(func(context.Context) ([]web.SitemapURL, error) {
		return []web.SitemapURL{{Path: "/privacy"}}, nil
	})
	site.GetUncached("/privacy/erase", h.eraseForm)
	site.Post("/privacy/erase", h.erase)
	site.GetUncached("/privacy/export", h.export)
	h.mountSubscriptions()
}

// Summary is what an event page shows about registration.
type Summary struct {
	URL         string
	Capacity    int
	PlacesLeft  int
	WaitingList bool
	Closed      string // why registration is closed, or ""
}

// Summary returns what the page of event id shows about registration, or
// db.ErrNotFound when the event does not take registrations or is over.
// It is the events package's Registration hook.
func (s *Service) Summary(ctx context.Context, eventID int64) (any, error) {
	st, err := NewStore(s.DB).Settings(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if !st.Enabled {
		return nil, db.ErrNotFound
	}
	e, err := events.NewStore(s.DB).ByID(ctx, eventID)
	if err != nil {
		return nil, err
	}
	o, upcoming := When(e, s.now())
	if !upcoming {
		return nil, db.ErrNotFound // the page says the event has ended
	}
	if e.Rule() != nil { // the places of the next date
		if st, err = NewStore(s.DB).ForDate(ctx, eventID, o.Date()); err != nil {
			return nil, err
		}
	}
	return Summary{URL: "/events/" + e.Slug + "/register", Capacity: st.Capacity, PlacesLeft: st.PlacesLeft(),
		WaitingList: st.WaitingList, Closed: OpenState(e, st, s.now())}, nil
}

// fieldError is a message about one field; Field is its input's id.
type fieldError struct {
	Field   string
	Message string
}

type formValues struct {
	Name, Email, AccessNeeds string
	AccessConsent, Privacy   bool
	Date                     string // the date chosen, of a repeating event
}

// dateOption is one date of a repeating event the form offers.
type dateOption struct {
	Value, Label string
	PlacesLeft   int
}

type formPage struct {
	Event    events.Event
	When     events.Occurrence
	Settings Settings
	Closed   string
	Form     formValues
	Errors   []fieldError
	// Dates are the dates of a repeating event to choose from; none for a
	// one-off event.
	Dates []dateOption
}

// Repeats reports whether the resident chooses a date.
func (p formPage) Repeats() bool { return p.Event.Rule() != nil }

// dates lists the dates of a repeating event open to registration, with
// the places left on each.
func (h handlers) dates(ctx context.Context, e events.Event, st Settings) ([]dateOption, error) {
	ds := Dates(e, h.svc.now())
	if len(ds) == 0 {
		return nil, nil
	}
	taken, err := NewStore(h.svc.DB).TakenByDate(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	out := make([]dateOption, len(ds))
	for i, o := range ds {
		st.Taken = taken[o.Date()]
		label := london.LongDate(o.Start) + ", " + london.TimeRange(o.Start, o.End)
		if london.Date(o.Start) != london.Date(o.End) && o.End.After(o.Start) {
			label = london.When(o.Start, o.End)
		}
		if left := st.PlacesLeft(); left == 0 && st.WaitingList {
			label += " (full: join the waiting list)"
		} else if left == 0 {
			label += " (full)"
		} else if left == 1 {
			label += " (1 place left)"
		} else {
			label += " (" + strconv.Itoa(left) + " places left)"
		}
		out[i] = dateOption{Value: o.Date(), Label: label, PlacesLeft: st.PlacesLeft()}
	}
	return out, nil
}

// page is the form of event e, with its dates when it repeats.
func (h handlers) page(ctx context.Context, e events.Event, st Settings) (formPage, error) {
	now := h.svc.now()
	p := formPage{Event: e, Settings: st, Closed: OpenState(e, st, now)}
	p.When, _ = When(e, now)
	if e.Rule() != nil {
		p.When = events.Occurrence{}
		var err error
		if p.Dates, err = h.dates(ctx, e, st); err != nil {
			return p, err
		}
	}
	return p, nil
}

// Err returns the error of the field with id, or nil.
func (p formPage) Err(id string) *fieldError { return fieldErr(p.Errors, id) }

func (h handlers) event(r *http.Request) (events.Event, Settings, error) {
	e, err := events.NewStore(h.svc.DB).BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return events.Event{}, Settings{}, err
	}
	st, err := NewStore(h.svc.DB).Settings(r.Context(), e.ID)
	if err != nil {
		return events.Event{}, Settings{}, err
	}
	if !st.Enabled {
		return events.Event{}, Settings{}, web.NotFound("This event does not take registrations. The event page says how to go.")
	}
	return e, st, nil
}

func (h handlers) meta(e events.Event, title, path string) web.Meta {
	return web.Meta{Title: title, Path: path, NoIndex: true, Forms: true,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Events", Href: "/events"}, {Label: e.Title, Href: "/events/" + e.Slug}}}
}

func (h handlers) render(w http.ResponseWriter, r *http.Request, status int, p formPage) error {
	title := "Register for " + p.Event.Title
	if len(p.Errors) > 0 {
		title = "Error: " + title
	}
	return h.site.Render(w, r, status, "registration_form.html", h.meta(p.Event, title, "/events/"+p.Event.Slug+"/register"), p)
}

func (h handlers) form(w http.ResponseWriter, r *http.Request) error {
	e, st, err := h.event(r)
	if err != nil {
		return err
	}
	p, err := h.page(r.Context(), e, st)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, p)
}

// Limits on what residents type.
const (
	maxName        = 100
	maxEmail       = 254
	maxAccessNeeds = 1000
)

// readForm reads and checks the form, in the order of its fields; dates
// are the dates to choose from (nil for a one-off event).
func readForm(r *http.Request, askAccess bool, repeats bool, dates []dateOption) (formValues, Input, []fieldError) {
	f := formValues{
		Date:          strings.TrimSpace(r.PostFormValue("date")),
		Name:          strings.TrimSpace(r.PostFormValue("name")),
		Email:         strings.TrimSpace(r.PostFormValue("email")),
		AccessNeeds:   strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("access_needs"), "\r\n", "\n")),
		AccessConsent: r.PostFormValue("access_consent") == "yes",
		Privacy:       r.PostFormValue("privacy") == "yes",
	}
	var errs []fieldError
	add := func(field, msg string) { errs = append(errs, fieldError{field, msg}) }
	if repeats {
		offered := false
		for _, d := range dates {
			offered = offered || d.Value == f.Date
		}
		switch {
		case f.Date == "":
			add("date", "Choose the date you want to come")
		case !offered:
			add("date", "Choose one of the dates listed: the event does not take registrations for the date sent")
		}
	} else {
		f.Date = ""
	}
	switch {
	case f.Name == "":
		add("name", "Enter your name")
	case len([]rune(f.Name)) > maxName || strings.ContainsAny(f.Name, "\r\n\t"):
		add("name", "Enter your name in 100 characters or fewer, on one line")
	}
	switch {
	case f.Email == "":
		add("email", "Enter your email address")
	case len(f.Email) > maxEmail || !validEmail(f.Email):
		add("email", "Enter an email address in the correct format, like name@example.com")
	}
	if !askAccess {
		f.AccessNeeds, f.AccessConsent = "", false
	}
	switch {
	case len([]rune(f.AccessNeeds)) > maxAccessNeeds:
		add("access_needs", "Describe your access needs in 1,000 characters or fewer")
	case f.AccessNeeds != "" && !f.AccessConsent:
		add("access_consent", "Tick the box to let us keep your access needs, or leave the access needs empty")
	}
	if !f.Privacy {
		add("privacy", "Confirm that you have read the privacy notice")
	}
	return f, Input{Name: f.Name, Email: f.Email, AccessNeeds: f.AccessNeeds, AccessConsent: f.AccessConsent}, errs
}

// validEmail reports whether s is a plain address the outbox can send to,
// with a dot in its domain.
func validEmail(s string) bool {
	a, err := netmail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndex(s, "@")
	domain := s[at+1:]
	return strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

var errTooMany = &web.StatusError{Status: http.StatusTooManyRequests,
	Message: "We have had a lot of forms from you in the last hour. Please wait an hour and try again, or contact the organiser."}

// allowed counts the request against the limits of the client and, if
// given, of the email address.
func (h handlers) allowed(r *http.Request, form, email string) error {
	now := h.svc.now()
	checks := []struct {
		key   string
		limit int
	}{{form + ":client:" + h.opt.ClientIP(r), h.opt.Limits.PerClient}, {form + ":address:" + email, h.opt.Limits.PerAddress}}
	for _, c := range checks {
		if strings.HasSuffix(c.key, ":address:") {
			continue // no address typed: the form's own errors say so
		}
		ok, err := h.throttle.Allow(r.Context(), c.key, c.limit, now)
		if err != nil {
			return err
		}
		if !ok {
			return errTooMany
		}
	}
	return nil
}

func (h handlers) submit(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	e, st, err := h.event(r)
	if err != nil {
		return err
	}
	done := "/events/" + e.Slug + "/register/done"
	if r.PostFormValue("website") != "" { // the honeypot: people never see it
		http.Redirect(w, r, done, http.StatusSeeOther)
		return nil
	}
	now := h.svc.now()
	p, err := h.page(r.Context(), e, st)
	if err != nil {
		return err
	}
	if p.Closed != "" {
		return h.render(w, r, http.StatusConflict, p)
	}
	var in Input
	p.Form, in, p.Errors = readForm(r, st.AskAccessNeeds, p.Repeats(), p.Dates)
	if err := h.allowed(r, "register", strings.ToLower(in.Email)); err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return h.render(w, r, http.StatusUnprocessableEntity, p)
	}
	reg, pos, err := h.svc.Register(r.Context(), e, p.Form.Date, in)
	switch {
	case errors.Is(err, ErrAlreadyRegistered) && p.Repeats():
		p.Errors = []fieldError{{"email", "This email address is already registered for this date. Your confirmation email has a link to cancel"}}
		return h.render(w, r, http.StatusUnprocessableEntity, p)
	case errors.Is(err, ErrAlreadyRegistered):
		p.Errors = []fieldError{{"email", "This email address is already registered for this event. Your confirmation email has a link to cancel"}}
		return h.render(w, r, http.StatusUnprocessableEntity, p)
	case errors.Is(err, ErrNoDate):
		p.Errors = []fieldError{{"date", "Choose one of the dates listed"}}
		return h.render(w, r, http.StatusUnprocessableEntity, p)
	case (errors.Is(err, ErrFull) || errors.Is(err, ErrClosed)) && p.Repeats():
		if p, err = h.page(r.Context(), e, st); err != nil {
			return err
		}
		p.Form, _, _ = readForm(r, st.AskAccessNeeds, true, p.Dates)
		p.Errors = []fieldError{{"date", "Sorry, that date has just filled up or closed. Choose another date"}}
		return h.render(w, r, http.StatusConflict, p)
	case errors.Is(err, ErrFull), errors.Is(err, ErrClosed):
		if p.Settings, err = NewStore(h.svc.DB).Settings(r.Context(), e.ID); err != nil {
			return err
		}
		if p.Closed = OpenState(e, p.Settings, now); p.Closed == "" {
			p.Closed = "Sorry, registration has just closed."
		}
		return h.render(w, r, http.StatusConflict, p)
	case err != nil:
		return err
	}
	v := url.Values{}
	if reg.Status == Waiting {
		v.Set("waiting", strconv.Itoa(pos))
	}
	if reg.Date != "" {
		v.Set("date", reg.Date)
	}
	if len(v) > 0 {
		done += "?" + v.Encode()
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
	return nil
}

// messagePage is a page that tells a resident something and may ask them
// to confirm it with one button.
type messagePage struct {
	Heading    string
	Paragraphs []string
	Action     string // where the button posts; no form when empty
	Hidden     []hidden
	Button     string
	Warning    bool     // the button does something that cannot be undone
	Download   web.Link // a download offered before the button, if any
	Back       web.Link
}

type hidden struct{ Name, Value string }

func (h handlers) message(w http.ResponseWriter, r *http.Request, status int, meta web.Meta, p messagePage) error {
	meta.Title = p.Heading
	meta.NoIndex = true
	if p.Action != "" {
		meta.Forms = true
	}
	return h.site.Render(w, r, status, "resident_message.html", meta, p)
}

func (h handlers) done(w http.ResponseWriter, r *http.Request) error {
	e, _, err := h.event(r)
	if err != nil {
		return err
	}
	on := ""
	if o, ok := Occurrence(e, r.URL.Query().Get("date")); ok && e.Rule() != nil {
		on = " on " + london.LongDate(o.Start)
	}
	p := messagePage{Heading: "You have a place at " + e.Title + on, Paragraphs: []string{
		"We have sent you an email to confirm, with a calendar file and a link to cancel if you cannot come.",
		"If the email has not arrived in a few minutes, check your spam or junk folder."},
		Back: web.Link{Label: "Back to " + e.Title, Href: "/events/" + e.Slug}}
	if n, err := strconv.Atoi(r.URL.Query().Get("waiting")); err == nil && n > 0 {
		p.Heading = "You are on the waiting list for " + e.Title + on
		p.Paragraphs = []string{"The event is full, so you are on the waiting list: number " + strconv.Itoa(n) + " in the queue.",
			"If someone cancels, the first person waiting gets their place, and we email them straight away.",
			"We have sent you an email with a link to leave the waiting list."}
	}
	return h.message(w, r, http.StatusOK, h.meta(e, "", ""), p)
}

// linkedRegistration checks the signed cancel link in the form or query
// and returns its registration and event.
func (h handlers) linkedRegistration(r *http.Request, v url.Values) (Registration, events.Event, error) {
	expired := web.NotFound("This link to cancel does not work. Check that you copied all of it from the email.")
	id, err := strconv.ParseInt(v.Get("r"), 10, 64)
	if err != nil || id <= 0 {
		return Registration{}, events.Event{}, expired
	}
	ok, err := h.svc.Signer.Check(r.Context(), "cancel", strconv.FormatInt(id, 10), v.Get("t"))
	if err != nil {
		return Registration{}, events.Event{}, err
	}
	if !ok {
		return Registration{}, events.Event{}, expired
	}
	reg, err := NewStore(h.svc.DB).ByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) {
		return Registration{}, events.Event{}, expired
	}
	if err != nil {
		return Registration{}, events.Event{}, err
	}
	e, err := events.NewStore(h.svc.DB).ByID(r.Context(), reg.EventID)
	if err != nil {
		return Registration{}, events.Event{}, err
	}
	if e.Slug != r.PathValue("slug") {
		return Registration{}, events.Event{}, expired
	}
	return reg, e, nil
}

func (h handlers) alreadyCancelled(w http.ResponseWriter, r *http.Request, e events.Event) error {
	return h.message(w, r, http.StatusOK, h.meta(e, "", ""), messagePage{Heading: "This registration is already cancelled",
		Paragraphs: []string{"You do not need to do anything else."},
		Back:       web.Link{Label: "Back to " + e.Title, Href: "/events/" + e.Slug}})
}

// over answers a cancel link of an event that has happened.
func (h handlers) over(w http.ResponseWriter, r *http.Request, e events.Event) error {
	return h.message(w, r, http.StatusOK, h.meta(e, "", ""), messagePage{Heading: e.Title + " has already happened",
		Paragraphs: []string{"There is nothing to cancel."},
		Back:       web.Link{Label: "Back to " + e.Title, Href: "/events/" + e.Slug}})
}

func (h handlers) cancelForm(w http.ResponseWriter, r *http.Request) error {
	reg, e, err := h.linkedRegistration(r, r.URL.Query())
	if err != nil {
		return err
	}
	if reg.Status == Cancelled || reg.Erased {
		return h.alreadyCancelled(w, r, e)
	}
	o := occurrenceOf(e, reg)
	if !o.End.After(h.svc.now()) {
		return h.over(w, r, e)
	}
	on := ""
	if e.Rule() != nil {
		on = " on " + london.LongDate(o.Start)
	}
	p := messagePage{Heading: "Cancel your place at " + e.Title + on + "?", Button: "Cancel my place", Warning: true,
		Action: "/events/" + e.Slug + "/register/cancel",
		Hidden: []hidden{{"r", r.URL.Query().Get("r")}, {"t", r.URL.Query().Get("t")}},
		Paragraphs: []string{"This cancels the registration of " + reg.Name + ". Your place goes to the first person on the waiting list, if there is one.",
			"If you change your mind afterwards, you can register again while places are left."},
		Back: web.Link{Label: "Keep my place and go back to " + e.Title, Href: "/events/" + e.Slug}}
	if reg.Status == Waiting {
		p.Heading, p.Button = "Leave the waiting list for "+e.Title+on+"?", "Leave the waiting list"
		p.Paragraphs = []string{"This takes " + reg.Name + " off the waiting list."}
		p.Back.Label = "Stay on the waiting list and go back to " + e.Title
	}
	return h.message(w, r, http.StatusOK, h.meta(e, "", ""), p)
}

func (h handlers) cancel(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	reg, e, err := h.linkedRegistration(r, r.PostForm)
	if err != nil {
		return err
	}
	switch _, err := h.svc.Cancel(r.Context(), reg.ID); {
	case errors.Is(err, ErrAlreadyCancelled):
		return h.alreadyCancelled(w, r, e)
	case errors.Is(err, ErrClosed):
		return h.over(w, r, e)
	case err != nil:
		return err
	}
	heading := "Your place is cancelled"
	if reg.Status == Waiting {
		heading = "You have left the waiting list"
	}
	return h.message(w, r, http.StatusOK, h.meta(e, "", ""), messagePage{Heading: heading,
		Paragraphs: []string{"Thank you for letting us know. Someone else can now have the place."},
		Back:       web.Link{Label: "Back to " + e.Title, Href: "/events/" + e.Slug}})
}

// Err returns the error of the field with id, or nil.
func (p subscribePage) Err(id string) *fieldError { return fieldErr(p.Errors, id) }

func fieldErr(errs []fieldError, id string) *fieldError {
	for i := range errs {
		if errs[i].Field == id {
			return &errs[i]
		}
	}
	return nil
}
