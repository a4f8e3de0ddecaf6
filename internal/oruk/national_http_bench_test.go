package oruk_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// nationalPostcodes gives postcodes at the first search points of the
// national directory, once.
var nationalPostcodes struct {
	once sync.Once
	pcs  []string
	err  error
}

func nationalPostcodeList(b *testing.B, d *db.DB, points []directory.Point) []string {
	b.Helper()
	nationalPostcodes.once.Do(func() {
		ctx := context.Background()
		var pcs []directory.Postcode
		seen := map[string]bool{}
		for i, p := range points[:50] {
			pc := fmt.Sprintf("ZE%d %dAB", i%9+1, i/9%10)
			if !seen[pc] {
				seen[pc] = true
				pcs = append(pcs, directory.Postcode{Postcode: pc, Point: p})
				nationalPostcodes.pcs = append(nationalPostcodes.pcs, pc)
			}
		}
		nationalPostcodes.err = d.Tx(ctx, func(q db.Querier) error {
			_, err := directory.NewStore(q).SavePostcodes(ctx, pcs)
			return err
		})
	})
	if nationalPostcodes.err != nil {
		b.Fatal(nationalPostcodes.err)
	}
	return nationalPostcodes.pcs
}

// nationalGrid is the grid of searches users bring, on the directory page
// and the Open Referral API; each path takes the request's number and a
// postcode.
func nationalGrid() []struct {
	name string
	path func(i int, pc string) string
} {
	term := directory.DerivedID("bench", "term", "Pharmacy")
	pc := func(s string) string { return url.QueryEscape(s) }
	return []struct {
		name string
		path func(i int, pc string) string
	}{
		{"word", func(int, string) string { return "/directory?q=pharmacy" }},
		{"word-postcode", func(_ int, p string) string { return "/directory?q=pharmacy&postcode=" + pc(p) }},
		{"phrase", func(int, string) string { return "/directory?q=food+bank" }},
		{"phrase-postcode", func(_ int, p string) string { return "/directory?q=mental+health&postcode=" + pc(p) }},
		{"category-postcode", func(_ int, p string) string { return "/directory?category=" + term + "&postcode=" + pc(p) }},
		{"open-now-postcode", func(_ int, p string) string { return "/directory?open=now&postcode=" + pc(p) }},
		{"age-free-postcode", func(_ int, p string) string { return "/directory?age=12&free=on&postcode=" + pc(p) }},
		{"nothing", func(int, string) string { return "/directory?q=zzqxjv" }},
		{"misspelt", func(int, string) string { return "/directory?q=pharmcy" }},
		{"nothing-postcode", func(_ int, p string) string { return "/directory?q=zzqxjv&postcode=" + pc(p) }},
		{"deep-page", func(i int, _ string) string { return fmt.Sprintf("/directory?q=pharmacy&page=%d", 50+i%50) }},
		{"oruk-search", func(int, string) string { return "/api/oruk/services?search=food&per_page=50" }},
		{"oruk-search-postcode", func(_ int, p string) string {
			return "/api/oruk/services?search=pharmacy&postcode=" + pc(p) + "&proximity=5000&per_page=50"
		}},
		{"oruk-sal-postcode", func(_ int, p string) string {
			return "/api/oruk/service_at_locations?postcode=" + pc(p) + "&proximity=2000&per_page=50"
		}},
		{"oruk-pages", func(i int, _ string) string { return fmt.Sprintf("/api/oruk/services?per_page=50&page=%d", 1+i%200) }},
	}
}

// BenchmarkNationalHTTP serves the grid of searches over loopback HTTP
// from the synthetic national directory, with the page cache off, at 10
// connections, and reports each search's latency percentiles:
//
//	JOINEDUP_BENCH_NATIONAL=1 go test -run '^$' -bench NationalHTTP -benchtime 2000x ./internal/oruk/
func BenchmarkNationalHTTP(b *testing.B) {
	d, h, points := nationalDirectory(b)
	pcs := nationalPostcodeList(b, d, points)
	srv := httptest.NewServer(h)
	defer srv.Close()
	const connections = 10
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: connections}}
	for _, c := range nationalGrid() {
		b.Run(c.name, func(b *testing.B) {
			ds := make([]time.Duration, b.N)
			var next atomic.Int64
			var failed atomic.Value
			var wg sync.WaitGroup
			b.ResetTimer()
			for w := 0; w < connections; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := int(next.Add(1)) - 1
						if i >= b.N {
							return
						}
						path := c.path(i, pcs[i%len(pcs)])
						start := time.Now()
						res, err := client.Get(srv.URL + path)
						if err == nil {
							_, err = io.Copy(io.Discard, res.Body)
							res.Body.Close()
							if err == nil && res.StatusCode != http.StatusOK {
								err = fmt.Errorf("%s: status %d", path, res.StatusCode)
							}
						}
						ds[i] = time.Since(start)
						if err != nil {
							failed.Store(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			if err, _ := failed.Load().(error); err != nil {
				b.Fatal(err)
			}
			reportLatencies(b, ds)
		})
	}
}

// BenchmarkNationalFirstRequest opens the national directory afresh, as a
// restarted server does, and reports the slowest first request of each
// search of the grid (each on a fresh start). It starts the grid at most
// twice, whatever b.N, since each start opens the whole database.
func BenchmarkNationalFirstRequest(b *testing.B) {
	d, _, points := nationalDirectory(b)
	pcs := nationalPostcodeList(b, d, points)
	cfg := config.Config{DataDir: national.dir, BaseURL: "https://joinedup.example", NoPageCache: true}
	var worst time.Duration
	var worstName string
	b.ResetTimer()
	for i := 0; i < min(b.N, 2); i++ {
		for _, c := range nationalGrid() {
			b.StopTimer()
			fresh, err := app.Open(context.Background(), cfg, quietLog())
			if err != nil {
				b.Fatal(err)
			}
			h, err := app.Handler(fresh, cfg, quietLog())
			if err != nil {
				b.Fatal(err)
			}
			srv := httptest.NewServer(h)
			b.StartTimer()
			start := time.Now()
			res, err := http.Get(srv.URL + c.path(i, pcs[i%len(pcs)]))
			if err == nil {
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
			took := time.Since(start)
			b.StopTimer()
			srv.Close()
			fresh.Close()
			if err != nil {
				b.Fatal(err)
			}
			if took > worst {
				worst, worstName = took, c.name
			}
			b.StartTimer()
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(worst.Microseconds())/1000, "worst-first-ms")
	b.Logf("slowest first request: %s, %v", worstName, worst)
}
