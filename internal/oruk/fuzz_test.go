package oruk

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// FuzzQueryParams: whatever query string an API client sends, the
// parameter readers either name the bad parameter or give values in range.
//
//	go test -run '^$' -fuzz FuzzQueryParams -fuzztime 30s ./internal/oruk/
func FuzzQueryParams(f *testing.F) {
	for _, seed := range []string{"page=2&per_page=50", "page=0", "per_page=9999", "minimum_age=5&maximum_age=-1",
		"start_time=09:00&end_time=25:61", "taxonomy_id=not-a-uuid", "page=%zz", "day=MO&start_time=9"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if page, perPage, err := paging(v); err == nil && (page < 1 || perPage < 1 || perPage > MaxPerPage) {
			t.Fatalf("%q: page %d, per_page %d accepted", raw, page, perPage)
		}
		for _, name := range []string{"minimum_age", "maximum_age"} {
			if age, err := ageParam(v, name); err == nil && age != nil && (*age < 0 || *age > 150) {
				t.Fatalf("%q: %s %d accepted", raw, name, *age)
			}
		}
		for _, name := range []string{"start_time", "end_time"} {
			if mins, ok, err := clockParam(v, name); err == nil && ok && (mins < 0 || mins > 1440) {
				t.Fatalf("%q: %s %d minutes accepted", raw, name, mins)
			}
		}
		if id, err := uuidParam(v, "taxonomy_id"); err == nil && id != "" && len(id) != 36 {
			t.Fatalf("%q: id %q accepted", raw, id)
		}
	})
}

// FuzzServiceRecord: any record another publisher's feed holds is either
// rejected with a reason or accepted; checking it never panics.
//
//	go test -run '^$' -fuzz FuzzServiceRecord -fuzztime 30s ./internal/oruk/
func FuzzServiceRecord(f *testing.F) {
	if b, err := os.ReadFile(filepath.Join("testdata", "examples", "service_full.json")); err == nil {
		f.Add(b)
	}
	f.Add([]byte(`{"id":"not-a-uuid","name":"x","status":"active"}`))
	f.Add([]byte(`{"id":"5c4d79d7-cc55-470e-9f1f-8cad074e4892","name":"","status":"gone","minimum_age":-3}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		im := newImporter("feed.example")
		if _, _, err := im.add(1, raw); err != nil && err.Error() == "" {
			t.Fatal("rejected without a reason")
		}
	})
}
