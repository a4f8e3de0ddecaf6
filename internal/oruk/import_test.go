package oruk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/oruk"
)

var uuidPattern = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// feedServices makes n services from the UK profile's example service,
// each with its own ids (the organisation is shared) and a position in
// Southwark. Service number bad (from 1) has no name.
func feedServices(t *testing.T, n, bad int) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "examples", "service_full.json"))
	if err != nil {
		t.Fatal(err)
	}
	const orgID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
	var out []map[string]any
	for i := 1; i <= n; i++ {
		text := uuidPattern.ReplaceAllStringFunc(string(b), func(id string) string {
			if id == orgID {
				return id
			}
			return directory.DerivedID("feed-test", strconv.Itoa(i), id)
		})
		var svc map[string]any
		if err := json.Unmarshal([]byte(text), &svc); err != nil {
			t.Fatal(err)
		}
		svc["name"] = fmt.Sprintf("Community Counselling %d", i)
		loc := svc["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)
		loc["latitude"], loc["longitude"] = 51.47+float64(i)/1000, -0.07
		if i == bad {
			delete(svc, "name")
		}
		out = append(out, svc)
	}
	return out
}

// serveFeed serves services as an ORUK API whose lists give only each
// service's own fields, two to a page whatever is asked. failPage, if not
// 0, answers 500.
func serveFeed(t *testing.T, services []map[string]any, failPage int) *httptest.Server {
	t.Helper()
	const perPage = 2
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/oruk/services", func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		if page == failPage {
			http.Error(w, "broken", http.StatusInternalServerError)
			return
		}
		pages := (len(services) + perPage - 1) / perPage
		var contents []map[string]any
		for _, s := range services[min((page-1)*perPage, len(services)):min(page*perPage, len(services))] {
			item := map[string]any{"id": s["id"], "status": s["status"]}
			if name, ok := s["name"]; ok {
				item["name"] = name
			}
			contents = append(contents, item)
		}
		json.NewEncoder(w).Encode(map[string]any{"total_items": len(services), "total_pages": pages, "page_number": page,
			"size": len(contents), "first_page": page == 1, "last_page": page >= pages, "empty": len(contents) == 0,
			"contents": contents})
	})
	mux.HandleFunc("GET /api/oruk/services/{id}", func(w http.ResponseWriter, r *http.Request) {
		for _, s := range services {
			if s["id"] == r.PathValue("id") {
				json.NewEncoder(w).Encode(s)
				return
			}
		}
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestImportFeed(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	services := feedServices(t, 5, 4)
	feed := serveFeed(t, services, 0)
	var progress strings.Builder
	sum, err := oruk.ImportFeed(ctx, a.db, feed.URL+"/api/oruk/", oruk.ImportOptions{}, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 4 || sum.Updated != 0 || sum.Unchanged != 0 || len(sum.Rejected) != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if r := sum.Rejected[0]; r.Line != 4 || !strings.Contains(r.Reason, "name is missing") {
		t.Errorf("rejected %+v, want record 4 without a name", r)
	}
	if !strings.Contains(progress.String(), "page 3 of 3") {
		t.Errorf("progress does not report the pages:\n%s", progress.String())
	}

	// The stored service is the feed's, ids and all, and the API publishes
	// it valid against the schema.
	st := directory.NewStore(a.db)
	want := services[1]
	svc, err := st.Service(ctx, want["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if svc.Name != "Community Counselling 2" || svc.Source != "oruk:"+strings.TrimPrefix(feed.URL, "http://") ||
		svc.Organization == nil || svc.Organization.Name != "Example Organization Inc." || *svc.MinimumAge != 12 {
		t.Errorf("stored service %+v", svc)
	}
	if len(svc.Locations) != 1 || *svc.Locations[0].Location.Latitude != 51.472 || len(svc.Locations[0].Location.Addresses) != 1 ||
		len(svc.Locations[0].Location.Accessibility) != 1 {
		t.Errorf("stored locations %+v", svc.Locations)
	}
	if len(svc.Schedules) != 1 || svc.Schedules[0].ByDay != "TH,FR" || len(svc.Contacts) != 1 || len(svc.CostOptions) != 1 ||
		len(svc.Terms) != 1 || svc.Terms[0].Name != "name" {
		t.Errorf("stored service details: schedules %+v, contacts %+v, costs %+v, terms %+v", svc.Schedules, svc.Contacts,
			svc.CostOptions, svc.Terms)
	}
	if _, err := st.Service(ctx, services[3]["id"].(string)); err == nil {
		t.Error("the rejected record was saved")
	}
	schemas := compileSchemas(t)
	a.fetchValid(schemas, "service", "/api/oruk/services/"+svc.ID)

	// Thursday and Friday, 10:00 to 18:00, as opening periods for search.
	res, err := st.Search(ctx, directory.Query{Weekday: 5, OpensFrom: 17 * 60, Text: "counselling"})
	if err != nil || res.Total != 4 {
		t.Errorf("imported services open on Friday at 5pm: %d, %v", res.Total, err)
	}

	// Again: nothing changes.
	sum, err = oruk.ImportFeed(ctx, a.db, feed.URL+"/api/oruk/services", oruk.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 0 || sum.Updated != 0 || sum.Unchanged != 4 || len(sum.Rejected) != 1 {
		t.Errorf("second import: %+v", sum)
	}
}

func TestImportFeedAllOrNothing(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	feed := serveFeed(t, feedServices(t, 5, 0), 2)
	if _, err := oruk.ImportFeed(ctx, a.db, feed.URL+"/api/oruk", oruk.ImportOptions{}, nil); err == nil {
		t.Fatal("a feed failing on page 2 imported")
	}
	var n int
	if err := a.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_services WHERE source LIKE 'oruk:%'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d services saved from a failed import (%v)", n, err)
	}
}

func TestImportFile(t *testing.T) {
	a := newTestAPI(t)
	services := feedServices(t, 3, 0)
	services[2]["status"] = "open"
	b, _ := json.Marshal(map[string]any{"total_items": 3, "contents": services})
	path := filepath.Join(t.TempDir(), "services.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := oruk.ImportFeed(context.Background(), a.db, path, oruk.ImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 2 || len(sum.Rejected) != 1 || sum.Rejected[0].Line != 3 || !strings.Contains(sum.Rejected[0].Reason, "status") {
		t.Errorf("summary %+v", sum)
	}
}
