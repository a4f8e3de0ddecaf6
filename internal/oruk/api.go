package oruk

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/web"
)

// Root is where the API lives; every ORUK endpoint is under it.
const Root = "/api/oruk"

// api serves the ORUK endpoints from the directory.
type api struct {
	store   *directory.Store
	baseURL string // the site's public address, without a trailing slash
	log     *slog.Logger
}

// handler is an ORUK endpoint: it returns the value to send as JSON, or an
// error that becomes a JSON error response.
type handler func(r *http.Request) (any, error)

// Mount registers the ORUK API on the site.
func Mount(site *web.Site, store *directory.Store, log *slog.Logger) {
	a := &api{store: store, baseURL: site.Config().BaseURL, log: log}
	routes := map[string]handler{
		"":                           a.details,
		"/{$}":                       a.details,
		"/openapi.json":              a.openAPI,
		"/services":                  a.servicesList,
		"/services/{id}":             a.serviceShow,
		"/service_at_locations":      a.serviceAtLocationsList,
		"/service_at_locations/{id}": a.serviceAtLocationShow,
		"/organizations":             a.organizationsList,
		"/organizations/{id}":        a.organizationShow,
		"/taxonomies":                a.taxonomiesList,
		"/taxonomies/{id}":           a.taxonomyShow,
		"/taxonomy_terms":            a.taxonomyTermsList,
		"/taxonomy_terms/{id}":       a.taxonomyTermShow,
	}
	for pattern, h := range routes {
		// Cached until the directory changes: aggregators poll the same
		// pages, and a cached page keeps its CORS header.
		site.Get(Root+pattern, a.serve(h))
	}
	site.Get(Root+"/", a.serve(func(r *http.Request) (any, error) {
		return nil, notFound("There is no such endpoint in this API.")
	}))
	// Every other method, on every path of the API, gets a JSON 405.
	notAllowed := func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Allow", "GET, HEAD")
		w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD")
		a.writeError(w, r, &apiError{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed",
			Message: "This API is read only: use GET."})
		return nil
	}
	site.ReadOnly(Root, notAllowed)
	site.ReadOnly(Root+"/", notAllowed)
}

// apiError is an error response: its status, a code a program can test
// and a message a person can read.
type apiError struct {
	Status    int    `json:"-"`
	Code      string `json:"error"`
	Parameter string `json:"parameter,omitempty"`
	Message   string `json:"message"`
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func notFound(message string) error {
	return &apiError{Status: http.StatusNotFound, Code: "not_found", Message: message}
}

// badParameter names the query parameter that was wrong and says why.
func badParameter(name, message string) error {
	return &apiError{Status: http.StatusBadRequest, Code: "bad_parameter", Parameter: name, Message: message}
}

// serve adapts an endpoint: the CORS header on every response, the value as
// JSON (compressed, with an ETag), and errors as JSON too, never as the
// site's HTML error pages.
func (a *api) serve(h handler) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		v, err := h(r)
		if err != nil {
			a.writeError(w, r, err)
			return nil
		}
		body, err := json.Marshal(v)
		if err != nil {
			a.writeError(w, r, err)
			return nil
		}
		web.WriteBody(w, r, http.StatusOK, "application/json", body)
		return nil
	}
}

// writeError is the one place the API turns errors into responses: a
// db.ErrNotFound is a 404, an apiError carries its own status, and anything
// else is a 500 whose cause is logged, not shown.
func (a *api) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ae *apiError
	switch {
	case errors.As(err, &ae):
	case errors.Is(err, db.ErrNotFound):
		ae = &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "There is no record with that id."}
	default:
		a.log.Error("oruk request failed", slog.String("path", r.URL.Path), slog.Any("err", err))
		ae = &apiError{Status: http.StatusInternalServerError, Code: "server_error",
			Message: "Something went wrong on our side. Please try again later."}
	}
	body, _ := json.Marshal(ae)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "no-store")
	web.WriteBody(w, r, ae.Status, "application/json", body)
}

// services loads the services with the given ids whole and maps them.
func (a *api) services(r *http.Request, ids []string) ([]Service, error) {
	svcs, err := a.store.Services(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make([]Service, len(svcs))
	for i, s := range svcs {
		out[i] = fromService(s, true)
	}
	return out, nil
}
