// Package admin is the editors' admin: signing in and out, accounts, and
// editing the site's content. Every route is registered through Router,
// whose only registration method takes the permission the route needs.
package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/alexedwards/scs/v2"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

// Route is an admin route and the permission it needs.
type Route struct {
	Method     string
	Path       string
	Permission accounts.Permission
}

// Pattern is the route as http.ServeMux reads it: "GET /admin/places".
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// HandlerFunc handles an admin request for the signed-in user u (the zero
// User on routes open to Anyone when nobody is signed in).
type HandlerFunc func(w http.ResponseWriter, r *http.Request, u accounts.User) error

// Router registers admin routes, each behind the check of its permission,
// and remembers them so tests can check every one.
type Router struct {
	site     *web.Site
	sessions *scs.SessionManager
	users    *accounts.Store
	// placeID finds the id of the place a place-scoped route names.
	placeID func(ctx context.Context, slug string) (int64, error)
	routes  []Route
}

// Handle registers h for pattern ("METHOD /admin/..."), for users whose
// role grants perm. Anonymous visitors are sent to the login page (GET) or
// refused (POST); signed-in users without perm are refused. A place-scoped
// perm is checked against the place named by the route's {place}.
func (rt *Router) Handle(pattern string, perm accounts.Permission, h HandlerFunc) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || (method != http.MethodGet && method != http.MethodPost) || !strings.HasPrefix(path, "/admin/") {
		panic(fmt.Sprintf("admin: route %q must be GET or POST under /admin/", pattern))
	}
	if !perm.Known() {
		panic(fmt.Sprintf("admin: route %q needs permission %q, which is not one of accounts.Permissions", pattern, perm))
	}
	if perm.PlaceScoped() && !strings.Contains(path, "{place}") {
		panic(fmt.Sprintf("admin: route %q needs %s, which is checked against a {place} it does not have", pattern, perm))
	}
	rt.routes = append(rt.routes, Route{Method: method, Path: path, Permission: perm})
	if rt.site == nil {
		return
	}
	rt.site.Private(pattern, func(w http.ResponseWriter, r *http.Request) error {
		u, signedIn, err := accounts.SessionUser(r.Context(), rt.sessions, rt.users)
		if err != nil {
			return err
		}
		if perm != accounts.Anyone {
			if !signedIn {
				if r.Method == http.MethodGet || r.Method == http.MethodHead {
					http.Redirect(w, r, "/admin/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return nil
				}
				return &web.StatusError{Status: http.StatusForbidden, Message: "You are not signed in. Sign in, then try again."}
			}
			if !u.Can(perm) {
				return errForbidden
			}
			if perm.PlaceScoped() {
				id, err := rt.placeID(r.Context(), r.PathValue("place"))
				if errors.Is(err, db.ErrNotFound) {
					return web.NotFound("")
				}
				if err != nil {
					return err
				}
				if !u.CanEditPlace(id) {
					return errForbidden
				}
			}
		}
		return h(w, r, u)
	}, rt.sessions.LoadAndSave)
}

var errForbidden = &web.StatusError{Status: http.StatusForbidden,
	Message: "Your account does not allow this. Ask an administrator if you need to do it."}

// Routes lists every admin route with the permission it needs, in the
// order registered.
func Routes() []Route {
	rt := &Router{}
	register(rt, &handlers{})
	return rt.routes
}

// safeNext returns next when it is a path in the admin, else the dashboard,
// so the login form cannot send anyone to another site.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") &&
		!strings.HasPrefix(next, "/admin/login") && !strings.HasPrefix(next, "/admin/logout") {
		return next
	}
	return "/admin/"
}
