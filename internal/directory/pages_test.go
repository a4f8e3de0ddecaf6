package directory_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/app/apptest"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

// pagesNow is the clock of the pages under test: Wednesday 21 May 2025 at
// midday in London.
var pagesNow = time.Date(2025, 5, 21, 12, 0, 0, 0, london.Location)

// pagesSite is the directory's pages on a real site over HTTP, on a fresh
// database with the shipped data, with the clock stopped at pagesNow.
type pagesSite struct {
	t     *testing.T
	srv   *httptest.Server
	db    *db.DB
	store *directory.Store
}

// The positions of postcodes the tests search near, from OS Code-Point Open
// 2025.4.0 (as shipped).
var pagesPostcodes = []directory.Postcode{
	{Postcode: "SE1 9RT", Point: directory.Point{Lat: 51.503329, Lon: -0.086797}, AreaCode: "E09000028"},
	{Postcode: "SE5 8AZ", Point: directory.Point{Lat: 51.468766, Lon: -0.091468}, AreaCode: "E09000028"},
}

func newPagesSite(t *testing.T) *pagesSite {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cfg := apptest.Config(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"})
	d, err := app.Open(context.Background(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	site, err := web.New(web.Config{BaseURL: cfg.BaseURL, SiteName: "South East London"}, log, d.Generation)
	if err != nil {
		t.Fatal(err)
	}
	store := directory.NewStore(d)
	directory.Mount(site, store, directory.Options{Now: func() time.Time { return pagesNow }, Places: pagesPlaces(d)})
	srv := httptest.NewServer(site.Handler())
	t.Cleanup(srv.Close)
	// The shipped postcodes may already hold these; saving again changes
	// nothing then.
	if err := d.Tx(context.Background(), func(q db.Querier) error {
		_, err := directory.NewStore(q).SavePostcodes(context.Background(), pagesPostcodes)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return &pagesSite{t: t, srv: srv, db: d, store: store}
}

// get fetches path and parses the page.
func (s *pagesSite) get(path string) (int, *html.Node, string) {
	s.t.Helper()
	res, err := s.srv.Client().Get(s.srv.URL + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	return res.StatusCode, doc, string(b)
}

// save adds a service (with its organisation) to the directory.
func (s *pagesSite) save(svc directory.Service) directory.Service {
	s.t.Helper()
	ctx := context.Background()
	if svc.ID == "" {
		svc.ID = directory.NewID()
	}
	org := directory.Organization{ID: directory.NewID(), Name: svc.Name + " Trust"}
	svc.OrganizationID = org.ID
	err := s.db.Tx(ctx, func(q db.Querier) error {
		st := directory.NewStore(q)
		if err := st.SaveTaxonomy(ctx, pagesTaxonomy, []directory.TaxonomyTerm{pagesTerm}); err != nil {
			return err
		}
		if err := st.SaveOrganization(ctx, org); err != nil {
			return err
		}
		_, err := st.SaveService(ctx, svc)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return svc
}

var (
	pagesTaxonomy = directory.Taxonomy{ID: directory.DerivedID("test", "taxonomy"), Name: "Community support"}
	pagesTerm     = directory.TaxonomyTerm{ID: directory.DerivedID("test", "term"), TaxonomyID: pagesTaxonomy.ID,
		Code: "lunch", Name: "Lunch clubs"}
)

func ptr[T any](v T) *T { return &v }

// element helpers

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func withClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		for _, c := range strings.Fields(attrOf(n, "class")) {
			if c == class {
				return true
			}
		}
		return false
	}
}

func withID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attrOf(n, "id") == id }
}

func tagged(name string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == name }
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && n.Data == "br":
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// result is one service in a page of results.
type result struct {
	Name, Href, Category, Distance, Open string
	Lines                                []string
}

func results(doc *html.Node) []result {
	var out []result
	for _, card := range findAll(doc, func(n *html.Node) bool { return n.Data == "li" && withClass("nhsuk-card")(n) }) {
		a := findAll(card, tagged("a"))[0]
		r := result{Name: text(a), Href: attrOf(a, "href")}
		if tags := findAll(card, withClass("nhsuk-tag")); len(tags) > 0 {
			r.Category = text(tags[0])
		}
		for _, li := range findAll(card, tagged("li")) {
			line := text(li)
			r.Lines = append(r.Lines, line)
			if d, ok := strings.CutPrefix(line, "Distance: "); ok {
				r.Distance = d
			}
			if line == "Open now" || line == "Closed now" {
				r.Open = line
			}
		}
		out = append(out, r)
	}
	return out
}

func lede(doc *html.Node) string {
	if l := findAll(doc, withClass("nhsuk-lede-text")); len(l) > 0 {
		return text(l[0])
	}
	return ""
}

func errorSummary(doc *html.Node) (links map[string]string, focused bool) {
	sums := findAll(doc, withClass("nhsuk-error-summary"))
	if len(sums) == 0 {
		return nil, false
	}
	links = map[string]string{}
	for _, a := range findAll(sums[0], tagged("a")) {
		links[attrOf(a, "href")] = text(a)
	}
	return links, attrOf(sums[0], "tabindex") == "-1" && hasAttr(sums[0], "autofocus")
}

func inputValue(t *testing.T, doc *html.Node, id string) string {
	t.Helper()
	els := findAll(doc, withID(id))
	if len(els) != 1 {
		t.Fatalf("want one element #%s, found %d", id, len(els))
	}
	if els[0].Data == "select" {
		for _, o := range findAll(els[0], tagged("option")) {
			if hasAttr(o, "selected") {
				return attrOf(o, "value")
			}
		}
		return ""
	}
	if attrOf(els[0], "type") == "checkbox" {
		if hasAttr(els[0], "checked") {
			return attrOf(els[0], "value")
		}
		return ""
	}
	return attrOf(els[0], "value")
}

// shipped is a row of the shipped ODS data.
type shipped struct {
	Name     string
	Lat, Lon float64
}

func readShipped(t *testing.T, file string) []shipped {
	t.Helper()
	f, err := os.Open("../seed/data/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	var out []shipped
	for _, r := range rows[1:] {
		if r[col["status"]] != "A" {
			continue
		}
		lat, err1 := strconv.ParseFloat(r[col["latitude"]], 64)
		lon, err2 := strconv.ParseFloat(r[col["longitude"]], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("shipped %s: bad position", r[col["ods_code"]])
		}
		out = append(out, shipped{Name: directory.DisplayName(r[col["name"]]), Lat: lat, Lon: lon})
	}
	return out
}

// haversine is the great-circle distance in metres, worked out here apart
// from the code under test.
func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Pow(math.Sin(dLat/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin(dLon/2), 2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

var distanceRE = regexp.MustCompile(`^([0-9.]+) miles? \(([0-9.]+) km\)$`)

func TestSearchByKeyword(t *testing.T) {
	s := newPagesSite(t)
	want := 0
	for _, p := range readShipped(t, "sel_pharmacies.csv") {
		if strings.Contains(p.Name, "Boots") {
			want++
		}
	}
	if want < 2 {
		t.Fatalf("the shipped data has %d Boots pharmacies; the test needs several", want)
	}
	status, doc, _ := s.get("/directory?q=boots")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := results(doc)
	if len(got) != min(want, 10) || !strings.HasPrefix(lede(doc), strconv.Itoa(want)+" services matching “boots”") {
		t.Errorf("want %d results for boots, got %d; summary %q", want, len(got), lede(doc))
	}
	for _, r := range got {
		if !strings.Contains(r.Name, "Boots") || r.Category != "Pharmacy" || r.Distance != "" {
			t.Errorf("result %+v: want a Boots pharmacy, without a distance", r)
		}
		if !strings.HasPrefix(r.Href, "/directory/services/") {
			t.Errorf("result links to %q", r.Href)
		}
	}
	if links, _ := errorSummary(doc); links != nil {
		t.Errorf("unexpected errors: %v", links)
	}
}

func TestSearchByCategory(t *testing.T) {
	s := newPagesSite(t)
	practices := len(readShipped(t, "sel_gp_practices.csv"))
	for _, category := range []string{"RO76", "ro76", directory.TermGPPractice.ID} {
		status, doc, _ := s.get("/directory?category=" + category)
		if status != http.StatusOK {
			t.Fatalf("category=%s: status %d", category, status)
		}
		if want := strconv.Itoa(practices) + " GP practices"; lede(doc) != want+". Go to the results" {
			t.Errorf("category=%s: summary %q, want %q", category, lede(doc), want)
		}
		for _, r := range results(doc) {
			if r.Category != "GP practice" {
				t.Errorf("category=%s: %s is a %q", category, r.Name, r.Category)
			}
		}
		if v := inputValue(t, doc, "category"); v != "RO76" {
			t.Errorf("category=%s: the select shows %q", category, v)
		}
	}
}

func TestSearchNearPostcodeNearestFirst(t *testing.T) {
	s := newPagesSite(t)
	const lat, lon = 51.503329, -0.086797 // SE1 9RT
	type near struct {
		name   string
		metres float64
	}
	var want []near
	for _, p := range readShipped(t, "sel_pharmacies.csv") {
		if m := haversine(lat, lon, p.Lat, p.Lon); m <= 5*1609.344 {
			want = append(want, near{p.Name, m})
		}
	}
	sort.Slice(want, func(i, j int) bool { return want[i].metres < want[j].metres })

	status, doc, _ := s.get("/directory?category=RO182&postcode=se1+9rt&radius=5")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if summary := lede(doc); summary != strconv.Itoa(len(want))+" pharmacies within 5 miles of SE1 9RT, nearest first. Go to the results" {
		t.Errorf("summary %q", summary)
	}
	if v := inputValue(t, doc, "postcode"); v != "SE1 9RT" {
		t.Errorf("postcode shown as %q, want it tidied to SE1 9RT", v)
	}
	got := results(doc)
	if len(got) < 3 {
		t.Fatalf("want at least 3 results, got %d", len(got))
	}
	for i, r := range got[:3] {
		// Two pharmacies at one postcode are equally near, in either order.
		var w *near
		for k := range want {
			if want[k].name == r.Name && math.Abs(want[k].metres-want[i].metres) < 1 {
				w = &want[k]
			}
		}
		if w == nil {
			t.Errorf("result %d is %s; want %s (%.0f m)", i+1, r.Name, want[i].name, want[i].metres)
			continue
		}
		m := distanceRE.FindStringSubmatch(r.Distance)
		if m == nil {
			t.Errorf("%s: distance %q is not in miles and km", r.Name, r.Distance)
			continue
		}
		miles, _ := strconv.ParseFloat(m[1], 64)
		km, _ := strconv.ParseFloat(m[2], 64)
		if math.Abs(miles-w.metres/1609.344) > 0.051 || math.Abs(km-w.metres/1000) > 0.051 {
			t.Errorf("%s: shown %q, but it is %.3f miles (%.3f km) away", r.Name, r.Distance, w.metres/1609.344, w.metres/1000)
		}
	}
	// A smaller radius finds fewer.
	_, doc, _ = s.get("/directory?category=RO182&postcode=SE1+9RT&radius=1")
	inMile := 0
	for _, w := range want {
		if w.metres <= 1609.344 {
			inMile++
		}
	}
	if summary := lede(doc); !strings.HasPrefix(summary, strconv.Itoa(inMile)+" pharmacies within 1 mile of SE1 9RT") {
		t.Errorf("radius 1: summary %q, want %d pharmacies", summary, inMile)
	}
}

func TestSearchPostcodeProblemsStillShowResults(t *testing.T) {
	s := newPagesSite(t)
	tests := []struct {
		postcode, shown, message string
	}{
		{"SW1A 1AA", "SW1A 1AA", "We could not find the postcode SW1A 1AA. Check it and try again, or search without a postcode."},
		{"sw1a1aa", "SW1A 1AA", "We could not find the postcode SW1A 1AA. Check it and try again, or search without a postcode."},
		{"hello", "hello", "Enter a full UK postcode, like SE1 2QH, or search without a postcode"},
		{"SE1", "SE1", "Enter a full UK postcode, like SE1 2QH, or search without a postcode"},
	}
	for _, tt := range tests {
		t.Run(tt.postcode, func(t *testing.T) {
			status, doc, _ := s.get("/directory?category=RO182&postcode=" + url.QueryEscape(tt.postcode))
			if status != http.StatusOK {
				t.Errorf("status %d, want 200", status)
			}
			links, focused := errorSummary(doc)
			if links["#postcode"] != tt.message || !focused {
				t.Errorf("error summary %v (focused %v), want #postcode: %q", links, focused, tt.message)
			}
			if v := inputValue(t, doc, "postcode"); v != tt.shown {
				t.Errorf("the postcode field shows %q, want %q", v, tt.shown)
			}
			got := results(doc)
			if len(got) == 0 {
				t.Fatal("no results: the search should still run, without distances")
			}
			for _, r := range got {
				if r.Distance != "" {
					t.Errorf("%s has a distance, %q", r.Name, r.Distance)
				}
			}
		})
	}
}

func TestSearchBadValuesKeepTheForm(t *testing.T) {
	s := newPagesSite(t)
	tests := []struct {
		query, field, message, kept string
	}{
		{"q=pharmacy&age=abc", "age", "Enter the age in whole years, like 8", "abc"},
		{"q=pharmacy&age=130", "age", "Age must be 120 or less", "130"},
		{"postcode=SE1+9RT&radius=3", "radius", "Choose a distance from the list", "5"},
		{"day=someday", "day", "Choose a day of the week from the list", ""},
		{"category=nothing", "category", "Choose a type of service from the list", ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			status, doc, body := s.get("/directory?" + tt.query)
			if status != http.StatusBadRequest {
				t.Errorf("status %d, want 400", status)
			}
			links, focused := errorSummary(doc)
			if links["#"+tt.field] != tt.message || !focused {
				t.Errorf("error summary %v (focused %v), want #%s: %q", links, focused, tt.field, tt.message)
			}
			if v := inputValue(t, doc, tt.field); v != tt.kept {
				t.Errorf("#%s shows %q, want %q", tt.field, v, tt.kept)
			}
			if msg := findAll(doc, withID(tt.field+"-error")); len(msg) != 1 || !strings.Contains(text(msg[0]), tt.message) {
				t.Errorf("no error message by the field #%s", tt.field)
			}
			if len(results(doc)) != 0 {
				t.Error("results shown for a search that could not run")
			}
			if !strings.Contains(body, "<title>Error: ") {
				t.Error("the title does not start with Error:")
			}
		})
	}
	// The other fields keep what was typed too.
	_, doc, _ := s.get("/directory?q=late+pharmacy&postcode=se19rt&age=200&free=on&category=RO182")
	for id, want := range map[string]string{"q": "late pharmacy", "postcode": "SE1 9RT", "age": "200", "free": "on", "category": "RO182"} {
		if v := inputValue(t, doc, id); v != want {
			t.Errorf("#%s shows %q, want %q", id, v, want)
		}
	}
}

func TestSearchPages(t *testing.T) {
	s := newPagesSite(t)
	pharmacies := len(readShipped(t, "sel_pharmacies.csv"))
	pages := (pharmacies + 9) / 10
	_, doc, _ := s.get("/directory?category=RO182")
	first := results(doc)
	if len(first) != 10 {
		t.Fatalf("page 1 lists %d, want 10", len(first))
	}
	next := findAll(doc, func(n *html.Node) bool { return attrOf(n, "rel") == "next" })
	if len(next) != 1 || !strings.Contains(text(next[0]), "Page 2 of "+strconv.Itoa(pages)) {
		t.Fatalf("want a next link to page 2 of %d", pages)
	}
	if len(findAll(doc, func(n *html.Node) bool { return attrOf(n, "rel") == "prev" })) != 0 {
		t.Error("page 1 links to a previous page")
	}
	status, doc, body := s.get(attrOf(next[0], "href"))
	if status != http.StatusOK {
		t.Fatalf("page 2: status %d", status)
	}
	second := results(doc)
	seen := map[string]bool{}
	for _, r := range first {
		seen[r.Href] = true
	}
	for _, r := range second {
		if seen[r.Href] {
			t.Errorf("%s is on pages 1 and 2", r.Name)
		}
	}
	if prev := findAll(doc, func(n *html.Node) bool { return attrOf(n, "rel") == "prev" }); len(prev) != 1 ||
		!strings.Contains(text(prev[0]), "Page 1 of "+strconv.Itoa(pages)) || attrOf(prev[0], "href") != "/directory?category=RO182" {
		t.Error("page 2 has no previous link to page 1")
	}
	if !strings.Contains(body, `<link rel="canonical" href="https://joinedup.example/directory?category=RO182&amp;page=2">`) {
		t.Error("page 2 is not its own canonical address")
	}

	// The last page has the rest, and no next link.
	_, doc, _ = s.get("/directory?category=RO182&page=" + strconv.Itoa(pages))
	if n := len(results(doc)); n != pharmacies-(pages-1)*10 {
		t.Errorf("the last page lists %d", n)
	}
	// Past the last page: a 404 that says so on the search page, with a
	// way back.
	for _, page := range []string{strconv.Itoa(pages + 1), "0", "two"} {
		status, doc, _ = s.get("/directory?category=RO182&page=" + page)
		if status != http.StatusNotFound {
			t.Errorf("page=%s: status %d, want 404", page, status)
		}
		h := findAll(doc, withID("results"))
		if len(h) != 1 || text(h[0]) != "Page not found" || len(results(doc)) != 0 {
			t.Errorf("page=%s: want a page-not-found message and no results", page)
		}
		back := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && text(n) == "Go to the last page of results" })
		if len(back) != 1 || attrOf(back[0], "href") != "/directory?category=RO182&page="+strconv.Itoa(pages) {
			t.Errorf("page=%s: no link to the last page", page)
		}
		if inputValue(t, doc, "category") != "RO182" {
			t.Errorf("page=%s: the form lost the search", page)
		}
	}
}

// weekly is a weekly opening period.
func weekly(days, opens, closes string) directory.Schedule {
	return directory.Schedule{ID: directory.NewID(), Freq: "WEEKLY", ByDay: days, OpensAt: opens, ClosesAt: closes}
}

func located(name string, lat, lon float64) []directory.ServiceLocation {
	return []directory.ServiceLocation{{ID: directory.NewID(), Location: directory.Location{
		ID: directory.NewID(), Name: name, Latitude: &lat, Longitude: &lon,
		Addresses: []directory.Address{{ID: directory.NewID(), Address1: "1 Test Street", City: "London", PostalCode: "SE1 9RT"}},
	}}}
}

func TestSearchOpenNowDayFreeAndAge(t *testing.T) {
	s := newPagesSite(t)
	// pagesNow is a Wednesday at midday.
	weekdays := s.save(directory.Service{Name: "Zephyr Weekday Club", Status: directory.StatusActive,
		TermIDs: []string{pagesTerm.ID}, Free: true, Locations: located("Hall", 51.50, -0.09),
		Schedules: []directory.Schedule{weekly("MO,TU,WE,TH,FR", "09:00", "17:00")}})
	saturday := s.save(directory.Service{Name: "Zephyr Saturday Club", Status: directory.StatusActive,
		TermIDs: []string{pagesTerm.ID}, MinimumAge: ptr(18), Locations: located("Hall", 51.46, -0.09),
		Schedules: []directory.Schedule{weekly("SA", "10:00", "14:00")}})
	unknown := s.save(directory.Service{Name: "Zephyr Drop-in", Status: directory.StatusActive,
		TermIDs: []string{pagesTerm.ID}, Locations: located("Hall", 51.45, -0.09)})
	_ = unknown

	names := func(doc *html.Node) []string {
		var out []string
		for _, r := range results(doc) {
			out = append(out, r.Name)
		}
		sort.Strings(out)
		return out
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"q=zephyr", []string{"Zephyr Drop-in", "Zephyr Saturday Club", "Zephyr Weekday Club"}},
		{"q=zephyr&open=now", []string{weekdays.Name}},
		{"q=zephyr&day=saturday", []string{saturday.Name}},
		{"q=zephyr&day=sunday", nil},
		{"q=zephyr&free=on", []string{weekdays.Name}},
		{"q=zephyr&age=8", []string{"Zephyr Drop-in", "Zephyr Weekday Club"}},
		{"q=zephyr&age=18", []string{"Zephyr Drop-in", "Zephyr Saturday Club", "Zephyr Weekday Club"}},
		{"category=lunch&postcode=SE1+9RT&radius=1", []string{weekdays.Name}},
	}
	for _, tt := range tests {
		status, doc, _ := s.get("/directory?" + tt.query)
		if status != http.StatusOK {
			t.Errorf("%s: status %d", tt.query, status)
		}
		if got := names(doc); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: got %q, want %q", tt.query, got, tt.want)
		}
	}

	// Whether each is open now shows, when its hours are held.
	_, doc, _ := s.get("/directory?q=zephyr")
	for _, r := range results(doc) {
		want := map[string]string{weekdays.Name: "Open now", saturday.Name: "Closed now", "Zephyr Drop-in": ""}[r.Name]
		if r.Open != want {
			t.Errorf("%s: shows %q, want %q", r.Name, r.Open, want)
		}
	}
	_, doc, _ = s.get("/directory?q=zephyr&open=now&free=on&age=30")
	if got := lede(doc); got != "1 service matching “zephyr”, open now, for people aged 30, free of charge. Go to the results" {
		t.Errorf("summary %q", got)
	}
	_, doc, _ = s.get("/directory?q=zephyr&day=sunday")
	if got := lede(doc); got != "No services matching “zephyr”, open on Sunday. Go to the results" {
		t.Errorf("summary %q", got)
	}
}

func TestSearchShareLinkAndAttribution(t *testing.T) {
	s := newPagesSite(t)
	_, doc, _ := s.get("/directory?postcode=se19rt&category=RO182&q=&age=&day=&radius=2")
	share := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && text(n) == "Share or bookmark this search" })
	want := "https://joinedup.example/directory?category=RO182&postcode=SE1+9RT&radius=2"
	if len(share) != 1 || attrOf(share[0], "href") != want {
		t.Errorf("want a share link to %s", want)
	}
	main := findAll(doc, withID("maincontent"))[0]
	if !strings.Contains(text(main), "Organisation Data Service, under the Open Government Licence v3.0") ||
		!strings.Contains(text(main), "OS Code-Point Open") {
		t.Error("the results do not carry the data's attribution")
	}
	if len(findAll(main, func(n *html.Node) bool { return n.Data == "a" && attrOf(n, "href") == "/api/oruk/" })) != 1 {
		t.Error("no link to the Open Referral data")
	}
	// Before a search: the form, and a way to browse.
	status, doc, body := s.get("/directory")
	if status != http.StatusOK || len(results(doc)) != 0 || strings.Contains(body, `name="robots"`) {
		t.Errorf("the search page: status %d, %d results, or not indexable", status, len(results(doc)))
	}
	form := findAll(doc, tagged("form"))
	if len(form) != 1 || attrOf(form[0], "method") != "get" || attrOf(form[0], "action") != "/directory" {
		t.Fatal("want one GET form to /directory")
	}
	for _, id := range []string{"q", "category", "postcode", "radius", "open", "day", "age", "free"} {
		if len(findAll(doc, func(n *html.Node) bool { return n.Data == "label" && attrOf(n, "for") == id })) != 1 {
			t.Errorf("#%s has no label", id)
		}
	}
	if v := inputValue(t, doc, "radius"); v != "5" {
		t.Errorf("the distance defaults to %q, want 5 miles", v)
	}
	browse := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attrOf(n, "href") == "/directory?category=RO182" })
	if len(browse) != 1 || text(browse[0]) != "Pharmacies" {
		t.Error("no link to browse pharmacies")
	}
}

