package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

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
	Tools    recordTools
	// PeriodNames label the two opening periods of a day.
	PeriodNames []string
	// Upkeep is the record's confirmation, checks and open reports.
	Upkeep *serviceUpkeep
}

// serviceByPath loads the service the route names.
func (h *handlers) serviceByPath(r *http.Request) (directory.Service, error) {
	id := r.PathValue("id")
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return directory.Service{}, web.NotFound("")
	}
	return h.directory.Service(r.Context(), id)
}

func (h *handlers) serviceFormPage(w http.ResponseWriter, r *http.Request, u accounts.User, svc directory.Service,
	f serviceForm, errs formErrors, status int) error {
	d := serviceFormData{Form: f, Errors: errs, Tools: recordTools{Edit: "/admin/directory/services/" + svc.ID, Noun: "service",
		Public: "/directory/services/" + svc.ID}, PeriodNames: []string{"First period", "Second period"}}
	for _, o := range serviceStatuses {
		o.Checked = f.Status == o.Value
		d.Statuses = append(d.Statuses, o)
	}
	var err error
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
	return h.serviceFormPage(w, r, u, svc, newServiceForm(svc), formErrors{}, http.StatusOK)
}

func (h *handlers) serviceSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.serviceByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	f := readServiceForm(r, before.ID)
	after, errs := f.service(before)
	if errs.Field("organization") == nil {
		org, msg, err := h.serviceOrganization(ctx, before, f.Organization)
		if err != nil {
			return err
		}
		if msg != "" {
			errs.add("organization", msg)
		}
		after.OrganizationID = org
	}
	if errs.Any() {
		return h.serviceFormPage(w, r, u, before, f, errs, http.StatusUnprocessableEntity)
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
			return err
		}
	}
	if err := h.saveService(ctx, u, before, after, ""); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/services/"+before.ID,
		"Your changes to "+after.Name+" have been saved and are in the public directory.")
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
	after.ID, after.Organization, after.Terms, after.LastModified = before.ID, nil, nil, db.Now()
	return h.db.Tx(ctx, func(q db.Querier) error {
		store := directory.NewStore(q)
		if _, err := store.SaveService(ctx, after); err != nil {
			return err
		}
		saved, err := store.Service(ctx, before.ID)
		if err != nil {
			return err
		}
		return recordChange(ctx, q, u, "service", before.ID, "service_updated", before, saved, note)
	})
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
