package oruk

import "net/http"

// details answers GET /api/oruk/: the API's version, profile and OpenAPI
// description.
func (a *api) details(r *http.Request) (any, error) {
	return APIDetails{Version: Version, Profile: Profile, OpenAPIURL: a.baseURL + Root + "/openapi.json"}, nil
}
