package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/places"
)

type placeRow struct {
	Place   places.Place
	CanEdit bool
}

func (h *handlers) placeList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	list, err := h.places.List(r.Context())
	if err != nil {
		return err
	}
	var rows []placeRow
	for _, p := range list {
		can := u.CanEditPlace(p.ID)
		// An editor sees the places they may edit; a reviewer sees them all.
		if can || !u.Can(accounts.EditPlace) {
			rows = append(rows, placeRow{Place: p, CanEdit: can})
		}
	}
	return h.render(w, r, http.StatusOK, "admin_places.html", "Places", u, dashboardCrumbs, struct{ Places []placeRow }{rows})
}
