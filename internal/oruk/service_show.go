package oruk

import "net/http"

// serviceShow answers GET /api/oruk/services/{id}: one service, fully
// nested.
func (a *api) serviceShow(r *http.Request) (any, error) {
	svc, err := a.store.Service(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return fromService(svc, true), nil
}
