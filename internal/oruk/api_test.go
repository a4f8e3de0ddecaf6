package oruk_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// shippedNames returns the names, as the directory shows them, in one of
// the ODS files that ship with joinedup, for counting known records.
func shippedNames(t *testing.T, file string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "seed", "data", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(recs[0], "name")
	var out []string
	for _, r := range recs[1:] {
		out = append(out, directory.DisplayName(r[col]))
	}
	return out
}

func countContaining(names []string, word string) int {
	n := 0
	for _, name := range names {
		if slices.Contains(strings.Fields(strings.ToLower(name)), word) {
			n++
		}
	}
	return n
}

func pathWith(base string, params url.Values) string { return base + "?" + params.Encode() }

func TestServiceFilters(t *testing.T) {
	a := newTestAPI(t)
	gps, pharmacies := shippedNames(t, "sel_gp_practices.csv"), shippedNames(t, "sel_pharmacies.csv")
	surgeries := countContaining(gps, "surgery")
	if surgeries == 0 {
		t.Fatal("the shipped GP practices name no surgery; choose another word")
	}
	gp, pharmacy, ods := directory.TermGPPractice.ID, directory.TermPharmacy.ID, directory.ODSRoles.ID
	all := len(gps) + len(pharmacies)
	tests := []struct {
		name   string
		params url.Values
		want   int
	}{
		{"everything", url.Values{}, all},
		{"pharmacy term", url.Values{"taxonomy_term_id": {pharmacy}}, len(pharmacies)},
		{"GP practice term", url.Values{"taxonomy_term_id": {gp}}, len(gps)},
		{"either term", url.Values{"taxonomy_term_id": {gp + "," + pharmacy}}, all},
		{"taxonomy", url.Values{"taxonomy_id": {ods}}, all},
		{"unknown taxonomy", url.Values{"taxonomy_id": {directory.NewID()}}, 0},
		{"keyword in category and description", url.Values{"search": {"pharmacy"}}, len(pharmacies)},
		{"keyword in names", url.Values{"search": {"surgery"}}, surgeries},
		{"keyword and category", url.Values{"search": {"surgery"}, "taxonomy_term_id": {gp}}, surgeries},
		{"keyword of another category", url.Values{"search": {"surgery"}, "taxonomy_term_id": {pharmacy}}, 0},
		{"modified after the past", url.Values{"modified_after": {"2020-01-01T00:00:00Z"}}, all},
		{"modified after the future", url.Values{"modified_after": {"2999-01-01"}}, 0},
		{"day: ODS gives no opening hours", url.Values{"day": {"monday"}}, 0},
		{"minimum age: ODS gives none", url.Values{"minimum_age": {"0"}}, 0},
		{"organization", url.Values{"organization_id": {directory.DerivedID("ods", "organization", "FK012")}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.params.Set("per_page", "200")
			v := a.getJSON(pathWith("/api/oruk/services", tt.params))
			if got := num(field(v, "total_items")); got != tt.want || len(contents(v)) != min(tt.want, 200) {
				t.Errorf("total_items = %d with %d contents, want %d", got, len(contents(v)), tt.want)
			}
			if ids := tt.params.Get("taxonomy_term_id"); ids != "" {
				for _, svc := range contents(v) {
					if !hasTerm(svc, strings.Split(ids, ",")) {
						t.Errorf("%v is not categorised under %s", field(svc, "name"), ids)
					}
				}
			}
		})
	}
}

func hasTerm(svc any, termIDs []string) bool {
	attrs, _ := field(svc, "attributes").([]any)
	for _, at := range attrs {
		if slices.Contains(termIDs, field(at, "taxonomy_term_id").(string)) {
			return true
		}
	}
	return false
}

