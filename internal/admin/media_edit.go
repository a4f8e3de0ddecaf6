package admin

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/media"
)

// mediaItemData is what admin_media_item.html shows.
type mediaItemData struct {
	Item       media.Item
	Alt        string
	Decorative bool
	// Places are the places the item may be limited to, as ticked.
	Places []option
	Uses   []media.Use
	// CanChange reports whether the user may change and delete the item.
	CanChange bool
	// PlacesLabel names the places the item is limited to.
	PlacesLabel string
	Errors      formErrors
	Tools       recordTools
}

// mediaByPath loads the item the route names; an item limited to places
// other than an editor's is not theirs to see.
func (h *handlers) mediaByPath(r *http.Request, u accounts.User) (media.Item, error) {
	id, err := idFromPath(r)
	if err != nil {
		return media.Item{}, err
	}
	it, err := h.media.ByID(r.Context(), id)
	if err == nil && !it.For(mediaPlaces(u)) {
		return media.Item{}, errForbidden
	}
	return it, err
}

func (h *handlers) mediaItemPage(w http.ResponseWriter, r *http.Request, u accounts.User, status int, d mediaItemData) error {
	uses, err := h.media.Uses(r.Context(), d.Item.ID)
	if err != nil {
		return err
	}
	d.Uses, d.CanChange = uses, canChangeMedia(u, d.Item.Kind)
	if d.Places == nil {
		if d.Places, err = h.mediaPlaceOptions(r.Context(), u, d.Item.PlaceIDs); err != nil {
			return err
		}
	}
	names, err := h.placeNames(r)
	if err != nil {
		return err
	}
	var labels []string
	for _, id := range d.Item.PlaceIDs {
		labels = append(labels, names[id])
	}
	d.PlacesLabel = strings.Join(labels, ", ")
	d.Tools = recordTools{Edit: "/admin/media/" + itoa(d.Item.ID), Noun: "item"}
	return h.render(w, r, status, "admin_media_item.html", d.Item.Name, u, mediaCrumbs, d)
}

func (h *handlers) mediaItem(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	it, err := h.mediaByPath(r, u)
	if err != nil {
		return err
	}
	return h.mediaItemPage(w, r, u, http.StatusOK, mediaItemData{Item: it, Alt: it.Alt, Decorative: it.Decorative})
}

func (h *handlers) mediaSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.mediaByPath(r, u)
	if err != nil {
		return err
	}
	if !canChangeMedia(u, before.Kind) {
		return errForbidden
	}
	ctx := r.Context()
	d := mediaItemData{Item: before, Alt: formText(r, "alt"), Decorative: r.PostFormValue("decorative") == "yes"}
	if before.Kind != media.KindImage {
		d.Decorative = false
	}
	checkAlt(&d.Errors, before.Kind, d.Alt, d.Decorative)
	placeIDs, err := h.readMediaPlaces(ctx, u, r.PostForm["places"], before.PlaceIDs, &d.Errors)
	if err != nil {
		return err
	}
	if d.Errors.Any() {
		if d.Places, err = h.mediaPlaceOptions(ctx, u, placeIDs); err != nil {
			return err
		}
		return h.mediaItemPage(w, r, u, http.StatusUnprocessableEntity, d)
	}
	after := before
	after.Alt, after.Decorative, after.PlaceIDs = d.Alt, d.Decorative, placeIDs
	err = h.db.Tx(ctx, func(q db.Querier) error {
		st := media.NewStore(q)
		if err := st.SetAlt(ctx, before.ID, after.Alt, after.Decorative); err != nil {
			return err
		}
		if err := st.SetPlaces(ctx, before.ID, after.PlaceIDs); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: actionMediaUpdated,
			Record: "media:" + itoa(before.ID), Before: recordOf(before), After: recordOf(after)})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/media/"+itoa(before.ID), "The alt text and places of "+before.Name+" have been saved.")
}

// mediaDelete deletes an item that nothing uses. One in use is refused,
// with the pages that use it listed, so no page loses its image.
func (h *handlers) mediaDelete(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	it, err := h.mediaByPath(r, u)
	if err != nil {
		return err
	}
	if !canChangeMedia(u, it.Kind) {
		return errForbidden
	}
	ctx := r.Context()
	err = h.db.Tx(ctx, func(q db.Querier) error {
		if err := media.NewStore(q).Delete(ctx, it.ID); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: actionMediaDeleted,
			Record: "media:" + itoa(it.ID), Before: recordOf(it)})
	})
	if errors.Is(err, media.ErrInUse) {
		d := mediaItemData{Item: it, Alt: it.Alt, Decorative: it.Decorative}
		d.Errors.add("delete", media.ErrInUse.Error())
		return h.mediaItemPage(w, r, u, http.StatusConflict, d)
	}
	if err != nil {
		return err
	}
	// The record is gone, so nothing links to the files any more.
	for _, name := range it.FileNames() {
		if err := h.blobs.Delete(ctx, name); err != nil && h.log != nil {
			h.log.Warn("media file not deleted", slog.String("file", name), slog.Any("err", err))
		}
	}
	return h.redirect(w, r, "/admin/media", it.Name+" has been deleted.")
}
