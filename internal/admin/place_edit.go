package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

var placesCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Places", Href: "/admin/places"}}

type placeEditData struct {
	Form   placeForm
	Errors formErrors
}

func (h *handlers) placeForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	p, err := h.places.BySlug(r.Context(), r.PathValue("place"))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_place.html", "Edit "+p.Name, u, placesCrumbs,
		placeEditData{Form: newPlaceForm(p)})
}

func (h *handlers) placeSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.places.BySlug(r.Context(), r.PathValue("place"))
	if err != nil {
		return err
	}
	f := readPlaceForm(r, before.Slug, newPlaceForm(before).others)
	after, errs := f.place(before.ID)
	if errs.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_place.html", "Edit "+before.Name, u, placesCrumbs,
			placeEditData{Form: f, Errors: errs})
	}
	after.SystemID, after.AreaCode = before.SystemID, before.AreaCode
	err = h.db.Tx(r.Context(), func(q db.Querier) error {
		if err := placesStore(q).UpdateDetails(r.Context(), after); err != nil {
			return err
		}
		return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "place_updated",
			Record: "place:" + before.Slug, Before: before, After: after})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/places/"+before.Slug, "Your changes to "+after.Name+" have been saved and are on the public page.")
}
