package upkeep

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/directory"
)

// requestLog records, on the servers' side, when each request arrived and
// with which user agent.
type requestLog struct {
	mu     sync.Mutex
	at     []time.Time
	agents []string
}

func (l *requestLog) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.at = append(l.at, time.Now())
		l.agents = append(l.agents, r.UserAgent())
		l.mu.Unlock()
		h(w, r)
	}
}

// The checker marks a site on loopback that answers 404 and one that does
// not answer in time, leaves alone one that answers 200 (directly or after
// a redirect), flags a failing site after FlagAfter checks in a row, and
// never sends two requests to one host less than its interval apart, as
// the servers saw them.
func TestWebsiteChecks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	var log requestLog
	ok := httptest.NewServer(log.wrap(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
			return
		}
		w.Write([]byte("<p>Open Monday to Friday</p>"))
	}))
	defer ok.Close()
	missing := httptest.NewServer(log.wrap(http.NotFound))
	defer missing.Close()
	slow := httptest.NewServer(log.wrap(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer slow.Close()

	org := f.org(t, "Checked")
	good := f.service(t, org, "Good site", func(s *directory.Service) { s.URL = ok.URL + "/" })
	moved := f.service(t, org, "Moved site", func(s *directory.Service) { s.URL = ok.URL + "/old" })
	gone := f.service(t, org, "Gone site", func(s *directory.Service) { s.URL = missing.URL + "/page" })
	asleep := f.service(t, org, "Slow site", func(s *directory.Service) { s.URL = slow.URL })
	f.service(t, org, "Same host again", func(s *directory.Service) { s.URL = ok.URL + "/again" })

	// The first run spaces requests by over a second, so no request may
	// come less than a second after another; the later runs (which show
	// the flagging) space them less, to keep the test short.
	const interval = 1100 * time.Millisecond
	c := &Checker{UserAgent: "joinedup-test-checker", Timeout: 300 * time.Millisecond, HostInterval: interval, AllowPrivate: true}
	var firstRun []time.Time
	for run := 1; run <= FlagAfter; run++ {
		if run == 2 {
			log.mu.Lock()
			firstRun = append(firstRun, log.at...)
			log.mu.Unlock()
			c = &Checker{UserAgent: "joinedup-test-checker", Timeout: 300 * time.Millisecond, HostInterval: 10 * time.Millisecond, AllowPrivate: true}
		}
		got, err := f.s.RunChecks(ctx, c, f.clock.Now(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if got.Services != 5 || got.Failed != 2 {
			t.Fatalf("run %d: %+v; want 5 services checked, 2 failing", run, got)
		}
		// Checked this week: a second run the same week checks nothing.
		if again, err := f.s.RunChecks(ctx, c, f.clock.Now().Add(time.Hour), 100); err != nil || again.Services != 0 {
			t.Fatalf("run %d again within the week: %+v, %v; want nothing checked", run, again, err)
		}
		results := map[string]CheckResult{}
		for _, id := range []string{good, moved, gone, asleep} {
			list, at, err := f.s.ServiceChecks(ctx, id)
			if err != nil || len(list) != 1 || !at.Equal(f.clock.Now().UTC().Truncate(time.Second)) {
				t.Fatalf("run %d: checks of %s = %+v at %v, %v", run, id, list, at, err)
			}
			results[id] = list[0]
		}
		if r := results[good]; !r.OK || r.Flagged || r.Failures != 0 {
			t.Errorf("run %d: the site answering 200 = %+v; want passed", run, r)
		}
		if r := results[moved]; !r.OK || r.Detail != "Answers at "+ok.URL+"/new" {
			t.Errorf("run %d: the redirected site = %+v; want passed, answering at /new", run, r)
		}
		if r := results[gone]; r.OK || r.Detail != "It answered 404 Not Found" || r.Failures != run || r.Flagged != (run >= FlagAfter) {
			t.Errorf("run %d: the site answering 404 = %+v", run, r)
		}
		if r := results[asleep]; r.OK || r.Detail != "It did not answer within 0.3 seconds" || r.Failures != run || r.Flagged != (run >= FlagAfter) {
			t.Errorf("run %d: the slow site = %+v", run, r)
		}
		f.clock.AddDate(0, 0, 8)
	}
	problems, err := f.s.Problems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || !problems[0].Flagged || problems[0].ServiceName == "" {
		t.Errorf("problems = %+v; want the two failing sites, flagged, with names", problems)
	}
	if n, err := f.s.CountFailing(ctx); err != nil || n != 2 {
		t.Errorf("failing: %d, %v; want 2", n, err)
	}

	log.mu.Lock()
	defer log.mu.Unlock()
	// Every server is on 127.0.0.1: one host, so every request of the
	// first run, the redirect included, is spaced.
	if want := FlagAfter * 6; len(log.at) != want {
		t.Fatalf("the servers saw %d requests, want %d", len(log.at), want)
	}
	if len(firstRun) != 6 {
		t.Fatalf("the servers saw %d requests in the first run, want 6", len(firstRun))
	}
	at := firstRun
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	for i := 1; i < len(at); i++ {
		if gap := at[i].Sub(at[i-1]); gap < time.Second {
			t.Errorf("requests %d and %d to one host came %v apart, under a second", i-1, i, gap)
		}
	}
	for _, ua := range log.agents {
		if ua != "joinedup-test-checker" {
			t.Errorf("a request came with user agent %q", ua)
		}
	}
}

// A site's checker refuses its own network: a listing cannot make it
// probe loopback or private addresses.
func TestCheckerRefusesPrivateAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the checker reached a loopback server")
	}))
	defer srv.Close()
	c := &Checker{Timeout: time.Second, HostInterval: time.Millisecond}
	if ok, detail := c.Website(context.Background(), srv.URL); ok || detail != "Its address is inside a private network" {
		t.Errorf("checking %s: %v %q; want refused", srv.URL, ok, detail)
	}
	for _, bad := range []string{"ftp://example.org/", "http://", "not a url at all"} {
		if ok, _ := c.Website(context.Background(), bad); ok {
			t.Errorf("checking %q passed", bad)
		}
	}
}
