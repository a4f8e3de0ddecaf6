package directory

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// fullService is a service with one of everything that can hang off it.
func fullService(org Organization, n int) Service {
	key := func(kind string) string { return DerivedID("read-test", kind, string(rune('a'+n))) }
	lat, lon := 51.47, -0.07
	amount := 12.5
	interval := 1
	loc := Location{ID: key("location"), LocationType: "physical", Name: "Hall", Description: "The church hall.",
		Latitude: &lat, Longitude: &lon, ExternalIdentifier: "100023", ExternalIdentifierType: "UPRN",
		Addresses:     []Address{{ID: key("address"), Address1: "1 Rye Lane", City: "London", PostalCode: "SE15 4RX", Country: "GB", AddressType: "physical"}},
		Accessibility: []Accessibility{{ID: key("access"), Description: "Step-free entrance", URL: "https://example.org/access"}},
		Phones:        []Phone{{ID: key("loc-phone"), Number: "020 7000 0001", Description: "Hall office"}},
		LastModified:  time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)}
	return Service{
		ID: key("service"), OrganizationID: org.ID, Name: "Service " + string(rune('A'+n)), Description: "Help.",
		URL: "https://example.org/s", Email: "help@example.org", Status: StatusActive, Accreditations: "Quality mark",
		MinimumAge: ptr(5), MaximumAge: ptr(15), AssuredDate: "2025-01-01", Alert: "Closed on bank holidays.", Free: true,
		Source: "local", LastModified: time.Date(2025, 5, 2, 10, 0, 0, 0, time.UTC),
		Locations: []ServiceLocation{{ID: key("sal"), Location: loc,
			Schedules: []Schedule{{ID: key("sal-schedule"), Freq: "WEEKLY", ByDay: "SA", OpensAt: "10:00", ClosesAt: "12:00"}}}},
		Schedules: []Schedule{{ID: key("schedule"), Freq: "WEEKLY", Interval: &interval, ByDay: "MO,TU", OpensAt: "09:00",
			ClosesAt: "17:00", Description: "Weekdays.", ValidFrom: "2025-01-01"}},
		Contacts: []Contact{{ID: key("contact"), Name: "Ann Persona", Title: "Manager", Email: "ann@example.org",
			Phones: []Phone{{ID: key("contact-phone"), Number: "020 7000 0002"}}}},
		Phones:       []Phone{{ID: key("phone"), Number: "020 7000 0003"}},
		CostOptions:  []CostOption{{ID: key("cost"), Option: "Session", Amount: &amount, AmountDescription: "per hour"}},
		Languages:    []Language{{ID: key("lang"), Name: "Welsh", Code: "cy"}},
		ServiceAreas: []ServiceArea{{ID: key("area"), Name: "Southwark", Extent: "E09000028", ExtentType: "ons"}},
		TermIDs:      []string{termFood.ID},
	}
}

// countingQuerier counts the queries a store runs.
type countingQuerier struct {
	db.Querier
	n *atomic.Int64
}

func (c countingQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	return c.Querier.QueryContext(ctx, query, args...)
}

func (c countingQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	return c.Querier.QueryRowContext(ctx, query, args...)
}

