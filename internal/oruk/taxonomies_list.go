package oruk

import "net/http"

// taxonomiesList answers GET /api/oruk/taxonomies: a page of taxonomies.
func (a *api) taxonomiesList(r *http.Request) (any, error) {
	page, perPage, err := paging(r.URL.Query())
	if err != nil {
		return nil, err
	}
	ts, total, err := a.store.Taxonomies(r.Context(), page, perPage)
	if err != nil {
		return nil, err
	}
	out := make([]Taxonomy, len(ts))
	for i, t := range ts {
		out[i] = fromTaxonomy(t)
	}
	return newPage(out, total, page, perPage), nil
}