// TestScheduleAndAgeFilters adds a service with opening hours and ages (ODS
// records have neither) and finds it through the ORUK filters.
func TestScheduleAndAgeFilters(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	org := directory.Organization{ID: directory.NewID(), Name: "Peckham Lunch Club", Description: "A lunch club."}
	minAge, maxAge := 18, 65
	svc := directory.Service{ID: directory.NewID(), OrganizationID: org.ID, Name: "Weekday lunch club",
		Description: "Hot lunches and company.", MinimumAge: &minAge, MaximumAge: &maxAge, Free: true,
		Schedules: []directory.Schedule{{ID: directory.NewID(), Freq: "WEEKLY", ByDay: "MO,WE", OpensAt: "12:00", ClosesAt: "14:00",
			Description: "Lunch is served from midday to 2pm on Mondays and Wednesdays."}}}
	err := a.db.Tx(ctx, func(q db.Querier) error {
		st := directory.NewStore(q)
		if err := st.SaveOrganization(ctx, org); err != nil {
			return err
		}
		_, err := st.SaveService(ctx, svc)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		params string
		found  bool
	}{
		{"day=MO", true},
		{"day=monday", true},
		{"day=Wednesday", true},
		{"day=TU", false},
		{"day=MO&start_time=13:00&end_time=15:00", true},
		{"day=MO&start_time=09:00&end_time=12:00", false},
		{"day=MO&start_time=14:00", false},
		{"start_time=11:30&end_time=12:30", true},
		{"minimum_age=18", true},
		{"minimum_age=19", false},
		{"maximum_age=65", true},
		{"maximum_age=64", false},
		{"minimum_age=16&maximum_age=70&day=we", true},
		{"search=lunch&day=mo", true},
		{"search=lunch&day=tu", false},
	}
	for _, tt := range tests {
		t.Run(tt.params, func(t *testing.T) {
			v := a.getJSON("/api/oruk/services?" + tt.params)
			found := false
			for _, s := range contents(v) {
				found = found || field(s, "id") == svc.ID
			}
			if found != tt.found {
				t.Errorf("found = %v, want %v", found, tt.found)
			}
		})
	}
	full := a.getJSON("/api/oruk/services/" + svc.ID)
	schedules := field(full, "schedules").([]any)
	if len(schedules) != 1 || field(schedules[0], "byday") != "MO,WE" || field(schedules[0], "opens_at") != "12:00" {
		t.Errorf("schedules = %v", schedules)
	}
	if field(full, "minimum_age").(float64) != 18 || field(full, "fees") != "Free" {
		t.Errorf("service = %v", full)
	}
}

// TestPostcodeProximity lists the services at locations near a postcode,
// nearest first, and checks them against every location measured here.
func TestPostcodeProximity(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	// Peckham Rye station's neighbourhood, as a postcode the test adds.
	centre := directory.Postcode{Postcode: "SE15 4RX", Point: directory.Point{Lat: 51.4700, Lon: -0.0690}}
	err := a.db.Tx(ctx, func(q db.Querier) error {
		_, err := directory.NewStore(q).SavePostcodes(ctx, []directory.Postcode{centre})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every pharmacy's position, from the API itself.
	type near struct {
		id string
		d  float64
	}
	var want []near
	const radius = 1500.0
	for _, sal := range a.allContents("/api/oruk/service_at_locations?per_page=200&taxonomy_term_id=" + directory.TermPharmacy.ID) {
		loc := field(sal, "location")
		p := directory.Point{Lat: field(loc, "latitude").(float64), Lon: field(loc, "longitude").(float64)}
		if d := haversine(centre.Point, p); d <= radius {
			want = append(want, near{field(sal, "id").(string), d})
		}
	}
	sort.Slice(want, func(i, j int) bool { return want[i].d < want[j].d })
	if len(want) < 3 {
		t.Fatalf("only %d pharmacies within %v m; move the centre", len(want), radius)
	}
	v := a.getJSON("/api/oruk/service_at_locations?per_page=200&postcode=se154rx&proximity=1500&taxonomy_term_id=" +
		directory.TermPharmacy.ID)
	got := contents(v)
	if len(got) != len(want) || num(field(v, "total_items")) != len(want) {
		t.Fatalf("got %d pharmacies within %v m, want %d", len(got), radius, len(want))
	}
	for i := range want {
		if field(got[i], "id") != want[i].id {
			t.Errorf("result %d is %v, want %s (%.0f m)", i, field(got[i], "id"), want[i].id, want[i].d)
		}
	}
	// Without proximity: every pharmacy, still nearest first.
	v = a.getJSON("/api/oruk/service_at_locations?per_page=200&postcode=SE15%204RX&taxonomy_term_id=" + directory.TermPharmacy.ID)
	pharmacies := len(shippedNames(t, "sel_pharmacies.csv"))
	if n, total := len(contents(v)), num(field(v, "total_items")); n != min(pharmacies, 200) || total != pharmacies {
		t.Errorf("without proximity: %d pharmacies of %d, want %d", n, total, pharmacies)
	}
	for i := range want {
		if field(contents(v)[i], "id") != want[i].id {
			t.Errorf("without proximity, result %d is %v, want %s", i, field(contents(v)[i], "id"), want[i].id)
		}
	}
}

// haversine is the great-circle distance, written out again here so that
// the test does not trust the code it checks.
func haversine(a, b directory.Point) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	h := math.Pow(math.Sin((b.Lat-a.Lat)*rad/2), 2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Pow(math.Sin((b.Lon-a.Lon)*rad/2), 2)
	return 2 * r * math.Asin(math.Sqrt(h))
}

// TestErrors checks that errors are JSON with the CORS header: unknown ids
// and paths are 404, bad parameters 400 naming the parameter.
func TestErrors(t *testing.T) {
	a := newTestAPI(t)
	type apiError struct {
		Error, Parameter, Message string
	}
	tests := []struct {
		path      string
		status    int
		code      string
		parameter string
	}{
		{"/api/oruk/services/" + directory.NewID(), 404, "not_found", ""},
		{"/api/oruk/services/not-a-uuid", 404, "not_found", ""},
		{"/api/oruk/service_at_locations/" + directory.NewID(), 404, "not_found", ""},
		{"/api/oruk/organizations/" + directory.NewID(), 404, "not_found", ""},
		{"/api/oruk/taxonomies/" + directory.NewID(), 404, "not_found", ""},
		{"/api/oruk/taxonomy_terms/" + directory.NewID(), 404, "not_found", ""},
		{"/api/oruk/no_such_endpoint", 404, "not_found", ""},
		{"/api/oruk/services?per_page=0", 400, "bad_parameter", "per_page"},
		{"/api/oruk/services?per_page=201", 400, "bad_parameter", "per_page"},
		{"/api/oruk/services?per_page=ten", 400, "bad_parameter", "per_page"},
		{"/api/oruk/services?page=0", 400, "bad_parameter", "page"},
		{"/api/oruk/services?taxonomy_term_id=pharmacy", 400, "bad_parameter", "taxonomy_term_id"},
		{"/api/oruk/services?taxonomy_id=x", 400, "bad_parameter", "taxonomy_id"},
		{"/api/oruk/services?minimum_age=-1", 400, "bad_parameter", "minimum_age"},
		{"/api/oruk/services?maximum_age=old", 400, "bad_parameter", "maximum_age"},
		{"/api/oruk/services?day=someday", 400, "bad_parameter", "day"},
		{"/api/oruk/services?start_time=9am", 400, "bad_parameter", "start_time"},
		{"/api/oruk/services?start_time=10:00&end_time=09:00", 400, "bad_parameter", "end_time"},
		{"/api/oruk/services?modified_after=yesterday", 400, "bad_parameter", "modified_after"},
		{"/api/oruk/service_at_locations?postcode=NOTAPOSTCODE", 400, "bad_parameter", "postcode"},
		{"/api/oruk/service_at_locations?postcode=ZE1+0AA", 400, "bad_parameter", "postcode"},
		{"/api/oruk/service_at_locations?proximity=1000", 400, "bad_parameter", "proximity"},
		{"/api/oruk/service_at_locations?postcode=ZE1+0AA&proximity=far", 400, "bad_parameter", "proximity"},
		{"/api/oruk/taxonomy_terms?top_only=perhaps", 400, "bad_parameter", "top_only"},
		{"/api/oruk/taxonomy_terms?parent_id=1", 400, "bad_parameter", "parent_id"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := a.get(tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d: %s", res.StatusCode, tt.status, body)
			}
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
				t.Errorf("Access-Control-Allow-Origin %q, want *", got)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body is not JSON: %s", body)
			}
			if e.Error != tt.code || e.Parameter != tt.parameter || e.Message == "" {
				t.Errorf("error = %+v, want code %q naming %q", e, tt.code, tt.parameter)
			}
		})
	}
	res, err := a.srv.Client().Post(a.srv.URL+"/api/oruk/services", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("POST: status %d, CORS %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestResponsesCompressedWithETag checks the API's JSON is gzipped for
// clients that accept it and answers a repeat with 304.
func TestResponsesCompressedWithETag(t *testing.T) {
	a := newTestAPI(t)
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/api/oruk/services?per_page=5", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	res, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	etag := res.Header.Get("ETag")
	if res.Header.Get("Content-Encoding") != "gzip" || etag == "" {
		t.Fatalf("Content-Encoding %q, ETag %q", res.Header.Get("Content-Encoding"), etag)
	}
	req.Header.Set("If-None-Match", etag)
	res, err = tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("repeat: status %d, CORS %q", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
}

// TestIDsStableAcrossInstallations checks ids come from the ODS codes: two
// installations loading the same data publish the same ids.
func TestIDsStableAcrossInstallations(t *testing.T) {
	ids := func() []string {
		a := newTestAPI(t)
		var out []string
		for _, path := range []string{"/api/oruk/services", "/api/oruk/service_at_locations", "/api/oruk/organizations",
			"/api/oruk/taxonomies", "/api/oruk/taxonomy_terms"} {
			for _, item := range a.allContents(path + "?per_page=200") {
				out = append(out, field(item, "id").(string))
			}
		}
		sort.Strings(out)
		return out
	}
	first, second := ids(), ids()
	services := len(shippedNames(t, "sel_gp_practices.csv")) + len(shippedNames(t, "sel_pharmacies.csv"))
	if len(first) != services*3+1+2 || !slices.Equal(first, second) {
		t.Fatalf("ids differ between installations (%d and %d ids)", len(first), len(second))
	}
	a := newTestAPI(t)
	svc := a.getJSON("/api/oruk/services/" + directory.DerivedID("ods", "service", "FK012"))
	if field(svc, "name") != "A R Chemist" {
		t.Errorf("service of ODS code FK012 is %v", field(svc, "name"))
	}
}

// TestOpenAPIDescription checks the description served at openapi_url
// names this site and every endpoint the API serves.
func TestOpenAPIDescription(t *testing.T) {
	a := newTestAPI(t)
	v := a.getJSON("/api/oruk/openapi.json")
	servers := field(v, "servers").([]any)
	if field(servers[0], "url") != testBaseURL+"/api/oruk" {
		t.Errorf("servers = %v", servers)
	}
	paths := field(v, "paths").(map[string]any)
	for _, p := range []string{"/", "/services", "/services/{id}", "/service_at_locations", "/service_at_locations/{id}",
		"/organizations", "/organizations/{id}", "/taxonomies", "/taxonomies/{id}", "/taxonomy_terms", "/taxonomy_terms/{id}"} {
		if paths[p] == nil {
			t.Errorf("openapi.json has no path %s", p)
		}
	}
}