// jsonLD returns the page's JSON-LD, decoded.
func jsonLD(t *testing.T, doc *html.Node) map[string]any {
	t.Helper()
	scripts := findAll(doc, func(n *html.Node) bool { return n.Data == "script" })
	if len(scripts) != 1 || attrOf(scripts[0], "type") != "application/ld+json" {
		t.Fatalf("want one application/ld+json script, found %d", len(scripts))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(scripts[0].FirstChild.Data), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, scripts[0].FirstChild.Data)
	}
	return v
}

func TestServicePage(t *testing.T) {
	s := newPagesSite(t)
	status, doc, _ := s.get("/directory/services/" + directory.DerivedID("ods", "service", "FKC34"))
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	main := text(findAll(doc, withID("maincontent"))[0])
	for _, want := range []string{
		"Pharmacy – Amadi's Chemist", "107 Abbey Street North Southwark London SE1 3NP", "020 7237 5770",
		"Opening hours are not held in this directory. Contact the service to check.", "NHS ODS code FKC34",
		"View on a map", "Last updated", "Open Government Licence v3.0",
	} {
		if !strings.Contains(main, want) {
			t.Errorf("the page does not say %q:\n%s", want, main)
		}
	}
	if tel := findAll(doc, func(n *html.Node) bool { return attrOf(n, "href") == "tel:02072375770" }); len(tel) != 1 {
		t.Error("no tel: link")
	}
	if m := findAll(doc, func(n *html.Node) bool {
		return strings.HasPrefix(attrOf(n, "href"), "https://www.openstreetmap.org/?mlat=51.49800&mlon=-0.07606")
	}); len(m) != 1 {
		t.Error("no map link to the pharmacy's position")
	}
	crumbs := findAll(doc, withClass("nhsuk-breadcrumb__link"))
	if len(crumbs) != 2 || text(crumbs[1]) != "Find local services" || attrOf(crumbs[1], "href") != "/directory" {
		t.Error("want breadcrumbs Home > Find local services")
	}
	ld := jsonLD(t, doc)
	addr, _ := ld["address"].(map[string]any)
	geo, _ := ld["geo"].(map[string]any)
	if ld["@context"] != "https://schema.org" || ld["@type"] != "Pharmacy" || ld["name"] != "Amadi's Chemist" ||
		ld["telephone"] != "020 7237 5770" || addr["@type"] != "PostalAddress" || addr["postalCode"] != "SE1 3NP" ||
		addr["streetAddress"] != "107 Abbey Street, North Southwark" || addr["addressLocality"] != "London" ||
		geo["latitude"] != 51.498001 || ld["url"] != "https://joinedup.example/directory/services/"+directory.DerivedID("ods", "service", "FKC34") {
		t.Errorf("JSON-LD: %v", ld)
	}
	if _, ok := ld["openingHoursSpecification"]; ok {
		t.Error("JSON-LD gives opening hours that are not held")
	}

	// A GP practice is a MedicalClinic in primary care, and free.
	practices := readShipped(t, "sel_gp_practices.csv")
	res, err := s.store.Search(context.Background(), directory.Query{TermIDs: []string{directory.TermGPPractice.ID}, PerPage: 1})
	if err != nil || len(res.Hits) != 1 || len(practices) == 0 {
		t.Fatalf("find a practice: %v", err)
	}
	_, doc, _ = s.get("/directory/services/" + res.Hits[0].ServiceID)
	ld = jsonLD(t, doc)
	if ld["@type"] != "MedicalClinic" || ld["medicalSpecialty"] != "PrimaryCare" || ld["isAccessibleForFree"] != true {
		t.Errorf("GP practice JSON-LD: %v", ld)
	}
	if !strings.Contains(text(doc), "Cost Free of charge") {
		t.Error("the practice page does not say it is free")
	}
}