func TestReadWholeService(t *testing.T) {
	d := openSearchDB(t)
	seedSearch(t, d)
	ctx := context.Background()
	org := Organization{ID: DerivedID("test", "org"), Name: "Southwark Community Trust", Description: "A charity.", Source: "local"}
	var saved []Service
	err := d.Tx(ctx, func(q db.Querier) error {
		for i := 0; i < 20; i++ {
			svc := fullService(org, i)
			if _, err := NewStore(q).SaveService(ctx, svc); err != nil {
				return err
			}
			saved = append(saved, svc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st := NewStore(d)
	got, err := st.Service(ctx, saved[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := saved[3]
	if got.Organization == nil || got.Organization.Name != org.Name {
		t.Fatalf("organization = %+v", got.Organization)
	}
	if len(got.Terms) != 1 || got.Terms[0] != termFood {
		t.Errorf("terms = %+v", got.Terms)
	}
	got.Organization, got.Terms = nil, nil
	// SaveService stamps locations with the time it wrote them (its content
	// hash clears the caller's location times).
	for i := range got.Locations {
		if got.Locations[i].Location.LastModified.IsZero() {
			t.Error("location read without its last modified time")
		}
		got.Locations[i].Location.LastModified = want.Locations[i].Location.LastModified
	}
	if gj, wj := jsonOf(t, got), jsonOf(t, want); gj != wj {
		t.Errorf("read back differs:\n got %s\nwant %s", gj, wj)
	}

	// Many at once, in the order asked, unknown ids left out, in a fixed
	// number of queries however many services.
	var n atomic.Int64
	counted := NewStore(countingQuerier{d, &n})
	ids := []string{saved[5].ID, NewID(), saved[1].ID, saved[5].ID}
	svcs, err := counted.Services(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 2 || svcs[0].ID != saved[5].ID || svcs[1].ID != saved[1].ID {
		t.Fatalf("Services returned %d in the wrong order", len(svcs))
	}
	few := n.Swap(0)
	all := make([]string, len(saved))
	for i, s := range saved {
		all[i] = s.ID
	}
	if svcs, err = counted.Services(ctx, all); err != nil || len(svcs) != 20 {
		t.Fatalf("Services: %d, %v", len(svcs), err)
	}
	if many := n.Load(); many != few {
		t.Errorf("2 services took %d queries, 20 took %d: loads must be batched", few, many)
	}

	if _, err := st.Service(ctx, NewID()); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown service: %v, want ErrNotFound", err)
	}
	svc, sl, err := st.ServiceAtLocation(ctx, saved[2].Locations[0].ID)
	if err != nil || svc.ID != saved[2].ID || sl.Location.ID != saved[2].Locations[0].Location.ID || len(sl.Schedules) != 1 {
		t.Errorf("ServiceAtLocation = %s, %+v, %v", svc.ID, sl, err)
	}
	if _, _, err := st.ServiceAtLocation(ctx, NewID()); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown service at location: %v", err)
	}
}

func TestReadTaxonomiesAndOrganizations(t *testing.T) {
	d := openSearchDB(t)
	seedSearch(t, d)
	ctx := context.Background()
	st := NewStore(d)
	taxes, total, err := st.Taxonomies(ctx, 1, 1)
	if err != nil || total != 2 || len(taxes) != 1 || taxes[0].ID != otherTax.ID {
		t.Errorf("Taxonomies page 1 = %+v, %d, %v", taxes, total, err)
	}
	terms, total, err := st.TaxonomyTerms(ctx, TermFilter{TaxonomyID: testTaxonomy.ID}, 1, 10)
	if err != nil || total != 2 || len(terms) != 2 || terms[0] != termAdvice || terms[1] != termFood {
		t.Errorf("TaxonomyTerms of a taxonomy = %+v, %d, %v", terms, total, err)
	}
	if _, total, _ := st.TaxonomyTerms(ctx, TermFilter{TopOnly: true}, 1, 10); total != 3 {
		t.Errorf("top terms: %d, want 3", total)
	}
	if _, total, _ := st.TaxonomyTerms(ctx, TermFilter{ParentID: termFood.ID}, 1, 10); total != 0 {
		t.Errorf("children of a leaf: %d", total)
	}
	if got, err := st.TaxonomyTerm(ctx, termOther.ID); err != nil || got != termOther {
		t.Errorf("TaxonomyTerm = %+v, %v", got, err)
	}
	if _, err := st.Taxonomy(ctx, NewID()); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown taxonomy: %v", err)
	}
	if _, err := st.TaxonomyTerm(ctx, NewID()); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown term: %v", err)
	}
	orgs, total, err := st.Organizations(ctx, 1, 10)
	if err != nil || total != 1 || orgs[0].Name != "Southwark Community Trust" {
		t.Errorf("Organizations = %+v, %d, %v", orgs, total, err)
	}
	ids, err := st.OrganizationServiceIDs(ctx, orgs[0].ID)
	if err != nil || len(ids) != len(testServices) {
		t.Errorf("OrganizationServiceIDs = %d, %v", len(ids), err)
	}
	if _, err := st.Organization(ctx, NewID()); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown organization: %v", err)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
