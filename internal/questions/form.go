package questions

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

type handlers struct {
	*Pages
	site *web.Site
}

// form is the question form as typed.
type form struct {
	Name         string
	Email        string
	Organisation string
	Question     string
	AgendaItem   string // an agenda item's id, or ""
	Publish      string // "name" or "anonymous"
	Privacy      bool
}

// FieldError is a message about one field; Field is its input's id.
type FieldError struct {
	Field   string
	Message string
}

type fieldErrors struct{ List []FieldError }

func (e *fieldErrors) add(field, msg string) {
	if e.Field(field) == nil {
		e.List = append(e.List, FieldError{Field: field, Message: msg})
	}
}

// Field returns the error of the input with this id, or nil.
func (e fieldErrors) Field(id string) *FieldError {
	for i := range e.List {
		if e.List[i].Field == id {
			return &e.List[i]
		}
	}
	return nil
}

type option struct {
	Value, Label string
	Selected     bool
}

type formPage struct {
	Event         events.Event
	Board         boards.Board
	Meeting       boards.Meeting
	Form          form
	Errors        fieldErrors
	Items         []option
	Stamp         string
	Closed        string
	AfterDeadline string
	Deadline      string
	MaxCharsText  string
	PerPerson     int
	// Kept is the question typed into a form that could not be sent
	// (the deadline passed), shown so the resident can keep a copy.
	Kept []string
}

// input is one text field of the form, as the "question-input" template
// draws it.
type input struct {
	ID, Label, Value, Type, Autocomplete, Hint string
	Error                                      *FieldError
}

// Input returns a text field with its error, for the template.
func (p formPage) Input(id, label, value, typ, autocomplete, hint string) input {
	return input{ID: id, Label: label, Value: value, Type: typ, Autocomplete: autocomplete, Hint: hint, Error: p.Errors.Field(id)}
}

func (h handlers) page(ctx context.Context, e events.Event, m boards.Meeting, b boards.Board, f form, errs fieldErrors) formPage {
	now := h.opt.Now()
	p := formPage{Event: e, Board: b, Meeting: m, Form: f, Errors: errs, Stamp: stamp(h.key, m.ID, now),
		Closed: closedReason(b, m, now), AfterDeadline: afterDeadline(b, m, now), Deadline: boards.DeadlineText(b.Rule.Deadline(m.StartsAt)),
		MaxCharsText: thousands(b.Rule.MaxChars), PerPerson: b.Rule.PerPerson}
	if p.Closed != "" {
		p.Kept = text.Paragraphs(f.Question)
	}
	p.Items = append(p.Items, option{Value: "", Label: "Not about a particular item", Selected: f.AgendaItem == ""})
	for _, it := range m.Items {
		id := strconv.FormatInt(it.ID, 10)
		p.Items = append(p.Items, option{Value: id, Label: it.Label(), Selected: f.AgendaItem == id})
	}
	return p
}

func (h handlers) render(w http.ResponseWriter, r *http.Request, status int, p formPage) error {
	title := "Ask the board a question"
	if len(p.Errors.List) > 0 {
		title = "Error: " + title
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.site.Render(w, r, status, "question_form.html", web.Meta{
		Title:       title,
		Description: "Send the " + p.Board.Name + " a question for its meeting on " + london.Date(p.Meeting.StartsAt) + ".",
		Path:        p.Meeting.Path() + "/questions",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Events", Href: "/events"}, {Label: p.Event.Title, Href: p.Meeting.Path()}},
		Forms:       true,
	}, p)
}

func (h handlers) form(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, m, b, err := h.meetingFor(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, h.page(ctx, e, m, b, form{}, fieldErrors{}))
}

func readForm(r *http.Request) form {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return form{Name: v("name"), Email: v("email"), Organisation: v("organisation"),
		Question:   strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("question"), "\r\n", "\n")),
		AgendaItem: v("agenda_item"), Publish: v("publish"), Privacy: r.PostFormValue("privacy") == "yes"}
}

