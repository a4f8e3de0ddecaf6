package admin

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzPlaceForm: any submitted place form is either refused with a message
// for each problem or becomes a place whose links are web addresses.
//
//	go test -run '^$' -fuzz FuzzPlaceForm -fuzztime 30s ./internal/admin/
func FuzzPlaceForm(f *testing.F) {
	f.Add("name=Southwark&partners=1&partner-0-name=Council&partner-0-url=https://www.southwark.gov.uk&pop_value=319610&pop_source=ONS&pop_as_of=2024")
	f.Add("name=&partners=-5&socials=99999999999&pop_value=1e9")
	f.Add("name=X&partners=1&partner-0-url=javascript:alert(1)&partner-0-name=Y")
	f.Add("name=X&socials=1&social-0-url=https://x.example/%3Cscript%3E&social-0-network=X&social-0-handle=@x")
	f.Fuzz(func(t *testing.T, body string) {
		if _, err := url.ParseQuery(body); err != nil {
			return
		}
		r := httptest.NewRequest(http.MethodPost, "/admin/places/southwark", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form := readPlaceForm(r, "southwark", nil)
		if len(form.Partners) > maxRows || len(form.Socials) > maxRows {
			t.Fatalf("%d partner and %d social rows read", len(form.Partners), len(form.Socials))
		}
		p, errs := form.place(1)
		if errs.Any() {
			return
		}
		for _, pt := range p.Partners {
			if checkURL(pt.URL, "x") != "" {
				t.Fatalf("partner link %q accepted", pt.URL)
			}
		}
		for _, so := range p.Socials {
			if checkURL(so.URL, "x") != "" {
				t.Fatalf("social link %q accepted", so.URL)
			}
		}
	})
}
