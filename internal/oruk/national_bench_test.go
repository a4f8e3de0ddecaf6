package oruk_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/directory"
)

// The national-scale benchmarks build a synthetic directory of 200,000
// services across England once per run (about a minute), so they run only
// when asked:
//
//	JOINEDUP_BENCH_NATIONAL=1 go test -run '^$' -bench National -benchtime 2000x ./internal/oruk/
const nationalEnv = "JOINEDUP_BENCH_NATIONAL"

const nationalServices = 200000

// towns are centres services cluster around, weighted roughly by size.
var towns = []struct {
	name     string
	lat, lon float64
	weight   int
}{
	{"London", 51.507, -0.128, 90}, {"Birmingham", 52.486, -1.890, 12}, {"Manchester", 53.480, -2.242, 10},
	{"Leeds", 53.800, -1.549, 8}, {"Liverpool", 53.408, -2.991, 6}, {"Sheffield", 53.381, -1.470, 6},
	{"Bristol", 51.455, -2.588, 5}, {"Newcastle", 54.978, -1.618, 5}, {"Nottingham", 52.954, -1.158, 4},
	{"Leicester", 52.637, -1.140, 4}, {"Southampton", 50.910, -1.404, 3}, {"Brighton", 50.823, -0.137, 3},
	{"Plymouth", 50.376, -4.143, 3}, {"Norwich", 52.630, 1.297, 2}, {"York", 53.960, -1.082, 2},
	{"Exeter", 50.718, -3.534, 2}, {"Cambridge", 52.205, 0.122, 2}, {"Oxford", 51.752, -1.258, 2},
	{"Hull", 53.745, -0.336, 3}, {"Coventry", 52.407, -1.510, 3}, {"Derby", 52.921, -1.476, 2},
	{"Stoke", 53.003, -2.180, 2}, {"Reading", 51.454, -0.978, 2}, {"Carlisle", 54.892, -2.932, 1},
	{"Ipswich", 52.056, 1.148, 1}, {"Lincoln", 53.234, -0.538, 1}, {"Bournemouth", 50.720, -1.880, 2},
}

// categories are the synthetic taxonomy's terms, with how common each is
// and words for names and descriptions.
var categories = []struct {
	name, noun, desc string
	weight           int
}{
	{"Pharmacy", "Pharmacy", "A community pharmacy dispensing NHS prescriptions, with advice on minor illnesses.", 12},
	{"GP practice", "Surgery", "A general practice providing NHS primary medical services.", 7},
	{"Dentist", "Dental Practice", "NHS and private dental care for adults and children.", 6},
	{"Food bank", "Food Bank", "Emergency food parcels for people referred by local agencies.", 5},
	{"Lunch club", "Lunch Club", "Hot lunches and company for older people.", 5},
	{"Counselling", "Counselling Service", "Talking therapy with trained counsellors for anxiety and depression.", 6},
	{"Debt advice", "Money Advice", "Free, confidential advice on debt, benefits and budgeting.", 6},
	{"Housing advice", "Housing Advice", "Help for people who are homeless or at risk of losing their home.", 5},
	{"Youth club", "Youth Club", "Activities, sport and support for young people aged 11 to 18.", 6},
	{"Parent and toddler group", "Stay and Play", "Play sessions for babies and toddlers with their parents and carers.", 6},
	{"Mental health support", "Wellbeing Hub", "Peer support and drop-in sessions for people with mental health problems.", 6},
	{"Carers support", "Carers Centre", "Information, breaks and support for unpaid carers.", 4},
	{"Exercise class", "Fitness Class", "Gentle exercise classes for people of all abilities.", 5},
	{"Walking group", "Walking Group", "Led health walks in local parks.", 4},
	{"Language class", "English Class", "English for speakers of other languages, from beginners upwards.", 4},
	{"Employment support", "Jobs Club", "Help with CVs, applications and interviews.", 4},
	{"Domestic abuse support", "Domestic Abuse Service", "Confidential support for people experiencing domestic abuse.", 3},
	{"Bereavement support", "Bereavement Group", "Support for people who have lost someone close.", 3},
	{"Drug and alcohol support", "Recovery Service", "Treatment and recovery support for drug and alcohol use.", 3},
	{"Library", "Library", "Books, computers, free wifi and activities for all ages.", 4},
}

