package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/web"
)

// eventPreviewSaved shows an event as saved on its public page, marked as
// a preview.
func (h *handlers) eventPreviewSaved(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	e, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	msg := "This is the event as saved. It is a draft."
	if !e.Draft {
		msg = "This is the event as saved. It is published: residents see it at /events/" + e.Slug + "."
	}
	noIndex(w)
	return events.Preview(h.site, w, r, e, h.now(), web.Preview{Message: msg, Back: "/admin/events/" + itoa(e.ID),
		ReadingAge: eventPreviewReadingAge(e.Summary, e.Body), Shell: shell(r, u)})
}

func (h *handlers) eventPreviewNew(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.eventPreview(w, r, u, events.Event{})
}

func (h *handlers) eventPreviewEdit(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.eventByPath(r, u)
	if err != nil {
		return err
	}
	return h.eventPreview(w, r, u, before)
}

// eventPreview shows the submitted form, not saved, on the public event
// page, or the form again when it has errors or the editor goes back to it.
func (h *handlers) eventPreview(w http.ResponseWriter, r *http.Request, u accounts.User, before events.Event) error {
	f, e, errs, err := h.readEvent(r, u, before)
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.eventFormAgain(w, r, u, before, f, errs, http.StatusUnprocessableEntity)
	}
	if backToEditing(r) {
		return h.eventFormAgain(w, r, u, before, f, errs, http.StatusOK)
	}
	pv := previewOf(r, "These changes are not saved yet.", previewAction("/admin/events", before.ID), saveAction("/admin/events", before.ID))
	pv.Shell = shell(r, u)
	pv.ReadingAge = eventPreviewReadingAge(e.Summary, e.Body)
	noIndex(w)
	return events.Preview(h.site, w, r, e, h.now(), pv)
}
