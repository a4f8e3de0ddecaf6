package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/metrics"
)

// Metrics returns the site's metrics, to which other parts of the
// application add their own.
func (s *Site) Metrics() *metrics.Registry { return s.metrics }

func (s *Site) countRequests() {
	s.metrics = metrics.New()
	s.requests = s.metrics.Counter("joinedup_http_requests_total",
		"HTTP requests answered, by route pattern and status.", "route", "status")
	s.latency = s.metrics.Histogram("joinedup_http_request_duration_seconds",
		"Time to answer an HTTP request, by route pattern.", metrics.DefaultBuckets, "route")
	s.metrics.CounterFunc("joinedup_page_cache_requests_total",
		"Requests for cacheable public pages, by whether the page cache had them.", []string{"result"},
		func(context.Context) ([]metrics.Sample, error) {
			return []metrics.Sample{{Labels: []string{"hit"}, Value: float64(s.cache.hits.Load())},
				{Labels: []string{"miss"}, Value: float64(s.cache.misses.Load())}}, nil
		})
	s.metrics.GaugeFunc("joinedup_page_cache_pages", "Pages held in the page cache.", nil,
		func(context.Context) ([]metrics.Sample, error) {
			return []metrics.Sample{{Value: float64(s.cache.size())}}, nil
		})
}

// measure counts each request under the pattern of the route that
// answered it (so that the number of series stays bounded whatever paths
// clients ask for) and its status. It sits inside every middleware that
// replaces the request, because the mux writes the pattern into the
// request it is given.
func (s *Site) measure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			route := r.Pattern
			if route == "" {
				route = "unmatched" // refused before routing, or the mux's own redirects and 405s
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
				if p := recover(); p != nil {
					// The panic is turned into the 500 page further out.
					s.requests.Inc(route, "500")
					s.latency.Observe(time.Since(start).Seconds(), route)
					panic(p)
				}
			}
			s.requests.Inc(route, strconv.Itoa(status))
			s.latency.Observe(time.Since(start).Seconds(), route)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter notes the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
