package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/web"
)

var boardsCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Boards", Href: "/admin/boards"}}

type boardRow struct {
	Board    boards.Board
	Meetings []boards.Meeting
	// events are the events of the meetings, by id, for their reading
	// age.
	events map[int64]events.Event
}

func (h *handlers) boardList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	list, err := h.boards.AllBoards(r.Context(), 0)
	if err != nil {
		return err
	}
	all, err := h.events.All(r.Context())
	if err != nil {
		return err
	}
	byID := make(map[int64]events.Event, len(all))
	for _, e := range all {
		byID[e.ID] = e
	}
	rows := make([]boardRow, len(list))
	for i, b := range list {
		rows[i].Board, rows[i].events = b, byID
		if rows[i].Meetings, err = h.boards.Meetings(r.Context(), b.ID); err != nil {
			return err
		}
	}
	return h.render(w, r, http.StatusOK, "admin_boards.html", "Boards and meetings", u, dashboardCrumbs, struct{ Boards []boardRow }{rows})
}

// boardForm is the board form as typed.
type boardForm struct {
	ID                int64
	Place             string
	Name              string
	Slug              string
	Kind              string
	Description       string
	Terms             string
	Members           string // one per line: name | role | represents
	Accepts           string // "yes" or "no"
	DeadlineDays      string
	DeadlineKind      string
	DeadlineTime      string
	MaxChars          string
	PerPerson         string
	AnswerWorkingDays string
	OutOfScope        string
	AfterDeadline     string
	ContactEmail      string
	RetentionMonths   string
}

type boardFormData struct {
	Form          boardForm
	Errors        formErrors
	Places        []option
	Kinds         []option
	Accepts       []option
	DeadlineKinds []option
	Meetings      []boards.Meeting
	Tools         recordTools
	// Archived: the board is archived (and its meetings with it).
	Archived bool
}

func newBoardForm(b boards.Board) boardForm {
	r := b.Rule
	f := boardForm{ID: b.ID, Place: b.PlaceSlug, Name: b.Name, Slug: b.Slug, Kind: string(b.Kind), Description: b.Description,
		Terms: b.TermsOfReference, Accepts: "no", DeadlineDays: strconv.Itoa(r.Days), DeadlineKind: string(r.Kind),
		DeadlineTime: r.Time, MaxChars: strconv.Itoa(r.MaxChars), PerPerson: strconv.Itoa(r.PerPerson),
		AnswerWorkingDays: strconv.Itoa(r.AnswerWorkingDays), OutOfScope: r.OutOfScope, AfterDeadline: r.AfterDeadline,
		ContactEmail: r.ContactEmail, RetentionMonths: strconv.Itoa(b.RetentionMonths)}
	if r.Accepts {
		f.Accepts = "yes"
	}
	var lines []string
	for _, m := range b.Members {
		lines = append(lines, strings.Join([]string{m.Name, m.Role, m.Represents}, " | "))
	}
	f.Members = strings.Join(lines, "\n")
	return f
}

func readBoardForm(r *http.Request, id int64) boardForm {
	return boardForm{ID: id, Place: formValue(r, "place"), Name: formValue(r, "name"), Slug: formValue(r, "slug"),
		Kind: formValue(r, "kind"), Description: formText(r, "description"), Terms: formText(r, "terms"),
		Members: formText(r, "members"), Accepts: formValue(r, "accepts"), DeadlineDays: formValue(r, "deadline_days"),
		DeadlineKind: formValue(r, "deadline_kind"), DeadlineTime: formValue(r, "deadline_time"),
		MaxChars: formValue(r, "max_chars"), PerPerson: formValue(r, "per_person"),
		AnswerWorkingDays: formValue(r, "answer_working_days"), OutOfScope: formText(r, "out_of_scope"),
		AfterDeadline: formText(r, "after_deadline"), ContactEmail: formValue(r, "contact_email"),
		RetentionMonths: formValue(r, "retention_months")}
}

