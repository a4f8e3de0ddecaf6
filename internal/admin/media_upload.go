package admin

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/web"
)

// mediaUploadData is what admin_media_upload.html shows.
type mediaUploadData struct {
	Alt        string
	Decorative bool
	Images     bool // the user may upload images, not only PDFs
	Places     []option
	Errors     formErrors
}

func (h *handlers) mediaUploadForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	opts, err := h.mediaPlaceOptions(r.Context(), u, nil)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_media_upload.html", "Upload a file", u, mediaCrumbs,
		mediaUploadData{Images: u.Can(accounts.EditContent), Places: opts})
}

// upload is the upload form as sent.
type upload struct {
	Alt        string
	Decorative bool
	Places     []string // slugs of the places ticked
	FileName   string
	Data       []byte
	TooBig     bool // the request was larger than the route allows
}

// readUpload reads the multipart form as it streams in, keeping the file
// in memory: the route's body limit bounds it. A form that is not
// multipart (or is empty) reads as a form without a file.
func readUpload(r *http.Request) (upload, error) {
	var up upload
	mr, err := r.MultipartReader()
	if err != nil {
		return up, nil
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return up, nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			up.TooBig = true
			return up, nil
		}
		if err != nil {
			return up, web.BadRequest("The form could not be read. Try again.")
		}
		data, err := readPart(part)
		if errors.As(err, &tooBig) {
			up.TooBig = true
			return up, nil
		}
		if err != nil {
			return up, web.BadRequest("The form could not be read. Try again.")
		}
		switch part.FormName() {
		case "alt":
			up.Alt = strings.TrimSpace(strings.ReplaceAll(string(data), "\r\n", "\n"))
		case "decorative":
			up.Decorative = string(data) == "yes"
		case "places":
			if len(up.Places) < 100 {
				up.Places = append(up.Places, string(data))
			}
		case "file":
			up.FileName, up.Data = part.FileName(), data
		}
	}
}

// readPart reads a part: a file up to the largest allowed (and one byte
// more, so that a larger one is seen), another field up to 4 KB.
func readPart(part *multipart.Part) ([]byte, error) {
	limit := int64(4 << 10)
	if part.FormName() == "file" {
		limit = media.MaxPDFBytes + 1
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(part, limit)); err != nil {
		return nil, err
	}
	// Whatever is left of an overlong part is skipped.
	if _, err := io.Copy(io.Discard, part); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// uploadReadTime is how long an upload may take to arrive: 20 MB over a
// slow office line takes longer than the server's usual read timeout.
const uploadReadTime = 5 * time.Minute

func (h *handlers) mediaUpload(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	web.RaiseBodyLimit(w, r, media.MaxUploadBytes)
	// Not every ResponseWriter can move its deadline (httptest's can);
	// then the server's timeout stands.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(uploadReadTime))
	up, err := readUpload(r)
	if err != nil {
		return err
	}
	d := mediaUploadData{Alt: up.Alt, Decorative: up.Decorative, Images: u.Can(accounts.EditContent)}
	kind := media.KindImage
	if bytes.HasPrefix(up.Data, []byte("%PDF-")) {
		kind = media.KindPDF
	}
	var prepared media.Prepared
	switch {
	case up.TooBig:
		d.Errors.add("file", media.ErrFileTooBig.Error())
	case up.FileName == "" && len(up.Data) == 0:
		d.Errors.add("file", media.ErrNoFile.Error())
	case !canChangeMedia(u, kind):
		d.Errors.add("file", "Your account can upload PDF files only: choose a PDF")
	default:
		if prepared, err = media.Prepare(up.FileName, up.Data); err != nil {
			d.Errors.add("file", err.Error())
		}
	}
	ctx := r.Context()
	var placeIDs []int64
	if !up.TooBig {
		checkAlt(&d.Errors, kind, up.Alt, up.Decorative)
		if placeIDs, err = h.readMediaPlaces(ctx, u, up.Places, nil, &d.Errors); err != nil {
			return err
		}
	}
	if d.Places, err = h.mediaPlaceOptions(ctx, u, placeIDs); err != nil {
		return err
	}
	if !d.Errors.Any() {
		if _, err := h.media.ByFingerprint(ctx, prepared.Item.Fingerprint); err == nil {
			d.Errors.add("file", media.ErrDuplicate.Error()+": find it in the list, and change its alt text there if needed")
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	if d.Errors.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_media_upload.html", "Upload a file", u, mediaCrumbs, d)
	}
	// The files first, then the record: a record never names files that
	// are not there. A failed transaction leaves files nothing names,
	// which an upload of the same file later reuses.
	for _, f := range prepared.Files {
		if err := h.blobs.Put(ctx, f.Name, f.Data); err != nil {
			return err
		}
	}
	it := prepared.Item
	it.UploadedBy, it.PlaceIDs = u.ID, placeIDs
	if kind == media.KindImage && up.Decorative {
		it.Decorative = true
	} else {
		it.Alt = up.Alt
	}
	err = h.db.Tx(ctx, func(q db.Querier) error {
		st := media.NewStore(q)
		id, err := st.Create(ctx, it)
		if err != nil {
			return err
		}
		it.ID = id
		if err := st.SetPlaces(ctx, id, it.PlaceIDs); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: actionMediaUploaded,
			Record: "media:" + itoa(id), After: recordOf(it)})
	})
	if errors.Is(err, media.ErrDuplicate) {
		d.Errors.add("file", media.ErrDuplicate.Error())
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_media_upload.html", "Upload a file", u, mediaCrumbs, d)
	}
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/media/"+itoa(it.ID), it.Name+" has been uploaded.")
}
