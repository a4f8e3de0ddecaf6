package app

import (
	"encoding/csv"
	"math"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/directory"

	"golang.org/x/net/html"
)

// sixPlaces are the places of South East London with their boroughs' codes
// and the counts of GP practices and pharmacies the shipped NHS ODS files
// hold for each (as the data's README counts them).
var sixPlaces = []struct {
	slug, name, partnership, area string
	gps, pharmacies               int
}{
	{"bexley", "Bexley", "Bexley Wellbeing Partnership", "E09000004", 21, 44},
	{"bromley", "Bromley", "One Bromley", "E09000006", 42, 58},
	{"greenwich", "Greenwich", "Healthier Greenwich Partnership", "E09000011", 29, 55},
	{"lambeth", "Lambeth", "Lambeth Together", "E09000022", 45, 60},
	{"lewisham", "Lewisham", "Lewisham Health and Care Partnership", "E09000023", 29, 47},
	{"southwark", "Southwark", "Partnership Southwark", "E09000028", 33, 57},
}

// Every place's page shows its partnership and the counts of its own GP
// practices and pharmacies, and no figure of 0.
func TestEveryPlacePageCountsItsRecords(t *testing.T) {
	s := newTestSite(t)
	for _, p := range sixPlaces {
		t.Run(p.slug, func(t *testing.T) {
			doc := s.page("/in-your-area/" + p.slug)
			if h1 := find(doc, tag("h1")); len(h1) != 1 || textOf(h1[0]) != p.partnership {
				t.Errorf("h1 %v, want %q", h1, p.partnership)
			}
			figs := figures(t, doc)
			if figs["GP practices"] != strconv.Itoa(p.gps) || figs["Pharmacies"] != strconv.Itoa(p.pharmacies) {
				t.Errorf("figures %v, want %d GP practices and %d pharmacies", figs, p.gps, p.pharmacies)
			}
			for label, v := range figs {
				if v == "0" {
					t.Errorf("figure %q shows 0", label)
				}
			}
			for _, href := range []string{"/directory?category=RO76", "/directory?category=RO182"} {
				if len(linksTo(doc, href)) != 1 {
					t.Errorf("no link to %s", href)
				}
			}
		})
	}
}

// shippedPharmacy is a pharmacy of the shipped file, read apart from the
// code under test.
type shippedPharmacy struct {
	name, area string
	lat, lon   float64
}

