// Package web is the HTTP platform the domains build on: routing with
// error-returning handlers, templates parsed once, the one place that turns
// errors into pages, security headers, compression, caching and static files.
package web

import (
	"log/slog"

	"github.com/joinedup/joinedup/internal/metrics"
	"net/http"
	"net/netip"
	"strings"
)

// Config is what the web layer needs to know about the deployment.
type Config struct {
	// BaseURL is the public address of the site, without a trailing slash,
	// used for canonical links and feeds.
	BaseURL string
	// SiteName names the system in page titles and the header.
	SiteName string
	// Version is shown in the footer and /healthz.
	Version string
	// NoPageCache renders every request afresh; for benchmarks and debugging.
	NoPageCache bool
	// TrustedProxies are the load balancers whose X-Forwarded-For names
	// the client.
	TrustedProxies []netip.Prefix
}

// Handler is an HTTP handler that returns an error instead of writing an
// error page itself; the Site turns the error into the right page.
type Handler func(w http.ResponseWriter, r *http.Request) error

// Site holds the routes, templates and settings of the public site.
type Site struct {
	cfg    Config
	log    *slog.Logger
	mux    *http.ServeMux
	views  *views
	static *staticFiles
	cache  *pageCache
	// sitemap lists the sources of /sitemap.xml, in the order added.
	sitemap []SitemapSource
	// readOnly lists the patterns that cross-origin protection lets by.
	readOnly []string
	metrics  *metrics.Registry
	requests *metrics.CounterVec
	latency  *metrics.HistogramVec
}

// New returns a Site. generation reports a number that changes whenever
// content changes, so cached pages are never stale.
func New(cfg Config, log *slog.Logger, generation func() uint64) (*Site, error) {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	st, err := loadStatic()
	if err != nil {
		return nil, err
	}
	s := &Site{cfg: cfg, log: log, mux: http.NewServeMux(), static: st, cache: newPageCache(generation)}
	s.countRequests()
	s.views, err = parseViews()
	if err != nil {
		return nil, err
	}
	s.mux.Handle("GET /static/{file}", st)
	s.mountSitemap()
	s.mux.Handle("/", s.wrap(func(w http.ResponseWriter, r *http.Request) error {
		return NotFound("")
	}))
	return s, nil
}

// Config returns the site's settings.
func (s *Site) Config() Config { return s.cfg }

// Get registers a public GET (and HEAD) route whose successful responses
// are the same for every visitor, so they are cached until content changes.
func (s *Site) Get(pattern string, h Handler) {
	if s.cfg.NoPageCache {
		s.GetUncached(pattern, h)
		return
	}
	s.mux.Handle("GET "+pattern, s.cache.wrap(s.wrap(h)))
}

// GetUncached registers a GET route whose responses must not be cached.
func (s *Site) GetUncached(pattern string, h Handler) {
	s.mux.Handle("GET "+pattern, s.wrap(h))
}

// ReadOnly registers h for every method that no other route of pattern
// takes, for the paths of a read-only API, so that a client sending one
// gets the API's own answer (such as a JSON 405). Requests reach h even
// from other sites' pages, past the cross-origin protection that guards
// the site's forms: h must change nothing.
func (s *Site) ReadOnly(pattern string, h Handler) {
	s.mux.Handle(pattern, s.wrap(h))
	s.readOnly = append(s.readOnly, pattern)
}

// Post registers a POST route.
func (s *Site) Post(pattern string, h Handler) {
	s.mux.Handle("POST "+pattern, s.wrap(h))
}

func (s *Site) wrap(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.Error(w, r, err)
		}
	})
}

// Handler returns the site as an http.Handler with its middleware: panic
// recovery, security headers, request size limits and cross-origin
// protection for state-changing requests.
func (s *Site) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	for _, p := range s.readOnly {
		cop.AddInsecureBypassPattern(p)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, &StatusError{Status: http.StatusForbidden,
			Message: "This form was sent from another website, so we did not accept it. Go back, reload the page and try again."})
	}))
	return realClient(s.recover(securityHeaders(limitBody(s.measure(cop.Handler(s.mux)), 1<<20), strings.HasPrefix(s.cfg.BaseURL, "https://"))),
		s.cfg.TrustedProxies)
}
