package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/providers"
	"github.com/joinedup/joinedup/internal/revisions"
	"github.com/joinedup/joinedup/internal/web"
)

var providerCrumb = web.Crumb{Label: "Your organisation's services", Href: "/admin/provider"}

// A provider's pages: their organisation's services, proposing a change
// to one or a new one, and what became of their proposals. Nothing a
// provider does here is public until a directory editor approves it.

type providerHomeData struct {
	Organization directory.Organization
	Services     []directory.ServiceSummary
	Proposals    []providers.Proposal
}

// providerOrganization is the organisation the provider u is scoped to.
func (h *handlers) providerOrganization(ctx context.Context, u accounts.User) (directory.Organization, error) {
	if u.Organization == "" {
		return directory.Organization{}, errForbidden
	}
	o, err := h.directory.Organization(ctx, u.Organization)
	if errors.Is(err, db.ErrNotFound) {
		return o, web.NotFound("Your organisation is no longer in the directory.")
	}
	return o, err
}

func (h *handlers) providerHome(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	ctx := r.Context()
	o, err := h.providerOrganization(ctx, u)
	if err != nil {
		return err
	}
	d := providerHomeData{Organization: o}
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
	if d.Proposals, err = providers.NewStore(h.db).OfOrganization(ctx, o.ID); err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_provider.html", o.Name+": your services", u, dashboardCrumbs, d)
}

// providerService loads the service the route names, when it is the
// provider's organisation's.
func (h *handlers) providerService(r *http.Request, u accounts.User) (directory.Service, error) {
	svc, err := h.serviceByPath(r)
	if err != nil {
		return svc, err
	}
	if u.Organization == "" || svc.OrganizationID != u.Organization {
		return svc, errForbidden
	}
	return svc, nil
}

const proposalIntro = "Nothing you change here is public until a directory editor approves it. We email you when they have."

func (h *handlers) providerFormPage(w http.ResponseWriter, r *http.Request, u accounts.User, svc *directory.Service, f serviceForm,
	errs formErrors, status int) error {
	d, err := h.newServiceFormData(r.Context(), f, errs)
	if err != nil {
		return err
	}
	d.Intro = proposalIntro
	d.FixedOrganization = true
	title := "Propose a new service"
	d.Action, d.Submit = "/admin/provider/services", "Send the new service for approval"
	if svc != nil {
		title = "Propose a change to " + svc.Name
		d.Action, d.Submit = "/admin/provider/services/"+svc.ID, "Send the change for approval"
	}
	d.Heading = title
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, providerCrumb}
	return h.render(w, r, status, "admin_service.html", title, u, crumbs, d)
}

func (h *handlers) providerServiceForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	svc, err := h.providerService(r, u)
	if err != nil {
		return err
	}
	f := newServiceForm(svc)
	if f.Place, err = h.placeSlug(r.Context(), svc.PlaceID); err != nil {
		return err
	}
	return h.providerFormPage(w, r, u, &svc, f, formErrors{}, http.StatusOK)
}

func (h *handlers) providerNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	o, err := h.providerOrganization(r.Context(), u)
	if err != nil {
		return err
	}
	f := newServiceForm(directory.Service{Status: directory.StatusActive})
	f.Organization = o.Name
	return h.providerFormPage(w, r, u, nil, f, formErrors{}, http.StatusOK)
}

// providerRead reads the service form for a provider: the organisation is
// always theirs, whatever the form says.
func (h *handlers) providerRead(r *http.Request, u accounts.User, before directory.Service) (serviceForm, directory.Service, formErrors, error) {
	o, err := h.providerOrganization(r.Context(), u)
	if err != nil {
		return serviceForm{}, before, formErrors{}, err
	}
	f, svc, errs, err := h.readService(r, before, o.ID)
	f.Organization = o.Name
	return f, svc, errs, err
}

func (h *handlers) providerPropose(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.providerService(r, u)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f, svc, errs, err := h.providerRead(r, u, before)
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.providerFormPage(w, r, u, &before, f, errs, http.StatusUnprocessableEntity)
	}
	if err := h.propose(r.Context(), u, before.ID, svc); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/provider", "Thank you. A directory editor will check your change to "+svc.Name+
		"; it is not public until they approve it, and we will email you.")
}

func (h *handlers) providerProposeNew(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	blank := directory.Service{ID: directory.NewID(), Source: "local"}
	f, svc, errs, err := h.providerRead(r, u, blank)
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.providerFormPage(w, r, u, nil, f, errs, http.StatusUnprocessableEntity)
	}
	if err := h.propose(r.Context(), u, "", svc); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/provider", "Thank you. A directory editor will check "+svc.Name+
		"; it is not public until they approve it, and we will email you.")
}

// propose stores a provider's proposal. It changes no public page.
func (h *handlers) propose(ctx context.Context, u accounts.User, serviceID string, svc directory.Service) error {
	svc.Organization, svc.Terms = nil, nil
	return h.db.TxPrivate(ctx, func(q db.Querier) error {
		id, err := providers.NewStore(q).Propose(ctx, providers.Proposal{OrganizationID: u.Organization, ServiceID: serviceID,
			UserID: u.ID, Service: svc})
		if err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "proposal_made",
			Record: "proposal:" + strconv.FormatInt(id, 10), After: svc})
	})
}

// The directory editors' side: the proposals waiting, each compared field
// by field with the public record, approved or rejected with a reason.

type proposalListData struct {
	Proposals []providers.Proposal
	Names     map[string]string // organisation names by id
}