// readCSV reads a shipped data file whole, as maps from column to value.
func readCSV(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open("../seed/data/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func shippedPharmacies(t *testing.T) []shippedPharmacy {
	var out []shippedPharmacy
	for _, r := range readCSV(t, "sel_pharmacies.csv") {
		lat, _ := strconv.ParseFloat(r["latitude"], 64)
		lon, _ := strconv.ParseFloat(r["longitude"], 64)
		out = append(out, shippedPharmacy{name: directory.DisplayName(r["name"]), area: r["lad_code"], lat: lat, lon: lon})
	}
	return out
}

// greatCircle is the haversine distance in metres.
func greatCircle(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	h := math.Pow(math.Sin((lat2-lat1)*rad/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin((lon2-lon1)*rad/2), 2)
	return 2 * 6371008.8 * math.Asin(math.Sqrt(h))
}

// nearestPharmacy returns the shipped pharmacy nearest a point, and how far
// ahead of the next one it is.
func nearestPharmacy(all []shippedPharmacy, lat, lon float64) (shippedPharmacy, float64) {
	best, second := -1, math.Inf(1)
	bestD := math.Inf(1)
	for i, p := range all {
		d := greatCircle(lat, lon, p.lat, p.lon)
		switch {
		case d < bestD:
			second, bestD, best = bestD, d, i
		case d < second:
			second = d
		}
	}
	return all[best], second - bestD
}

// firstResult searches the directory for pharmacies near a postcode and
// returns the first result's name and the place it says lists it.
func firstResult(t *testing.T, s *testSite, postcode string) (name, listedIn string) {
	t.Helper()
	doc := s.page("/directory?category=RO182&postcode=" + url.QueryEscape(postcode))
	cards := find(doc, func(n *html.Node) bool { return n.Data == "li" && hasClass("nhsuk-card")(n) })
	if len(cards) == 0 {
		t.Fatalf("no pharmacies near %s", postcode)
	}
	name = textOf(find(cards[0], tag("h3"))[0])
	for _, li := range find(cards[0], tag("li")) {
		if v, ok := strings.CutPrefix(textOf(li), "Listed in "); ok {
			listedIn = v
		}
	}
	return name, listedIn
}

// Near a postcode in each place, the first pharmacy is the nearest one, as
// worked out here from the shipped files; near a borough line, the nearest
// is over the line, and each result says which place lists it.
func TestPharmacySearchCrossesBoroughLines(t *testing.T) {
	s := newTestSite(t)
	pharmacies := shippedPharmacies(t)
	placeName := map[string]string{}
	for _, p := range sixPlaces {
		placeName[p.area] = p.name
	}
	// For each place, the first of its postcodes (in file order) whose
	// nearest pharmacy is in the same place and clearly nearest; and one
	// of Southwark's whose nearest pharmacy is in Lambeth.
	inPlace := map[string]string{}
	var overTheLine string
	var overTheLinePharmacy shippedPharmacy
	for _, r := range readCSV(t, "sel_postcodes.csv") {
		lat, _ := strconv.ParseFloat(r["latitude"], 64)
		lon, _ := strconv.ParseFloat(r["longitude"], 64)
		near, lead := nearestPharmacy(pharmacies, lat, lon)
		if lead < 50 { // too close to call at the precision the page shows
			continue
		}
		switch {
		case near.area == r["lad_code"] && inPlace[r["lad_code"]] == "":
			inPlace[r["lad_code"]] = r["postcode"]
		case overTheLine == "" && r["lad_code"] == "E09000028" && near.area == "E09000022":
			overTheLine, overTheLinePharmacy = r["postcode"], near
		}
	}
	for _, p := range sixPlaces {
		pc := inPlace[p.area]
		if pc == "" {
			t.Fatalf("no postcode of %s found for the test", p.name)
		}
		t.Run(p.slug, func(t *testing.T) {
			lat, lon := postcodePoint(t, s, pc)
			want, _ := nearestPharmacy(pharmacies, lat, lon)
			name, listed := firstResult(t, s, pc)
			if name != want.name || listed != p.name {
				t.Errorf("near %s the first pharmacy is %q listed in %q, want %q listed in %s", pc, name, listed, want.name, p.name)
			}
		})
	}
	if overTheLine == "" {
		t.Fatal("no Southwark postcode whose nearest pharmacy is in Lambeth")
	}
	name, listed := firstResult(t, s, overTheLine)
	if name != overTheLinePharmacy.name || listed != "Lambeth" {
		t.Errorf("near %s (Southwark) the first pharmacy is %q listed in %q, want %q listed in Lambeth",
			overTheLine, name, listed, overTheLinePharmacy.name)
	}
	// Filtered by place, only that place's pharmacies come.
	doc := s.page("/directory?category=RO182&postcode=" + url.QueryEscape(overTheLine) + "&place=southwark")
	for _, li := range find(doc, tag("li")) {
		if v, ok := strings.CutPrefix(textOf(li), "Listed in "); ok && v != "Southwark" {
			t.Errorf("place=southwark lists a pharmacy of %s", v)
		}
	}
	if lede := textOf(find(doc, hasClass("nhsuk-lede-text"))[0]); !strings.Contains(lede, "listed in Southwark") {
		t.Errorf("summary %q does not say the search is of Southwark's listings", lede)
	}
}

// postcodePoint is the position the site holds for a postcode.
func postcodePoint(t *testing.T, s *testSite, pc string) (float64, float64) {
	t.Helper()
	p, err := directory.NewStore(s.db).Postcode(t.Context(), pc)
	if err != nil {
		t.Fatal(err)
	}
	return p.Lat, p.Lon
}

// An unknown place in the search is an error on its field, with the rest
// of the search kept.
func TestDirectorySearchUnknownPlace(t *testing.T) {
	s := newTestSite(t)
	res, body := s.get("/directory?category=RO182&place=atlantis")
	if res.StatusCode != 400 || !strings.Contains(body, "Choose a place from the list") || !strings.Contains(body, `href="#place"`) {
		t.Errorf("status %d; want 400 with an error linking to the place field", res.StatusCode)
	}
}

// shippedCounts are the GP practices and pharmacies the default data holds
// in all six places.
func shippedCounts() (gps, pharmacies int) {
	for _, p := range sixPlaces {
		gps += p.gps
		pharmacies += p.pharmacies
	}
	return gps, pharmacies
}
