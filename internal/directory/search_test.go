package directory

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
)

// openSearchDB returns a migrated database of the engine under test.
func openSearchDB(t testing.TB) *db.DB {
	t.Helper()
	return dbtest.Open(t)
}

// The test directory: services along the meridian through a centre point,
// so their distances are exact multiples of a metre-per-degree figure.
var (
	centre = Point{Lat: 51.5, Lon: -0.1}
	// metresPerDegree along a meridian, on the sphere of the mean radius.
	metresPerDegree = earthRadiusMetres * math.Pi / 180

	testTaxonomy = Taxonomy{ID: DerivedID("test", "taxonomy"), Name: "Test categories", Description: "For tests."}
	termFood     = TaxonomyTerm{ID: DerivedID("test", "food"), TaxonomyID: testTaxonomy.ID, Name: "Food", Description: "Food."}
	termAdvice   = TaxonomyTerm{ID: DerivedID("test", "advice"), TaxonomyID: testTaxonomy.ID, Name: "Advice", Description: "Advice."}
	otherTax     = Taxonomy{ID: DerivedID("test", "other"), Name: "Other", Description: "Another taxonomy."}
	termOther    = TaxonomyTerm{ID: DerivedID("test", "other-term"), TaxonomyID: otherTax.ID, Name: "Sport", Description: "Sport."}
)

type testService struct {
	key       string
	name      string
	desc      string
	northKm   []float64 // locations, km north of the centre
	terms     []string
	schedules []Schedule
	minAge    *int
	maxAge    *int
	free      bool
	status    string
	modified  time.Time
}

func ptr[T any](v T) *T { return &v }

