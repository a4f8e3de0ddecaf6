package formats

import (
	"context"
	"errors"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/secrets"
	"github.com/joinedup/joinedup/internal/spam"
	"github.com/joinedup/joinedup/internal/web"
)

// Target is a page residents can ask for in another format.
type Target struct {
	Kind Kind
	ID   int64
	// PlaceID is the place whose team answers (0: the whole system).
	PlaceID int64
	Title   string
	Path    string // the page's public address
	// Team says who will answer, after "Your request goes to": "the
	// governance team of the Strategic Board".
	Team string
}

// Source is a kind of public page that can be asked for in another
// format: the path pattern of its page and how to find the page a request
// names (db.ErrNotFound for one residents cannot see).
type Source struct {
	Kind    Kind
	Pattern string // such as "/news/{slug}"
	Find    func(ctx context.Context, r *http.Request) (Target, error)
}

// Options are what the request pages need from outside the package.
type Options struct {
	Mailer Mailer
	Limits spam.Limits
	// Now is the clock; tests set it.
	Now func() time.Time
	// ClientIP finds the address a request came from, for the rate limit.
	ClientIP func(*http.Request) string
	// Team, if set, gives the staff addresses to tell of a new request
	// (the people who answer it), in the request's transaction.
	Team func(ctx context.Context, q db.Querier, r Request) ([]string, error)
}

// Pages are the public request form and its thank-you page, for every
// registered Source.
type Pages struct {
	d     *db.DB
	store *Store
	opt   Options
	key   []byte
}

// secretName names the key that signs the form's timestamps.
const secretName = "format-request-form"

// attemptsTable counts the form's submissions for its rate limits.
const attemptsTable = "format_request_attempts"

// Suffix is what a page's path takes for its request form.
const Suffix = "/another-format"

// NewPages returns the request pages on d, loading (or making) the key that
// signs the form.
func NewPages(ctx context.Context, d *db.DB, opt Options) (*Pages, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ClientIP == nil {
		opt.ClientIP = web.ClientIP
	}
	if opt.Limits == (spam.Limits{}) {
		opt.Limits = spam.DefaultLimits
	}
	key, err := secrets.Load(ctx, d, secretName)
	if err != nil {
		return nil, err
	}
	return &Pages{d: d, store: NewStore(d), opt: opt, key: key}, nil
}

// Mount registers the form and thank-you page under each source's pages.
func (p *Pages) Mount(site *web.Site, sources ...Source) {
	for _, src := range sources {
		h := handlers{Pages: p, site: site, src: src}
		site.GetUncached(src.Pattern+Suffix, h.form)
		site.Post(src.Pattern+Suffix, h.submit)
		site.GetUncached(src.Pattern+Suffix+"/sent", h.sent)
	}
}

type handlers struct {
	*Pages
	site *web.Site
	src  Source
}

// form is the request form as typed.
type form struct {
	Format   string
	Language string
	Details  string
	Name     string
	Email    string
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

type choice struct {
	ID, Value, Label string
	Checked          bool
}

type formPage struct {
	Target  Target
	Form    form
	Errors  fieldErrors
	Stamp   string
	Action  string
	Choices []choice
	Due     string // the date a request made now is due
	Days    int
	// Retention is how many months after a request is closed the
	// resident's details are kept.
	Retention int
}

// input is one text field, as the "question-input" template draws it.
type input struct {
	ID, Label, Value, Type, Autocomplete, Hint string
	Error                                      *FieldError
}

// Input returns a text field with its error, for the template.
func (p formPage) Input(id, label, value, typ, autocomplete, hint string) input {
	return input{ID: id, Label: label, Value: value, Type: typ, Autocomplete: autocomplete, Hint: hint, Error: p.Errors.Field(id)}
}

func subject(t Target) string { return string(t.Kind) + ":" + itoa(t.ID) }

func (h handlers) page(ctx context.Context, t Target, f form, errs fieldErrors) (formPage, error) {
	now := h.opt.Now()
	days, err := h.store.WorkingDays(ctx)
	if err != nil {
		return formPage{}, err
	}
	p := formPage{Target: t, Form: f, Errors: errs, Stamp: spam.Stamp(h.key, subject(t), now), Action: t.Path + Suffix,
		Due: DayText(DueOn(now, days)), Days: days, Retention: RetentionMonths}
	for _, fm := range Formats {
		p.Choices = append(p.Choices, choice{ID: "format-" + strings.ReplaceAll(string(fm), "_", "-"), Value: string(fm),
			Label: fm.Label(), Checked: f.Format == string(fm)})
	}
	return p, nil
}

func (h handlers) render(w http.ResponseWriter, r *http.Request, status int, p formPage) error {
	title := "Ask for this in another format"
	if len(p.Errors.List) > 0 {
		title = "Error: " + title
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.site.Render(w, r, status, "format_request_form.html", web.Meta{
		Title:       title,
		Description: "Ask for " + p.Target.Title + " in Easy Read, large print, audio, British Sign Language or another language.",
		NoIndex:     true,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: p.Target.Title, Href: p.Target.Path}},
		Forms:       true,
	}, p)
}

