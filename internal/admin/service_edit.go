package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/web"
)

var servicesCrumb = web.Crumb{Label: "Directory", Href: "/admin/directory"}

type serviceFormData struct {
	Form     serviceForm
	Errors   formErrors
	Statuses []option
	Places   []option
	Terms    []option
	Tools    recordTools
	// PeriodNames label the two opening periods of a day.
	PeriodNames []string
	// Action is where the form posts; Heading and Submit word it.
	Action, Heading, Submit string
	// Intro is a paragraph above the form (a provider's page says that
	// nothing is public until approved).
	Intro string
	// Conflicts are the editors' corrections whose source now says
	// something else, for an editor to settle.
	Conflicts []directory.Correction
	// Corrected lists the fields an editor corrected on an imported
	// record, which re-imports keep.
	Corrected []string
	// CanResolve shows the buttons that settle a conflict.
	CanResolve bool
	// FixedOrganization: the organisation is the provider's own, not
	// chosen on the form.
	FixedOrganization bool
	// Upkeep is the record's confirmation, checks and open reports.
	Upkeep *serviceUpkeep
}

// termsOffered caps the categories the service form offers as checkboxes.
const termsOffered = 300

// serviceByPath loads the service the route names.
func (h *handlers) serviceByPath(r *http.Request) (directory.Service, error) {
	id := r.PathValue("id")
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return directory.Service{}, web.NotFound("")
	}
	return h.directory.Service(r.Context(), id)
}

// serviceFormData fills in what the service form offers: statuses, places
// and categories, with the form's choices checked.
func (h *handlers) newServiceFormData(ctx context.Context, f serviceForm, errs formErrors) (serviceFormData, error) {
	d := serviceFormData{Form: f, Errors: errs, PeriodNames: []string{"First period", "Second period"}}
	for _, o := range serviceStatuses {
		o.Checked = f.Status == o.Value
		d.Statuses = append(d.Statuses, o)
	}
	list, err := h.places.List(ctx)
	if err != nil {
		return d, err
	}
	d.Places = append(d.Places, option{Value: "", Label: "No place's directory", Checked: f.Place == ""})
	for _, p := range list {
		d.Places = append(d.Places, option{Value: p.Slug, Label: p.Name, Checked: f.Place == p.Slug})
	}
	terms, _, err := h.directory.TaxonomyTerms(ctx, directory.TermFilter{}, 1, termsOffered)
	if err != nil {
		return d, err
	}
	for _, t := range terms {
		d.Terms = append(d.Terms, option{Value: t.ID, Label: t.Name, Checked: slices.Contains(f.Terms, t.ID)})
	}
	return d, nil
}

// placeSlug and placeByID turn a service's place id into the form's slug
// and back.
func (h *handlers) placeSlug(ctx context.Context, id int64) (string, error) {
	if id == 0 {
		return "", nil
	}
	list, err := h.places.List(ctx)
	if err != nil {
		return "", err
	}
	for _, p := range list {
		if p.ID == id {
			return p.Slug, nil
		}
	}
	return "", nil
}

// formPlace finds the place the form chose; it adds an error for one that
// does not exist.
func (h *handlers) formPlace(ctx context.Context, slug string, errs *formErrors) (int64, error) {
	if slug == "" {
		return 0, nil
	}
	id, err := h.places.IDBySlug(ctx, slug)
	if errors.Is(err, db.ErrNotFound) {
		errs.add("place", "Choose a place from the list")
		return 0, nil
	}
	return id, err
}

func (h *handlers) serviceFormPage(w http.ResponseWriter, r *http.Request, u accounts.User, svc directory.Service,
	f serviceForm, errs formErrors, status int) error {
	ctx := r.Context()
	d, err := h.newServiceFormData(ctx, f, errs)
	if err != nil {
		return err
	}
	d.Tools = recordTools{Edit: "/admin/directory/services/" + svc.ID, Noun: "service", Public: "/directory/services/" + svc.ID}
	d.Action, d.Heading, d.Submit = "/admin/directory/services/"+svc.ID, "Edit "+svc.Name, "Save changes"
	corrections, err := h.directory.Corrections(ctx, directory.KindService, svc.ID)
	if err != nil {
		return err
	}
	for _, c := range corrections {
		if c.Conflict {
			d.Conflicts = append(d.Conflicts, c)
		}
		d.Corrected = append(d.Corrected, c.Label())
	}
	d.CanResolve = u.Can(accounts.EditDirectory)
	if d.Upkeep, err = h.serviceUpkeep(r.Context(), u, svc); err != nil {
		return err
	}
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}
	return h.render(w, r, status, "admin_service.html", "Edit "+svc.Name, u, crumbs, d)
}

