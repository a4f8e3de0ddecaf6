package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestRealClientBelievesOnlyTrustedProxies(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/24"), netip.MustParsePrefix("::1/128")}
	tests := []struct {
		name, peer string
		xff        []string
		want       string
	}{
		{"direct, header ignored", "203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9:5000"},
		{"through the balancer", "10.0.0.5:5000", []string{"198.51.100.1"}, "198.51.100.1:0"},
		{"client's own entries skipped", "10.0.0.5:5000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1:0"},
		{"two balancers", "10.0.0.5:5000", []string{"198.51.100.1, 10.0.0.7"}, "198.51.100.1:0"},
		{"several headers", "[::1]:5000", []string{"1.2.3.4", "198.51.100.1"}, "198.51.100.1:0"},
		{"no header", "10.0.0.5:5000", nil, "10.0.0.5:5000"},
		{"garbled last hop", "10.0.0.5:5000", []string{"198.51.100.1, nonsense"}, "10.0.0.5:5000"},
		{"only balancers", "10.0.0.5:5000", []string{"10.0.0.8"}, "10.0.0.5:5000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got string
			h := realClient(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }), trusted)
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.peer
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			if got != tt.want {
				t.Errorf("RemoteAddr = %q, want %q", got, tt.want)
			}
		})
	}
	var got string
	h := realClient(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }), nil)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.5:5000"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if h.ServeHTTP(httptest.NewRecorder(), r); got != "10.0.0.5:5000" {
		t.Errorf("with no trusted proxies, RemoteAddr = %q", got)
	}
}
