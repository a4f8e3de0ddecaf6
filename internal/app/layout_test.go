package app

import (
	"regexp"
	"strings"
	"testing"
)

// Every page loads app.*.css; a page with a form loads forms.*.css as
// well, and a page without one does not.
func TestFormsStylesheetOnlyWithAForm(t *testing.T) {
	s := newTestSite(t)
	appCSS := regexp.MustCompile(`<link rel="stylesheet" href="/static/app\.[0-9a-f]{10}\.css"`)
	formsCSS := regexp.MustCompile(`<link rel="stylesheet" href="/static/forms\.[0-9a-f]{10}\.css"`)
	for _, path := range []string{"/", "/in-your-area/southwark", "/news", "/events", "/directory", "/search",
		"/about/data", "/privacy", "/admin/login", "/in-your-area/southwark/access", "/no-such-page"} {
		t.Run(path, func(t *testing.T) {
			_, body := s.get(path)
			if !appCSS.MatchString(body) {
				t.Error("the page does not load app.*.css")
			}
			hasForm := strings.Contains(body, "<form")
			if formsCSS.MatchString(body) != hasForm {
				t.Errorf("form on the page %v, forms.*.css loaded %v", hasForm, formsCSS.MatchString(body))
			}
		})
	}
}