// board checks the form and returns the board it describes.
func (f boardForm) board(placeID int64, placeField string) (boards.Board, formErrors) {
	var errs formErrors
	// Numbers are read first, for the board's own checks; a number that
	// is not one is reported in its field's place.
	notNumber := map[string]string{}
	num := func(field, value, what string) int {
		n, err := strconv.Atoi(value)
		if err != nil {
			notNumber[field] = "Enter " + what + " as a whole number"
		}
		return n
	}
	b := boards.Board{ID: f.ID, PlaceID: placeID, Name: f.Name, Slug: f.Slug, Kind: boards.Kind(f.Kind),
		Description: f.Description, TermsOfReference: f.Terms}
	b.Rule = boards.QuestionRule{Accepts: f.Accepts == "yes", Kind: boards.DeadlineKind(f.DeadlineKind), Time: f.DeadlineTime,
		OutOfScope: f.OutOfScope, AfterDeadline: f.AfterDeadline, ContactEmail: f.ContactEmail}
	b.Rule.Days = num("deadline_days", f.DeadlineDays, "the number of days")
	b.Rule.MaxChars = num("max_chars", f.MaxChars, "the maximum length")
	b.Rule.PerPerson = num("per_person", f.PerPerson, "the number of questions")
	b.Rule.AnswerWorkingDays = num("answer_working_days", f.AnswerWorkingDays, "the number of working days")
	b.RetentionMonths = num("retention_months", f.RetentionMonths, "the number of months")
	for i, line := range strings.Split(f.Members, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		parts := strings.Split(line, "|")
		if len(parts) > 3 || strings.TrimSpace(parts[0]) == "" {
			errs.add("members", "Write each member on a line of its own as: name | role | what they represent (line "+strconv.Itoa(i+1)+" is not)")
			continue
		}
		for len(parts) < 3 {
			parts = append(parts, "")
		}
		b.Members = append(b.Members, boards.Member{Name: strings.TrimSpace(parts[0]), Role: strings.TrimSpace(parts[1]),
			Represents: strings.TrimSpace(parts[2])})
	}
	p := b.Validate()
	add := func(key, field string) {
		if msg, ok := notNumber[field]; ok {
			errs.add(field, msg)
		} else if msg, ok := p[key]; ok {
			errs.add(field, msg)
		}
	}
	if placeID == 0 {
		errs.add(placeField, "Choose the board's place")
	}
	add("name", "name")
	checkLength(&errs, "name", f.Name, "The name", 200)
	add("slug", "slug")
	add("kind", "kind-board")
	checkLength(&errs, "description", f.Description, "The description", 5000)
	checkLength(&errs, "terms", f.Terms, "The terms of reference", 50000)
	checkLength(&errs, "members", f.Members, "The list of members", 10000)
	if f.Accepts != "yes" && f.Accepts != "no" {
		errs.add("accepts-yes", "Choose whether the board takes questions")
	}
	add("deadline_days", "deadline_days")
	add("deadline_kind", "deadline_kind-calendar")
	add("deadline_time", "deadline_time")
	add("max_chars", "max_chars")
	add("per_person", "per_person")
	add("answer_working_days", "answer_working_days")
	checkLength(&errs, "out_of_scope", f.OutOfScope, "The statement", 1000)
	checkLength(&errs, "after_deadline", f.AfterDeadline, "The text", 1000)
	if f.ContactEmail != "" && !validEmail(f.ContactEmail) {
		errs.add("contact_email", "Enter the email address in the correct format, like governance@example.org")
	}
	add("retention_months", "retention_months")
	if b.RetentionMonths < 1 || b.RetentionMonths > 120 {
		errs.add("retention_months", "Enter a number of months from 1 to 120")
	}
	return b, errs
}

