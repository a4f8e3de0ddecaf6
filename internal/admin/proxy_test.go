package admin

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestForwardedFor(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	for _, c := range []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"no proxy: the header is ignored", "192.0.2.1:5000", []string{"203.0.113.5"}, "192.0.2.1"},
		{"trusted proxy", "10.0.0.2:5000", []string{"203.0.113.5"}, "203.0.113.5"},
		{"trusted proxy, no header", "10.0.0.2:5000", nil, "10.0.0.2"},
		{"a client's own header is not believed", "10.0.0.2:5000", []string{"1.2.3.4, 203.0.113.5"}, "203.0.113.5"},
		{"two proxies", "10.0.0.2:5000", []string{"203.0.113.5, 10.0.0.9"}, "203.0.113.5"},
		{"headers on several lines", "10.0.0.2:5000", []string{"1.2.3.4", "203.0.113.5, 10.1.1.1"}, "203.0.113.5"},
		{"only proxies", "10.0.0.2:5000", []string{"10.0.0.7"}, "10.0.0.7"},
		{"garbage ends the chain", "10.0.0.2:5000", []string{"nonsense, 10.0.0.7"}, "10.0.0.7"},
		{"IPv6 proxy", "[fd00::1]:443", []string{"2001:db8::5"}, "2001:db8::5"},
		{"IPv4 in IPv6 peer", "[::ffff:10.0.0.2]:443", []string{"203.0.113.5"}, "203.0.113.5"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := forwardedFor(r, trusted); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