func TestServicePageWithHoursAndOddText(t *testing.T) {
	s := newPagesSite(t)
	svc := s.save(directory.Service{Name: `Tea & Talk </script><script>alert(1)</script>`, Status: directory.StatusActive,
		TermIDs: []string{pagesTerm.ID}, MinimumAge: ptr(60), Locations: located("Church hall", 51.5, -0.09),
		Phones:    []directory.Phone{{ID: directory.NewID(), Number: "020 7525 5000", Description: "Reception"}},
		Languages: []directory.Language{{ID: directory.NewID(), Name: "Yoruba"}},
		Schedules: []directory.Schedule{weekly("MO,TU,WE,TH,FR", "08:00", "18:30"), weekly("SA", "09:00", "13:00")}})
	status, doc, body := s.get("/directory/services/" + svc.ID)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if strings.Contains(body, "<script>alert") {
		t.Fatal("the service's name reached the page unescaped")
	}
	main := text(findAll(doc, withID("maincontent"))[0])
	for _, want := range []string{"Monday to Friday, 8am to 6.30pm", "Saturday, 9am to 1pm", "Closed on Sunday",
		"For people aged 60 and over", "Yoruba", "020 7525 5000 (Reception)", "Lunch clubs"} {
		if !strings.Contains(main, want) {
			t.Errorf("the page does not say %q:\n%s", want, main)
		}
	}
	if strings.Contains(main, "not held in this directory") {
		t.Error("says hours are not held when they are")
	}
	ld := jsonLD(t, doc)
	if ld["@type"] != "LocalBusiness" || ld["name"] != svc.Name {
		t.Errorf("JSON-LD: %v", ld)
	}
	hours, _ := ld["openingHoursSpecification"].([]any)
	if len(hours) != 2 {
		t.Fatalf("want 2 opening hours specifications, got %v", ld["openingHoursSpecification"])
	}
	first := hours[0].(map[string]any)
	if first["opens"] != "08:00" || first["closes"] != "18:30" || len(first["dayOfWeek"].([]any)) != 5 {
		t.Errorf("opening hours: %v", first)
	}
}

