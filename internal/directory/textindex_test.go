package directory

import (
	"context"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Saving a service again replaces its one index row, so old words stop
// matching and new ones match at once.
func TestTextIndexFollowsEdits(t *testing.T) {
	d := openSearchDB(t)
	ctx := context.Background()
	org := Organization{ID: DerivedID("test", "org-edit"), Name: "Peckham Community Trust"}
	svc := Service{ID: DerivedID("test", "svc-edit"), OrganizationID: org.ID, Name: "Lunch club", Description: "Hot meals."}
	save := func(s Service) {
		t.Helper()
		if err := d.Tx(ctx, func(q db.Querier) error {
			st := NewStore(q)
			if err := st.SaveOrganization(ctx, org); err != nil {
				return err
			}
			_, err := st.SaveService(ctx, s)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	found := func(text string) int {
		t.Helper()
		res, err := NewStore(d).Search(ctx, Query{Text: text, PerPage: 10, Page: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	save(svc)
	svc.Name, svc.Description = "Supper club", "Evening meals."
	save(svc)
	var rows int
	indexRows := map[db.Engine]string{db.SQLite: `SELECT COUNT(*) FROM dir_services_fts`,
		db.Postgres: `SELECT COUNT(*) FROM dir_services WHERE search_document <> ''::tsvector`}
	if err := d.QueryRowContext(ctx, indexRows[d.Engine()]).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != 1 || found("lunch") != 0 || found("supper") != 1 || found("peckham") != 1 {
		t.Fatalf("index rows %d; lunch %d, supper %d, peckham %d: want 1; 0, 1, 1", rows, found("lunch"), found("supper"), found("peckham"))
	}
}

// Saving keeps the times the caller gave, and working out whether anything
// changed does not alter the caller's service.
func TestSaveKeepsGivenTimes(t *testing.T) {
	d := openSearchDB(t)
	ctx := context.Background()
	when := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	org := Organization{ID: DerivedID("test", "org-times"), Name: "Org"}
	svc := Service{ID: DerivedID("test", "svc-times"), OrganizationID: org.ID, Name: "Service", LastModified: when,
		Locations: []ServiceLocation{{ID: DerivedID("test", "sal-times"), Location: Location{ID: DerivedID("test", "loc-times"), LastModified: when}}}}
	if err := d.Tx(ctx, func(q db.Querier) error {
		st := NewStore(q)
		if err := st.SaveOrganization(ctx, org); err != nil {
			return err
		}
		_, err := st.SaveService(ctx, svc)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !svc.Locations[0].Location.LastModified.Equal(when) {
		t.Error("saving changed the caller's location")
	}
	var stored time.Time
	if err := d.QueryRowContext(ctx, `SELECT last_modified FROM dir_locations WHERE id = $1`, svc.Locations[0].Location.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !stored.Equal(when) {
		t.Errorf("location stored as modified %v, want %v", stored, when)
	}
}

// FuzzTextMatchQuery: whatever a resident types in the directory's keyword
// box, the text index's query for it runs without error on the engine
// under test, with and without the other search filters.
//
//	go test -run '^$' -fuzz FuzzTextMatchQuery -fuzztime 30s ./internal/directory/
func FuzzTextMatchQuery(f *testing.F) {
	for _, seed := range []string{"pharmacy", "pharm", "gp ", `"quoted" AND (x OR y)`, "a & b | !c <-> d:*", "NEAR(a b)", "café naïve", "the", "'; DROP TABLE x; --"} {
		f.Add(seed)
	}
	d := openSearchDB(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, text string) {
		for _, q := range []Query{{Text: text}, {Text: text, Near: &Point{Lat: 51.5, Lon: -0.1}, RadiusMetres: 1000, FreeOnly: true}} {
			if _, err := NewStore(d).Search(ctx, q); err != nil {
				t.Fatalf("%q on %s: %v", text, d.Engine(), err)
			}
		}
	})
}
