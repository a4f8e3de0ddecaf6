package directory_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// goldenExtras adds services around SE1 9RT and SE5 8AZ to the shipped
// data, with what the shipped data lacks (opening hours, ages, free
// services, several locations, closed services, shared words), and enough
// of them that common searches match more than directory.TotalCap.
func goldenExtras(t *testing.T, s *pagesSite) {
	t.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 13))
	kinds := []struct{ name, desc string }{
		{"Food Bank", "Emergency food parcels and advice on benefits."},
		{"Lunch Club", "Hot food and company for older people."},
		{"Advice Centre", "Free advice on debt, housing and benefits."},
		{"Youth Club", "Sport and activities for young people."},
		{"Pharmacy Outreach", "Health checks and advice from a pharmacy team."},
	}
	streets := []string{"Borough", "Camberwell", "Peckham", "Walworth", "Bermondsey", "Kennington"}
	org := directory.Organization{ID: directory.DerivedID("golden", "org"), Name: "Golden Community Trust"}
	err := s.db.Tx(ctx, func(q db.Querier) error {
		st := directory.NewStore(q)
		if err := st.SaveTaxonomy(ctx, pagesTaxonomy, []directory.TaxonomyTerm{pagesTerm}); err != nil {
			return err
		}
		if err := st.SaveOrganization(ctx, org); err != nil {
			return err
		}
		for i := 0; i < 1200; i++ {
			k := kinds[rng.IntN(len(kinds))]
			centre := pagesPostcodes[rng.IntN(len(pagesPostcodes))].Point
			svc := directory.Service{
				ID:             directory.DerivedID("golden", "service", fmt.Sprint(i)),
				OrganizationID: org.ID,
				// Names repeat, so that ties in rank and distance are
				// broken by name and id.
				Name:        streets[rng.IntN(len(streets))] + " " + k.name,
				Description: k.desc,
				Free:        rng.IntN(2) == 0,
				TermIDs:     []string{pagesTerm.ID},
			}
			if rng.IntN(10) == 0 {
				svc.Status = directory.StatusTemporarilyClosed
			}
			if rng.IntN(3) == 0 {
				lo, hi := rng.IntN(12), 12+rng.IntN(80)
				svc.MinimumAge, svc.MaximumAge = &lo, &hi
			}
			if rng.IntN(2) == 0 {
				svc.Schedules = []directory.Schedule{weekly("MO,TU,WE,TH,FR", fmt.Sprintf("%02d:00", 8+rng.IntN(4)),
					fmt.Sprintf("%02d:00", 12+rng.IntN(8)))}
			}
			for j := 0; j < 1+rng.IntN(2); j++ {
				// Positions on a grid of about 100 m, so some services
				// share a distance exactly.
				lat := centre.Lat + float64(rng.IntN(61)-30)*0.001
				lon := centre.Lon + float64(rng.IntN(61)-30)*0.0015
				svc.Locations = append(svc.Locations, directory.ServiceLocation{
					ID: directory.DerivedID("golden", "sal", fmt.Sprint(i, j)),
					Location: directory.Location{ID: directory.DerivedID("golden", "location", fmt.Sprint(lat, lon)),
						Latitude: &lat, Longitude: &lon},
				})
			}
			if _, err := st.SaveService(ctx, svc); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSearchMatchesReference runs a grid of searches over the shipped data
// (with goldenExtras) through the indexed search and through a plain full
// scan with a sort of every match (directory.ReferenceSearch): the same
// services, in the same order, at the same distances, with the same total,
// or, where the search stopped counting, at least as many as it says.
func TestSearchMatchesReference(t *testing.T) {
	s := newPagesSite(t)
	goldenExtras(t, s)
	ctx := context.Background()
	se1, se5 := pagesPostcodes[0].Point, pagesPostcodes[1].Point
	now := pagesNow
	mile := 1609.344
	pharmacy, gp := []string{directory.TermPharmacy.ID}, []string{directory.TermGPPractice.ID}
	cases := []struct {
		name string
		q    directory.Query
	}{
		{"common word", directory.Query{Text: "pharmacy", PerPage: 10}},
		{"word in the extras, over the cap", directory.Query{Text: "advice", PerPage: 10}},
		{"two words", directory.Query{Text: "medical centre", PerPage: 10}},
		{"prefix while typing", directory.Query{Text: "surg", PerPage: 10}},
		{"word matching nothing", directory.Query{Text: "zzqxjv", PerPage: 10}},
		{"deep page of a word", directory.Query{Text: "surgery", Page: 4, PerPage: 10}},
		{"deep page past the cap", directory.Query{Text: "advice", Page: 120, PerPage: 10}},
		{"category", directory.Query{TermIDs: gp, PerPage: 10, Page: 3}},
		{"category over the cap", directory.Query{TermIDs: []string{pagesTerm.ID}, PerPage: 10, Page: 2}},
		{"category over the cap, last counted page", directory.Query{TermIDs: []string{pagesTerm.ID}, PerPage: 10, Page: 101}},
		{"by name, no filter", directory.Query{PerPage: 20, Page: 2}},
		{"free and age", directory.Query{FreeOnly: true, Age: ptrTo(8), PerPage: 10}},
		{"open now", directory.Query{OpenAt: &now, PerPage: 10}},
		{"word near a postcode", directory.Query{Text: "pharmacy", Near: &se1, RadiusMetres: 5 * mile, PerPage: 10}},
		{"common word near a postcode, over the cap", directory.Query{Text: "club", Near: &se1, RadiusMetres: 5 * mile, PerPage: 10}},
		{"postcode alone, densest", directory.Query{Near: &se5, RadiusMetres: 5 * mile, PerPage: 10, Page: 3}},
		{"category near a postcode", directory.Query{TermIDs: pharmacy, Near: &se1, RadiusMetres: 5 * mile, PerPage: 10}},
		{"open now near a postcode", directory.Query{OpenAt: &now, Near: &se1, RadiusMetres: 2 * mile, PerPage: 10}},
		{"free, age and day near a postcode", directory.Query{FreeOnly: true, Age: ptrTo(8), Weekday: 3, Near: &se5,
			RadiusMetres: mile, PerPage: 10}},
		{"word matching nothing near a postcode", directory.Query{Text: "zzqxjv", Near: &se1, RadiusMetres: 5 * mile, PerPage: 10}},
		{"small radius", directory.Query{Near: &se1, RadiusMetres: 300, PerPage: 10}},
		{"no radius, nearest first", directory.Query{Near: &se1, PerPage: 10, Page: 2}},
		{"deep page near a postcode", directory.Query{Near: &se1, RadiusMetres: 5 * mile, PerPage: 10, Page: 60}},
		{"every status near a postcode", directory.Query{Near: &se5, RadiusMetres: mile, IncludeInactive: true, PerPage: 50}},
		{"by location near a postcode (ORUK)", directory.Query{ByLocation: true, Near: &se1, RadiusMetres: 3000, PerPage: 50}},
		{"by location with a word (ORUK)", directory.Query{ByLocation: true, Text: "food", PerPage: 50, Page: 2}},
		{"feed in id order, exact total (ORUK)", directory.Query{IDOrder: true, ExactTotal: true, PerPage: 50, Page: 3}},
		{"exact total near a postcode", directory.Query{Near: &se5, RadiusMetres: 5 * mile, ExactTotal: true, PerPage: 10}},
	}
	ran, capped := 0, 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.store.Search(ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := directory.ReferenceSearch(ctx, s.db, c.q)
			if err != nil {
				t.Fatal(err)
			}
			page, per := max(c.q.Page, 1), c.q.PerPage
			limit := max(directory.TotalCap, page*per)
			switch {
			case c.q.ExactTotal || want.Total <= limit:
				if got.Total != want.Total || got.More {
					t.Errorf("total %d (more %v), want %d", got.Total, got.More, want.Total)
				}
			default:
				capped++
				if got.Total != limit || !got.More {
					t.Errorf("total %d (more %v), want %d and more (of %d)", got.Total, got.More, limit, want.Total)
				}
			}
			if len(got.Hits) != len(want.Hits) {
				t.Fatalf("%d hits, want %d", len(got.Hits), len(want.Hits))
			}
			for i := range want.Hits {
				if g, w := hitKey(got.Hits[i], c.q), hitKey(want.Hits[i], c.q); g != w {
					t.Errorf("hit %d: %s, want %s", i, g, w)
				}
			}
			if len(want.Hits) > 0 {
				ran++
			}
		})
	}
	// The grid must exercise something: most searches find services.
	if ran < len(cases)-3 {
		t.Errorf("only %d of %d searches found anything", ran, len(cases))
	}
	if capped < 4 {
		t.Errorf("only %d searches matched more than they count", capped)
	}
}

// TestSearchPageSaysMoreThan checks what a resident reads when a search
// matches more than it counts: "More than 1,000", and pages on past it.
func TestSearchPageSaysMoreThan(t *testing.T) {
	s := newPagesSite(t)
	goldenExtras(t, s)
	_, doc, _ := s.get("/directory?category=lunch")
	if got, want := lede(doc), "More than 1,000 services in “Lunch clubs”. Go to the results"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	status, doc, _ := s.get("/directory?category=lunch&page=101")
	if status != http.StatusOK || len(results(doc)) == 0 {
		t.Fatalf("page 101: status %d, %d results", status, len(results(doc)))
	}
	all, err := directory.ReferenceSearch(context.Background(), s.db, directory.Query{TermIDs: []string{pagesTerm.ID}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d,%03d services", all.Total/1000, all.Total%1000)
	if all.Total > 1010 {
		want = "More than 1,010 services"
	}
	if got := lede(doc); !strings.HasPrefix(got, want+" in") {
		t.Errorf("page 101: summary %q, want %q", got, want)
	}
	_, doc, _ = s.get("/directory?category=RO182")
	if got := lede(doc); strings.HasPrefix(got, "More than") {
		t.Errorf("a search under the cap says %q", got)
	}
}

func ptrTo[T any](v T) *T { return &v }

// hitKey is what a hit says: its service, its service at location when
// the search is by location or near a point, and its distance.
func hitKey(h directory.Hit, q directory.Query) string {
	k := h.ServiceID
	if q.ByLocation || q.Near != nil {
		k += " at " + h.ServiceAtLocationID
	}
	if h.DistanceMetres != nil {
		k += fmt.Sprintf(" %.6f m", *h.DistanceMetres)
	}
	return k
}
