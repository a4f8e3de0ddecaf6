package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/providers"
	"github.com/joinedup/joinedup/internal/web"
)

var organizationsCrumb = web.Crumb{Label: "Organisations", Href: "/admin/directory/organizations"}

// organizationForm is the organisation form as typed.
type organizationForm struct {
	Name, Description, Email, Website string
}

func newOrganizationForm(o directory.Organization) organizationForm {
	return organizationForm{Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website}
}

func readOrganizationForm(r *http.Request) organizationForm {
	return organizationForm{Name: formValue(r, "name"), Description: formText(r, "description"), Email: formValue(r, "email"),
		Website: formValue(r, "website")}
}

// ReadingAge is the organisation form's reading age panel.
func (f organizationForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", "the description", measured{"description", f.Description, false})
}

// organization checks the form and returns the organisation it describes,
// built on before.
func (f organizationForm) organization(before directory.Organization) (directory.Organization, formErrors) {
	var errs formErrors
	o := before
	o.Name, o.Description, o.Email, o.Website = f.Name, f.Description, f.Email, f.Website
	checkLength(&errs, "name", f.Name, "The name", 200)
	checkLength(&errs, "description", f.Description, "The description", 5000)
	checkLength(&errs, "website", f.Website, "The website", 500)
	if f.Website != "" {
		if msg := checkURL(f.Website, "the organisation's website"); msg != "" {
			errs.add("website", msg)
		}
	}
	for _, p := range directory.CheckOrganization(o) {
		switch p.Field {
		case "name":
			errs.add("name", "Enter the organisation's name")
		case "email":
			errs.add("email", "Enter an email address in the right form, like help@example.org")
		case "website":
			errs.add("website", "Enter the organisation's website as a full web address, like https://example.org")
		}
	}
	return o, errs
}

type organizationListData struct {
	Query         string
	Total         int
	Organizations []directory.OrganizationSummary
	Pagination    web.Pagination
}

func (h *handlers) organizationList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 200 {
		q = q[:200]
	}
	list, total, err := h.directory.ListOrganizations(r.Context(), q, page, servicesPerPage)
	if err != nil {
		return err
	}
	pages := (total + servicesPerPage - 1) / servicesPerPage
	if page > 1 && page > pages {
		return web.NotFound("There are only " + strconv.Itoa(max(pages, 1)) + " pages of organisations.")
	}
	d := organizationListData{Query: q, Total: total, Organizations: list}
	d.Pagination = web.Paginate(page, pages, func(n int) string {
		v := url.Values{}
		if q != "" {
			v.Set("q", q)
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return "/admin/directory/organizations"
		}
		return "/admin/directory/organizations?" + v.Encode()
	})
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}
	return h.render(w, r, http.StatusOK, "admin_organizations.html", "Organisations", u, crumbs, d)
}

type organizationFormData struct {
	New       bool
	ID        string
	Form      organizationForm
	Errors    formErrors
	ODSCode   string
	Source    string
	Closed    bool
	Services  []directory.ServiceSummary
	Providers []providers.Account
	Invite    inviteForm
	CanEdit   bool
	Conflicts []directory.Correction
}

// inviteForm is the form inviting a provider.
type inviteForm struct {
	Email, Name string
	Errors      formErrors
}

func (h *handlers) organizationByPath(r *http.Request) (directory.Organization, error) {
	id := r.PathValue("id")
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return directory.Organization{}, web.NotFound("")
	}
	return h.directory.Organization(r.Context(), id)
}

func (h *handlers) organizationPage(w http.ResponseWriter, r *http.Request, u accounts.User, o directory.Organization,
	f organizationForm, errs formErrors, invite inviteForm, status int) error {
	ctx := r.Context()
	d := organizationFormData{ID: o.ID, Form: f, Errors: errs, ODSCode: o.ODSCode, Source: o.Source, Invite: invite,
		CanEdit: u.Can(accounts.EditDirectory)}
	var err error
	if d.Closed, err = h.directory.OrganizationClosed(ctx, o.ID); err != nil {
		return err
	}
	ids, err := h.directory.OrganizationServiceIDs(ctx, o.ID)
	if err != nil {
		return err
	}
	svcs, err := h.directory.Services(ctx, ids)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		d.Services = append(d.Services, directory.ServiceSummary{ID: s.ID, Name: s.Name, Status: s.Status})
	}
	if d.Providers, err = providers.Providers(ctx, h.db, o.ID); err != nil {
		return err
	}
	corrections, err := h.directory.Corrections(ctx, directory.KindOrganization, o.ID)
	if err != nil {
		return err
	}
	for _, c := range corrections {
		if c.Conflict {
			d.Conflicts = append(d.Conflicts, c)
		}
	}
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb, organizationsCrumb}
	return h.render(w, r, status, "admin_organization.html", o.Name, u, crumbs, d)
}

func (h *handlers) organizationForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	o, err := h.organizationByPath(r)
	if err != nil {
		return err
	}
	return h.organizationPage(w, r, u, o, newOrganizationForm(o), formErrors{}, inviteForm{}, http.StatusOK)
}

