package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
)

// contentSecurityPolicy allows nothing inline and nothing from other hosts,
// so injected markup cannot run script or load anything.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next http.Handler, https bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		if https {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps request bodies; routes that take uploads raise it with
// RaiseBodyLimit.
func limitBody(next http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			body := r.Body
			r = r.WithContext(context.WithValue(r.Context(), rawBodyKey{}, body))
			r.Body = http.MaxBytesReader(w, body, max)
		}
		next.ServeHTTP(w, r)
	})
}

type rawBodyKey struct{}

// RaiseBodyLimit lets the request's body be up to max bytes instead of the
// site's usual limit. Call it before anything reads the body: an upload
// handler, for its route alone.
func RaiseBodyLimit(w http.ResponseWriter, r *http.Request, max int64) {
	if body, ok := r.Context().Value(rawBodyKey{}).(io.ReadCloser); ok {
		r.Body = http.MaxBytesReader(w, body, max)
	}
}

// recover turns a panic in a handler into the 500 page, logging the stack.
func (s *Site) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p)
			}
			s.log.Error("handler panicked", slog.String("path", r.URL.Path), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
			s.Error(w, r, errPanic)
		}()
		next.ServeHTTP(w, r)
	})
}

type panicError struct{}

func (panicError) Error() string { return "handler panicked" }

var errPanic error = panicError{}
