package web

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// minGzipSize is the smallest body worth compressing.
const minGzipSize = 512

func newGzipPool(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, level)
		return w
	}}
}

// Responses compressed once and served many times (cached pages, static
// files) get the best compression; one-off responses a cheaper level.
var (
	gzipBest = newGzipPool(gzip.BestCompression)
	gzipFast = newGzipPool(gzip.DefaultCompression)
)

// compress returns body gzipped at the best compression.
func compress(body []byte) []byte { return compressWith(gzipBest, body) }

func compressWith(pool *sync.Pool, body []byte) []byte {
	var buf bytes.Buffer
	zw := pool.Get().(*gzip.Writer)
	zw.Reset(&buf)
	_, _ = zw.Write(body)
	_ = zw.Close()
	pool.Put(zw)
	return buf.Bytes()
}

// etagOf returns a strong validator for body.
func etagOf(body []byte) string {
	h := fnv.New64a()
	_, _ = h.Write(body)
	return `"` + hex.EncodeToString(h.Sum(nil)) + `"`
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

// notModified reports whether the request's If-None-Match matches etag.
func notModified(r *http.Request, etag string) bool {
	inm := r.Header.Get("If-None-Match")
	if inm == "" {
		return false
	}
	for _, tag := range strings.Split(inm, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// WriteBody writes a complete response body with an ETag, answering a
// matching If-None-Match with 304 and compressing it when the client accepts
// gzip.
func WriteBody(w http.ResponseWriter, r *http.Request, status int, contentType string, body []byte) {
	writeEncoded(w, r, status, contentType, etagOf(body), body, nil, true)
}

// writeEncoded writes body, or when compressible its gzipped form gz
// (computed if nil), with the given ETag.
func writeEncoded(w http.ResponseWriter, r *http.Request, status int, contentType, etag string, body, gz []byte, compressible bool) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	useGzip := compressible && acceptsGzip(r) && len(body) >= minGzipSize
	if useGzip {
		// Each encoding is its own representation, with its own tag.
		etag = strings.TrimSuffix(etag, `"`) + `-gzip"`
	}
	if status == http.StatusOK {
		h.Set("ETag", etag)
		if notModified(r, etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	out := body
	if useGzip {
		if gz == nil {
			gz = compressWith(gzipFast, body)
		}
		out = gz
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(out)
	}
}
