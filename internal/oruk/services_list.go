package oruk

import "net/http"

// servicesList answers GET /api/oruk/services: a page of services, fully
// nested, that pass the filters; nearest first when near a postcode.
func (a *api) servicesList(r *http.Request) (any, error) {
	q, err := a.searchQuery(r)
	if err != nil {
		return nil, err
	}
	// A feed read whole is paged by its total; a search is counted so far.
	q.ExactTotal = q.Text == "" && q.Near == nil
	res, err := a.store.Search(r.Context(), q)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ServiceID
	}
	svcs, err := a.services(r, ids)
	if err != nil {
		return nil, err
	}
	return searchPage(svcs, res, q.Page, q.PerPage), nil
}
