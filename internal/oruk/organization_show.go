package oruk

import "net/http"

// organizationShow answers GET /api/oruk/organizations/{id}: the
// organisation with its services, fully nested.
func (a *api) organizationShow(r *http.Request) (any, error) {
	o, err := a.store.Organization(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	ids, err := a.store.OrganizationServiceIDs(r.Context(), o.ID)
	if err != nil {
		return nil, err
	}
	out := fromOrganization(o)
	if out.Services, err = a.services(r, ids); err != nil {
		return nil, err
	}
	return out, nil
}
