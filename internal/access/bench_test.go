package access_test

import (
	"io"
	"net/http"
	"testing"
)

// The access pages through HTTP on the real site with the page cache off,
// so each request computes the figures afresh from the directory:
//
//	go test ./internal/access -run '^$' -bench . -benchtime 50x
func BenchmarkAccessPage(b *testing.B) {
	benchPath(b, "/in-your-area/southwark/access")
}

// A what-if: Southwark without one of its pharmacies.
func BenchmarkAccessWhatIf(b *testing.B) {
	benchPath(b, "/in-your-area/southwark/access?without=FK012")
}

// The CSV alone: the figures without the pictures.
func BenchmarkAccessCSV(b *testing.B) {
	benchPath(b, "/in-your-area/southwark/access.csv")
}

// The comparison of the six places.
func BenchmarkAccessSystem(b *testing.B) {
	benchPath(b, "/in-your-area/access")
}

func benchPath(b *testing.B, path string) {
	s := newSite(b, true)
	get := func() {
		res, err := http.Get(s.srv.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatalf("%s: status %d", path, res.StatusCode)
		}
	}
	get() // the first request after start reads the areas and postcodes
	b.ResetTimer()
	for range b.N {
		get()
	}
}