func (h *handlers) organizationSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.organizationByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := readOrganizationForm(r)
	after, errs := f.organization(before)
	if errs.Any() {
		return h.organizationPage(w, r, u, before, f, errs, inviteForm{}, http.StatusUnprocessableEntity)
	}
	ctx := r.Context()
	err = h.db.Tx(ctx, func(q db.Querier) error {
		return h.saveOrganizationIn(ctx, q, u, &before, after)
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/organizations/"+before.ID, "Your changes to "+after.Name+" have been saved.")
}

// saveOrganizationIn saves an organisation (new when before is nil) with
// its audit entry and revision, noting the corrections of an imported
// one; it reindexes the organisation's services, whose search text holds
// its name.
func (h *handlers) saveOrganizationIn(ctx context.Context, q db.Querier, u accounts.User, before *directory.Organization,
	after directory.Organization) error {
	store := directory.NewStore(q)
	after.LastModified = db.Now()
	if err := store.SaveOrganization(ctx, after); err != nil {
		return err
	}
	saved, err := store.Organization(ctx, after.ID)
	if err != nil {
		return err
	}
	action := "organization_created"
	var old any
	if before != nil {
		action, old = "organization_updated", *before
		if err := store.RecordCorrections(ctx, directory.KindOrganization, before, &saved, before.Source, u.Email); err != nil {
			return err
		}
		if before.Name != saved.Name {
			if err := directory.ReindexOrganization(ctx, q, saved.ID); err != nil {
				return err
			}
		}
	}
	return recordChange(ctx, q, u, "organization", saved.ID, action, old, saved, "")
}

func (h *handlers) organizationNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.organizationNewPage(w, r, u, organizationForm{}, formErrors{}, http.StatusOK)
}

func (h *handlers) organizationNewPage(w http.ResponseWriter, r *http.Request, u accounts.User, f organizationForm, errs formErrors,
	status int) error {
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb, organizationsCrumb}
	return h.render(w, r, status, "admin_organization.html", "Add an organisation", u, crumbs,
		organizationFormData{New: true, Form: f, Errors: errs, CanEdit: true})
}

func (h *handlers) organizationCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := readOrganizationForm(r)
	o, errs := f.organization(directory.Organization{ID: directory.NewID(), Source: "local"})
	if errs.Any() {
		return h.organizationNewPage(w, r, u, f, errs, http.StatusUnprocessableEntity)
	}
	ctx := r.Context()
	if err := h.db.Tx(ctx, func(q db.Querier) error { return h.saveOrganizationIn(ctx, q, u, nil, o) }); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/organizations/"+o.ID, o.Name+" has been added. Now add its services.")
}

// organizationClose closes an organisation and every service of it that
// is open ("closed for good"), each service through the editors' save.
// Nothing is deleted: an editor can open a service again.
func (h *handlers) organizationClose(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	o, err := h.organizationByPath(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ids, err := h.directory.OrganizationServiceIDs(ctx, o.ID)
	if err != nil {
		return err
	}
	err = h.db.Tx(ctx, func(q db.Querier) error {
		store := directory.NewStore(q)
		svcs, err := store.Services(ctx, ids)
		if err != nil {
			return err
		}
		for _, s := range svcs {
			if s.Status == directory.StatusDefunct {
				continue
			}
			after := s
			after.Status = directory.StatusDefunct
			if err := h.saveServiceIn(ctx, q, u, s, after, "Closed with its organisation", true); err != nil {
				return err
			}
		}
		if err := store.CloseOrganization(ctx, o.ID); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "organization_closed",
			Record: "organization:" + o.ID, Before: o})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/directory/organizations/"+o.ID,
		o.Name+" is closed, with its services: residents no longer find them. Nothing has been deleted.")
}

// providerInvite invites a provider by email to the organisation.
func (h *handlers) providerInvite(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	o, err := h.organizationByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	inv := inviteForm{Email: formValue(r, "invite-email"), Name: formValue(r, "invite-name")}
	checkLength(&inv.Errors, "invite-name", inv.Name, "The name", 200)
	if _, err := accounts.NormalizeEmail(inv.Email); err != nil {
		inv.Errors.add("invite-email", err.Error())
	}
	ctx := r.Context()
	if !inv.Errors.Any() {
		err = h.db.TxPrivate(ctx, func(q db.Querier) error {
			invited, err := h.providerMail.Invite(ctx, q, o, inv.Email, inv.Name, u, h.now())
			if err != nil {
				return err
			}
			return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "provider_invited",
				Record: "user:" + strconv.FormatInt(invited.ID, 10), After: map[string]string{"organization": o.ID, "role": string(invited.Role)}})
		})
		if errors.Is(err, providers.ErrAlreadyAccount) {
			inv.Errors.add("invite-email", err.Error())
		} else if err != nil {
			return err
		}
	}
	if inv.Errors.Any() {
		return h.organizationPage(w, r, u, o, newOrganizationForm(o), formErrors{}, inv, http.StatusUnprocessableEntity)
	}
	return h.redirect(w, r, "/admin/directory/organizations/"+o.ID,
		"We have emailed "+inv.Email+" an invitation to keep "+o.Name+"'s listings up to date.")
}