func (h *handlers) boardFormData(r *http.Request, f boardForm, errs formErrors) (boardFormData, error) {
	d := boardFormData{Form: f, Errors: errs}
	list, err := h.places.List(r.Context())
	if err != nil {
		return d, err
	}
	for _, p := range list {
		d.Places = append(d.Places, option{Value: p.Slug, Label: p.Name, Checked: f.Place == p.Slug})
	}
	for _, k := range boards.Kinds {
		d.Kinds = append(d.Kinds, option{Value: string(k), Label: k.Label(), Checked: f.Kind == string(k)})
	}
	d.Accepts = []option{{Value: "yes", Label: "Yes, residents can send questions before meetings", Checked: f.Accepts == "yes"},
		{Value: "no", Label: "No", Checked: f.Accepts == "no"}}
	d.DeadlineKinds = []option{{Value: string(boards.CalendarDays), Label: "Calendar days", Checked: f.DeadlineKind == string(boards.CalendarDays)},
		{Value: string(boards.WorkingDays), Label: "Working days (not weekends or bank holidays)", Checked: f.DeadlineKind == string(boards.WorkingDays)}}
	if f.ID != 0 {
		if d.Meetings, err = h.boards.Meetings(r.Context(), f.ID); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (h *handlers) boardNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b := boards.Board{Kind: boards.KindBoard, Rule: boards.DefaultRule(), RetentionMonths: boards.DefaultRetentionMonths}
	d, err := h.boardFormData(r, newBoardForm(b), formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_board.html", "Add a board", u, boardsCrumbs, d)
}

// boardByPath loads the board the route's {id} names.
func (h *handlers) boardByPath(r *http.Request) (boards.Board, error) {
	id, err := idFromPath(r)
	if err != nil {
		return boards.Board{}, err
	}
	return h.boards.Board(r.Context(), id)
}

func (h *handlers) boardForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, err := h.boardByPath(r)
	if err != nil {
		return err
	}
	d, err := h.boardFormData(r, newBoardForm(b), formErrors{})
	if err != nil {
		return err
	}
	d.Tools = recordTools{Edit: "/admin/boards/" + itoa(b.ID), Noun: "board", Public: b.Path()}
	if d.Archived = b.Archived; b.Archived {
		d.Tools.Public = ""
	}
	return h.render(w, r, http.StatusOK, "admin_board.html", "Edit "+b.Name, u, boardsCrumbs, d)
}

func (h *handlers) boardCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.boardSave(w, r, u, boards.Board{})
}

func (h *handlers) boardUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.boardByPath(r)
	if err != nil {
		return err
	}
	return h.boardSave(w, r, u, before)
}

var errBoardSlugTaken = errors.New("board slug taken")

func (h *handlers) boardSave(w http.ResponseWriter, r *http.Request, u accounts.User, before boards.Board) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	f := readBoardForm(r, before.ID)
	list, err := h.places.List(ctx)
	if err != nil {
		return err
	}
	var placeID int64
	placeField := "place"
	for i, p := range list {
		if i == 0 {
			placeField = "place-" + p.Slug
		}
		if p.Slug == f.Place {
			placeID = p.ID
		}
	}
	after, errs := f.board(placeID, placeField)
	title := "Add a board"
	if before.ID != 0 {
		title = "Edit " + before.Name
	}
	again := func() error {
		d, err := h.boardFormData(r, f, errs)
		if err != nil {
			return err
		}
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_board.html", title, u, boardsCrumbs, d)
	}
	if errs.Any() {
		return again()
	}
	after, err = h.saveBoard(ctx, u, before, after, "")
	if errors.Is(err, errBoardSlugTaken) {
		errs.add("slug", "Another board of this place has this web address: choose a different one")
		return again()
	}
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/boards/"+itoa(after.ID), "The board "+after.Name+" has been saved.")
}

// saveBoard saves after over the stored board before (zero for a new
// board), in one transaction with the audit entry and the board's revision
// (with note, which may be empty). It returns the board as saved, or
// errBoardSlugTaken.
func (h *handlers) saveBoard(ctx context.Context, u accounts.User, before, after boards.Board, note string) (boards.Board, error) {
	var saved boards.Board
	err := h.db.Tx(ctx, func(q db.Querier) error {
		st := boards.NewStore(q)
		if taken, err := st.SlugTaken(ctx, after.PlaceID, after.Slug, before.ID); err != nil || taken {
			if err == nil {
				err = errBoardSlugTaken
			}
			return err
		}
		id, err := st.SaveBoard(ctx, after)
		if err != nil {
			return err
		}
		if saved, err = st.Board(ctx, id); err != nil {
			return err
		}
		action, prior := "board_updated", any(before)
		if before.ID == 0 {
			action, prior = "board_created", nil
		}
		return recordChange(ctx, q, u, "board", itoa(id), action, prior, saved, note)
	})
	return saved, err
}

// validEmail reports whether s is a bare email address.
func validEmail(s string) bool {
	at := strings.LastIndex(s, "@")
	return at > 0 && at < len(s)-3 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " <>\",;")
}