var streetWords = []string{"Church", "High", "Station", "Park", "Mill", "Victoria", "Albert", "Queens", "Kings", "Market",
	"Bridge", "Green", "Manor", "Grove", "Priory", "Abbey", "Castle", "Hill", "Meadow", "Riverside", "Orchard", "Oak",
	"Elm", "Cedar", "Willow", "Chapel", "Forest", "Harbour", "Valley", "Springfield"}

// weighted picks an index by weight.
func weighted(rng *rand.Rand, n int, weight func(int) int) int {
	total := 0
	for i := 0; i < n; i++ {
		total += weight(i)
	}
	r := rng.IntN(total)
	for i := 0; i < n; i++ {
		if r -= weight(i); r < 0 {
			return i
		}
	}
	return n - 1
}

// bulk inserts rows with multi-row INSERT statements.
type bulk struct {
	deps  []*bulk // flushed first, for foreign keys
	ctx   context.Context
	q     db.Querier
	table string
	cols  []string
	rows  [][]any
	err   error
}

func (b *bulk) add(row ...any) {
	b.rows = append(b.rows, row)
	if len(b.rows)*len(b.cols) >= 8000 {
		b.flush()
	}
}

func (b *bulk) flush() {
	for _, d := range b.deps {
		d.flush()
		if d.err != nil {
			b.err = d.err
		}
	}
	if b.err != nil || len(b.rows) == 0 {
		b.rows = b.rows[:0]
		return
	}
	var sb strings.Builder
	args := make([]any, 0, len(b.rows)*len(b.cols))
	for i, r := range b.rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j := range r {
			if j > 0 {
				sb.WriteString(", ")
			}
			// Plain ? marks: SQLite looks each named $N mark up among
			// those before it, which is quadratic in so long a statement.
			sb.WriteByte('?')
		}
		sb.WriteByte(')')
		args = append(args, r...)
	}
	_, b.err = b.q.ExecContext(b.ctx, "INSERT INTO "+b.table+" ("+strings.Join(b.cols, ", ")+") VALUES "+sb.String(), args...)
	b.rows = b.rows[:0]
}

// national is the synthetic directory, built once per test binary.
var national struct {
	once    sync.Once
	dir     string
	db      *db.DB
	handler http.Handler
	points  []directory.Point
	err     error
}

func nationalDirectory(b *testing.B) (*db.DB, http.Handler, []directory.Point) {
	b.Helper()
	if testing.Short() || os.Getenv(nationalEnv) == "" {
		b.Skipf("set %s=1 to build the 200,000-service directory and run this benchmark", nationalEnv)
	}
	if dbtest.Engine() != db.SQLite {
		b.Skip("the national directory is built on SQLite only")
	}
	national.once.Do(func() {
		national.dir, national.err = os.MkdirTemp("", "joinedup-national-")
		if national.err != nil {
			return
		}
		start := time.Now()
		cfg := config.Config{DataDir: national.dir, BaseURL: "https://joinedup.example", NoPageCache: true}
		d, err := app.Open(context.Background(), cfg, quietLog())
		if err != nil {
			national.err = err
			return
		}
		national.db = d
		national.points, national.err = generateNational(d)
		if national.err != nil {
			return
		}
		national.handler, national.err = app.Handler(d, cfg, quietLog())
		fmt.Fprintf(os.Stderr, "built %d services in %v\n", nationalServices, time.Since(start).Round(time.Second))
	})
	if national.err != nil {
		b.Fatal(national.err)
	}
	return national.db, national.handler, national.points
}

