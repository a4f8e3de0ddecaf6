package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/registrations"
	"github.com/joinedup/joinedup/internal/web"
)

// registrationCancelData is what admin_registration_cancel.html shows.
type registrationCancelData struct {
	Event        events.Event
	Registration registrations.Registration
	// Done says why nothing can be cancelled any more, when so.
	Done string
}

// registrationByPath finds the event and the registration {reg} to it
// that the path names, checking the user's places as editing the event
// does.
func (h *handlers) registrationByPath(r *http.Request, u accounts.User) (events.Event, registrations.Registration, error) {
	e, err := h.eventByPath(r, u)
	if err != nil {
		return e, registrations.Registration{}, err
	}
	id, err := strconv.ParseInt(r.PathValue("reg"), 10, 64)
	if err != nil || id <= 0 {
		return e, registrations.Registration{}, web.NotFound("")
	}
	reg, err := registrations.NewStore(h.db).ByID(r.Context(), id)
	if errors.Is(err, db.ErrNotFound) || (err == nil && reg.EventID != e.ID) {
		return e, reg, web.NotFound("")
	}
	return e, reg, err
}

func cancelCrumbs(e events.Event) []web.Crumb {
	return append(registrationCrumbs(e), web.Crumb{Label: "Registration", Href: "/admin/events/" + itoa(e.ID) + "/registration"})
}

// registrationCancelForm asks the organiser to confirm that they cancel
// one person's registration.
func (h *handlers) registrationCancelForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, reg, err := h.registrationByPath(r, u)
	if err != nil {
		return err
	}
	d := registrationCancelData{Event: e, Registration: reg}
	if reg.Status == registrations.Cancelled || reg.Erased {
		d.Done = "This registration is already cancelled."
	}
	return h.render(w, r, http.StatusOK, "admin_registration_cancel.html", "Cancel a registration for "+e.Title, u, cancelCrumbs(e), d)
}

// registrationCancel cancels one person's registration: the first person
// waiting gets the place and is emailed, as when a resident cancels, and
// the person cancelled is emailed too.
func (h *handlers) registrationCancel(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, reg, err := h.registrationByPath(r, u)
	if err != nil {
		return err
	}
	ctx := r.Context()
	_, promoted, err := h.registrations.OrganiserCancel(ctx, e.ID, reg.ID, func(q db.Querier, before registrations.Registration, next *registrations.Registration) error {
		after := map[string]any{"status": string(registrations.Cancelled)}
		if next != nil {
			after["promoted_registration"] = next.ID
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "registration_cancelled",
			Record: "registration:" + itoa(before.ID), Before: map[string]any{"event": e.ID, "status": string(before.Status)}, After: after})
	})
	switch {
	case errors.Is(err, registrations.ErrAlreadyCancelled):
		d := registrationCancelData{Event: e, Registration: reg, Done: "This registration is already cancelled."}
		return h.render(w, r, http.StatusConflict, "admin_registration_cancel.html", "Cancel a registration for "+e.Title, u, cancelCrumbs(e), d)
	case errors.Is(err, registrations.ErrClosed):
		d := registrationCancelData{Event: e, Registration: reg, Done: "This date of the event is over, so its registrations can no longer be cancelled."}
		return h.render(w, r, http.StatusConflict, "admin_registration_cancel.html", "Cancel a registration for "+e.Title, u, cancelCrumbs(e), d)
	case err != nil:
		return err
	}
	msg := reg.Name + "'s registration has been cancelled and they have been emailed."
	if promoted != nil {
		msg += " " + promoted.Name + " was first on the waiting list, now has the place and has been emailed."
	}
	return h.redirect(w, r, "/admin/events/"+itoa(e.ID)+"/registration", msg)
}
