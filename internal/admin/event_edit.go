package admin

import (
	"errors"
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/web"
)

var eventsCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Events", Href: "/admin/events"}}

// eventByPath loads the event the route names and checks that u may
// change it (see canEditPlaces).
func (h *handlers) eventByPath(r *http.Request, u accounts.User) (events.Event, error) {
	id, err := idFromPath(r)
	if err != nil {
		return events.Event{}, err
	}
	e, err := h.events.ByID(r.Context(), id)
	if err != nil {
		return events.Event{}, err
	}
	if !canEditPlaces(u, e.PlaceIDs) && !u.ReadOnly(r.Method, accounts.EditContent, accounts.ViewContent) {
		return events.Event{}, errForbidden
	}
	return e, nil
}

func (h *handlers) eventNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	f := newEventForm(events.Event{Attendance: events.InPerson, Status: events.StatusScheduled})
	if limited(u) && len(u.Places) == 1 {
		f.PlaceIDs = u.Places
	}
	d, err := h.eventFormData(r, u, f, formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_event.html", "Add an event", u, eventsCrumbs, d)
}

func (h *handlers) eventForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	d, err := h.eventFormData(r, u, newEventForm(e), formErrors{})
	if err != nil {
		return err
	}
	if !e.Draft {
		d.Tools.Public = "/events/" + e.Slug
	}
	return h.render(w, r, http.StatusOK, "admin_event.html", "Edit "+e.Title, u, eventsCrumbs, d)
}

func (h *handlers) eventCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.eventSave(w, r, u, events.Event{})
}

func (h *handlers) eventUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	return h.eventSave(w, r, u, before)
}

// eventSave saves the submitted form over before (the zero Event for a new
// event). Update bumps the event's SEQUENCE, so subscribed calendars take
// the change.
func (h *handlers) eventSave(w http.ResponseWriter, r *http.Request, u accounts.User, before events.Event) error {
	f, after, errs, err := h.readEvent(r, u, before)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if errs.Field("slug") == nil && f.Slug != "" {
		taken, err := h.events.SlugTaken(ctx, f.Slug, before.ID)
		if err != nil {
			return err
		}
		if taken {
			errs.add("slug", "Another event has this web address: choose a different one")
		}
	}
	again := func() error { return h.eventFormAgain(w, r, u, before, f, errs, http.StatusUnprocessableEntity) }
	if errs.Any() {
		return again()
	}
	open := func(q db.Querier) contentStore[events.Event] { return events.NewStore(q) }
	after.ID, err = saveContent(ctx, h.db, open, u, "event", after.Slug, before.ID, before, after, "")
	if errors.Is(err, errSlugTaken) {
		errs.add("slug", "Another event has this web address: choose a different one")
		return again()
	}
	if err != nil {
		return err
	}
	msg := "The event " + after.Title + " has been saved as a draft. Residents cannot see it."
	if !after.Draft {
		msg = "The event " + after.Title + " has been saved and is on the public events page."
	}
	return h.redirect(w, r, "/admin/events/"+itoa(after.ID), msg)
}

// readEvent reads and checks the submitted event form over before (the
// zero Event for a new event), as saving and previewing do.
func (h *handlers) readEvent(r *http.Request, u accounts.User, before events.Event) (eventForm, events.Event, formErrors, error) {
	if err := r.ParseForm(); err != nil {
		return eventForm{}, events.Event{}, formErrors{}, web.BadRequest("The form could not be read.")
	}
	f := readEventForm(r, before.ID)
	list, err := h.places.List(r.Context())
	if err != nil {
		return f, events.Event{}, formErrors{}, err
	}
	var placeErrs formErrors
	f.PlaceIDs = readPlaces(r, u, list, &placeErrs, "places")
	after, errs := f.event(before, placeErrs)
	return f, after, errs, nil
}

// eventFormAgain shows the event form once more, with the input kept and
// the errors.
func (h *handlers) eventFormAgain(w http.ResponseWriter, r *http.Request, u accounts.User, before events.Event, f eventForm,
	errs formErrors, status int) error {
	title := "Add an event"
	if before.ID != 0 {
		title = "Edit " + before.Title
	}
	d, err := h.eventFormData(r, u, f, errs)
	if err != nil {
		return err
	}
	return h.render(w, r, status, "admin_event.html", title, u, eventsCrumbs, d)
}
