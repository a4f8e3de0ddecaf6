package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/joinedup/joinedup/internal/config"
)

// BenchmarkPlacePage measures serving /in-your-area/southwark in process,
// rendered afresh (database reads, template, gzip) and from the page cache.
//
//	go test -run '^$' -bench PlacePage -benchmem ./internal/app/
func BenchmarkPlacePage(b *testing.B) {
	for _, bc := range []struct {
		name    string
		noCache bool
	}{{"rendered", true}, {"cached", false}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := onTestEngine(b, config.Config{DataDir: b.TempDir(), BaseURL: "https://joinedup.example", NoPageCache: bc.noCache})
			d, err := Open(context.Background(), cfg, quietLog())
			if err != nil {
				b.Fatal(err)
			}
			defer d.Close()
			h, err := Handler(d, cfg, quietLog())
			if err != nil {
				b.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, "/in-your-area/southwark", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d", w.Code)
				}
			}
		})
	}
}
