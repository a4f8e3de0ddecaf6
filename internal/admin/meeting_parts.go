package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/web"
)

// Agenda items, papers and declarations are added with small forms on the
// meeting's page and removed with a button each; every change is audited.

type agendaItemForm struct {
	Number, Title, Presenter, StartsAt, Description string
}

type paperForm struct {
	Title, Item, Format, Body, Media string
}

type declarationForm struct {
	Member, Item, Interest string
}

// partsPage shows the meeting page again after a sub-form failed, with
// that form's input and errors.
func (h *handlers) partsPage(w http.ResponseWriter, r *http.Request, u accounts.User, b boards.Board, m boards.Meeting,
	e events.Event, errs formErrors, fill func(*meetingFormData)) error {
	d, err := h.meetingFormData(r, b, m, newMeetingForm(b, m, e), errs)
	if err != nil {
		return err
	}
	fill(&d)
	return h.render(w, r, http.StatusUnprocessableEntity, "admin_meeting.html", "Edit "+e.Title, u, meetingCrumbs(b), d)
}

// changeMeeting runs change in a transaction with an audit entry of the
// meeting before and after and its new revision, then goes back to the
// meeting's page.
func (h *handlers) changeMeeting(w http.ResponseWriter, r *http.Request, u accounts.User, m boards.Meeting, action, flash string,
	change func(st *boards.Store, q db.Querier) error) error {
	err := h.db.Tx(r.Context(), func(q db.Querier) error {
		before, err := loadMeetingVersion(r.Context(), q, m.ID)
		if err != nil {
			return err
		}
		if err := change(boards.NewStore(q), q); err != nil {
			return err
		}
		after, err := loadMeetingVersion(r.Context(), q, m.ID)
		if err != nil {
			return err
		}
		return recordChange(r.Context(), q, u, "meeting", itoa(m.ID), action, before, after, "")
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/meetings/"+itoa(m.ID), flash)
}

// itemID reads the agenda item chosen in field: "" is none; an id must be
// one of the meeting's items.
func itemID(errs *formErrors, m boards.Meeting, field, value string) int64 {
	if value == "" {
		return 0
	}
	id, _ := strconv.ParseInt(value, 10, 64)
	for _, it := range m.Items {
		if it.ID == id {
			return id
		}
	}
	errs.add(field, "Choose an item of this meeting's agenda")
	return 0
}

// requireText checks a field that must be filled in, and its length.
func requireText(errs *formErrors, id, value, missing, what string, max int) {
	if value == "" {
		errs.add(id, missing)
	}
	checkLength(errs, id, value, what, max)
}

func (h *handlers) agendaItemAdd(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := agendaItemForm{Number: formValue(r, "item_number"), Title: formValue(r, "item_title"), Presenter: formValue(r, "item_presenter"),
		StartsAt: formValue(r, "item_starts_at"), Description: formText(r, "item_description")}
	var errs formErrors
	n, err := strconv.Atoi(f.Number)
	if err != nil || n < 1 || n > 999 {
		errs.add("item_number", "Enter the item's number, a whole number from 1 to 999")
	}
	for _, it := range m.Items {
		if it.Number == n {
			errs.add("item_number", "Item "+f.Number+" is already on the agenda: choose another number")
		}
	}
	requireText(&errs, "item_title", f.Title, "Enter the item's title", "The title", 300)
	checkLength(&errs, "item_presenter", f.Presenter, "The presenter", 200)
	if f.StartsAt != "" {
		if _, wrong := parseLondon("2000-01-01", f.StartsAt); wrong != "" {
			errs.add("item_starts_at", "Enter the time on the 24-hour clock, like 14:05")
		}
	}
	checkLength(&errs, "item_description", f.Description, "The description", 5000)
	if errs.Any() {
		return h.partsPage(w, r, u, b, m, e, errs, func(d *meetingFormData) { d.Item = f })
	}
	return h.changeMeeting(w, r, u, m, "agenda_item_added", "Item "+f.Number+" has been added to the agenda.", func(st *boards.Store, _ db.Querier) error {
		_, err := st.AddAgendaItem(r.Context(), m.ID, boards.AgendaItem{Number: n, Title: f.Title, Presenter: f.Presenter,
			StartsAt: f.StartsAt, Description: f.Description})
		return err
	})
}

// partID reads the {part} of a removal route.
func partID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("part"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("")
	}
	return id, nil
}

func (h *handlers) removePart(w http.ResponseWriter, r *http.Request, u accounts.User, action, flash string,
	remove func(st *boards.Store, meetingID, id int64) error) error {
	_, m, _, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	id, err := partID(r)
	if err != nil {
		return err
	}
	return h.changeMeeting(w, r, u, m, action, flash, func(st *boards.Store, _ db.Querier) error { return remove(st, m.ID, id) })
}

func (h *handlers) agendaItemRemove(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.removePart(w, r, u, "agenda_item_removed", "The item has been removed from the agenda.",
		func(st *boards.Store, meetingID, id int64) error {
			return st.RemoveAgendaItem(r.Context(), meetingID, id)
		})
}

func (h *handlers) paperRemove(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.removePart(w, r, u, "paper_removed", "The paper has been removed.",
		func(st *boards.Store, meetingID, id int64) error { return st.RemovePaper(r.Context(), meetingID, id) })
}

func (h *handlers) declarationRemove(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.removePart(w, r, u, "declaration_removed", "The declaration has been removed.",
		func(st *boards.Store, meetingID, id int64) error {
			return st.RemoveDeclaration(r.Context(), meetingID, id)
		})
}

func (h *handlers) declarationAdd(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := declarationForm{Member: formValue(r, "decl_member"), Item: formValue(r, "decl_item"), Interest: formText(r, "decl_interest")}
	var errs formErrors
	requireText(&errs, "decl_member", f.Member, "Enter the name of the member who declared the interest", "The name", 200)
	item := itemID(&errs, m, "decl_item", f.Item)
	requireText(&errs, "decl_interest", f.Interest, "Enter the interest declared", "The interest", 1000)
	if errs.Any() {
		return h.partsPage(w, r, u, b, m, e, errs, func(d *meetingFormData) { d.Declaration = f })
	}
	return h.changeMeeting(w, r, u, m, "declaration_added", "The declaration has been recorded.", func(st *boards.Store, _ db.Querier) error {
		_, err := st.AddDeclaration(r.Context(), m.ID, boards.Declaration{AgendaItemID: item, MemberName: f.Member, Interest: f.Interest})
		return err
	})
}

func (h *handlers) paperAdd(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := paperForm{Title: formValue(r, "paper_title"), Item: formValue(r, "paper_item"), Format: formValue(r, "paper_format"),
		Body: formText(r, "paper_body"), Media: formValue(r, "paper_media")}
	var errs formErrors
	requireText(&errs, "paper_title", f.Title, "Enter the paper's title", "The title", 300)
	item := itemID(&errs, m, "paper_item", f.Item)
	p := boards.Paper{MeetingID: m.ID, AgendaItemID: item, Title: f.Title, Format: boards.PaperFormat(f.Format)}
	switch p.Format {
	case boards.PaperHTML:
		requireText(&errs, "paper_body", f.Body, "Write the paper, or choose a PDF from the media library", "The paper", 200000)
		p.Body = f.Body
	case boards.PaperPDF:
		// PDFs are uploaded to the media library, which checks them by
		// content; here one is chosen.
		id, _ := strconv.ParseInt(f.Media, 10, 64)
		it, err := h.media.ByID(r.Context(), id)
		switch {
		case f.Media == "":
			errs.add("paper_media", "Choose the PDF, or upload it to the media library first")
		case errors.Is(err, db.ErrNotFound) || err == nil && it.Kind != media.KindPDF:
			errs.add("paper_media", "Choose a PDF from the list")
		case err != nil:
			return err
		default:
			p.MediaID = it.ID
		}
	default:
		errs.add("paper_format-html", "Choose whether the paper is written here or is a PDF")
	}
	if errs.Any() {
		return h.partsPage(w, r, u, b, m, e, errs, func(d *meetingFormData) { d.Paper = f })
	}
	return h.changeMeeting(w, r, u, m, "paper_added", "The paper "+f.Title+" has been added.", func(st *boards.Store, q db.Querier) error {
		if _, err := st.AddPaper(r.Context(), p); err != nil {
			return err
		}
		if m.Draft || len(m.Papers) > 0 {
			return nil // not public yet, or subscribers have been told
		}
		return h.papersPublished(r.Context(), q, b.ID, m)
	})
}
