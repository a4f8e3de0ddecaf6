package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/web"
)

// alternativeForm is the form that adds a paper in another format.
type alternativeForm struct {
	Paper, Format, Label, Media, URL string
}

// PaperChoices are the meeting's papers, for the other-format form.
func (d meetingFormData) PaperChoices() []option {
	out := []option{{Value: "", Label: "Choose a paper", Checked: d.Alternative.Paper == ""}}
	for _, p := range d.Meeting.Papers {
		out = append(out, option{Value: itoa(p.ID), Label: p.Title, Checked: d.Alternative.Paper == itoa(p.ID)})
	}
	return out
}

// AlternativeFormats are the formats a paper can also be in.
func (d meetingFormData) AlternativeFormats() []option {
	var out []option
	for _, f := range formats.Formats {
		out = append(out, option{Value: string(f), Label: f.Label(), Checked: d.Alternative.Format == string(f)})
	}
	return out
}

// AlternativePDFChoices are the media library's PDFs, for an Easy Read or
// large print version.
func (d meetingFormData) AlternativePDFChoices() []option {
	out := []option{{Value: "", Label: "None: it is a link", Checked: d.Alternative.Media == ""}}
	for _, it := range d.PDFs {
		out = append(out, option{Value: itoa(it.ID), Label: it.Name + " (" + it.Size() + ")", Checked: d.Alternative.Media == itoa(it.ID)})
	}
	return out
}

// alternativeAdd attaches a paper in another format (a PDF of the media
// library or a link to audio or video) to one of the meeting's papers.
func (h *handlers) alternativeAdd(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := alternativeForm{Paper: formValue(r, "alt_paper"), Format: formValue(r, "alt_format"), Label: formValue(r, "alt_label"),
		Media: formValue(r, "alt_media"), URL: formValue(r, "alt_url")}
	var errs formErrors
	a := boards.Alternative{Format: formats.Format(f.Format), Label: f.Label, URL: f.URL}
	paperID, _ := strconv.ParseInt(f.Paper, 10, 64)
	for _, p := range m.Papers {
		if p.ID == paperID {
			a.PaperID = p.ID
		}
	}
	if a.PaperID == 0 {
		errs.add("alt_paper", "Choose the paper this is another format of")
	}
	if !a.Format.Valid() {
		errs.add("alt_format-easy_read", "Choose the format")
	}
	if a.Format == formats.Language && f.Label == "" {
		errs.add("alt_label", "Enter the language")
	}
	checkLength(&errs, "alt_label", f.Label, "The description", 100)
	switch {
	case f.Media != "" && f.URL != "":
		errs.add("alt_url", "Choose a PDF or give a link, not both")
	case f.Media != "":
		id, _ := strconv.ParseInt(f.Media, 10, 64)
		it, err := h.media.ByID(r.Context(), id)
		switch {
		case errors.Is(err, db.ErrNotFound) || err == nil && it.Kind != media.KindPDF:
			errs.add("alt_media", "Choose a PDF from the list")
		case err != nil:
			return err
		default:
			a.MediaID = it.ID
		}
	case f.URL != "":
		if msg := checkURL(f.URL, "the link"); msg != "" {
			errs.add("alt_url", msg)
		}
	default:
		errs.add("alt_media", "Choose the PDF from the media library, or give a link to the audio or video")
	}
	if errs.Any() {
		return h.partsPage(w, r, u, b, m, e, errs, func(d *meetingFormData) { d.Alternative = f })
	}
	return h.changeMeeting(w, r, u, m, "paper_alternative_added", "The paper in "+a.Name()+" has been added.",
		func(st *boards.Store, _ db.Querier) error {
			_, err := st.AddAlternative(r.Context(), m.ID, a)
			return err
		})
}

func (h *handlers) alternativeRemove(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.removePart(w, r, u, "paper_alternative_removed", "The other format has been removed.",
		func(st *boards.Store, meetingID, id int64) error {
			return st.RemoveAlternative(r.Context(), meetingID, id)
		})
}
