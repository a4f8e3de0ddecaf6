package web

import "net/http"

// Private registers a route, a method and path pattern such as
// "POST /admin/places/{place}", whose responses belong to one signed-in
// person. It never enters the page cache, and browsers and proxies are told
// not to keep it. mw, if not nil, goes around the handler (the session
// middleware).
func (s *Site) Private(pattern string, h Handler, mw func(http.Handler) http.Handler) {
	next := s.wrap(h)
	if mw != nil {
		next = mw(next)
	}
	s.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store, private")
		next.ServeHTTP(w, r)
	}))
}
