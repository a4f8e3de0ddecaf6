package news

import (
	"net/url"
	"testing"
)

// FuzzParseSelection: whatever filters a URL carries, the listing either
// explains each bad one or selects real places and themes, and the links
// it makes from the selection read back as the same selection.
//
//	go test -run '^$' -fuzz FuzzParseSelection -fuzztime 30s ./internal/news/
func FuzzParseSelection(f *testing.F) {
	for _, seed := range []string{"type=story&place=southwark&theme=carers&page=2", "type=poem", "page=-1", "place=%22%3E%3Cscript%3E", "page=99999999999999999999"} {
		f.Add(seed)
	}
	opts := options{
		Places: []Place{{ID: 1, Slug: "southwark", Name: "Southwark"}, {ID: 2, Slug: "lambeth", Name: "Lambeth"}},
		Themes: []Theme{{ID: 7, Slug: "carers", Name: "Carers"}},
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		s := parseSelection(q, opts, true)
		if s.Page < 1 || (s.Place != "" && s.Filter.PlaceID == 0) || (s.Theme != "" && s.Filter.ThemeID == 0) {
			t.Fatalf("%q gave an impossible selection %+v", raw, s)
		}
		if len(s.Errors) > 0 {
			return
		}
		link, err := url.Parse(s.url("/news", s.Page))
		if err != nil {
			t.Fatalf("%q: link %q does not parse", raw, s.url("/news", s.Page))
		}
		again := parseSelection(link.Query(), opts, true)
		if again.Type != s.Type || again.Place != s.Place || again.Theme != s.Theme || again.Page != s.Page || len(again.Errors) > 0 {
			t.Fatalf("%q: link %q reads back as %+v, not %+v", raw, link, again, s)
		}
	})
}