var testServices = []testService{
	{key: "pharmacy-near", name: "Rye Lane Pharmacy", desc: "Prescriptions and advice.", northKm: []float64{0.5},
		terms: []string{termAdvice.ID}, free: true,
		schedules: []Schedule{{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "09:00", ClosesAt: "18:00"}}},
	{key: "pharmacy-far", name: "Camberwell Pharmacy", desc: "Prescriptions.", northKm: []float64{3},
		terms:     []string{termAdvice.ID},
		schedules: []Schedule{{Freq: "WEEKLY", ByDay: "SA", OpensAt: "22:00", ClosesAt: "02:00"}}},
	{key: "food-bank", name: "Peckham Food Bank", desc: "Emergency food parcels for families.", northKm: []float64{1.2, 7},
		terms: []string{termFood.ID}, free: true, minAge: ptr(18)},
	{key: "lunch-club", name: "Lunch Club", desc: "Hot lunches for older people; pharmacy visits arranged.", northKm: []float64{2},
		terms: []string{termFood.ID, termOther.ID}, minAge: ptr(65), maxAge: ptr(120), modified: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
	{key: "youth", name: "Youth Football", desc: "Football for young people.", northKm: []float64{0.1},
		terms: []string{termOther.ID}, minAge: ptr(11), maxAge: ptr(18), free: true},
	{key: "closed", name: "Closed Pharmacy", desc: "No longer open.", northKm: []float64{0.2}, status: StatusInactive},
	{key: "online", name: "Online Advice Line", desc: "Advice by phone and online.", terms: []string{termAdvice.ID}},
}

func svcID(key string) string { return DerivedID("test", "service", key) }

// seedSearch saves the test directory through the real write path.
func seedSearch(t testing.TB, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	err := d.Tx(ctx, func(q db.Querier) error {
		st := NewStore(q)
		if err := st.SaveTaxonomy(ctx, testTaxonomy, []TaxonomyTerm{termFood, termAdvice}); err != nil {
			return err
		}
		if err := st.SaveTaxonomy(ctx, otherTax, []TaxonomyTerm{termOther}); err != nil {
			return err
		}
		org := Organization{ID: DerivedID("test", "org"), Name: "Southwark Community Trust", Description: "A charity."}
		if err := st.SaveOrganization(ctx, org); err != nil {
			return err
		}
		for _, ts := range testServices {
			svc := Service{ID: svcID(ts.key), OrganizationID: org.ID, Name: ts.name, Description: ts.desc, Status: ts.status,
				TermIDs: ts.terms, MinimumAge: ts.minAge, MaximumAge: ts.maxAge, Free: ts.free,
				LastModified: ts.modified}
			if svc.LastModified.IsZero() {
				svc.LastModified = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			for i, km := range ts.northKm {
				lat := centre.Lat + km*1000/metresPerDegree
				lon := centre.Lon
				loc := Location{ID: DerivedID("test", "location", ts.key, string(rune('a'+i))), Name: ts.name,
					Latitude: &lat, Longitude: &lon}
				svc.Locations = append(svc.Locations, ServiceLocation{ID: DerivedID("test", "sal", ts.key, string(rune('a'+i))), Location: loc})
			}
			for i, sch := range ts.schedules {
				sch.ID = DerivedID("test", "schedule", ts.key, string(rune('a'+i)))
				svc.Schedules = append(svc.Schedules, sch)
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

func TestSearch(t *testing.T) {
	d := openSearchDB(t)
	seedSearch(t, d)
	st := NewStore(d)
	// A Saturday and a Sunday in London summer time (UTC+1).
	satNight := time.Date(2025, 6, 21, 22, 30, 0, 0, time.UTC)  // Saturday 23:30 in London
	sunNight := time.Date(2025, 6, 22, 22, 30, 0, 0, time.UTC)  // Sunday 23:30 in London
	sunEarly := time.Date(2025, 6, 22, 0, 30, 0, 0, time.UTC)   // Sunday 01:30 in London
	monMorning := time.Date(2025, 6, 23, 8, 30, 0, 0, time.UTC) // Monday 09:30 in London
	tests := []struct {
		name     string
		q        Query
		want     []string // keys, in order
		anyOrder bool
		total    int // when paged; else len(want)
	}{
		{name: "everything active, by name", q: Query{},
			want: []string{"pharmacy-far", "lunch-club", "online", "food-bank", "pharmacy-near", "youth"}},
		{name: "including inactive", q: Query{IncludeInactive: true, PerPage: 2}, want: []string{"pharmacy-far", "pharmacy-near"}[:0], total: 7},
		{name: "keyword, name match ranks first", q: Query{Text: "pharmacy"}, want: []string{"pharmacy-far", "pharmacy-near", "lunch-club"}},
		{name: "keyword prefix while typing", q: Query{Text: "pharm"}, want: []string{"pharmacy-far", "pharmacy-near", "lunch-club"}},
		{name: "keyword stem", q: Query{Text: "lunch"}, want: []string{"lunch-club"}},
		{name: "two keywords", q: Query{Text: "food families"}, want: []string{"food-bank"}},
		{name: "keyword in category, shorter field ranks first", q: Query{Text: "sport"}, want: []string{"youth", "lunch-club"}},
		{name: "keyword in organisation", q: Query{Text: "charity trust"}, want: nil},
		{name: "keyword in organisation name", q: Query{Text: "southwark community", PerPage: 100}, anyOrder: true,
			want: []string{"food-bank", "lunch-club", "online", "pharmacy-far", "pharmacy-near", "youth"}},
		{name: "term", q: Query{TermIDs: []string{termFood.ID}}, want: []string{"lunch-club", "food-bank"}},
		{name: "terms, any of", q: Query{TermIDs: []string{termFood.ID, termOther.ID}}, want: []string{"lunch-club", "food-bank", "youth"}},
		{name: "taxonomy", q: Query{TaxonomyID: otherTax.ID}, want: []string{"lunch-club", "youth"}},
		{name: "near, nearest first, no limit", q: Query{Near: &centre},
			want: []string{"youth", "pharmacy-near", "food-bank", "lunch-club", "pharmacy-far"}},
		{name: "near within 1.5 km", q: Query{Near: &centre, RadiusMetres: 1500}, want: []string{"youth", "pharmacy-near", "food-bank"}},
		{name: "near, keyword and term", q: Query{Near: &centre, RadiusMetres: 5000, Text: "pharmacy", TermIDs: []string{termAdvice.ID}},
			want: []string{"pharmacy-near", "pharmacy-far"}},
		{name: "near, keyword, free", q: Query{Near: &centre, RadiusMetres: 5000, Text: "pharmacy", FreeOnly: true},
			want: []string{"pharmacy-near"}},
		{name: "free", q: Query{FreeOnly: true}, want: []string{"food-bank", "pharmacy-near", "youth"}},
		{name: "age 16", q: Query{Age: ptr(16)}, want: []string{"pharmacy-far", "online", "pharmacy-near", "youth"}},
		{name: "age 70", q: Query{Age: ptr(70)}, want: []string{"pharmacy-far", "lunch-club", "online", "food-bank", "pharmacy-near"}},
		{name: "ORUK minimum_age 18", q: Query{MinimumAge: ptr(18)}, want: []string{"lunch-club", "food-bank"}},
		{name: "ORUK maximum_age 18", q: Query{MaximumAge: ptr(18)}, want: []string{"youth"}},
		{name: "modified after", q: Query{ModifiedAfter: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}, want: []string{"lunch-club"}},
		{name: "modified on the moment counts", q: Query{ModifiedAfter: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}, want: []string{"lunch-club"}},
		{name: "open on Monday", q: Query{Weekday: 1}, want: []string{"pharmacy-near"}},
		{name: "open Monday evening", q: Query{Weekday: 1, OpensFrom: 18 * 60}, want: nil},
		{name: "open Monday late afternoon", q: Query{Weekday: 1, OpensFrom: 17 * 60, OpensTo: 19 * 60}, want: []string{"pharmacy-near"}},
		{name: "open on Sunday (overnight from Saturday)", q: Query{Weekday: 7}, want: []string{"pharmacy-far"}},
		{name: "open now: Saturday 23:30 London", q: Query{OpenAt: &satNight}, want: []string{"pharmacy-far"}},
		{name: "open now: Sunday 23:30 London", q: Query{OpenAt: &sunNight}, want: nil},
		{name: "open now: Sunday 01:30 London", q: Query{OpenAt: &sunEarly}, want: []string{"pharmacy-far"}},
		{name: "open now: Monday 09:30 London", q: Query{OpenAt: &monMorning}, want: []string{"pharmacy-near"}},
		{name: "combined: near, term, age, free", q: Query{Near: &centre, RadiusMetres: 10000, TermIDs: []string{termFood.ID}, Age: ptr(30), FreeOnly: true},
			want: []string{"food-bank"}},
		{name: "paging", q: Query{Page: 2, PerPage: 2}, want: []string{"online", "food-bank"}, total: 6},
		{name: "paging near", q: Query{Near: &centre, Page: 2, PerPage: 2}, want: []string{"food-bank", "lunch-club"}, total: 5},
		{name: "page past the end", q: Query{Page: 9, PerPage: 2}, want: nil, total: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := st.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				for _, ts := range testServices {
					if svcID(ts.key) == h.ServiceID {
						got = append(got, ts.key)
					}
				}
			}
			want := tt.want
			if tt.name == "including inactive" {
				want = []string{"pharmacy-far", "closed"}
			}
			if tt.anyOrder {
				slices.Sort(got)
			}
			if !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			total := tt.total
			if total == 0 {
				total = len(want)
			}
			if res.Total != total {
				t.Errorf("total %d, want %d", res.Total, total)
			}
		})
	}
}

// TestSearchDistances checks the distance reported for each hit is that
// of the service's nearest location, exact to the millimetre.
func TestSearchDistances(t *testing.T) {
	d := openSearchDB(t)
	seedSearch(t, d)
	res, err := NewStore(d).Search(context.Background(), Query{Near: &centre, RadiusMetres: 8000})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		key string
		m   float64
	}{{"youth", 100}, {"pharmacy-near", 500}, {"food-bank", 1200}, {"lunch-club", 2000}, {"pharmacy-far", 3000}}
	if len(res.Hits) != len(want) {
		t.Fatalf("%d hits, want %d", len(res.Hits), len(want))
	}
	for i, w := range want {
		h := res.Hits[i]
		if h.ServiceID != svcID(w.key) || h.DistanceMetres == nil || math.Abs(*h.DistanceMetres-w.m) > 0.001 {
			t.Errorf("hit %d: %s at %v m, want %s at %v m", i, h.ServiceID, h.DistanceMetres, w.key, w.m)
		}
		if h.LocationID == "" || h.ServiceAtLocationID == "" {
			t.Errorf("hit %d has no location", i)
		}
	}
	// The food bank's nearer location is the one reported.
	if res.Hits[2].LocationID != DerivedID("test", "location", "food-bank", "a") {
		t.Errorf("food bank reported at %s, not its nearest location", res.Hits[2].LocationID)
	}
	// By location: both of the food bank's locations, each at its distance.
	res, err = NewStore(d).Search(context.Background(), Query{Near: &centre, ByLocation: true, TermIDs: []string{termFood.ID}})
	if err != nil {
		t.Fatal(err)
	}
	var got []float64
	for _, h := range res.Hits {
		got = append(got, math.Round(*h.DistanceMetres))
	}
	if !slices.Equal(got, []float64{1200, 2000, 7000}) {
		t.Errorf("by location: distances %v, want [1200 2000 7000]", got)
	}
}

func TestSearchSuggestion(t *testing.T) {
	d := openSearchDB(t)
	seedSearch(t, d)
	st := NewStore(d)
	tests := []struct{ text, want string }{
		{"pharmcy", "pharmacy"},
		{"phramacy", "pharmacy"},
		{"footbal", ""}, // a prefix of a word: found, nothing to suggest
		{"food bnak", "food bank"},
		{"xylophone", ""},
	}
	for _, tt := range tests {
		res, err := st.Search(context.Background(), Query{Text: tt.text})
		if err != nil {
			t.Fatal(err)
		}
		if res.Suggestion != tt.want {
			t.Errorf("%q: suggestion %q, want %q", tt.text, res.Suggestion, tt.want)
		}
		if tt.want != "" && res.Total != 0 {
			t.Errorf("%q found %d yet suggests", tt.text, res.Total)
		}
	}
	// The vocabulary, and the totals kept between pages, follow changes to
	// the directory.
	ctx := context.Background()
	before, err := st.Search(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	err = d.Tx(ctx, func(q db.Querier) error {
		_, err := NewStore(q).SaveService(ctx, Service{ID: NewID(), OrganizationID: DerivedID("test", "org"), Name: "Xylophone Lessons"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Search(ctx, Query{Text: "xylophne "})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "xylophone" {
		t.Errorf("after adding a service: suggestion %q, want xylophone", res.Suggestion)
	}
	after, err := st.Search(ctx, Query{})
	if err != nil {
		t.Fatal(err)
	}
	if after.Total != before.Total+1 {
		t.Errorf("total %d after adding a service to %d", after.Total, before.Total)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"pharmacy", "pharmacy", 0}, {"pharmcy", "pharmacy", 1}, {"phramacy", "pharmacy", 1},
		{"pharmacy", "farmacy", 2}, {"kitten", "sitting", 3}, {"", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b, 3); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