// generateNational writes the synthetic directory with direct multi-row
// inserts in one transaction, then fills the full-text index with the same
// statement the store's write path uses, and returns points to search near.
func generateNational(d *db.DB) ([]directory.Point, error) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(2025, 200000))
	taxID := directory.DerivedID("bench", "taxonomy")
	termIDs := make([]string, len(categories))
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	err := d.Tx(ctx, func(q db.Querier) error {
		st := directory.NewStore(q)
		var terms []directory.TaxonomyTerm
		for i, c := range categories {
			termIDs[i] = directory.DerivedID("bench", "term", c.name)
			terms = append(terms, directory.TaxonomyTerm{ID: termIDs[i], TaxonomyID: taxID, Name: c.name, Description: c.desc})
		}
		if err := st.SaveTaxonomy(ctx, directory.Taxonomy{ID: taxID, Name: "Synthetic categories", Description: "For benchmarks."}, terms); err != nil {
			return err
		}
		// Search keys follow those of the services already there.
		var searchKeyBase int
		if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(search_key), 0) + 1 FROM dir_services`).Scan(&searchKeyBase); err != nil {
			return err
		}
		mk := func(table string, cols ...string) *bulk { return &bulk{ctx: ctx, q: q, table: table, cols: cols} }
		orgs := mk("dir_organizations", "id", "name", "description", "source", "last_modified")
		svcs := mk("dir_services", "id", "organization_id", "name", "description", "status", "minimum_age", "maximum_age", "free",
			"source", "last_modified", "content_hash", "search_key")
		locs := mk("dir_locations", "id", "location_type", "name", "latitude", "longitude", "last_modified")
		addrs := mk("dir_addresses", "id", "location_id", "address_1", "city", "postal_code")
		sals := mk("dir_service_at_locations", "id", "service_id", "location_id")
		sterms := mk("dir_service_terms", "service_id", "taxonomy_term_id")
		phones := mk("dir_phones", "id", "service_id", "number")
		scheds := mk("dir_schedules", "id", "service_id", "freq", "byday", "opens_at", "closes_at")
		periods := mk("dir_opening_periods", "service_id", "weekday", "opens_min", "closes_min")
		svcs.deps = []*bulk{orgs}
		addrs.deps = []*bulk{locs}
		sals.deps = []*bulk{svcs, locs}
		for _, b := range []*bulk{sterms, phones, scheds, periods} {
			b.deps = []*bulk{svcs}
		}
		all := []*bulk{orgs, svcs, locs, addrs, sals, sterms, phones, scheds, periods}
		var orgID, orgName string
		for i := 0; i < nationalServices; i++ {
			key := fmt.Sprint(i)
			town := towns[weighted(rng, len(towns), func(j int) int { return towns[j].weight })]
			cat := weighted(rng, len(categories), func(j int) int { return categories[j].weight })
			street := streetWords[rng.IntN(len(streetWords))]
			name := fmt.Sprintf("%s %s %s", street, categories[cat].noun, town.name)
			if i%4 == 0 {
				orgID = directory.DerivedID("bench", "org", key)
				orgName = fmt.Sprintf("%s %s Trust", town.name, streetWords[rng.IntN(len(streetWords))])
				orgs.add(orgID, orgName, "A provider of local services.", "bench", now)
			}
			id := directory.DerivedID("bench", "service", key)
			var minAge, maxAge any
			if rng.IntN(5) == 0 {
				minAge, maxAge = 11+rng.IntN(8), 18+rng.IntN(60)
			}
			svcs.add(id, orgID, name, categories[cat].desc, directory.StatusActive, minAge, maxAge, rng.IntN(2) == 0,
				"bench", now.Add(-time.Duration(rng.IntN(365*24))*time.Hour), "bench", searchKeyBase+i)
			sterms.add(id, termIDs[cat])
			if rng.IntN(4) == 0 {
				if other := rng.IntN(len(categories)); other != cat {
					sterms.add(id, termIDs[other])
				}
			}
			nLocs := 1
			if rng.IntN(10) == 0 {
				nLocs = 2
			}
			for l := 0; l < nLocs; l++ {
				// Most services sit around a town centre, spread by the
				// town's size (London's over some 20 km), some anywhere in
				// England.
				spread := 0.02 * math.Sqrt(float64(town.weight))
				lat, lon := town.lat+rng.NormFloat64()*spread, town.lon+rng.NormFloat64()*spread*1.6
				if rng.IntN(5) == 0 {
					lat, lon = 50.2+rng.Float64()*5.4, -5.0+rng.Float64()*6.6
				}
				lid := directory.DerivedID("bench", "location", key, fmt.Sprint(l))
				locs.add(lid, "physical", name, lat, lon, now)
				addrs.add(directory.DerivedID("bench", "address", key, fmt.Sprint(l)), lid, fmt.Sprintf("%d %s Road", 1+rng.IntN(300), street),
					town.name, "")
				sals.add(directory.DerivedID("bench", "sal", key, fmt.Sprint(l)), id, lid)
			}
			phones.add(directory.DerivedID("bench", "phone", key), id, fmt.Sprintf("0%d %07d", 1000+rng.IntN(9000), rng.IntN(10000000)))
			if rng.IntN(10) < 7 {
				opens, closes := 8+rng.IntN(3), 16+rng.IntN(5)
				days := "MO,TU,WE,TH,FR"
				scheds.add(directory.DerivedID("bench", "schedule", key), id, "WEEKLY", days, fmt.Sprintf("%02d:00", opens),
					fmt.Sprintf("%02d:00", closes))
				for day := 1; day <= 5; day++ {
					periods.add(id, day, opens*60, closes*60)
				}
			}
		}
		for _, b := range all {
			b.flush()
			if b.err != nil {
				return fmt.Errorf("insert into %s: %w", b.table, b.err)
			}
		}
		// The same statement as the store's SQLite text index, for every
		// service at once.
		_, err := q.ExecContext(ctx, `INSERT INTO dir_services_fts (rowid, service_id, name, description, organization, categories)
			SELECT s.search_key, s.id, s.name, s.description, o.name,
				COALESCE((SELECT group_concat(t.name, ' ') FROM dir_service_terms st
					JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')
			FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id
			WHERE s.source = 'bench'`)
		if err != nil {
			return err
		}
		_, err = directory.RebuildVocabulary(ctx, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	if _, err := d.ExecContext(ctx, `ANALYZE`); err != nil {
		return nil, err
	}
	// Search from points near town centres, where people live.
	var points []directory.Point
	for i := 0; i < 500; i++ {
		town := towns[weighted(rng, len(towns), func(j int) int { return towns[j].weight })]
		spread := 0.02 * math.Sqrt(float64(town.weight))
		points = append(points, directory.Point{Lat: town.lat + rng.NormFloat64()*spread, Lon: town.lon + rng.NormFloat64()*spread*1.6})
	}
	return points, nil
}

var benchKeywords = []string{"pharmacy", "food bank", "counselling", "debt advice", "youth", "stay and play", "carers",
	"english class", "walking", "library"}

// reportLatencies reports the 50th, 95th and 99th percentiles of the
// measured durations.
func reportLatencies(b *testing.B, ds []time.Duration) {
	b.Helper()
	slices.Sort(ds)
	at := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(ds)))) - 1
		return float64(ds[max(0, i)].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkNationalSearch searches the synthetic national directory with a
// keyword near a point, 5 km round, as a resident searching by postcode.
func BenchmarkNationalSearch(b *testing.B) {
	d, _, points := nationalDirectory(b)
	st := directory.NewStore(d)
	ctx := context.Background()
	ds := make([]time.Duration, 0, b.N)
	hits := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		p := points[i%len(points)]
		q := directory.Query{Text: benchKeywords[i%len(benchKeywords)], Near: &p, RadiusMetres: 5000, PerPage: 20}
		start := time.Now()
		res, err := st.Search(ctx, q)
		ds = append(ds, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		hits += res.Total
	}
	b.StopTimer()
	reportLatencies(b, ds)
	b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
}

// BenchmarkNationalAPIServices serves /api/oruk/services?per_page=50 (fully
// nested) from the synthetic national directory: a spread of pages, and a
// keyword search near a postcode.
func BenchmarkNationalAPIServices(b *testing.B) {
	d, h, points := nationalDirectory(b)
	// A postcode at each search point.
	ctx := context.Background()
	var pcs []directory.Postcode
	for i, p := range points[:50] {
		pcs = append(pcs, directory.Postcode{Postcode: fmt.Sprintf("ZE%d %dAB", i%9+1, i/9%10), Point: p})
	}
	pcs = slices.CompactFunc(pcs, func(a, b directory.Postcode) bool { return a.Postcode == b.Postcode })
	if err := d.Tx(ctx, func(q db.Querier) error {
		_, err := directory.NewStore(q).SavePostcodes(ctx, pcs)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		path func(i int) string
	}{
		{"pages", func(i int) string { return fmt.Sprintf("/api/oruk/services?per_page=50&page=%d", 1+i%200) }},
		{"search-near-postcode", func(i int) string {
			return fmt.Sprintf("/api/oruk/services?per_page=50&search=%s&postcode=%s&proximity=5000",
				strings.ReplaceAll(benchKeywords[i%len(benchKeywords)], " ", "+"), strings.ReplaceAll(pcs[i%len(pcs)].Postcode, " ", "+"))
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ds := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest(http.MethodGet, c.path(i), nil)
				req.Header.Set("Accept-Encoding", "gzip")
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				ds = append(ds, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d %s", c.path(i), rec.Code, rec.Body.String())
				}
			}
			b.StopTimer()
			reportLatencies(b, ds)
		})
	}
}

// TestMain runs the tests on every engine (see dbtest), then removes the
// national directory, when a benchmark built one.
func TestMain(m *testing.M) {
	code := dbtest.Run(m)
	if national.db != nil {
		national.db.Close()
	}
	if national.dir != "" {
		os.RemoveAll(national.dir)
	}
	os.Exit(code)
}
