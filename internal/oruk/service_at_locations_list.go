package oruk

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/directory"
)

// serviceAtLocationsList answers GET /api/oruk/service_at_locations: a page
// of services at locations that pass the filters, nearest first when near
// a postcode (proximity in metres limits how far).
func (a *api) serviceAtLocationsList(r *http.Request) (any, error) {
	q, err := a.searchQuery(r)
	if err != nil {
		return nil, err
	}
	q.ByLocation = true
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
	svcs, err := a.store.Services(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]directory.Service, len(svcs))
	for _, s := range svcs {
		byID[s.ID] = s
	}
	out := make([]ServiceAtLocation, 0, len(res.Hits))
	for _, h := range res.Hits {
		svc, ok := byID[h.ServiceID]
		if !ok {
			continue
		}
		for _, sl := range svc.Locations {
			if sl.ID == h.ServiceAtLocationID {
				out = append(out, fromServiceAtLocation(svc, sl))
			}
		}
	}
	return searchPage(out, res, q.Page, q.PerPage), nil
}