func (h *handlers) proposalList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	ctx := r.Context()
	list, err := providers.NewStore(h.db).Pending(ctx)
	if err != nil {
		return err
	}
	d := proposalListData{Proposals: list, Names: map[string]string{}}
	for _, p := range list {
		if _, ok := d.Names[p.OrganizationID]; ok {
			continue
		}
		o, err := h.directory.Organization(ctx, p.OrganizationID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		d.Names[p.OrganizationID] = o.Name
	}
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb}
	return h.render(w, r, http.StatusOK, "admin_proposals.html", "Providers' proposals", u, crumbs, d)
}

type proposalData struct {
	Proposal  providers.Proposal
	Author    string
	Changes   []revisions.Change
	Reason    string
	Errors    formErrors
	CanDecide bool
}

// Comparison compares the public record with the proposal.
func (d proposalData) Comparison() comparison {
	before := "The public record"
	if d.Proposal.New() {
		before = "(a new service)"
	}
	return comparison{Changes: d.Changes, Caption: "The public record and the provider's proposal, field by field",
		Before: before, After: "Proposed", Same: "The proposal is the same as the public record."}
}

func (h *handlers) proposalByPath(r *http.Request) (providers.Proposal, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return providers.Proposal{}, web.NotFound("")
	}
	return providers.NewStore(h.db).Proposal(r.Context(), id)
}

// comparable is a service as the comparison reads it: without what a read
// loads beside it or a save stamps.
func comparable(s directory.Service) []byte {
	s.Organization, s.Terms = nil, nil
	b, _ := json.Marshal(s)
	return b
}

func (h *handlers) proposalPage(w http.ResponseWriter, r *http.Request, u accounts.User, p providers.Proposal, reason string,
	errs formErrors, status int) error {
	ctx := r.Context()
	d := proposalData{Proposal: p, Reason: reason, Errors: errs, CanDecide: u.Can(accounts.EditDirectory) && p.Status == providers.Pending}
	if p.UserID != 0 {
		if a, err := h.users.ByID(ctx, p.UserID); err == nil {
			d.Author = a.DisplayName()
		}
	}
	var err error
	if p.New() {
		d.Changes, err = revisions.Fields(comparable(p.Service))
	} else {
		var public directory.Service
		public, err = h.directory.Service(ctx, p.ServiceID)
		if err != nil {
			return err
		}
		d.Changes, err = revisions.Compare(comparable(public), comparable(p.Service))
	}
	if err != nil {
		return err
	}
	crumbs := []web.Crumb{{Label: "Admin", Href: "/admin/"}, servicesCrumb, {Label: "Proposals", Href: "/admin/directory/proposals"}}
	return h.render(w, r, status, "admin_proposal.html", "Proposal: "+p.Service.Name, u, crumbs, d)
}

func (h *handlers) proposalShow(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	p, err := h.proposalByPath(r)
	if err != nil {
		return err
	}
	return h.proposalPage(w, r, u, p, "", formErrors{}, http.StatusOK)
}

// proposalDecide approves a proposal (saving it as an editor's change is
// saved: revision, audit, search index, Open Referral API) or rejects it
// with a reason; the provider is emailed either way.
func (h *handlers) proposalDecide(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	p, err := h.proposalByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	decision, reason := r.PostFormValue("decision"), formText(r, "reason")
	var errs formErrors
	switch {
	case p.Status != providers.Pending:
		errs.add("decision-approve", "This proposal has already been "+p.Status)
	case decision != "approve" && decision != "reject":
		errs.add("decision-approve", "Choose whether to approve the proposal or reject it")
	case decision == "reject" && reason == "":
		errs.add("reason", "Enter the reason for rejecting it, which we send to the provider")
	}
	checkLength(&errs, "reason", reason, "The reason", 2000)
	if errs.Any() {
		return h.proposalPage(w, r, u, p, reason, errs, http.StatusUnprocessableEntity)
	}
	ctx := r.Context()
	note := "Proposed by a provider (proposal " + strconv.FormatInt(p.ID, 10) + ")"
	if decision == "reject" {
		err = h.db.TxPrivate(ctx, func(q db.Querier) error {
			if err := providers.NewStore(q).Decide(ctx, p.ID, providers.Rejected, reason, u.Email); err != nil {
				return err
			}
			if err := accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "proposal_rejected",
				Record: "proposal:" + strconv.FormatInt(p.ID, 10), After: reason}); err != nil {
				return err
			}
			return h.providerMail.Decided(ctx, q, p, false, reason)
		})
	} else {
		err = h.db.Tx(ctx, func(q db.Querier) error {
			if err := providers.NewStore(q).Decide(ctx, p.ID, providers.Approved, "", u.Email); err != nil {
				return err
			}
			if p.New() {
				if err := h.createServiceIn(ctx, q, u, p.Service, note); err != nil {
					return err
				}
			} else {
				before, err := directory.NewStore(q).Service(ctx, p.ServiceID)
				if err != nil {
					return err
				}
				if err := h.saveServiceIn(ctx, q, u, before, p.Service, note, true); err != nil {
					return err
				}
			}
			return h.providerMail.Decided(ctx, q, p, true, "")
		})
	}
	if errors.Is(err, providers.ErrDecided) {
		errs.add("decision-approve", "This proposal has already been decided")
		return h.proposalPage(w, r, u, p, reason, errs, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	word := "approved: it is in the public directory"
	if decision == "reject" {
		word = "rejected: the public directory is unchanged"
	}
	return h.redirect(w, r, "/admin/directory/proposals", "The proposal for "+p.Service.Name+" is "+word+
		". We have emailed the provider.")
}

// decisionOptions are the radios of the decision form.
func (d proposalData) DecisionOptions() []option {
	return []option{{Value: "approve", Label: "Approve: make it public"}, {Value: "reject", Label: "Reject it, with a reason"}}
}