// validate checks the fields against the board's rule.
func (f form) validate(b boards.Board, m boards.Meeting) (Question, fieldErrors) {
	var errs fieldErrors
	q := Question{MeetingID: m.ID, Name: f.Name, Email: f.Email, Organisation: f.Organisation, Body: f.Question,
		PublishName: f.Publish == "name", PrivacyAccepted: f.Privacy}
	switch {
	case f.Name == "":
		errs.add("name", "Enter your name")
	case utf8.RuneCountInString(f.Name) > 200:
		errs.add("name", "Your name must be 200 characters or fewer")
	}
	if a, err := mail.ParseAddress(f.Email); f.Email == "" {
		errs.add("email", "Enter your email address")
	} else if err != nil || a.Name != "" || a.Address != f.Email || len(f.Email) > 254 || !strings.Contains(f.Email[strings.LastIndex(f.Email, "@")+1:], ".") {
		errs.add("email", "Enter an email address in the correct format, like name@example.com")
	}
	if utf8.RuneCountInString(f.Organisation) > 200 {
		errs.add("organisation", "The organisation must be 200 characters or fewer")
	}
	switch n := utf8.RuneCountInString(f.Question); {
	case n == 0:
		errs.add("question", "Enter your question")
	case n > b.Rule.MaxChars:
		errs.add("question", "Your question must be "+strconv.Itoa(b.Rule.MaxChars)+" characters or fewer; it has "+strconv.Itoa(n))
	}
	if f.AgendaItem != "" {
		id, _ := strconv.ParseInt(f.AgendaItem, 10, 64)
		for _, it := range m.Items {
			if it.ID == id {
				q.AgendaItemID = id
			}
		}
		if q.AgendaItemID == 0 {
			errs.add("agenda_item", "Choose an item from the list")
		}
	}
	if f.Publish != "name" && f.Publish != "anonymous" {
		errs.add("publish-name", "Choose whether we may publish your name with your question")
	}
	if !f.Privacy {
		errs.add("privacy", "Confirm that you have read the privacy notice")
	}
	return q, errs
}

// errLimit reports, from inside the submission, that the person has asked
// as many questions as the board allows.
var errLimit = errors.New("questions: limit per person reached")

func (h handlers) submit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, m, b, err := h.meetingFor(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := readForm(r)
	now := h.opt.Now()
	again := func(status int, errs fieldErrors) error {
		return h.render(w, r, status, h.page(ctx, e, m, b, f, errs))
	}
	if reason := closedReason(b, m, now); reason != "" {
		return again(http.StatusUnprocessableEntity, fieldErrors{})
	}
	var errs fieldErrors
	// The honeypot and the timing come first: a robot learns nothing
	// about the other fields.
	if r.PostFormValue("website") != "" {
		errs.add("question", "We could not tell this form from one sent by an automated program. Check your question and send it again.")
		return again(http.StatusUnprocessableEntity, errs)
	}
	shown, ok := shownAt(h.key, m.ID, r.PostFormValue("started"))
	switch {
	case !ok:
		errs.add("question", "We could not check this form. Check your question and send it again.")
	case now.Sub(shown) < h.opt.Limits.MinFill:
		errs.add("question", "The form was sent too quickly after it was opened, as automated programs do. Check your question and send it again.")
	case now.Sub(shown) > h.opt.Limits.MaxAge:
		errs.add("question", "The form was open for a long time. Check your question and send it again.")
	}
	if len(errs.List) > 0 {
		return again(http.StatusUnprocessableEntity, errs)
	}
	over, err := attempt(ctx, h.d, h.key, h.opt.Limits, h.opt.ClientIP(r), f.Email, now)
	if err != nil {
		return err
	}
	if over {
		errs.add("question", "Too many questions have been sent from your address or email recently. Wait an hour, then send your question again.")
		return again(http.StatusTooManyRequests, errs)
	}
	q, errs := f.validate(b, m)
	if len(errs.List) > 0 {
		return again(http.StatusUnprocessableEntity, errs)
	}
	q.SubmittedAt = now
	// A new question is not public until it is moderated, so storing it
	// leaves the page cache be.
	err = h.d.TxPrivate(ctx, func(tx db.Querier) error {
		st := NewStore(tx)
		n, err := st.CountForPerson(ctx, m.ID, q.Email)
		if err != nil {
			return err
		}
		if n >= b.Rule.PerPerson {
			return errLimit
		}
		if q.Reference, err = st.NextReference(ctx, london.In(now).Year()); err != nil {
			return err
		}
		if q.ID, err = st.Insert(ctx, q); err != nil {
			return err
		}
		return h.opt.Mailer.Confirm(ctx, tx, q, b, m)
	})
	if errors.Is(err, errLimit) {
		msg := "You have already sent a question for this meeting, and the board takes one question per person"
		if b.Rule.PerPerson > 1 {
			msg = "You have already sent " + strconv.Itoa(b.Rule.PerPerson) + " questions for this meeting, the most the board takes from one person"
		}
		errs.add("email", msg)
		return again(http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, m.Path()+"/questions/sent?ref="+url.QueryEscape(q.Reference), http.StatusSeeOther)
	return nil
}

// thousands writes n with a thousands separator: 1000 → "1,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

type sentPage struct {
	Event     events.Event
	Board     boards.Board
	Meeting   boards.Meeting
	Reference string
}

func (h handlers) sent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, m, b, err := h.meetingFor(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	ref := r.URL.Query().Get("ref")
	found, err := h.store.HasReference(ctx, m.ID, ref)
	if err != nil {
		return err
	}
	if !found {
		return web.NotFound("There is no question with that reference for this meeting.")
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.site.Render(w, r, http.StatusOK, "question_sent.html", web.Meta{
		Title:       "Question sent",
		NoIndex:     true,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Events", Href: "/events"}, {Label: e.Title, Href: m.Path()}},
	}, sentPage{Event: e, Board: b, Meeting: m, Reference: ref})
}