func (h *handlers) serviceForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	svc, err := h.serviceByPath(r)
	if err != nil {
		return err
	}
	f := newServiceForm(svc)
	if f.Place, err = h.placeSlug(r.Context(), svc.PlaceID); err != nil {
		return err
	}
	return h.serviceFormPage(w, r, u, svc, f, formErrors{}, http.StatusOK)
}

// readService reads and checks the service form over before (the stored
// service, or a new one), finding its organisation and place and the
// positions of new postcodes. It returns the form, the service and the
// form's errors.
func (h *handlers) readService(r *http.Request, before directory.Service, fixedOrg string) (serviceForm, directory.Service, formErrors, error) {
	ctx := r.Context()
	f := readServiceForm(r, before.ID)
	if fixedOrg != "" {
		f.Organization = fixedOrg // a provider's: checked as given, then kept
	}
	after, errs := f.service(before)
	if fixedOrg != "" {
		after.OrganizationID = fixedOrg
	} else if errs.Field("organization") == nil {
		org, msg, err := h.serviceOrganization(ctx, before, f.Organization)
		if err != nil {
			return f, after, errs, err
		}
		if msg != "" {
			errs.add("organization", msg)
		}
		after.OrganizationID = org
	}
	place, err := h.formPlace(ctx, f.Place, &errs)
	if err != nil {
		return f, after, errs, err
	}
	after.PlaceID = place
	if errs.Any() {
		return f, after, errs, nil
	}
	for i := range after.Locations {
		loc := &after.Locations[i].Location
		if loc.Latitude != nil || len(loc.Addresses) == 0 {
			continue
		}
		pc, err := h.directory.Postcode(ctx, loc.Addresses[0].PostalCode)
		if err == nil {
			loc.Latitude, loc.Longitude = &pc.Lat, &pc.Lon
		} else if !errors.Is(err, db.ErrNotFound) {
			return f, after, errs, err
		}
	}
	return f, after, errs, nil
}

func (h *handlers) serviceSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.serviceByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f, after, errs, err := h.readService(r, before, "")
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.serviceFormPage(w, r, u, before, f, errs, http.StatusUnprocessableEntity)
	}
	if err := h.saveService(r.Context(), u, before, after, ""); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/services/"+before.ID,
		"Your changes to "+after.Name+" have been saved and are in the public directory.")
}

// newServicePage shows the form for a new service.
func (h *handlers) newServicePage(w http.ResponseWriter, r *http.Request, u accounts.User, f serviceForm, errs formErrors, status int) error {
	d, err := h.newServiceFormData(r.Context(), f, errs)
	if err != nil {
		return err
	}
	d.Action, d.Heading, d.Submit = "/admin/directory/services", "Add a service", "Add the service"
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}
	return h.render(w, r, status, "admin_service.html", "Add a service", u, crumbs, d)
}

// blankServiceForm is the form for a new service: active, with the
// organisation ?organization= names filled in.
func (h *handlers) blankServiceForm(r *http.Request) (serviceForm, error) {
	f := newServiceForm(directory.Service{Status: directory.StatusActive})
	if id := r.URL.Query().Get("organization"); id != "" {
		o, err := h.directory.Organization(r.Context(), id)
		if err == nil {
			f.Organization = o.Name
		} else if !errors.Is(err, db.ErrNotFound) {
			return f, err
		}
	}
	return f, nil
}

func (h *handlers) serviceNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	f, err := h.blankServiceForm(r)
	if err != nil {
		return err
	}
	return h.newServicePage(w, r, u, f, formErrors{}, http.StatusOK)
}

func (h *handlers) serviceCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	blank := directory.Service{ID: directory.NewID(), Source: "local"}
	f, svc, errs, err := h.readService(r, blank, "")
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.newServicePage(w, r, u, f, errs, http.StatusUnprocessableEntity)
	}
	if err := h.createService(r.Context(), u, svc, ""); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/services/"+svc.ID, svc.Name+" has been added and is in the public directory.")
}

// createService saves a new service through the directory's save path,
// with its audit entry and first revision.
func (h *handlers) createService(ctx context.Context, u accounts.User, svc directory.Service, note string) error {
	return h.db.Tx(ctx, func(q db.Querier) error { return h.createServiceIn(ctx, q, u, svc, note) })
}

// createServiceIn is createService in the transaction q.
func (h *handlers) createServiceIn(ctx context.Context, q db.Querier, u accounts.User, svc directory.Service, note string) error {
	svc.Organization, svc.Terms, svc.LastModified, svc.Source = nil, nil, db.Now(), "local"
	store := directory.NewStore(q)
	if _, err := store.SaveService(ctx, svc); err != nil {
		return err
	}
	saved, err := store.Service(ctx, svc.ID)
	if err != nil {
		return err
	}
	return recordChange(ctx, q, u, "service", svc.ID, "service_created", nil, saved, note)
}

