package admin

import (
	"context"
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

var placesCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Places", Href: "/admin/places"}}

type placeEditData struct {
	Form   placeForm
	Errors formErrors
	Tools  recordTools
}

func placeTools(slug string) recordTools {
	return recordTools{Edit: "/admin/places/" + slug, Noun: "place", Public: "/in-your-area/" + slug}
}

func (h *handlers) placeForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	p, err := h.placeByPath(r, u)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_place.html", "Edit "+p.Name, u, placesCrumbs,
		placeEditData{Form: newPlaceForm(p), Tools: placeTools(p.Slug)})
}

// placeByPath loads the place the route names, for a user who may edit it
// or who reads places without editing any (a reviewer). The router checks
// the place of the routes that need EditPlace; reading routes need only
// ViewPlaces, so an editor limited to other places is refused here.
func (h *handlers) placeByPath(r *http.Request, u accounts.User) (places.Place, error) {
	p, err := h.places.BySlug(r.Context(), r.PathValue("place"))
	if err != nil {
		return places.Place{}, err
	}
	if !u.CanEditPlace(p.ID) && !u.ReadOnly(r.Method, accounts.EditPlace, accounts.ViewPlaces) {
		return places.Place{}, errForbidden
	}
	return p, nil
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
			placeEditData{Form: f, Errors: errs, Tools: placeTools(before.Slug)})
	}
	if err := h.savePlace(r.Context(), u, before, after, ""); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/places/"+before.Slug, "Your changes to "+after.Name+" have been saved and are on the public page.")
}

// savePlace saves after over the stored place before, in one transaction
// with its audit entry and revision (with note, which may be empty).
func (h *handlers) savePlace(ctx context.Context, u accounts.User, before, after places.Place, note string) error {
	after.ID, after.Slug, after.SystemID, after.AreaCode = before.ID, before.Slug, before.SystemID, before.AreaCode
	return h.db.Tx(ctx, func(q db.Querier) error {
		store := placesStore(q)
		if err := store.UpdateDetails(ctx, after); err != nil {
			return err
		}
		saved, err := store.BySlug(ctx, before.Slug)
		if err != nil {
			return err
		}
		return recordChange(ctx, q, u, "place", before.Slug, "place_updated", before, saved, note)
	})
}
