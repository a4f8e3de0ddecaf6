package web

import (
	"bytes"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// pageCacheTTL bounds how long a page is served from memory even when no
// content changed, because some pages depend on the clock ("upcoming").
const pageCacheTTL = time.Minute

// pageCacheMax bounds the number of cached pages; past it, the cache is
// emptied rather than grown, so crafted query strings cannot exhaust memory.
const pageCacheMax = 2000

// pageCache keeps the rendered, compressed public pages in memory and
// serves them until content changes (the database's write generation moves)
// or the TTL passes.
type pageCache struct {
	generation func() uint64
	mu         sync.RWMutex
	entries    map[string]*cachedPage
	// hits and misses count the requests served from memory and those
	// rendered, for /metrics.
	hits, misses atomic.Uint64
}

func (c *pageCache) size() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

type cachedPage struct {
	generation  uint64
	expires     time.Time
	contentType string
	etag        string
	header      http.Header // the handler's own headers, such as CORS
	body, gz    []byte
}

// ownHeaders returns the headers a handler set that belong with the
// page wherever it is served from, leaving out those that describe one
// particular response.
func ownHeaders(h http.Header) http.Header {
	out := http.Header{}
	for k, v := range h {
		switch k {
		case "Content-Length", "Content-Type", "Content-Encoding", "Etag", "Vary", "Date", "Set-Cookie":
			continue
		}
		out[k] = v
	}
	return out
}

func newPageCache(generation func() uint64) *pageCache {
	return &pageCache{generation: generation, entries: map[string]*cachedPage{}}
}

func (c *pageCache) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.RequestURI()
		gen := c.generation()
		now := time.Now()
		c.mu.RLock()
		p := c.entries[key]
		c.mu.RUnlock()
		if p != nil && p.generation == gen && now.Before(p.expires) {
			c.hits.Add(1)
			for k, v := range p.header {
				w.Header()[k] = v
			}
			writeEncoded(w, r, http.StatusOK, p.contentType, p.etag, p.body, p.gz, true)
			return
		}
		c.misses.Add(1)
		// Render for an anonymous client that wants the plain body, then
		// keep both encodings.
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		plain := r.Clone(r.Context())
		plain.Header.Del("Accept-Encoding")
		plain.Header.Del("If-None-Match")
		plain.Method = http.MethodGet
		next.ServeHTTP(rec, plain)
		if rec.status != http.StatusOK || rec.header.Get("Set-Cookie") != "" || rec.header.Get("Content-Encoding") != "" {
			rec.replay(w, r)
			return
		}
		body := bytes.Clone(rec.body.Bytes())
		p = &cachedPage{
			generation:  gen,
			expires:     now.Add(pageCacheTTL),
			contentType: rec.header.Get("Content-Type"),
			etag:        etagOf(body),
			header:      ownHeaders(rec.header),
			body:        body,
		}
		if len(body) >= minGzipSize {
			p.gz = compress(body)
		}
		c.mu.Lock()
		if len(c.entries) >= pageCacheMax {
			c.entries = map[string]*cachedPage{}
		}
		c.entries[key] = p
		c.mu.Unlock()
		for k, v := range p.header {
			w.Header()[k] = v
		}
		writeEncoded(w, r, http.StatusOK, p.contentType, p.etag, p.body, p.gz, true)
	})
}

// recorder captures a response so it can be cached.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(b)
}

// replay writes the recorded response as it was, for responses not cached.
func (r *recorder) replay(w http.ResponseWriter, req *http.Request) {
	for k, v := range r.header {
		if k == "Content-Length" || k == "Etag" {
			continue
		}
		w.Header()[k] = v
	}
	if r.status == http.StatusOK {
		writeEncoded(w, req, r.status, r.header.Get("Content-Type"), etagOf(r.body.Bytes()), r.body.Bytes(), nil, true)
		return
	}
	w.WriteHeader(r.status)
	if req.Method != http.MethodHead {
		_, _ = w.Write(r.body.Bytes())
	}
}
