package oruk

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/directory"
)

// maxTermsShown bounds the terms listed inside one taxonomy; the rest are
// a page of /taxonomy_terms?taxonomy_id= away.
const maxTermsShown = 1000

// taxonomyShow answers GET /api/oruk/taxonomies/{id}: a taxonomy with its
// terms.
func (a *api) taxonomyShow(r *http.Request) (any, error) {
	t, err := a.store.Taxonomy(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	terms, _, err := a.store.TaxonomyTerms(r.Context(), directory.TermFilter{TaxonomyID: t.ID}, 1, maxTermsShown)
	if err != nil {
		return nil, err
	}
	out := fromTaxonomy(t)
	for _, term := range terms {
		tt := fromTerm(term)
		tt.Taxonomy = t.Name
		out.TaxonomyTerms = append(out.TaxonomyTerms, tt)
	}
	return out, nil
}