func (h handlers) target(r *http.Request) (Target, error) {
	t, err := h.src.Find(r.Context(), r)
	if err != nil {
		return Target{}, err
	}
	t.Kind = h.src.Kind
	return t, nil
}

func (h handlers) form(w http.ResponseWriter, r *http.Request) error {
	t, err := h.target(r)
	if err != nil {
		return err
	}
	p, err := h.page(r.Context(), t, form{}, fieldErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, p)
}

func readForm(r *http.Request) form {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return form{Format: v("format"), Language: v("language"),
		Details: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("details"), "\r\n", "\n")), Name: v("name"), Email: v("email")}
}

// validate checks the fields and returns the request they make.
func (f form) validate(t Target) (Request, fieldErrors) {
	var errs fieldErrors
	req := Request{Kind: t.Kind, TargetID: t.ID, PlaceID: t.PlaceID, Title: t.Title, Path: t.Path, Format: Format(f.Format),
		Details: f.Details, Name: f.Name, Email: f.Email}
	if !req.Format.Valid() {
		errs.add("format-easy-read", "Choose the format you need")
	}
	switch {
	case req.Format == Language && f.Language == "":
		errs.add("language", "Enter the language you need")
	case utf8.RuneCountInString(f.Language) > 100:
		errs.add("language", "The language must be 100 characters or fewer")
	}
	if req.Format == Language {
		req.Language = f.Language
	}
	switch n := utf8.RuneCountInString(f.Details); {
	case req.Format == Other && n == 0:
		errs.add("details", "Tell us the format you need")
	case n > 2000:
		errs.add("details", "What you tell us must be 2,000 characters or fewer")
	}
	if utf8.RuneCountInString(f.Name) > 200 {
		errs.add("name", "Your name must be 200 characters or fewer")
	}
	if a, err := mail.ParseAddress(f.Email); f.Email == "" {
		errs.add("email", "Enter your email address, so that we can reply")
	} else if err != nil || a.Name != "" || a.Address != f.Email || len(f.Email) > 254 || !strings.Contains(f.Email[strings.LastIndex(f.Email, "@")+1:], ".") {
		errs.add("email", "Enter an email address in the correct format, like name@example.com")
	}
	return req, errs
}

func (h handlers) submit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := h.target(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := readForm(r)
	now := h.opt.Now()
	again := func(status int, errs fieldErrors) error {
		p, err := h.page(ctx, t, f, errs)
		if err != nil {
			return err
		}
		return h.render(w, r, status, p)
	}
	var errs fieldErrors
	// The honeypot and the timing come first: a robot learns nothing
	// about the other fields.
	if msg := h.opt.Limits.Problem(h.key, subject(t), r.PostFormValue("website"), r.PostFormValue("started"), now); msg != "" {
		errs.add("format-easy-read", msg)
		return again(http.StatusUnprocessableEntity, errs)
	}
	over, err := spam.Attempt(ctx, h.d, attemptsTable, h.key, h.opt.Limits, h.opt.ClientIP(r), f.Email, now)
	if err != nil {
		return err
	}
	if over {
		errs.add("format-easy-read", "Too many requests have been sent from your address or email recently. Wait an hour, then send your request again.")
		return again(http.StatusTooManyRequests, errs)
	}
	req, errs := f.validate(t)
	if len(errs.List) > 0 {
		return again(http.StatusUnprocessableEntity, errs)
	}
	req.SubmittedAt = now
	// A request is never public, so storing it leaves the page cache be.
	err = h.d.TxPrivate(ctx, func(tx db.Querier) error {
		st := NewStore(tx)
		days, err := st.WorkingDays(ctx)
		if err != nil {
			return err
		}
		req.DueOn, req.Status = DueOn(now, days), New
		if req.ID, err = st.Insert(ctx, req); err != nil {
			return err
		}
		if err := h.opt.Mailer.Received(ctx, tx, req); err != nil {
			return err
		}
		if h.opt.Team == nil {
			return nil
		}
		team, err := h.opt.Team(ctx, tx, req)
		if err != nil {
			return err
		}
		return h.opt.Mailer.TellTeam(ctx, tx, req, team)
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, t.Path+Suffix+"/sent?ref="+url.QueryEscape(req.Reference()), http.StatusSeeOther)
	return nil
}

type sentPage struct {
	Target    Target
	Reference string
	Asked     string
	Due       string
}

func (h handlers) sent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := h.target(r)
	if err != nil {
		return err
	}
	ref := r.URL.Query().Get("ref")
	req, err := h.store.ByID(ctx, ParseReference(ref))
	if errors.Is(err, db.ErrNotFound) || err == nil && (req.Kind != t.Kind || req.TargetID != t.ID) {
		return web.NotFound("There is no request with that reference for this page.")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return h.site.Render(w, r, http.StatusOK, "format_request_sent.html", web.Meta{
		Title:       "Request sent",
		NoIndex:     true,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: t.Title, Href: t.Path}},
	}, sentPage{Target: t, Reference: req.Reference(), Asked: req.Asked(), Due: req.Due()})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
