package admin

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

var mediaCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Media library", Href: "/admin/media"}}

// mediaPerPage is how many files a page of the media library lists.
const mediaPerPage = 30

// mediaListData is what admin_media.html shows.
type mediaListData struct {
	Items []media.Item
	// Images reports whether the user may upload and change images, not
	// only PDFs.
	Images bool
	// Total counts the files the user may see; Limited names their places
	// when they see only those places' files and the unrestricted ones.
	Total      int
	Limited    string
	Pagination web.Pagination
	// PlaceNames names places by id, for the files limited to places.
	PlaceNames map[int64]string
}

// mediaPlaces is what limits the media a user sees and uses: nil for
// every item, or an editor's places (their places' items and those for
// every place).
func mediaPlaces(u accounts.User) []int64 {
	if limited(u) {
		return u.Places
	}
	return nil
}

func (h *handlers) mediaList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	items, total, err := h.media.Page(ctx, media.Filter{Places: mediaPlaces(u)}, page, mediaPerPage)
	if err != nil {
		return err
	}
	pages := (total + mediaPerPage - 1) / mediaPerPage
	if page > 1 && page > pages {
		return web.NotFound("There are only " + strconv.Itoa(max(pages, 1)) + " pages of files.")
	}
	names, err := h.placeNames(r)
	if err != nil {
		return err
	}
	d := mediaListData{Items: items, Images: u.Can(accounts.EditContent), Total: total, PlaceNames: names,
		Pagination: web.Paginate(page, pages, func(n int) string {
			if n == 1 {
				return "/admin/media"
			}
			return "/admin/media?page=" + strconv.Itoa(n)
		})}
	if limited(u) {
		var mine []string
		for _, id := range u.Places {
			mine = append(mine, names[id])
		}
		d.Limited = strings.Join(mine, ", ")
	}
	return h.render(w, r, http.StatusOK, "admin_media.html", "Media library", u, dashboardCrumbs, d)
}

// mediaPlaceOptions are the places u may limit an item to, those in chosen
// ticked: every place, or an editor's own.
func (h *handlers) mediaPlaceOptions(ctx context.Context, u accounts.User, chosen []int64) ([]option, error) {
	list, err := h.places.List(ctx)
	if err != nil {
		return nil, err
	}
	var out []option
	for _, p := range list {
		if !limited(u) || slices.Contains(u.Places, p.ID) {
			out = append(out, option{Value: p.Slug, Label: p.Name, Checked: slices.Contains(chosen, p.ID)})
		}
	}
	return out, nil
}

// readMediaPlaces reads the places ticked (by slug) for an item that had
// before: places u may not choose are an error, and the places of before
// that u may not choose are kept as they were.
func (h *handlers) readMediaPlaces(ctx context.Context, u accounts.User, ticked []string, before []int64, errs *formErrors) ([]int64, error) {
	list, err := h.places.List(ctx)
	if err != nil {
		return nil, err
	}
	mine := func(id int64) bool { return !limited(u) || slices.Contains(u.Places, id) }
	var out []int64
	for _, id := range before {
		if !mine(id) {
			out = append(out, id)
		}
	}
	for _, slug := range ticked {
		i := slices.IndexFunc(list, func(p places.Place) bool { return p.Slug == slug })
		switch {
		case i < 0:
			errs.add("places", "Choose places from the list")
		case !mine(list[i].ID):
			errs.add("places", "You can only limit a file to the places your account may change")
		case !slices.Contains(out, list[i].ID):
			out = append(out, list[i].ID)
		}
	}
	slices.Sort(out)
	return out, nil
}

// canChangeMedia reports whether u may upload or change an item of kind:
// images are content; PDFs are content and board papers.
func canChangeMedia(u accounts.User, kind media.Kind) bool {
	if kind == media.KindPDF {
		return u.Can(accounts.EditContent) || u.Can(accounts.ManageBoards)
	}
	return u.Can(accounts.EditContent)
}

// Audit actions of the media library.
const (
	actionMediaUploaded = "media_uploaded"
	actionMediaUpdated  = "media_updated"
	actionMediaDeleted  = "media_deleted"
)

// mediaRecord is an item as the audit log keeps it.
type mediaRecord struct {
	Kind        media.Kind `json:"kind"`
	Name        string     `json:"name"`
	Alt         string     `json:"alt"`
	Decorative  bool       `json:"decorative"`
	Fingerprint string     `json:"fingerprint"`
	PlaceIDs    []int64    `json:"place_ids,omitempty"`
}

func recordOf(it media.Item) mediaRecord {
	return mediaRecord{Kind: it.Kind, Name: it.Name, Alt: it.Alt, Decorative: it.Decorative, Fingerprint: it.Fingerprint, PlaceIDs: it.PlaceIDs}
}

// checkAlt adds the errors of an item's alt text to errs. An image needs
// alt text or to be marked decorative, not both; a PDF's is optional.
func checkAlt(errs *formErrors, kind media.Kind, alt string, decorative bool) {
	switch {
	case kind == media.KindImage && decorative && alt != "":
		errs.add("alt", "Leave the alt text empty for a decorative image, or untick “The image is decorative”")
	case kind == media.KindImage && !decorative && alt == "":
		errs.add("alt", "Enter alt text that describes the image, or tick “The image is decorative”")
	}
	checkLength(errs, "alt", alt, "The alt text", media.MaxAltLength)
}
