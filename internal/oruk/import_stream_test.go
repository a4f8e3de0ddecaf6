package oruk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/oruk"
)

// testFeed is an ORUK API on loopback whose lists nest each service
// whole, perPage to a page whatever is asked, and whose pages can be made
// to fail: always, a number of times, slowly, with a body that is not
// JSON, or by waiting until the test lets them go.
type testFeed struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	services []map[string]any
	perPage  int
	fail     map[int]int           // page → how many more 500s (-1: for ever)
	broken   map[int]bool          // page → answer with a body that is not JSON
	slow     map[int]time.Duration // page → sleep this long on its first request
	hold     map[int]chan struct{} // page → wait until closed
	held     chan int              // told each page that starts waiting
	requests map[int]int           // page → requests served
}

func newTestFeed(t *testing.T, services []map[string]any) *testFeed {
	t.Helper()
	f := &testFeed{t: t, services: services, perPage: 2, fail: map[int]int{}, broken: map[int]bool{},
		slow: map[int]time.Duration{}, hold: map[int]chan struct{}{}, held: make(chan int, 10), requests: map[int]int{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/oruk/services", f.page)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *testFeed) url() string { return f.srv.URL + "/api/oruk" }

func (f *testFeed) page(w http.ResponseWriter, r *http.Request) {
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	f.mu.Lock()
	f.requests[page]++
	first := f.requests[page] == 1
	hold, fail, broken, slow := f.hold[page], f.fail[page], f.broken[page], f.slow[page]
	if fail > 0 {
		f.fail[page]--
	}
	services, perPage := f.services, f.perPage
	f.mu.Unlock()
	if hold != nil {
		f.held <- page
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	if slow > 0 && first {
		select {
		case <-time.After(slow):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case fail != 0:
		http.Error(w, "broken", http.StatusInternalServerError)
		return
	case broken:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"total_pages": 10, "contents": [{"id": `)
		return
	}
	pages := (len(services) + perPage - 1) / perPage
	contents := services[min((page-1)*perPage, len(services)):min(page*perPage, len(services))]
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"total_items": len(services), "total_pages": pages, "page_number": page,
		"size": len(contents), "first_page": page == 1, "last_page": page >= pages, "empty": len(contents) == 0,
		"contents": contents})
}

func (f *testFeed) set(fn func(f *testFeed)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *testFeed) served(page int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[page]
}

// fastRetries tries each request three times, 10ms apart at first.
var fastRetries = oruk.ImportOptions{Attempts: 3, Backoff: 10 * time.Millisecond, Timeout: 5 * time.Second}

// renamed returns the services with new names, as a feed updated since.
func renamed(services []map[string]any, suffix string) []map[string]any {
	out := make([]map[string]any, len(services))
	for i, s := range services {
		c := make(map[string]any, len(s))
		for k, v := range s {
			c[k] = v
		}
		c["name"] = fmt.Sprint(s["name"], suffix)
		out[i] = c
	}
	return out
}

// directoryState is what the directory holds, row by row, with the times
// each row was written: equal states mean nothing was written.
type directoryState map[string][]string

func snapshot(t *testing.T, d *db.DB) directoryState {
	t.Helper()
	ctx := context.Background()
	queries := map[string]string{
		"services": `SELECT id || '|' || name || '|' || content_hash || '|' || COALESCE(CAST(place_id AS TEXT), '') || '|' ||
			CAST(last_modified AS TEXT) || '|' || COALESCE(CAST(search_key AS TEXT), '') FROM dir_services ORDER BY id`,
		"organizations": `SELECT id || '|' || name || '|' || CAST(last_modified AS TEXT) FROM dir_organizations ORDER BY id`,
		"locations":     `SELECT id || '|' || CAST(last_modified AS TEXT) FROM dir_locations ORDER BY id`,
		"terms":         `SELECT id || '|' || name || '|' || COALESCE(parent_id, '') FROM dir_taxonomy_terms ORDER BY id`,
		"schedules":     `SELECT id FROM dir_schedules ORDER BY id`,
		"addresses":     `SELECT id || '|' || postal_code FROM dir_addresses ORDER BY id`,
		"staged":        `SELECT service_id FROM oruk_import_services UNION ALL SELECT id FROM oruk_import_organizations`,
		"runs":          `SELECT id FROM oruk_import_runs`,
	}
	st := directoryState{}
	for name, q := range queries {
		rows, err := d.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			st[name] = append(st[name], s)
		}
		rows.Close()
	}
	return st
}

func (want directoryState) diff(t *testing.T, got directoryState, step string) {
	t.Helper()
	for name := range want {
		if !reflect.DeepEqual(want[name], got[name]) {
			t.Errorf("%s: %s changed: %d rows before, %d after", step, name, len(want[name]), len(got[name]))
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok && len(got[name]) > 0 {
			t.Errorf("%s: %s has %d rows", step, name, len(got[name]))
		}
	}
}

// A feed that fails part-way leaves the directory as it was, whatever the
// failure: a page answering 500 to every try, a page that is not JSON, a
// cancelled import. The error names the page, and nothing stays staged.
func TestImportFailedPartWayChangesNothing(t *testing.T) {
	cases := []struct {
		name    string
		arrange func(f *testFeed)
		want    []string // in the error
	}{
		{"500 on every try of page 7", func(f *testFeed) { f.fail[7] = -1 },
			[]string{"page 7 of ", "status 500", "gave up after 3 tries"}},
		{"page 7 is not JSON", func(f *testFeed) { f.broken[7] = true }, []string{"page 7 of ", "not a page of services"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestAPI(t)
			ctx := context.Background()
			services := feedServices(t, 20, 0)
			feed := newTestFeed(t, services)
			if _, err := oruk.ImportFeed(ctx, a.db, feed.url(), fastRetries, nil); err != nil {
				t.Fatal(err)
			}
			before, generation := snapshot(t, a.db), a.db.Generation()
			asked := feed.served(7)

			// The feed changes every name and grows by four services, and
			// then breaks on page 7 of 12.
			feed.set(func(f *testFeed) {
				f.services = append(renamed(services, " (updated)"), feedServices(t, 24, 0)[20:]...)
				tc.arrange(f)
			})
			_, err := oruk.ImportFeed(ctx, a.db, feed.url(), fastRetries, nil)
			if err == nil {
				t.Fatal("the import of a broken feed succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			before.diff(t, snapshot(t, a.db), "after the failed import")
			if a.db.Generation() != generation {
				t.Error("the failed import moved the generation (and emptied the page cache)")
			}
			if strings.Contains(tc.name, "every try") && feed.served(7)-asked != 3 {
				t.Errorf("page 7 was asked for %d times, want 3", feed.served(7)-asked)
			}
		})
	}
}

// An import stopped while it reads (Ctrl-C) changes nothing either; and
// while it reads, the site serves the directory as it was.
func TestImportInterruptedChangesNothingAndSiteServes(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	services := feedServices(t, 20, 0)
	feed := newTestFeed(t, services)
	if _, err := oruk.ImportFeed(ctx, a.db, feed.url(), fastRetries, nil); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, a.db)
	release := make(chan struct{})
	feed.set(func(f *testFeed) {
		f.services = renamed(services, " (updated)")
		f.hold[5] = release
	})
	run, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := oruk.ImportFeed(run, a.db, feed.url(), fastRetries, nil)
		done <- err
	}()
	<-feed.held // the import has read pages 1 to 4 and waits for page 5

	// The site answers meanwhile, with the service as it was.
	id := services[0]["id"].(string)
	v := a.getJSON("/api/oruk/services/" + id)
	if name := field(v, "name"); name != "Community Counselling 1" {
		t.Errorf("during the import the service is called %q", name)
	}
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the cancelled import succeeded")
	}
	close(release)
	before.diff(t, snapshot(t, a.db), "after the interrupted import")
}

// Timeouts and 5xx are tried again with back-off, and the import goes on.
func TestImportRetriesTimeoutsAnd5xx(t *testing.T) {
	a := newTestAPI(t)
	services := feedServices(t, 12, 0)
	feed := newTestFeed(t, services)
	feed.set(func(f *testFeed) {
		f.fail[3] = 2               // two 500s, then the page
		f.slow[5] = 2 * time.Second // the first try times out
	})
	opts := fastRetries
	opts.Timeout = 300 * time.Millisecond
	sum, err := oruk.ImportFeed(context.Background(), a.db, feed.url(), opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 12 || len(sum.Rejected) != 0 {
		t.Errorf("summary %+v, want 12 added", sum)
	}
	if feed.served(3) != 3 || feed.served(5) != 2 {
		t.Errorf("page 3 asked for %d times (want 3), page 5 %d times (want 2)", feed.served(3), feed.served(5))
	}
}

// A re-import of an unchanged feed writes nothing: every row as it was,
// with the times it was written, the generation (and so every page cache)
// where it was. A feed with one service changed updates that one alone.
func TestReimportOfUnchangedFeedWritesNothing(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	services := feedServices(t, 15, 0)
	feed := newTestFeed(t, services)
	sum, err := oruk.ImportFeed(ctx, a.db, feed.url(), fastRetries, nil)
	if err != nil || sum.Added != 15 {
		t.Fatalf("first import: %+v, %v", sum, err)
	}
	before, generation := snapshot(t, a.db), a.db.Generation()
	var progress strings.Builder
	sum, err = oruk.ImportFeed(ctx, a.db, feed.url(), fastRetries, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 0 || sum.Updated != 0 || sum.Unchanged != 15 {
		t.Errorf("re-import: %+v, want 15 unchanged", sum)
	}
	before.diff(t, snapshot(t, a.db), "after the re-import")
	if a.db.Generation() != generation {
		t.Error("the re-import of an unchanged feed moved the generation")
	}
	if !strings.Contains(progress.String(), "page 8 of 8") || !strings.Contains(progress.String(), "nothing to change") {
		t.Errorf("progress:\n%s", progress.String())
	}

	feed.set(func(f *testFeed) { f.services[4] = renamed(f.services[4:5], " (moved)")[0] })
	sum, err = oruk.ImportFeed(ctx, a.db, feed.url(), fastRetries, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 0 || sum.Updated != 1 || sum.Unchanged != 14 {
		t.Errorf("import with one service changed: %+v, want 1 updated, 14 unchanged", sum)
	}
	after := snapshot(t, a.db)
	changed := 0
	for i := range before["services"] {
		if before["services"][i] != after["services"][i] {
			changed++
		}
	}
	if changed != 1 {
		t.Errorf("%d service rows written, want 1", changed)
	}
}
