package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/web"
)

var mediaCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Media library", Href: "/admin/media"}}

// mediaListData is what admin_media.html shows.
type mediaListData struct {
	Items []media.Item
	// Images reports whether the user may upload and change images, not
	// only PDFs.
	Images bool
}

func (h *handlers) mediaList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	items, err := h.media.List(r.Context(), "")
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_media.html", "Media library", u, dashboardCrumbs,
		mediaListData{Items: items, Images: u.Can(accounts.EditContent)})
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
}

func recordOf(it media.Item) mediaRecord {
	return mediaRecord{Kind: it.Kind, Name: it.Name, Alt: it.Alt, Decorative: it.Decorative, Fingerprint: it.Fingerprint}
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
