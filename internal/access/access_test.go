package access_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/app/apptest"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// places are the six places with their boroughs' codes.
var places = []struct{ slug, area string }{
	{"bexley", "E09000004"}, {"bromley", "E09000006"}, {"greenwich", "E09000011"},
	{"lambeth", "E09000022"}, {"lewisham", "E09000023"}, {"southwark", "E09000028"},
}

type site struct {
	t   testing.TB
	srv *httptest.Server
	db  *db.DB
}

// newSite serves the whole real site over HTTP on a fresh database with
// the shipped data, with the page cache on or off.
func newSite(tb testing.TB, noPageCache bool) *site {
	tb.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := apptest.Config(tb, config.Config{DataDir: tb.TempDir(), BaseURL: "https://joinedup.example", NoPageCache: noPageCache})
	d, err := app.Open(context.Background(), cfg, log)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	h, err := app.Handler(d, cfg, log)
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return &site{t: tb, srv: srv, db: d}
}

func (s *site) get(path string) (int, string) {
	s.t.Helper()
	res, err := http.Get(s.srv.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// wardsCSV fetches a place's CSV as rows by ward code, checking its columns.
func (s *site) wardsCSV(path string) (map[string]map[string]string, []string) {
	s.t.Helper()
	status, body := s.get(path)
	if status != http.StatusOK {
		s.t.Fatalf("%s: status %d: %s", path, status, body)
	}
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		s.t.Fatalf("%s: %v", path, err)
	}
	want := "ward_code,ward_name,postcodes,population,pharmacies,gp_practices,median_metres_to_pharmacy,median_metres_to_gp," +
		"share_beyond_1km_pharmacy,share_beyond_1km_gp,people_beyond_1km_pharmacy,people_beyond_1km_gp,imd_score,most_deprived_20pc_share"
	if got := strings.Join(recs[0], ","); got != want {
		s.t.Fatalf("%s: columns\n%s\nwant\n%s", path, got, want)
	}
	out := map[string]map[string]string{}
	var order []string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		if out[r[0]] != nil {
			s.t.Errorf("%s: ward %s has two rows", path, r[0])
		}
		out[r[0]] = m
		order = append(order, r[0])
	}
	return out, order
}

var (
	shippedOnce sync.Once
	shippedData *shipped
	expected    map[string]expectedWard
)

func shippedFigures(t *testing.T) (*shipped, map[string]expectedWard) {
	shippedOnce.Do(func() {
		shippedData = readShipped(t)
		expected = shippedData.expect("")
	})
	return shippedData, expected
}

// check compares a CSV row with the figures worked out from the shipped
// files, allowing for the CSV's rounding.
func check(t *testing.T, ward string, row map[string]string, e expectedWard) {
	t.Helper()
	f := func(col string) float64 {
		v, err := strconv.ParseFloat(row[col], 64)
		if err != nil {
			t.Errorf("ward %s: %s = %q: %v", ward, col, row[col], err)
		}
		return v
	}
	near := func(col string, want, tol float64) {
		if got := f(col); math.Abs(got-want) > tol {
			t.Errorf("ward %s: %s = %v, want %v", ward, col, got, want)
		}
	}
	near("postcodes", float64(e.postcodes), 0)
	near("pharmacies", float64(e.pharmacies), 0)
	near("gp_practices", float64(e.gps), 0)
	near("population", math.Round(e.population), 1)
	near("median_metres_to_pharmacy", math.Round(e.medianPharmacy), 1)
	near("median_metres_to_gp", math.Round(e.medianGP), 1)
	near("share_beyond_1km_pharmacy", e.sharePharmacy, 0.00006)
	near("share_beyond_1km_gp", e.shareGP, 0.00006)
	near("people_beyond_1km_pharmacy", math.Round(e.peoplePharmacy), 1)
	near("people_beyond_1km_gp", math.Round(e.peopleGP), 1)
	near("imd_score", e.imd, 0.0006)
	near("most_deprived_20pc_share", e.core20, 0.00006)
}

