package directory_test

import (
	"context"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/directory"
)

// TestSearchIndexesFollowWrites checks that what the search reads besides
// the services themselves (positions, the vocabulary) follows every save:
// a moved location is found where it is now and not where it was, a
// location another service shares moves for both, a service that is no
// longer there at a location is not found there, and a word no longer used
// is no longer suggested.
func TestSearchIndexesFollowWrites(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	org := directory.Organization{ID: directory.DerivedID("idx", "org"), Name: "Index Trust"}
	a, b := directory.Point{Lat: 51.50, Lon: -0.10}, directory.Point{Lat: 53.48, Lon: -2.24} // London, Manchester
	loc := func(p directory.Point) directory.Location {
		return directory.Location{ID: directory.DerivedID("idx", "location"), Latitude: &p.Lat, Longitude: &p.Lon}
	}
	svc := func(key, name string, p directory.Point) directory.Service {
		return directory.Service{ID: directory.DerivedID("idx", key), OrganizationID: org.ID, Name: name,
			Locations: []directory.ServiceLocation{{ID: directory.DerivedID("idx", "sal", key), Location: loc(p)}}}
	}
	save := func(svcs ...directory.Service) {
		t.Helper()
		if err := d.Tx(ctx, func(q db.Querier) error {
			st := directory.NewStore(q)
			if err := st.SaveOrganization(ctx, org); err != nil {
				return err
			}
			for _, s := range svcs {
				if _, err := st.SaveService(ctx, s); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	st := directory.NewStore(d)
	near := func(p directory.Point) []string {
		t.Helper()
		res, err := st.Search(ctx, directory.Query{Near: &p, RadiusMetres: 2000})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, h := range res.Hits {
			s, err := st.Service(ctx, h.ServiceID)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, s.Name)
		}
		return names
	}
	suggest := func(text string) string {
		t.Helper()
		res, err := st.Search(ctx, directory.Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		return res.Suggestion
	}
	equal := func(what string, got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: %q, want %q", what, got, want)
			return
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: %q, want %q", what, got, want)
			}
		}
	}

	save(svc("one", "Xylophone Lessons", a), svc("two", "Zither Circle", a))
	equal("saved in London, near London", near(a), "Xylophone Lessons", "Zither Circle")
	equal("saved in London, near Manchester", near(b))
	if got := suggest("xylophne "); got != "xylophone" {
		t.Errorf("suggestion %q, want xylophone", got)
	}

	// The shared location moves: both services move with it.
	one := svc("one", "Xylophone Lessons", b)
	save(one)
	equal("moved, near London", near(a))
	equal("moved, near Manchester", near(b), "Xylophone Lessons", "Zither Circle")

	// A service renamed and taken away from its location.
	one.Name, one.Locations = "Marimba Lessons", nil
	save(one)
	equal("left its location, near Manchester", near(b), "Zither Circle")
	if got := suggest("xylophne "); got != "" {
		t.Errorf("after the rename: suggestion %q for a word no longer used", got)
	}
	if got := suggest("marimab "); got != "marimba" {
		t.Errorf("after the rename: suggestion %q, want marimba", got)
	}
}
