package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/joinedup/joinedup/internal/metrics"
)

const (
	adminEmail    = "load-admin@example.org"
	adminPassword = "load test password, long enough"
)

// tally is what the load saw, per class of request.
type tally struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration
	errors    []string
	nErrors   atomic.Int64
	requests  atomic.Int64
	acks      []ack
}

func newTally() *tally { return &tally{latencies: map[string][]time.Duration{}} }

func (t *tally) merge(class string, ds []time.Duration) {
	t.mu.Lock()
	t.latencies[class] = append(t.latencies[class], ds...)
	t.mu.Unlock()
}

func (t *tally) fail(msg string) {
	if t.nErrors.Add(1) <= 20 {
		t.mu.Lock()
		t.errors = append(t.errors, msg)
		t.mu.Unlock()
	}
}

func (t *tally) acked(a ack) {
	t.mu.Lock()
	t.acks = append(t.acks, a)
	t.mu.Unlock()
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func (t *tally) printLatencies() {
	fmt.Printf("\n%-22s %9s %9s %9s %9s %9s %9s\n", "latency", "requests", "p50", "p90", "p99", "p99.9", "max")
	classes := make([]string, 0, len(t.latencies))
	for c := range t.latencies {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }
	for _, c := range classes {
		ds := t.latencies[c]
		slices.Sort(ds)
		fmt.Printf("%-22s %9d %9s %9s %9s %9s %9s\n", c, len(ds), ms(percentile(ds, 50)), ms(percentile(ds, 90)),
			ms(percentile(ds, 99)), ms(percentile(ds, 99.9)), ms(ds[len(ds)-1]))
	}
}

// scrapeMetrics reads the server's /metrics.
func scrapeMetrics(ctx context.Context, s *site, token string) (*metrics.Scrape, error) {
	res, err := s.do(ctx, http.MethodGet, "/metrics", nil, "Authorization", "Bearer "+token)
	if err != nil {
		return nil, err
	}
	if res.status != http.StatusOK {
		return nil, fmt.Errorf("/metrics: status %d", res.status)
	}
	return metrics.Parse(strings.NewReader(res.body))
}

func soak(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	duration := fs.Duration("duration", 3*time.Minute, "how long to load the server")
	conns := fs.Int("connections", 50, "concurrent connections (each a resident's browser)")
	writes := fs.Float64("writes", 5, "percentage of operations that are residents' writes (a question or a registration: the form fetched, then sent)")
	drain := fs.Duration("drain", 30*time.Minute, "how long to wait afterwards for the mail job to send every queued email")
	databaseURL := fs.String("database", os.Getenv("SOAK_DATABASE_URL"), "an empty PostgreSQL database to run on (env SOAK_DATABASE_URL); default SQLite in a temp data dir")
	keep := fs.Bool("keep", false, "keep the temp dir (data dir, server log) afterwards")
	if err := fs.Parse(args); err != nil {
		return err
	}
	srv, s, done, err := setUp(ctx, "joinedup-soak-", *databaseURL, *conns, *keep)
	if err != nil {
		return err
	}
	defer done()
	dataDir := srv.dataDir
	engine := "SQLite"
	if *databaseURL != "" {
		engine = "PostgreSQL"
	}
	fmt.Printf("soak: %s, %d connections, %.1f%% writes, on %s at %s\n", *duration, *conns, *writes, engine, srv.url())
	fmt.Printf("reads: %s\nwrites: questions to /events/%s/questions, registrations for /events/%s/register\n\n",
		strings.Join(s.reads, " "), s.meetingSlug, s.eventSlug)

	t := newTally()
	loadCtx, cancel := context.WithTimeout(ctx, *duration)
	defer cancel()
	var rss []sample
	start := time.Now()
	monitorDone := make(chan struct{})
	go func() {
		defer close(monitorDone)
		tick := time.NewTicker(10 * time.Second)
		defer tick.Stop()
		var last int64
		fmt.Printf("%8s %9s %8s %8s %8s %8s %8s\n", "time", "req/s", "acked", "errors", "RSS MB", "Go MB", "heap MB")
		for {
			select {
			case <-loadCtx.Done():
				return
			case <-tick.C:
			}
			n := t.requests.Load()
			m, _ := srv.rss()
			sc, err := scrapeMetrics(loadCtx, s, srv.token)
			if err != nil {
				continue // the load ended with this tick
			}
			goMem, heap := sc.Sum("joinedup_go_memory_bytes"), sc.Sum("joinedup_go_heap_objects_bytes")
			rss = append(rss, sample{time.Since(start), m, int64(goMem)})
			t.mu.Lock()
			acked := len(t.acks)
			t.mu.Unlock()
			fmt.Printf("%8s %9.0f %8d %8d %8.1f %8.1f %8.1f\n", time.Since(start).Round(time.Second), float64(n-last)/10,
				acked, t.nErrors.Load(), float64(m)/(1<<20), goMem/(1<<20), heap/(1<<20))
			last = n
		}
	}()
	var wg sync.WaitGroup
	for range *conns {
		wg.Go(func() { worker(loadCtx, s, t, *writes/100) })
	}
	wg.Wait()
	<-monitorDone
	elapsed := time.Since(start)
	t.printLatencies()
	fmt.Printf("\nrequests: %d in %s (%.0f/s); acknowledged writes: %d; errors: %d\n",
		t.requests.Load(), elapsed.Round(time.Second), float64(t.requests.Load())/elapsed.Seconds(), len(t.acks), t.nErrors.Load())
	for _, e := range t.errors {
		fmt.Println("  error:", e)
	}
	flat := printMemory(rss, *duration)

	// The emails: the mail job sends what is queued; wait for it.
	fmt.Println("\nwaiting for the outbox to drain (the mail job sends every 15 s)...")
	drainStart := time.Now()
	drained := false
	lastPrint := time.Time{}
	for time.Since(drainStart) < *drain && ctx.Err() == nil {
		m, err := scrapeMetrics(ctx, s, srv.token)
		if err != nil {
			return err
		}
		q := m.Sum("joinedup_outbox_queued_messages")
		if time.Since(lastPrint) >= 30*time.Second {
			fmt.Printf("  %8s: %.0f queued, oldest waiting %.0f s\n", time.Since(drainStart).Round(time.Second), q,
				m.Sum("joinedup_outbox_oldest_age_seconds"))
			lastPrint = time.Now()
		}
		if q == 0 {
			drained = true
			break
		}
		time.Sleep(2 * time.Second)
	}
	fmt.Printf("outbox drained: %v, after %s\n", drained, time.Since(drainStart).Round(time.Second))
	if m, err := scrapeMetrics(ctx, s, srv.token); err == nil {
		hits, misses := m.Sum("joinedup_page_cache_requests_total", "result", "hit"), m.Sum("joinedup_page_cache_requests_total", "result", "miss")
		fmt.Printf("page cache: %.0f hits, %.0f misses (%.1f%% hits); database waits for a connection: %.0f (%.2f s); mail job runs %.0f, failures %.0f\n",
			hits, misses, 100*hits/max(1, hits+misses), m.Sum("joinedup_db_waits_total"), m.Sum("joinedup_db_wait_seconds_total"),
			m.Sum("joinedup_job_runs_total", "job", "mail"), m.Sum("joinedup_job_failures_total", "job", "mail"))
	}
	if err := srv.stop(); err != nil {
		return fmt.Errorf("graceful stop: %w", err)
	}
	d, err := openDB(ctx, dataDir, *databaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	lost, err := stored(ctx, d, s.eventID, t.acks)
	if err != nil {
		return err
	}
	unsent, err := emailed(dataDir, t.acks)
	if err != nil {
		return err
	}
	fmt.Printf("\nacknowledged writes: %d; not stored: %d; not emailed: %d\n", len(t.acks), len(lost), len(unsent))
	for i, l := range append(lost, unsent...) {
		if i == 20 {
			break
		}
		fmt.Println("  missing:", l)
	}
	var problems []string
	if n := t.nErrors.Load(); n > 0 {
		problems = append(problems, fmt.Sprintf("%d errors", n))
	}
	if len(lost) > 0 {
		problems = append(problems, fmt.Sprintf("%d writes lost", len(lost)))
	}
	if len(unsent) > 0 {
		problems = append(problems, fmt.Sprintf("%d writes not emailed", len(unsent)))
	}
	if len(t.acks) == 0 && *writes > 0 {
		problems = append(problems, "no write was acknowledged")
	}
	if !flat {
		fmt.Println("note: memory grew after warm-up (see above)")
	}
	if len(problems) > 0 {
		return fmt.Errorf("soak: %s", strings.Join(problems, ", "))
	}
	fmt.Println("PASS: 0 errors, 0 lost writes, every write emailed")
	return nil
}

// sqliteCacheBound is what SQLite's page caches may hold at most: 16 MB
// (cache_size) on each of the 8 readers and the writer (internal/db).
const sqliteCacheBound = 9 * 16 << 20

// sample is the server's resident memory at a time into the run.
type sample struct {
	at    time.Duration
	rss   int64
	goMem int64 // what the Go runtime holds; the rest of RSS is outside Go (SQLite's caches)
}

// printMemory prints the server's resident memory over the run and says
// whether it stayed flat (within 20%) after the warm-up, the first third.
func printMemory(rss []sample, duration time.Duration) bool {
	if len(rss) == 0 {
		return true
	}
	warm := rss[0]
	for _, r := range rss {
		if r.at <= duration/3 {
			warm = r
		}
	}
	peak, last := warm.rss, rss[len(rss)-1].rss
	for _, r := range rss {
		if r.at >= warm.at && r.rss > peak {
			peak = r.rss
		}
	}
	mb := func(b int64) float64 { return float64(b) / (1 << 20) }
	growth := 100 * float64(last-warm.rss) / float64(max(1, warm.rss))
	lastGo := rss[len(rss)-1].goMem
	goGrowth := 100 * float64(lastGo-warm.goMem) / float64(max(1, warm.goMem))
	fmt.Printf("memory (RSS): %.1f MB after warm-up (%s), peak %.1f MB, last %.1f MB: %+.1f%% after warm-up\n",
		mb(warm.rss), warm.at.Round(time.Second), mb(peak), mb(last), growth)
	// The rest of RSS is SQLite's (modernc.org/sqlite allocates outside
	// the Go heap), mostly page caches, which fill as pages are read and
	// are bounded by cache_size (16 MB) per connection.
	outside := last - lastGo
	flat := goGrowth < 20 && outside < sqliteCacheBound
	fmt.Printf("of which the Go runtime: %.1f MB after warm-up, last %.1f MB (%+.1f%%); outside Go (SQLite): %.1f MB, last %.1f MB (its caches are bounded at %.0f MB); flat: %v\n",
		mb(warm.goMem), mb(lastGo), goGrowth, mb(warm.rss-warm.goMem), mb(outside), mb(sqliteCacheBound), flat)
	return flat
}

// worker is one resident's browser: it reads pages and, for the given
// share of its operations, fetches a form and sends it when a person
// would have filled it in. Writes not yet sent when the time is up are
// dropped: they were never acknowledged.
func worker(ctx context.Context, s *site, t *tally, writeShare float64) {
	lat := map[string][]time.Duration{}
	var pending []write
	defer func() {
		for c, ds := range lat {
			t.merge(c, ds)
		}
	}()
	for ctx.Err() == nil {
		if i := slices.IndexFunc(pending, func(w write) bool { return !time.Now().Before(w.due) }); i >= 0 {
			w := pending[i]
			pending = slices.Delete(pending, i, i+1)
			a, res, err := s.send(ctx, w)
			if ctx.Err() != nil {
				return
			}
			t.requests.Add(1)
			lat["POST "+w.kind] = append(lat["POST "+w.kind], res.took)
			if err != nil {
				t.fail(fmt.Sprintf("%v %.300s", err, res.body))
				continue
			}
			t.acked(a)
			continue
		}
		if rand.Float64() < writeShare {
			kind := "question"
			if rand.IntN(2) == 0 {
				kind = "registration"
			}
			w, res, err := s.openForm(ctx, kind)
			if ctx.Err() != nil {
				return
			}
			t.requests.Add(1)
			lat["GET "+kind+" form"] = append(lat["GET "+kind+" form"], res.took)
			if err != nil {
				t.fail(err.Error())
				continue
			}
			pending = append(pending, w)
			continue
		}
		p := s.reads[rand.IntN(len(s.reads))]
		res, err := s.do(ctx, http.MethodGet, p, nil)
		if ctx.Err() != nil {
			return
		}
		t.requests.Add(1)
		lat["GET page"] = append(lat["GET page"], res.took)
		if err != nil {
			t.fail(fmt.Sprintf("GET %s: %v", p, err))
		} else if res.status != http.StatusOK {
			t.fail(fmt.Sprintf("GET %s: status %d", p, res.status))
		}
	}
}