func TestServicePageClosedAndMissing(t *testing.T) {
	s := newPagesSite(t)
	closed := s.save(directory.Service{Name: "Old Lunch Club", Status: directory.StatusInactive,
		TermIDs: []string{pagesTerm.ID}, Locations: located("Hall", 51.5, -0.09)})
	status, doc, body := s.get("/directory/services/" + closed.ID)
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	tags := findAll(doc, withClass("nhsuk-tag--red"))
	if len(tags) != 1 || text(tags[0]) != "Closed" {
		t.Error("a closed service is not marked closed")
	}
	if strings.Contains(body, "application/ld+json") {
		t.Error("a closed service is advertised to search engines")
	}
	for _, path := range []string{
		"/directory/services/" + directory.NewID(),                  // no such service
		"/directory/services/not-an-id",                             // malformed
		"/directory/services/" + strings.ToUpper(directory.NewID()), // not canonical
		"/directory/services/",
	} {
		status, doc, _ := s.get(path)
		if status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, status)
		}
		if h := findAll(doc, tagged("h1")); len(h) != 1 || text(h[0]) != "Page not found" {
			t.Errorf("%s: not the page-not-found page", path)
		}
	}
}

// pagesPlaces lists the seeded places for the directory's pages, as the
// site wires them.
func pagesPlaces(d *db.DB) func(context.Context) ([]directory.PlaceRef, error) {
	return func(ctx context.Context) ([]directory.PlaceRef, error) {
		list, err := places.NewStore(d).List(ctx)
		if err != nil {
			return nil, err
		}
		refs := make([]directory.PlaceRef, len(list))
		for i, p := range list {
			refs[i] = directory.PlaceRef{ID: p.ID, Slug: p.Slug, Name: p.Name}
		}
		return refs, nil
	}
}
