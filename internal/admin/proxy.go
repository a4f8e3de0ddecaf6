package admin

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address the request came from, for login back-off.
// Without trusted proxies it is the connection's peer. When the peer is a
// trusted proxy, it is the address the proxies were asked by: the
// X-Forwarded-For entries read from the right (the nearest proxy's last),
// skipping trusted proxies, so a client cannot choose its address by
// sending the header itself.
func (h *handlers) clientIP(r *http.Request) string {
	return forwardedFor(r, h.proxies)
}

// ClientIP returns the function that finds the address a request came
// from behind the trusted proxies, as the admin does, for other domains'
// rate limits.
func ClientIP(trusted []netip.Prefix) func(*http.Request) string {
	return func(r *http.Request) string { return forwardedFor(r, trusted) }
}

func forwardedFor(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(peer, trusted) {
		return host
	}
	client := peer
	hops := r.Header.Values("X-Forwarded-For")
	for i := len(hops) - 1; i >= 0; i-- {
		parts := strings.Split(hops[i], ",")
		for j := len(parts) - 1; j >= 0; j-- {
			a, err := netip.ParseAddr(strings.TrimSpace(parts[j]))
			if err != nil {
				// What a trusted proxy cannot vouch for ends the chain.
				return client.String()
			}
			client = a.Unmap()
			if !isTrusted(client, trusted) {
				return client.String()
			}
		}
	}
	return client.String()
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
