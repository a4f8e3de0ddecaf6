package config

import (
	"io"
	"net"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseServe: any flag values either give a clear error or a config
// that the server can use.
//
//	go test -run '^$' -fuzz FuzzParseServe -fuzztime 30s ./internal/config/
func FuzzParseServe(f *testing.F) {
	f.Add("127.0.0.1:8080", "./data", "")
	f.Add(":0", "/tmp/x", "https://example.org/path/")
	f.Add("[::1]:99999", "", "javascript:alert(1)")
	f.Add("host:port", " ", "http://a b")
	f.Fuzz(func(t *testing.T, addr, dataDir, baseURL string) {
		c, err := ParseServe([]string{"--addr=" + addr, "--data-dir=" + dataDir, "--base-url=" + baseURL}, func(string) string { return "" }, io.Discard)
		if err != nil {
			return
		}
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			t.Fatalf("accepted addr %q", c.Addr)
		}
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || strings.HasSuffix(c.BaseURL, "/") {
			t.Fatalf("accepted base URL %q", c.BaseURL)
		}
	})
}
