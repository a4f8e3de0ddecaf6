package admin

import (
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/web"
)

// section is one section of the admin's navigation: the permission it
// needs, and the paths that belong to it besides its own.
type section struct {
	Label string
	Href  string
	Perm  accounts.Permission
	// Or is a second permission that also shows the section (one that
	// lets its pages be read), or "".
	Or accounts.Permission
	// Within are the path prefixes of the section's pages (Href itself,
	// and for example a meeting's pages in "Boards and meetings").
	Within []string
}

// sections are the admin's sections, in the order the navigation lists
// them. A user sees those their role permits.
var sections = []section{
	{"Admin home", "/admin/", accounts.ViewAdmin, "", nil},
	{"Places", "/admin/places", accounts.ViewPlaces, "", nil},
	{"Posts", "/admin/posts", accounts.ViewContent, "", nil},
	{"Events", "/admin/events", accounts.ViewContent, "", nil},
	{"Boards and meetings", "/admin/boards", accounts.ViewBoards, "", []string{"/admin/meetings"}},
	{"Residents' questions", "/admin/questions", accounts.ViewQuestions, "", nil},
	{"Other formats", "/admin/format-requests", accounts.AnswerFormatRequests, "", nil},
	{"Directory", "/admin/directory", accounts.ViewDirectory, "", nil},
	{"Your organisation's services", "/admin/provider", accounts.ProposeServices, "", nil},
	{"Media library", "/admin/media", accounts.ViewMedia, "", nil},
	{"Accounts", "/admin/users", accounts.ManageAccounts, "", nil},
	{"Audit log", "/admin/audit", accounts.ViewAudit, "", nil},
	{"Failed email", "/admin/mail", accounts.ManageAccounts, "", nil},
	{"Privacy notice", "/admin/privacy", accounts.EditPrivacyNotice, accounts.ViewPrivacyNotice, nil},
	{"Your account", "/admin/account/password", accounts.ViewAdmin, "", []string{"/admin/account"}},
}

// under reports whether path is prefix or a page below it.
func under(path, prefix string) bool {
	return path == prefix || strings.HasPrefix(path, strings.TrimSuffix(prefix, "/")+"/")
}

// shell is the admin's navigation for u on the page at r.
func shell(r *http.Request, u accounts.User) *web.AdminShell {
	s := &web.AdminShell{UserName: u.DisplayName(), Role: u.Role.Label()}
	if r.URL.Path == "/admin/search" {
		s.Search = r.URL.Query().Get("q")
	}
	for _, sec := range sections {
		if !u.Can(sec.Perm) && (sec.Or == "" || !u.Can(sec.Or)) {
			continue
		}
		cur := ""
		switch {
		case r.URL.Path == sec.Href:
			cur = "page"
		case sec.Href != "/admin/" && under(r.URL.Path, sec.Href):
			cur = "true"
		}
		for _, w := range sec.Within {
			if cur == "" && under(r.URL.Path, w) {
				cur = "true"
			}
		}
		s.Sections = append(s.Sections, web.AdminSection{Label: sec.Label, Href: sec.Href, Current: cur})
	}
	return s
}
