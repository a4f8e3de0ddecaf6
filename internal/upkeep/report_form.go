package upkeep

import (
	"context"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/web"
)

// maxDetails is the longest description a resident may send.
const maxDetails = 2000

// reportForm is the report form as typed.
type reportForm struct {
	Kind    string
	Details string
	Email   string
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

type kindOption struct {
	ID, Value, Label string
	Checked          bool
}

type reportPage struct {
	Service  directory.Service
	Path     string // the service's public page
	Form     reportForm
	Errors   fieldErrors
	Kinds    []kindOption
	Stamp    string
	MaxChars int
}

func (s *Service) serviceFor(r *http.Request) (directory.Service, error) {
	id := r.PathValue("id")
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return directory.Service{}, web.NotFound("")
	}
	return s.dir.Service(r.Context(), id)
}

func (s *Service) renderForm(w http.ResponseWriter, r *http.Request, site *web.Site, status int, svc directory.Service, f reportForm, errs fieldErrors) error {
	p := reportPage{Service: svc, Path: "/directory/services/" + svc.ID, Form: f, Errors: errs,
		Stamp: stamp(s.key, svc.ID, s.opt.Now()), MaxChars: maxDetails}
	for i, k := range Kinds {
		id := "kind"
		if i > 0 {
			id = "kind-" + string(k)
		}
		p.Kinds = append(p.Kinds, kindOption{ID: id, Value: string(k), Label: k.Label(), Checked: f.Kind == string(k)})
	}
	title := "Report a problem with this listing"
	if len(errs.List) > 0 {
		title = "Error: " + title
	}
	w.Header().Set("Cache-Control", "no-store")
	return site.Render(w, r, status, "listing_report.html", web.Meta{
		Title:       title,
		Description: "Tell us what is wrong with the directory's listing of " + svc.Name + ".",
		Path:        p.Path + "/report",
		NoIndex:     true,
		Forms:       true,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Find local services", Href: "/directory"}, {Label: svc.Name, Href: p.Path}},
	}, p)
}

func (s *Service) reportFormPage(site *web.Site) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := s.serviceFor(r)
		if err != nil {
			return err
		}
		return s.renderForm(w, r, site, http.StatusOK, svc, reportForm{}, fieldErrors{})
	}
}

// validate checks the typed report.
func (f reportForm) validate() fieldErrors {
	var errs fieldErrors
	if !Kind(f.Kind).Valid() {
		errs.add("kind", "Choose what is wrong with the listing")
	}
	switch n := utf8.RuneCountInString(f.Details); {
	case n == 0 && f.Kind == string(Other):
		errs.add("details", "Tell us what is wrong with the listing")
	case n > maxDetails:
		errs.add("details", "Your description must be 2000 characters or fewer; it has "+itoa(n))
	}
	if f.Email != "" {
		if a, err := mail.ParseAddress(f.Email); err != nil || a.Name != "" || a.Address != f.Email || len(f.Email) > 254 ||
			!strings.Contains(f.Email[strings.LastIndex(f.Email, "@")+1:], ".") {
			errs.add("email", "Enter an email address in the correct format, like name@example.com, or leave it empty")
		}
	}
	return errs
}

func (s *Service) reportSubmit(site *web.Site) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		svc, err := s.serviceFor(r)
		if err != nil {
			return err
		}
		if err := r.ParseForm(); err != nil {
			return web.BadRequest("The form could not be read.")
		}
		f := reportForm{Kind: strings.TrimSpace(r.PostFormValue("kind")), Email: strings.TrimSpace(r.PostFormValue("email")),
			Details: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("details"), "\r\n", "\n"))}
		again := func(status int, errs fieldErrors) error { return s.renderForm(w, r, site, status, svc, f, errs) }
		now := s.opt.Now()
		var errs fieldErrors
		// The honeypot and the timing come first: a robot learns nothing
		// about the other fields.
		if r.PostFormValue("website") != "" {
			errs.add("kind", "We could not tell this form from one sent by an automated program. Check your report and send it again.")
			return again(http.StatusUnprocessableEntity, errs)
		}
		shown, ok := shownAt(s.key, svc.ID, r.PostFormValue("started"))
		switch {
		case !ok:
			errs.add("kind", "We could not check this form. Check your report and send it again.")
		case now.Sub(shown) < s.opt.Limits.MinFill:
			errs.add("kind", "The form was sent too quickly after it was opened, as automated programs do. Check your report and send it again.")
		case now.Sub(shown) > s.opt.Limits.MaxAge:
			errs.add("kind", "The form was open for a long time. Check your report and send it again.")
		}
		if len(errs.List) > 0 {
			return again(http.StatusUnprocessableEntity, errs)
		}
		over, err := attempt(ctx, s.db, s.key, s.opt.Limits, s.opt.ClientIP(r), f.Email, now)
		if err != nil {
			return err
		}
		if over {
			errs.add("kind", "Too many reports have been sent from your address or email recently. Wait an hour, then send your report again.")
			return again(http.StatusTooManyRequests, errs)
		}
		if errs = f.validate(); len(errs.List) > 0 {
			return again(http.StatusUnprocessableEntity, errs)
		}
		rep := Report{ServiceID: svc.ID, Kind: Kind(f.Kind), Details: f.Details, Email: f.Email, Status: New,
			CreatedAt: now.UTC().Truncate(time.Second)}
		// A report is not public: storing it leaves the page cache be.
		err = s.db.TxPrivate(ctx, func(q db.Querier) error {
			var err error
			if rep.ID, err = insertReport(ctx, q, rep); err != nil {
				return err
			}
			return s.notifyProviders(ctx, q, svc, rep)
		})
		if err != nil {
			return err
		}
		http.Redirect(w, r, "/directory/services/"+svc.ID+"/report/sent", http.StatusSeeOther)
		return nil
	}
}

type sentPage struct {
	Service directory.Service
	Path    string
}

func (s *Service) reportSent(site *web.Site) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		svc, err := s.serviceFor(r)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "no-store")
		path := "/directory/services/" + svc.ID
		return site.Render(w, r, http.StatusOK, "listing_report_sent.html", web.Meta{
			Title:       "Report sent",
			NoIndex:     true,
			Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Find local services", Href: "/directory"}, {Label: svc.Name, Href: path}},
		}, sentPage{Service: svc, Path: path})
	}
}

// Mount registers the residents' report form on every service's page.
func (s *Service) Mount(site *web.Site) {
	site.GetUncached("/directory/services/{id}/report", s.reportFormPage(site))
	site.Post("/directory/services/{id}/report", s.reportSubmit(site))
	site.GetUncached("/directory/services/{id}/report/sent", s.reportSent(site))
}

// ServiceLinks links each service's page to its report form.
func (s *Service) ServiceLinks(_ context.Context, svc directory.Service) ([]web.Link, error) {
	return []web.Link{{Label: "Report a problem with this listing", Href: "/directory/services/" + svc.ID + "/report"}}, nil
}

func itoa(n int) string { return strconv.Itoa(n) }