// Each place's CSV has one row for each of its wards, and every ward's
// figures are those worked out again, independently, from the shipped
// files.
func TestPlaceCSVMatchesShippedData(t *testing.T) {
	s := newSite(t, true)
	data, want := shippedFigures(t)
	for _, p := range places {
		t.Run(p.slug, func(t *testing.T) {
			rows, order := s.wardsCSV("/in-your-area/" + p.slug + "/access.csv")
			wards := data.wardsOf(p.area)
			if len(order) != len(wards) || len(wards) == 0 {
				t.Fatalf("%d rows, want one for each of %d wards", len(order), len(wards))
			}
			for _, code := range wards {
				row, ok := rows[code]
				if !ok {
					t.Errorf("no row for ward %s", code)
					continue
				}
				check(t, code, row, want[code])
			}
		})
	}
}

// The postcodes counted per ward are those of the shipped ward file, which
// counts them the same way (without SE1P and SW95).
func TestPostcodeCountsMatchWardFile(t *testing.T) {
	s := newSite(t, true)
	counts := map[string]string{}
	for _, r := range readWardFile(t) {
		counts[r["ward_code"]] = r["postcode_count"]
	}
	for _, p := range places {
		rows, _ := s.wardsCSV("/in-your-area/" + p.slug + "/access.csv")
		for code, row := range rows {
			if row["postcodes"] != counts[code] {
				t.Errorf("%s ward %s: %s postcodes, the ward file counts %s", p.slug, code, row["postcodes"], counts[code])
			}
		}
	}
}

