package oruk

import "net/http"

// taxonomyTermShow answers GET /api/oruk/taxonomy_terms/{id}.
func (a *api) taxonomyTermShow(r *http.Request) (any, error) {
	t, err := a.store.TaxonomyTerm(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return fromTerm(t), nil
}
