package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// realClient sets a request's RemoteAddr to the client's address when the
// request comes through one of the trusted proxies, so that what is kept
// per client (login back-off) is not kept for the load balancer instead.
// The client is the last address in X-Forwarded-For that is not a trusted
// proxy: addresses before it were written by the client and may be false.
func realClient(next http.Handler, trusted []netip.Prefix) http.Handler {
	if len(trusted) == 0 {
		return next
	}
	isTrusted := func(a netip.Addr) bool {
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		peer, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !isTrusted(peer.Addr()) {
			next.ServeHTTP(w, r)
			return
		}
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a garbled hop: trust nothing before it
			}
			if !isTrusted(a) {
				r = r.WithContext(r.Context())
				r.RemoteAddr = net.JoinHostPort(a.Unmap().String(), "0")
				break
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ClientIP is the address a request came from, for limits kept per client
// (login back-off, residents' forms). Behind trusted proxies the site has
// already put the client's address in RemoteAddr (see realClient).
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
