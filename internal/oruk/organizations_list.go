package oruk

import "net/http"

// organizationsList answers GET /api/oruk/organizations: a page of
// organisations, in name order. (The UK profile drops this endpoint; core
// HSDS 3.0 has it, and the validator tests it as optional.)
func (a *api) organizationsList(r *http.Request) (any, error) {
	page, perPage, err := paging(r.URL.Query())
	if err != nil {
		return nil, err
	}
	orgs, total, err := a.store.Organizations(r.Context(), page, perPage)
	if err != nil {
		return nil, err
	}
	out := make([]Organization, len(orgs))
	for i, o := range orgs {
		out[i] = fromOrganization(o)
	}
	return newPage(out, total, page, perPage), nil
}
