package directory

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadShippedCSV feeds arbitrary files to the CSV reader: it must never
// panic, and every record it accepts must be usable.
//
//	go test -run '^$' -fuzz FuzzReadShippedCSV -fuzztime 30s ./internal/directory/
func FuzzReadShippedCSV(f *testing.F) {
	for _, name := range []string{"testdata/bad_rows.csv", "../seed/data/sel_pharmacies.csv", "../seed/data/sel_gp_practices.csv"} {
		b, err := os.ReadFile(filepath.FromSlash(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("ods_code,name,postcode,latitude,longitude,status\n\"unterminated,x,y,1,2,A\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		orgs, bad, err := ReadShippedCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, o := range orgs {
			if o.Code == "" || o.Name == "" || o.Latitude == nil || *o.Latitude < -90 || *o.Latitude > 90 || *o.Longitude < -180 || *o.Longitude > 180 {
				t.Fatalf("accepted an unusable record: %+v", o)
			}
		}
		for _, b := range bad {
			if b.Line < 1 || b.Reason == "" {
				t.Fatalf("rejected row without a line or reason: %+v", b)
			}
		}
	})
}
