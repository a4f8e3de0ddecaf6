package app

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/metrics"
)

const testMetricsToken = "test-metrics-token-0123456789"

// serveForMetrics runs Serve (with its jobs) on a fresh database of the
// engine under test, with cfg's metrics token, and returns its URL and a
// handle on its database.
func serveForMetrics(t *testing.T, token string) (string, *db.DB) {
	t.Helper()
	cfg := onTestEngine(t, config.Config{DataDir: t.TempDir(), Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", MetricsToken: token})
	d, err := Open(context.Background(), cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() { done <- Serve(ctx, cfg, quietLog(), func(addr string) { ready <- addr }) }()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("serve: %v", err)
			}
		})
		return "http://" + addr, d
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	}
	return "", nil
}

func fetch(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

// scrape fetches /metrics with the token and parses it strictly.
func scrape(t *testing.T, base string) *metrics.Scrape {
	t.Helper()
	res, body := fetch(t, base+"/metrics", "Authorization", "Bearer "+testMetricsToken)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != metrics.ContentType {
		t.Fatalf("/metrics: status %d, type %q\n%s", res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	s, err := metrics.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	return s
}

// /metrics, on a running server: only for the token's holders, in a
// format Prometheus reads, and its figures move with what the site does.
func TestMetrics(t *testing.T) {
	base, d := serveForMetrics(t, testMetricsToken)
	for _, h := range [][]string{nil, {"Authorization", "Bearer wrong-token-0123456789abc"},
		{"Authorization", testMetricsToken}, {"Authorization", "Basic " + testMetricsToken}} {
		res, body := fetch(t, base+"/metrics", h...)
		if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" || strings.Contains(body, "joinedup_") {
			t.Errorf("/metrics with %v: status %d, WWW-Authenticate %q", h, res.StatusCode, res.Header.Get("WWW-Authenticate"))
		}
	}
	if res, _ := fetch(t, base+"/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: status %d, want 200 without a token", res.StatusCode)
	}

	// The jobs run at start, one after the other: each run is counted.
	// (Waiting for them also keeps their writes out of the page cache
	// figures below.)
	deadline := time.Now().Add(30 * time.Second)
	for s := scrape(t, base); s.Sum("joinedup_job_runs_total", "job", "mail") < 1 ||
		s.Sum("joinedup_job_runs_total", "job", "retention") < 1; s = scrape(t, base) {
		if time.Now().After(deadline) {
			t.Fatal("the jobs' runs at start were not counted")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if s := scrape(t, base); s.Sum("joinedup_job_failures_total") != 0 {
		t.Errorf("job failures %v, want 0", s.Sum("joinedup_job_failures_total"))
	}

	// A message that waits an hour in the outbox, not yet due; queued as
	// the site queues mail to no public page, so as not to empty the
	// page cache.
	ctx := context.Background()
	if err := d.TxPrivate(ctx, func(q db.Querier) error {
		id, err := outbox(config.Config{}).Enqueue(ctx, q, mail.Message{Kind: "test", To: "someone@example.org", Subject: "Hello", Text: "Hi."})
		if err != nil {
			return err
		}
		_, err = q.ExecContext(ctx, `UPDATE mail_outbox SET created_at = $2, next_attempt_at = $3 WHERE id = $1`,
			id, db.Now().Add(-time.Hour), db.Now().Add(24*time.Hour))
		return err
	}); err != nil {
		t.Fatal(err)
	}

	before := scrape(t, base)
	for range 3 {
		if res, _ := fetch(t, base+"/news"); res.StatusCode != http.StatusOK {
			t.Fatalf("/news: status %d", res.StatusCode)
		}
	}
	if res, _ := fetch(t, base+"/no/such/page"); res.StatusCode != http.StatusNotFound {
		t.Fatalf("/no/such/page: status %d", res.StatusCode)
	}
	after := scrape(t, base)
	moved := func(name string, want float64, labels ...string) {
		t.Helper()
		if got := after.Sum(name, labels...) - before.Sum(name, labels...); got != want {
			t.Errorf("%s %v moved by %v, want %v", name, labels, got, want)
		}
	}
	moved("joinedup_http_requests_total", 3, "route", "GET /news", "status", "200")
	moved("joinedup_http_requests_total", 1, "route", "/", "status", "404")
	moved("joinedup_http_request_duration_seconds_count", 3, "route", "GET /news")
	moved("joinedup_http_request_duration_seconds_bucket", 3, "route", "GET /news", "le", "+Inf")
	if got := after.Sum("joinedup_page_cache_requests_total", "result", "hit") - before.Sum("joinedup_page_cache_requests_total", "result", "hit"); got < 2 {
		t.Errorf("page cache hits moved by %v for three requests of one page, want at least 2", got)
	}
	if after.Sum("joinedup_page_cache_requests_total", "result", "miss") < 1 {
		t.Error("no page cache miss counted")
	}
	if got := after.Sum("joinedup_outbox_queued_messages"); got != 1 {
		t.Errorf("outbox queue %v, want 1", got)
	}
	if got := after.Sum("joinedup_outbox_oldest_age_seconds"); got < 3600 || got > 4000 {
		t.Errorf("oldest message's age %vs, want about an hour", got)
	}
	if after.Sum("joinedup_db_max_open_connections") < 1 || !after.Has("joinedup_db_in_use_connections") ||
		!after.Has("joinedup_db_waits_total") {
		t.Error("no database pool figures")
	}
	for _, typ := range []struct{ name, want string }{
		{"joinedup_http_requests_total", "counter"}, {"joinedup_http_request_duration_seconds", "histogram"},
		{"joinedup_outbox_queued_messages", "gauge"}, {"joinedup_job_runs_total", "counter"},
	} {
		if after.Types[typ.name] != typ.want {
			t.Errorf("%s is a %q, want %s", typ.name, after.Types[typ.name], typ.want)
		}
	}

}

// Without a token, /metrics is not served at all; /healthz is.
func TestMetricsOffWithoutToken(t *testing.T) {
	base, _ := serveForMetrics(t, "")
	for _, h := range [][]string{nil, {"Authorization", "Bearer "}, {"Authorization", "Bearer " + testMetricsToken}} {
		if res, body := fetch(t, base+"/metrics", h...); res.StatusCode != http.StatusNotFound || strings.Contains(body, "joinedup_http") {
			t.Errorf("/metrics without a token set, sent %v: status %d, want 404", h, res.StatusCode)
		}
	}
	if res, _ := fetch(t, base+"/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz: status %d", res.StatusCode)
	}
}
