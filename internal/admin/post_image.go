package admin

import (
	"context"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/media"
)

// A post's lead image is chosen from the media library's images.

// leadImageOptions fills in the images to choose from on the post form,
// and the chosen one, for its preview.
func (h *handlers) leadImageOptions(r *http.Request, u accounts.User, d *postFormData) error {
	images, err := h.media.List(r.Context(), media.Filter{Kind: media.KindImage, Places: mediaPlaces(u)})
	if err != nil {
		return err
	}
	for _, it := range images {
		id := itoa(it.ID)
		label := it.Name + " (decorative)"
		if !it.Decorative {
			label = shorten(it.Alt, 80) + " (" + it.Name + ")"
		}
		d.Images = append(d.Images, option{Value: id, Label: label, Checked: id == d.Form.LeadImage})
		if id == d.Form.LeadImage {
			d.Lead = &it
		}
	}
	return nil
}

// readLeadImage checks the lead image chosen on the post form ("" for none)
// and returns its id; one not in the library, or limited to places other
// than u's, is an error on the field.
func (h *handlers) readLeadImage(ctx context.Context, u accounts.User, value string, errs *formErrors) (int64, error) {
	if value == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id <= 0 {
		errs.add("lead_image", "Choose a lead image from the list, or no lead image")
		return 0, nil
	}
	found, err := h.media.Images(ctx, []int64{id})
	if err != nil {
		return 0, err
	}
	it, ok := found[id]
	if !ok {
		errs.add("lead_image", "The image chosen is no longer in the media library: choose another")
		return 0, nil
	}
	items := []media.Item{it}
	if err := h.media.LoadPlaces(ctx, items); err != nil {
		return 0, err
	}
	if !items[0].For(mediaPlaces(u)) {
		errs.add("lead_image", "The image chosen is for other places than yours: choose another")
		return 0, nil
	}
	return id, nil
}

// shorten cuts s to at most n characters, with an ellipsis when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