// correctionResolve settles a conflict between an editor's correction and
// the source's new value: keep the editor's, or take the source's.
func (h *handlers) correctionResolve(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.serviceByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	field, choice := r.PostFormValue("field"), r.PostFormValue("choice")
	corrections, err := h.directory.Corrections(ctx, directory.KindService, before.ID)
	if err != nil {
		return err
	}
	var found *directory.Correction
	for i := range corrections {
		if corrections[i].Field == field && corrections[i].Conflict {
			found = &corrections[i]
		}
	}
	if found == nil {
		return web.NotFound("There is no conflict about that field of this service to settle.")
	}
	path := "/admin/directory/services/" + before.ID
	switch choice {
	case "keep":
		err := h.db.Tx(ctx, func(q db.Querier) error {
			if err := directory.NewStore(q).KeepLocal(ctx, directory.KindService, before.ID, field); err != nil {
				return err
			}
			return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "correction_kept",
				Record: "service:" + before.ID, Before: found, After: found.Local})
		})
		if err != nil {
			return err
		}
		return h.redirect(w, r, path, "The directory keeps your "+strings.ToLower(found.Label())+"; imports will report it again only if the source changes.")
	case "source":
		after := before
		err := h.db.Tx(ctx, func(q db.Querier) error {
			store := directory.NewStore(q)
			if err := store.AcceptSource(ctx, directory.KindService, &after, field); err != nil {
				return err
			}
			return h.saveServiceIn(ctx, q, u, before, after, "The source's "+strings.ToLower(found.Label())+" accepted", false)
		})
		if err != nil {
			return err
		}
		return h.redirect(w, r, path, "The "+strings.ToLower(found.Label())+" is now the source's, and is in the public directory.")
	}
	return web.BadRequest("Choose whether to keep your value or take the source's.")
}

// serviceOrganization finds the organisation an editor named (by name or
// ODS code), keeping the service's own when several share the name. It
// returns a message for the field when there is no single match.
func (h *handlers) serviceOrganization(ctx context.Context, svc directory.Service, text string) (string, string, error) {
	orgs, err := h.directory.OrganizationsNamed(ctx, text)
	if err != nil {
		return "", "", err
	}
	for _, o := range orgs {
		if o.ID == svc.OrganizationID {
			return o.ID, "", nil
		}
	}
	switch len(orgs) {
	case 0:
		return "", "There is no organisation called " + text + " in the directory. Enter the name or ODS code of one that is", nil
	case 1:
		return orgs[0].ID, "", nil
	}
	return "", "Several organisations are called " + text + ". Enter the ODS code of the one you mean", nil
}

// saveService saves after over the stored service before, through the
// directory's own save path (which keeps its content hash and search index
// in step), in one transaction with the audit entry and the revision.
func (h *handlers) saveService(ctx context.Context, u accounts.User, before, after directory.Service, note string) error {
	return h.db.Tx(ctx, func(q db.Querier) error {
		return h.saveServiceIn(ctx, q, u, before, after, note, true)
	})
}

// saveServiceIn is saveService in the transaction q. correcting notes the
// fields changed on an imported service as corrections that re-imports
// keep (not when the change takes the source's own value).
func (h *handlers) saveServiceIn(ctx context.Context, q db.Querier, u accounts.User, before, after directory.Service, note string,
	correcting bool) error {
	after.ID, after.Organization, after.Terms, after.LastModified = before.ID, nil, nil, db.Now()
	store := directory.NewStore(q)
	if _, err := store.SaveService(ctx, after); err != nil {
		return err
	}
	saved, err := store.Service(ctx, before.ID)
	if err != nil {
		return err
	}
	if correcting {
		if err := store.RecordCorrections(ctx, directory.KindService, &before, &saved, before.Source, u.Email); err != nil {
			return err
		}
	}
	return recordChange(ctx, q, u, "service", before.ID, "service_updated", before, saved, note)
}

func (h *handlers) serviceVersions() versioned {
	return versioned{kind: "service", noun: "service", list: servicesCrumb,
		load: func(r *http.Request, _ accounts.User) (current, error) {
			s, err := h.serviceByPath(r)
			return current{ID: s.ID, Title: s.Name, Edit: "/admin/directory/services/" + s.ID, Record: s}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			var s directory.Service
			if err := json.Unmarshal(data, &s); err != nil {
				return "", err
			}
			before := cur.Record.(directory.Service)
			if ok, err := h.organizationExists(ctx, s.OrganizationID); err != nil || !ok {
				return "The organisation this version names is no longer in the directory, so it cannot be restored", err
			}
			return "", h.saveService(ctx, u, before, s, note)
		}}
}

func (h *handlers) organizationExists(ctx context.Context, id string) (bool, error) {
	_, err := h.directory.Organization(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}
