package admin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
)

// A route that does not say what it needs, or says it wrongly, must not
// be registered at all.
func TestHandleRefusesRoutesWithoutAPermission(t *testing.T) {
	noop := func(http.ResponseWriter, *http.Request, accounts.User) error { return nil }
	for _, c := range []struct {
		pattern string
		perm    accounts.Permission
	}{
		{"GET /admin/things", ""},
		{"GET /admin/things", "edit_thigns"},
		{"POST /admin/places", accounts.EditPlace}, // place-scoped, with no {place}
		{"/admin/things", accounts.ViewAdmin},      // no method
		{"GET /things", accounts.ViewAdmin},        // outside the admin
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Handle(%q, %q) registered the route", c.pattern, c.perm)
				}
			}()
			(&Router{}).Handle(c.pattern, c.perm, noop)
		}()
	}
}

func TestRoutesNamePermissions(t *testing.T) {
	for _, r := range Routes() {
		if !r.Permission.Known() {
			t.Errorf("%s needs unknown permission %q", r.Pattern(), r.Permission)
		}
		if r.Permission == accounts.Anyone && !strings.HasPrefix(r.Path, "/admin/login") &&
			!strings.HasPrefix(r.Path, "/admin/setup") && !strings.HasPrefix(r.Path, "/admin/reset") {
			t.Errorf("%s is open to anyone: only login, setup and reset may be", r.Pattern())
		}
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/admin/places":         "/admin/places",
		"//evil.example/admin/": "/admin/",
		"https://evil.example":  "/admin/",
		"/admin/login?next=x":   "/admin/",
		`/admin/\evil`:          "/admin/",
		"":                      "/admin/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