// The what-if of a pharmacy whose closure leaves postcodes more than 1 km
// from any pharmacy says how many, and the JSON gives the same figure.
func TestWhatIfShowsPostcodesBeyond1km(t *testing.T) {
	s := newSite(t, true)
	data, before := shippedFigures(t)
	// Pick the Southwark pharmacy whose closure moves the most Southwark
	// postcodes beyond 1 km, worked out from the shipped files.
	total := func(e map[string]expectedWard) (n int, people float64) {
		for _, code := range data.wardsOf("E09000028") {
			n += e[code].beyondPharmacy
			people += e[code].peoplePharmacy
		}
		return n, people
	}
	n0, _ := total(before)
	best, most := "", 0
	for code, n := range data.closureMoves("E09000028") {
		if n > most || (n == most && code < best) {
			best, most = code, n
		}
	}
	after := data.expect(best)
	bestN, bestPeople := total(after)
	if best == "" || bestN <= n0 {
		t.Fatal("no Southwark pharmacy's closure would leave a postcode beyond 1 km; the test needs one")
	}
	t.Logf("without %s: %d postcodes beyond 1 km of a pharmacy, against %d", best, bestN, n0)

	status, body := s.get("/in-your-area/southwark/access?without=" + best)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	want := number(bestN) + " of Southwark's "
	if !strings.Contains(body, want) {
		t.Errorf("the what-if page does not say %q postcodes would be beyond 1 km", want)
	}
	if !strings.Contains(body, "against "+number(n0)+" postcodes") {
		t.Errorf("the what-if page does not give today's %d postcodes", n0)
	}
	if !strings.Contains(body, "Wards where more postcodes would be more than 1 km from a pharmacy") {
		t.Error("the what-if page has no table of the wards that change")
	}
	status, body = s.get("/in-your-area/southwark/access.json?without=" + best)
	if status != http.StatusOK {
		t.Fatalf("JSON status %d", status)
	}
	var doc struct {
		Without struct{ Code string }
		Totals  map[string]float64
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Without.Code != best || int(doc.Totals["postcodes_beyond_1km_pharmacy"]) != bestN ||
		math.Abs(doc.Totals["people_beyond_1km_pharmacy"]-math.Round(bestPeople)) > 1 {
		t.Errorf("JSON without %s: %v, want %d postcodes and %v people", best, doc.Totals, bestN, math.Round(bestPeople))
	}
	// Every ward's figures without it match those worked out again.
	rows, _ := s.wardsCSV("/in-your-area/southwark/access.csv?without=" + best)
	for code, row := range rows {
		check(t, code, row, after[code])
	}
	if status, _ := s.get("/in-your-area/southwark/access?without=NOSUCH"); status != http.StatusNotFound {
		t.Errorf("a what-if of an unknown code: status %d, want 404", status)
	}
	if status, _ := s.get("/in-your-area/southwark/access?measure=colour"); status != http.StatusBadRequest {
		t.Errorf("an unknown measure: status %d, want 400", status)
	}
}

// number writes n as the page does: 1234 → "1,234".
func number(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Closing a pharmacy in the directory, as an editor would, changes the
// figures on the next request, with the page cache on.
func TestClosingAPharmacyChangesTheFigures(t *testing.T) {
	s := newSite(t, false)
	data, _ := shippedFigures(t)
	ctx := context.Background()
	var closing shippedService
	for _, sv := range data.services["pharmacy"] {
		if sv.lad == "E09000028" {
			closing = sv
			break
		}
	}
	path := "/in-your-area/southwark/access.csv"
	before, _ := s.wardsCSV(path)
	_, page := s.get("/in-your-area/southwark/access")
	if !strings.Contains(page, "?without="+closing.code) {
		t.Fatalf("the access page has no what-if link for %s", closing.code)
	}

	store := directory.NewStore(s.db)
	id := directory.DerivedID("ods", "service", closing.code)
	svc, err := store.Service(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	svc.Status = directory.StatusInactive
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		_, err := directory.NewStore(q).SaveService(ctx, svc)
		return err
	}); err != nil {
		t.Fatal(err)
	}

	after, _ := s.wardsCSV(path)
	n := func(rows map[string]map[string]string, col string) (sum int) {
		for _, r := range rows {
			v, _ := strconv.Atoi(r[col])
			sum += v
		}
		return sum
	}
	if got, was := n(after, "pharmacies"), n(before, "pharmacies"); got != was-1 {
		t.Errorf("after closing %s the wards count %d pharmacies, want %d", closing.code, got, was-1)
	}
	if after[closing.ward]["pharmacies"] == before[closing.ward]["pharmacies"] {
		t.Errorf("ward %s still counts %s pharmacies", closing.ward, after[closing.ward]["pharmacies"])
	}
	want := data.expect(closing.code)
	check(t, closing.ward, after[closing.ward], want[closing.ward])
	if status, _ := s.get("/in-your-area/southwark/access?without=" + closing.code); status != http.StatusNotFound {
		t.Errorf("a what-if of the closed pharmacy: status %d, want 404", status)
	}
}

// The place page links to its access page, and an open pharmacy's
// directory page to the what-if of its closure.
func TestLinkedFromPlaceAndServicePages(t *testing.T) {
	s := newSite(t, true)
	_, body := s.get("/in-your-area/lambeth")
	if !strings.Contains(body, `href="/in-your-area/lambeth/access"`) {
		t.Error("the Lambeth page does not link to its access page")
	}
	data, _ := shippedFigures(t)
	ph := data.services["pharmacy"][0]
	status, body := s.get("/directory/services/" + directory.DerivedID("ods", "service", ph.code))
	if status != http.StatusOK {
		t.Fatalf("service page: status %d", status)
	}
	if !strings.Contains(body, "/access?without="+ph.code+`"`) {
		t.Errorf("the directory page of %s does not link to the what-if of its closure", ph.code)
	}
	status, body = s.get("/in-your-area/access")
	if status != http.StatusOK {
		t.Fatalf("system page: status %d", status)
	}
	for _, p := range places {
		if !strings.Contains(body, `href="/in-your-area/`+p.slug+`/access"`) {
			t.Errorf("the system page does not link to %s's access page", p.slug)
		}
	}
	for _, want := range []string{"<title id=\"ward-map-title\">", "<desc id=\"lsoa-map-desc\">", "Greater London Authority (London Datastore)"} {
		_, page := s.get("/in-your-area/lambeth/access")
		if !strings.Contains(page, want) {
			t.Errorf("the Lambeth access page has no %q", want)
		}
	}
	_, about := s.get("/about/data")
	for _, want := range []string{"Wards (December 2024)", "Boundaries Generalised Clipped", "English Indices of Deprivation 2019", "mid-2020"} {
		if !strings.Contains(about, want) {
			t.Errorf("/about/data does not name %q", want)
		}
	}
}

// The ward map is shaded by the measure chosen on its form, the first one
// (the share beyond 1 km of a pharmacy) when none is chosen; the map's
// title names it and the form shows it chosen.
func TestWardMapShadedByTheChosenMeasure(t *testing.T) {
	s := newSite(t, false)
	for _, tt := range []struct{ query, key, title string }{
		{"", "share_beyond_1km_pharmacy", "share of postcodes more than 1 km from a pharmacy"},
		{"?measure=share_beyond_1km_gp", "share_beyond_1km_gp", "share of postcodes more than 1 km from a GP practice"},
		{"?measure=median_metres_to_pharmacy", "median_metres_to_pharmacy", "median distance to the nearest pharmacy"},
		{"?measure=median_metres_to_gp", "median_metres_to_gp", "median distance to the nearest GP practice"},
		{"?measure=imd_score", "imd_score", "deprivation (IMD 2019 score, population-weighted)"},
		{"?measure=most_deprived_20pc_share", "most_deprived_20pc_share", "share of people in England&#39;s most deprived 20% of areas"},
	} {
		t.Run(tt.key, func(t *testing.T) {
			status, body := s.get("/in-your-area/lambeth/access" + tt.query)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if want := `<title id="ward-map-title">Map of Lambeth&#39;s wards: ` + tt.title; !strings.Contains(body, want) {
				t.Errorf("the ward map's title is not %q", want)
			}
			if !strings.Contains(body, `<option value="`+tt.key+`" selected`) {
				t.Errorf("the form does not show %s chosen", tt.key)
			}
		})
	}
}

// The access page's four pictures (the ward map, the LSOA map and two
// scatters) are SVG drawn by the server, each with a title, a description
// and a key, and the ward table the ward map and scatters are drawn from.
func TestAccessPicturesHaveTitleDescriptionAndKey(t *testing.T) {
	s := newSite(t, false)
	status, body := s.get("/in-your-area/lambeth/access")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	for _, id := range []string{"ward-map", "lsoa-map", "scatter-0", "scatter-1"} {
		for _, want := range []string{`aria-labelledby="` + id + `-title ` + id + `-desc"`, `<title id="` + id + `-title">`,
			`<desc id="` + id + `-desc">`, `<figcaption id="` + id + `-caption">`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the page has no %q", id, want)
			}
		}
		_, caption, _ := strings.Cut(body, `<figcaption id="`+id+`-caption">`)
		caption, _, _ = strings.Cut(caption, "</figcaption>")
		if !strings.Contains(caption, `aria-label="Key"`) {
			t.Errorf("%s: no key in its caption", id)
		}
	}
	if !strings.Contains(body, `<caption id="wards-caption"`) || !strings.Contains(body, "Access and deprivation by ward in Lambeth") {
		t.Error("the page has no table of wards")
	}
	if strings.Contains(body, "<script") {
		t.Error("the pictures need a script")
	}
	// Without a pharmacy: both maps, and the scatter for pharmacies only.
	m := regexp.MustCompile(`\?without=(F[A-Z0-9]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the access page links to no pharmacy's what-if")
	}
	status, body = s.get("/in-your-area/lambeth/access?without=" + m[1])
	if status != http.StatusOK {
		t.Fatalf("without %s: status %d", m[1], status)
	}
	for id, want := range map[string]bool{"ward-map": true, "lsoa-map": true, "scatter-0": true, "scatter-1": false} {
		if got := strings.Contains(body, `<title id="`+id+`-title">`); got != want {
			t.Errorf("without %s: %s shown %v, want %v", m[1], id, got, want)
		}
	}
}
