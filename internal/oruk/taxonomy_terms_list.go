package oruk

import (
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/directory"
)

// taxonomyTermsList answers GET /api/oruk/taxonomy_terms: a page of terms,
// of one taxonomy (taxonomy_id), under one parent (parent_id) or only the
// top ones (top_only).
func (a *api) taxonomyTermsList(r *http.Request) (any, error) {
	v := r.URL.Query()
	page, perPage, err := paging(v)
	if err != nil {
		return nil, err
	}
	var f directory.TermFilter
	if f.TaxonomyID, err = uuidParam(v, "taxonomy_id"); err != nil {
		return nil, err
	}
	if f.ParentID, err = uuidParam(v, "parent_id"); err != nil {
		return nil, err
	}
	if s := v.Get("top_only"); s != "" {
		if f.TopOnly, err = strconv.ParseBool(s); err != nil {
			return nil, badParameter("top_only", "top_only must be true or false")
		}
	}
	terms, total, err := a.store.TaxonomyTerms(r.Context(), f, page, perPage)
	if err != nil {
		return nil, err
	}
	out := make([]TaxonomyTerm, len(terms))
	for i, t := range terms {
		out[i] = fromTerm(t)
	}
	return newPage(out, total, page, perPage), nil
}
