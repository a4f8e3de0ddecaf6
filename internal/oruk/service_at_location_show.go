package oruk

import "net/http"

// serviceAtLocationShow answers GET /api/oruk/service_at_locations/{id}:
// the location and the whole service delivered there.
func (a *api) serviceAtLocationShow(r *http.Request) (any, error) {
	svc, sl, err := a.store.ServiceAtLocation(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return fromServiceAtLocation(svc, sl), nil
}
