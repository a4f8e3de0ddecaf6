package access_test

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/joinedup/joinedup/internal/testenv"
)

// This file works the figures out again from the files joinedup ships
// (internal/seed/data), as plainly as possible: every distance by brute
// force over every service, every LSOA by testing every boundary. It shares
// no code with the package.

type shipped struct {
	geo       []geoPostcode // geographic postcodes with their LSOAs
	postcodes []shippedPostcode
	// services of each kind: "pharmacy" and "gp"
	services map[string][]shippedService
	lsoas    map[string]*shippedLSOA
	wards    []shippedWard
}

type shippedPostcode struct {
	code, district, lad, ward, lsoa string
	lat, lon                        float64
}

type shippedService struct {
	code, postcode, ward, lad string
	lat, lon                  float64
}

type shippedLSOA struct {
	code       string
	score      float64
	decile     int
	population float64
	rings      [][][2]float64 // [ring][point]{lon, lat}; holes are rings too (even-odd)
	polys      [][][][2]float64
	box        [4]float64 // min lon, min lat, max lon, max lat
	postcodes  int
}

type shippedWard struct {
	code, name, lad string
}

func readCSVFile(t *testing.T, name string) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(testenv.RepoRoot(t), "internal", "seed", "data", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

func readShipped(t *testing.T) *shipped {
	t.Helper()
	s := &shipped{services: map[string][]shippedService{}, lsoas: map[string]*shippedLSOA{}}
	for _, r := range readCSVFile(t, "sel_postcodes.csv") {
		s.postcodes = append(s.postcodes, shippedPostcode{code: r["postcode"], district: r["postcode_district"], lad: r["lad_code"],
			ward: r["ward_code"], lsoa: r["lsoa11_code"], lat: num(t, r["latitude"]), lon: num(t, r["longitude"])})
	}
	for kind, file := range map[string]string{"pharmacy": "sel_pharmacies.csv", "gp": "sel_gp_practices.csv"} {
		for _, r := range readCSVFile(t, file) {
			s.services[kind] = append(s.services[kind], shippedService{code: r["ods_code"], postcode: r["postcode"], ward: r["ward_code"],
				lad: r["lad_code"], lat: num(t, r["latitude"]), lon: num(t, r["longitude"])})
		}
	}
	for _, r := range readCSVFile(t, "sel_imd2019_lsoa.csv") {
		s.lsoas[r["lsoa11_code"]] = &shippedLSOA{code: r["lsoa11_code"], score: num(t, r["imd_score"]), decile: int(num(t, r["imd_decile"]))}
	}
	for _, r := range readCSVFile(t, "sel_population_lsoa11_mid2020.csv") {
		s.lsoas[r["lsoa11_code"]].population = num(t, r["persons_all_ages"])
	}
	var fc struct {
		Features []struct {
			Properties map[string]string
			Geometry   struct {
				Type        string
				Coordinates json.RawMessage
			}
		}
	}
	raw, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "internal", "seed", "data", "sel_lsoa11_boundaries.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		l := s.lsoas[f.Properties["lsoa11_code"]]
		var polys [][][][2]float64
		if f.Geometry.Type == "Polygon" {
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				t.Fatal(err)
			}
			polys = [][][][2]float64{p}
		} else if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
			t.Fatal(err)
		}
		l.polys = polys
		l.box = [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		for _, poly := range polys {
			for _, pt := range poly[0] {
				l.box = [4]float64{math.Min(l.box[0], pt[0]), math.Min(l.box[1], pt[1]), math.Max(l.box[2], pt[0]), math.Max(l.box[3], pt[1])}
			}
		}
	}
	raw, err = os.ReadFile(filepath.Join(testenv.RepoRoot(t), "internal", "seed", "data", "sel_ward_boundaries.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		s.wards = append(s.wards, shippedWard{code: f.Properties["ward_code"], name: f.Properties["ward_name"], lad: f.Properties["lad_code"]})
	}
	return s
}

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Pow(math.Sin(dLat/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin(dLon/2), 2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// inside is the even-odd rule over one polygon's rings.
func inside(poly [][][2]float64, lat, lon float64) bool {
	in := false
	for _, ring := range poly {
		for i := 0; i < len(ring)-1; i++ {
			x1, y1, x2, y2 := ring[i][0], ring[i][1], ring[i+1][0], ring[i+1][1]
			if (y1 > lat) != (y2 > lat) && lon < x1+(lat-y1)*(x2-x1)/(y2-y1) {
				in = !in
			}
		}
	}
	return in
}

// edgeMetres is the distance from a point to a polygon's nearest edge, on
// a local flat projection.
func edgeMetres(poly [][][2]float64, lat, lon float64) float64 {
	ky := 6371008.8 * math.Pi / 180
	kx := ky * math.Cos(lat*math.Pi/180)
	best := math.Inf(1)
	for _, ring := range poly {
		for i := 0; i < len(ring)-1; i++ {
			ax, ay := (ring[i][0]-lon)*kx, (ring[i][1]-lat)*ky
			bx, by := (ring[i+1][0]-lon)*kx, (ring[i+1][1]-lat)*ky
			dx, dy := bx-ax, by-ay
			f := 0.0
			if dx*dx+dy*dy > 0 {
				f = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/(dx*dx+dy*dy)))
			}
			best = math.Min(best, math.Hypot(ax+f*dx, ay+f*dy))
		}
	}
	return best
}

