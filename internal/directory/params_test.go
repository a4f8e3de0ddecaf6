package directory

import (
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
)

var paramsTerms = []TaxonomyTerm{TermGPPractice, TermPharmacy}

func TestParseSearch(t *testing.T) {
	tests := []struct {
		query string
		check func(t *testing.T, p searchParams)
	}{
		{"", func(t *testing.T, p searchParams) {
			if p.Searched || len(p.Errors) > 0 || p.Page != 1 {
				t.Errorf("an empty query: searched %v, errors %v, page %d", p.Searched, p.Errors, p.Page)
			}
		}},
		{"q=++pharmacy%0A++&postcode=se19rt&category=ro182&open=now&age=8&free=on&page=2", func(t *testing.T, p searchParams) {
			q := p.Query
			if q.Text != "pharmacy" || p.Postcode != "SE1 9RT" || p.Form.Postcode != "SE1 9RT" ||
				!slices.Equal(q.TermIDs, []string{TermPharmacy.ID}) || *q.Age != 8 || !q.FreeOnly || !p.Form.OpenNow ||
				q.Page != 2 || q.PerPage != resultsPerPage || p.RadiusMiles != defaultRadius || q.RadiusMetres != 5*metresPerMile {
				t.Errorf("got %+v from a full query", p)
			}
			if len(p.Errors) > 0 {
				t.Errorf("errors: %v", p.Errors)
			}
		}},
		{"category=" + TermGPPractice.ID + "&day=Saturday&radius=25&postcode=SE5+8AZ", func(t *testing.T, p searchParams) {
			if !slices.Equal(p.Query.TermIDs, []string{TermGPPractice.ID}) || p.Query.Weekday != 6 || p.RadiusMiles != 25 {
				t.Errorf("got %+v", p.Query)
			}
		}},
		{"radius=10", func(t *testing.T, p searchParams) {
			if p.Query.RadiusMetres != 0 || p.Searched {
				t.Errorf("a radius without a postcode limits nothing: %+v", p.Query)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, parseSearch(v, paramsTerms))
		})
	}
}

func TestParseSearchRejects(t *testing.T) {
	tests := []struct {
		query, field, message string
		blocking              bool
	}{
		{"age=abc", "age", "Enter the age in whole years, like 8", true},
		{"age=121", "age", "Age must be 120 or less", true},
		{"age=99999999999999999999", "age", "Age must be 120 or less", true},
		{"age=-1", "age", "Age must be 0 or more", true},
		{"age=8.5", "age", "Enter the age in whole years, like 8", true},
		{"radius=3", "radius", "Choose a distance from the list", true},
		{"radius=five", "radius", "Choose a distance from the list", true},
		{"day=funday", "day", "Choose a day of the week from the list", true},
		{"day=monday&open=now", "day", "Choose a day or open now, not both", true},
		{"open=later", "open", "To see only services open now, tick the box; otherwise leave it empty", true},
		{"free=maybe", "free", "To see only free services, tick the box; otherwise leave it empty", true},
		{"category=RO999", "category", "Choose a type of service from the list", true},
		{"q=" + strings.Repeat("a", 101), "q", "Keywords must be 100 characters or fewer", true},
		{"postcode=SE1", "postcode", "Enter a full UK postcode, like SE1 2QH, or search without a postcode", false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, _ := url.ParseQuery(tt.query)
			p := parseSearch(v, paramsTerms)
			want := []fieldError{{tt.field, tt.message}}
			if !reflect.DeepEqual(p.Errors, want) {
				t.Errorf("errors = %v, want %v", p.Errors, want)
			}
			if p.blocking() != tt.blocking || !p.Searched {
				t.Errorf("blocking = %v, searched = %v; want blocking %v and searched", p.blocking(), p.Searched, tt.blocking)
			}
		})
	}
	for _, page := range []string{"0", "-2", "two", "+3", "1e3"} {
		v := url.Values{"page": {page}, "q": {"x"}}
		if p := parseSearch(v, paramsTerms); p.Page != 0 || p.Query.Page != 1 {
			t.Errorf("page=%s: Page %d, Query.Page %d; want 0 and 1", page, p.Page, p.Query.Page)
		}
	}
}

// FuzzSearchParams feeds arbitrary query strings to the search's
// parameter parser: it must never panic, must keep what it accepts in
// range, and a search it accepts must survive being turned back into a
// query string (the share link, the pages) unchanged.
//
//	go test -run '^$' -fuzz FuzzSearchParams -fuzztime 30s ./internal/directory/
func FuzzSearchParams(f *testing.F) {
	for _, s := range []string{
		"", "q=pharmacy&postcode=SE1+7EH", "category=RO182&postcode=se19rt&radius=1&open=now&age=8&free=on&page=3",
		"day=sunday&age=120", "age=-1&radius=3&page=0", "postcode=%FF%FE&q=%00", "q=a&q=b&page=99999999999999999999",
		"category=" + TermGPPractice.ID, "open=now&day=monday", "free=yes",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p := parseSearch(v, paramsTerms)
		q := p.Query
		if q.Age != nil && (*q.Age < 0 || *q.Age > maxAge) {
			t.Fatalf("accepted age %d", *q.Age)
		}
		if !slices.Contains(radiusChoices, p.RadiusMiles) {
			t.Fatalf("accepted radius %d", p.RadiusMiles)
		}
		if q.Weekday < 0 || q.Weekday > 7 || p.Page < 0 || q.Page < 1 || q.PerPage != resultsPerPage {
			t.Fatalf("out of range: weekday %d, page %d, query page %d", q.Weekday, p.Page, q.Page)
		}
		if len([]rune(q.Text)) > maxKeywords && !p.blocking() {
			t.Fatalf("accepted %d characters of keywords", len([]rune(q.Text)))
		}
		for _, e := range p.Errors {
			if e.Field == "" || e.Message == "" {
				t.Fatalf("an error without a field or message: %+v", e)
			}
		}
		if len(p.Errors) > 0 || p.Page < 1 {
			return
		}
		again := parseSearch(p.values(p.Page), paramsTerms)
		if p.Postcode == "" {
			// A distance without a postcode limits nothing, so the query
			// string leaves it out.
			again.Form.Radius, again.RadiusMiles = p.Form.Radius, p.RadiusMiles
		}
		if len(again.Errors) > 0 || !reflect.DeepEqual(again.Form, p.Form) || !reflect.DeepEqual(again.Query, p.Query) ||
			again.Postcode != p.Postcode {
			t.Fatalf("the search changed on a round trip through its query string:\n%+v\n%+v", p, again)
		}
	})
}
