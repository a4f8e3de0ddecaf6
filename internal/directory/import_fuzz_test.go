package directory

import (
	"bytes"
	"os"
	"testing"
)

func addSeedFiles(f *testing.F, names ...string) {
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzReadODS feeds arbitrary files to the epraccur and edispensary
// readers: they must never panic, every record they accept must be usable,
// and every row they reject must say where and why.
//
//	go test -run '^$' -fuzz FuzzReadODS -fuzztime 30s ./internal/directory/
func FuzzReadODS(f *testing.F) {
	addSeedFiles(f, "testdata/epraccur.csv", "testdata/edispensary.csv")
	f.Add([]byte("G85138,\"UNTERMINATED,Y56\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, read := range []func(r *bytes.Reader) (ODSFile, error){
			func(r *bytes.Reader) (ODSFile, error) { return ReadEpraccur(r) },
			func(r *bytes.Reader) (ODSFile, error) { return ReadEdispensary(r) },
		} {
			file, err := read(bytes.NewReader(data))
			if err != nil {
				continue
			}
			seen := map[string]bool{}
			for _, r := range file.Records {
				if !validODSCode(r.Code) || r.Name == "" || r.Line < 1 || seen[r.Code] ||
					(r.Status != "A" && r.Status != "C" && r.Status != "D" && r.Status != "P") {
					t.Fatalf("accepted an unusable record: %+v", r)
				}
				if r.Postcode != "" {
					if pc, ok := NormalizePostcode(r.Postcode); !ok || pc != r.Postcode {
						t.Fatalf("accepted postcode %q", r.Postcode)
					}
				}
				seen[r.Code] = true
			}
			for _, b := range file.Rejected {
				if b.Line < 1 || b.Reason == "" {
					t.Fatalf("rejected a row without a line or reason: %+v", b)
				}
			}
		}
	})
}

// FuzzReadPostcodeCSV feeds arbitrary files to the postcode reader.
//
//	go test -run '^$' -fuzz FuzzReadPostcodeCSV -fuzztime 30s ./internal/directory/
func FuzzReadPostcodeCSV(f *testing.F) {
	addSeedFiles(f, "testdata/postcodes.csv")
	f.Add([]byte(`"SE16 7JX",10,535402,179809,"E92000001","E19000003","E18000007","","E09000028","E05011112"` + "\n"))
	f.Add([]byte("pcds,lat,long,oslaua\nJE2 3AA,99.999999,0.000000,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := ReadPostcodeCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, p := range file.Postcodes {
			if pc, ok := NormalizePostcode(p.Postcode); !ok || pc != p.Postcode || !validLatLon(p.Lat, p.Lon) {
				t.Fatalf("accepted an unusable postcode: %+v", p)
			}
		}
		for _, b := range file.Rejected {
			if b.Line < 1 || b.Reason == "" {
				t.Fatalf("rejected a row without a line or reason: %+v", b)
			}
		}
	})
}
