package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzRequestHeaders: whatever Accept-Encoding and If-None-Match a client
// sends, a page is answered with 200 or 304 and never a panic.
//
//	go test -run '^$' -fuzz FuzzRequestHeaders -fuzztime 30s ./internal/web/
func FuzzRequestHeaders(f *testing.F) {
	f.Add("gzip, deflate, br", `"abc"`)
	f.Add("gzip;q=0", "*")
	f.Add("GZIP ; q=0.5,,", `W/"x-gzip", "y"`)
	f.Add("", ",,,")
	body := []byte(string(make([]byte, 2048)))
	f.Fuzz(func(t *testing.T, acceptEncoding, ifNoneMatch string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", acceptEncoding)
		r.Header.Set("If-None-Match", ifNoneMatch)
		w := httptest.NewRecorder()
		WriteBody(w, r, http.StatusOK, "text/plain", body)
		switch w.Code {
		case http.StatusOK:
			if w.Body.Len() == 0 {
				t.Fatal("200 without a body")
			}
		case http.StatusNotModified:
			if w.Body.Len() != 0 {
				t.Fatal("304 with a body")
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
	})
}