func (s *shipped) lsoaOf(p shippedPostcode) *shippedLSOA {
	if l, ok := s.lsoas[p.lsoa]; ok {
		return l
	}
	var nearest *shippedLSOA
	best := math.Inf(1)
	// Generalised boundaries overlap by a few metres in places: a point in
	// two LSOAs takes the one with the lower code.
	codes := make([]string, 0, len(s.lsoas))
	for code := range s.lsoas {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		l := s.lsoas[code]
		if p.lon < l.box[0] || p.lon > l.box[2] || p.lat < l.box[1] || p.lat > l.box[3] {
			continue
		}
		for _, poly := range l.polys {
			if inside(poly, p.lat, p.lon) {
				return l
			}
		}
	}
	for _, l := range s.lsoas {
		for _, poly := range l.polys {
			if d := edgeMetres(poly, p.lat, p.lon); d < best {
				best, nearest = d, l
			}
		}
	}
	return nearest
}

type geoPostcode struct {
	shippedPostcode
	lsoa *shippedLSOA
}

// expectedWard is one ward's figures worked out from the shipped files.
type expectedWard struct {
	postcodes, pharmacies, gps int
	population                 float64
	medianPharmacy, medianGP   float64
	sharePharmacy, shareGP     float64
	peoplePharmacy, peopleGP   float64
	imd, core20                float64
	beyondPharmacy, beyondGP   int
}

// expect works out every ward's figures, leaving out the service with
// the ODS code without (of either kind) when it is not "".
func (s *shipped) expect(without string) map[string]expectedWard {
	if s.geo == nil {
		for _, p := range s.postcodes {
			if p.district == "SE1P" || p.district == "SW95" {
				continue
			}
			l := s.lsoaOf(p)
			l.postcodes++
			s.geo = append(s.geo, geoPostcode{p, l})
		}
	}
	geo := s.geo
	type acc struct {
		dist      [2][]float64
		people    float64
		beyond    [2]float64
		beyondN   [2]int
		imd, core float64
		n         int
	}
	accs := map[string]*acc{}
	for _, p := range geo {
		a := accs[p.ward]
		if a == nil {
			a = &acc{}
			accs[p.ward] = a
		}
		share := p.lsoa.population / float64(p.lsoa.postcodes)
		a.n++
		a.people += share
		a.imd += share * p.lsoa.score
		if p.lsoa.decile <= 2 {
			a.core += share
		}
		for k, kind := range []string{"pharmacy", "gp"} {
			best := math.Inf(1)
			for _, sv := range s.services[kind] {
				if sv.code == without {
					continue
				}
				best = math.Min(best, haversine(p.lat, p.lon, sv.lat, sv.lon))
			}
			a.dist[k] = append(a.dist[k], best)
			if best > 1000 {
				a.beyond[k] += share
				a.beyondN[k]++
			}
		}
	}
	med := func(ds []float64) float64 {
		sort.Float64s(ds)
		n := len(ds)
		if n%2 == 1 {
			return ds[n/2]
		}
		return (ds[n/2-1] + ds[n/2]) / 2
	}
	out := map[string]expectedWard{}
	for code, a := range accs {
		e := expectedWard{postcodes: a.n, population: a.people, medianPharmacy: med(a.dist[0]), medianGP: med(a.dist[1]),
			sharePharmacy: float64(a.beyondN[0]) / float64(a.n), shareGP: float64(a.beyondN[1]) / float64(a.n),
			peoplePharmacy: a.beyond[0], peopleGP: a.beyond[1], imd: a.imd / a.people, core20: a.core / a.people,
			beyondPharmacy: a.beyondN[0], beyondGP: a.beyondN[1]}
		for _, sv := range s.services["pharmacy"] {
			if sv.ward == code && sv.code != without {
				e.pharmacies++
			}
		}
		for _, sv := range s.services["gp"] {
			if sv.ward == code && sv.code != without {
				e.gps++
			}
		}
		out[code] = e
	}
	return out
}

// wardsOf lists a borough's ward codes from the shipped boundaries.
func (s *shipped) wardsOf(lad string) []string {
	var out []string
	for _, w := range s.wards {
		if w.lad == lad {
			out = append(out, w.code)
		}
	}
	return out
}

// readWardFile reads the shipped ward summary, which is not loaded (it
// is derived from the other files); the tests compare with it.
func readWardFile(t *testing.T) []map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sel_wards.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// closureMoves counts, for each pharmacy, the geographic postcodes of the
// borough lad that it alone keeps within 1 km: its closure would leave
// them beyond.
func (s *shipped) closureMoves(lad string) map[string]int {
	s.expect("") // finds the postcodes' LSOAs
	out := map[string]int{}
	for _, p := range s.geo {
		if p.lad != lad {
			continue
		}
		var within []string
		for _, sv := range s.services["pharmacy"] {
			if haversine(p.lat, p.lon, sv.lat, sv.lon) <= 1000 {
				within = append(within, sv.code)
			}
		}
		if len(within) == 1 {
			out[within[0]]++
		}
	}
	return out
}
