package directory

import (
	"context"
	"encoding/csv"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
)

func TestNormalizePostcode(t *testing.T) {
	for in, want := range map[string]string{
		"SE1 7EH":     "SE1 7EH",
		"se17eh":      "SE1 7EH",
		" SE1  7EH ":  "SE1 7EH",
		"se1\t7eh":    "SE1 7EH",
		"SE16 7JX":    "SE16 7JX",
		"m1 1ae":      "M1 1AE",
		"B33 8TH":     "B33 8TH",
		"W1A 0AX":     "W1A 0AX",
		"EC1A 1BB":    "EC1A 1BB",
		"SE1P 4AA":    "SE1P 4AA", // PO boxes: valid, though not on a map
		"CR2 6XH":     "CR2 6XH",
		"DN55 1PT":    "DN55 1PT",
		"gir0aa":      "GIR 0AA",
		"":            "",
		"SE1":         "", // a district, not a postcode
		"SE1 7E":      "",
		"SE17 EH":     "SE1 7EH", // a space in the wrong place is forgiven
		"SE1 7EHX":    "",
		"SE1 7CH":     "", // C never appears in an inward code
		"QE1 7EH":     "", // nor Q first
		"SE1-7EH":     "",
		"SE1 7ÉH":     "",
		"12345":       "",
		"ABCDE":       "",
		"SE1 7EH 1":   "",
		"SE1 7EH; --": "",
	} {
		got, ok := NormalizePostcode(in)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizePostcode(%q) = %q, %v; want %q, %v", in, got, ok, want, want != "")
		}
	}
}

// TestGridToWGS84 checks the conversion against every postcode of the
// shipped file, whose positions were converted from the same Code-Point
// Open eastings and northings and rounded to six decimal places.
func TestGridToWGS84(t *testing.T) {
	f, err := os.Open("../seed/data/sel_postcodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	worst := 0.0
	for _, r := range recs[1:] {
		p := GridToWGS84(num(r[4]), num(r[5]))
		worst = max(worst, math.Abs(p.Lat-num(r[2])), math.Abs(p.Lon-num(r[3])))
	}
	if worst > 6e-7 {
		t.Errorf("worst difference %g degrees, want rounding only (5e-7)", worst)
	}
	// Ordnance Survey's worked example ("A guide to coordinate systems in
	// Great Britain", annex C) gives OSGB36 52°39'27.2531"N 1°43'4.5177"E
	// for TG 51401 13878.
	lat, lon := gridToOSGB36(651409.903, 313177.270)
	if d := math.Abs(lat*180/math.Pi - (52 + 39.0/60 + 27.2531/3600)); d > 1e-7 {
		t.Errorf("OSGB36 latitude off by %g degrees", d)
	}
	if d := math.Abs(lon*180/math.Pi - (1 + 43.0/60 + 4.5177/3600)); d > 1e-7 {
		t.Errorf("OSGB36 longitude off by %g degrees", d)
	}
}

func TestReadPostcodeCSV(t *testing.T) {
	southwarkSE17JX := Postcode{Postcode: "SE16 7JX", Point: Point{Lat: 51.501007, Lon: -0.050643}, AreaCode: "E09000028",
		WardCode: "E05011112", WardName: "Rotherhithe"}
	for _, tc := range []struct {
		name     string
		in       string
		want     []Postcode
		skipped  int
		rejected []string // "line: reason part"
		fatal    string
	}{
		{
			name: "joinedup's file",
			in: "postcode,postcode_district,latitude,longitude,easting,northing,positional_quality,lad_code,ward_code,ward_name\n" +
				"SE16 7JX,SE16,51.501007,-0.050643,535402,179809,10,E09000028,E05011112,Rotherhithe\n" +
				"SE16 7JY,SE16,north,-0.05,535402,179809,10,E09000028,E05011112,Rotherhithe\n" +
				"NOT IT,SE16,51.5,-0.05,535402,179809,10,E09000028,E05011112,Rotherhithe\n" +
				"SE16 7JZ,SE16,151.5,-0.05,535402,179809,10,E09000028,E05011112,Rotherhithe\n" +
				"SE16 7LA,SE16\n",
			want: []Postcode{southwarkSE17JX},
			rejected: []string{`3: SE16 7JY: latitude "north"`, `4: postcode "NOT IT" is not a UK postcode`,
				"5: SE16 7JZ: latitude 151.5, longitude -0.05 are out of range", "6: has 2 columns, want at least 4"},
		},
		{
			name: "ONS Postcode Directory, with a byte order mark",
			in: "\uFEFF\"pcd\",\"pcd2\",\"pcds\",\"dointr\",\"doterm\",\"oscty\",\"oslaua\",\"osward\",\"lat\",\"long\"\n" +
				"\"SE167JX\",\"SE16 7JX\",\"SE16 7JX\",\"198001\",\"\",\"E99999999\",\"E09000028\",\"E05011112\",51.501007,-0.050643\n" +
				"\"JE2 3AA\",\"JE2 3AA\",\"JE2 3AA\",\"198001\",\"\",\"\",\"\",\"\",99.999999,0.000000\n",
			want:    []Postcode{{Postcode: "SE16 7JX", Point: southwarkSE17JX.Point, AreaCode: "E09000028", WardCode: "E05011112"}},
			skipped: 1,
		},
		{
			name: "ONS Postcode Directory, 2025 names",
			in: "pcds,dointr,doterm,lad25cd,wd25cd,lat,long\n" +
				"SE16 7JX,198001,,E09000028,E05011112,51.501007,-0.050643\n",
			want: []Postcode{{Postcode: "SE16 7JX", Point: southwarkSE17JX.Point, AreaCode: "E09000028", WardCode: "E05011112"}},
		},
		{
			name: "Code-Point Open, headerless",
			in: `"SE16 7JX",10,535402,179809,"E92000001","E19000003","E18000007","","E09000028","E05011112"` + "\n" +
				`"SE16 7JY",90,0,0,"E92000001","E19000003","E18000007","","E09000028","E05011112"` + "\n" +
				`"SE16 7JZ",10,east,179809,"E92000001","E19000003","E18000007","","E09000028","E05011112"` + "\n",
			want:     []Postcode{{Postcode: "SE16 7JX", Point: GridToWGS84(535402, 179809), AreaCode: "E09000028", WardCode: "E05011112"}},
			skipped:  1,
			rejected: []string{`3: SE16 7JZ: easting "east"`},
		},
		{
			name: "Code-Point Open, with its header",
			in: "Postcode,Positional_quality_indicator,Eastings,Northings,Country_code,NHS_regional_HA_code,NHS_HA_code,Admin_county_code,Admin_district_code,Admin_ward_code\n" +
				"SE16 7JX,10,535402,179809,E92000001,E19000003,E18000007,,E09000028,E05011112\n",
			want: []Postcode{{Postcode: "SE16 7JX", Point: GridToWGS84(535402, 179809), AreaCode: "E09000028", WardCode: "E05011112"}},
		},
		{
			name:     "broken quotes",
			in:       "postcode,latitude,longitude\nSE16 7JX,51.501007,-0.050643\n\"SE16 7JY,51.5,-0.05\n",
			want:     []Postcode{{Postcode: "SE16 7JX", Point: southwarkSE17JX.Point}},
			rejected: []string{"3: extraneous or missing"},
		},
		{name: "no position", in: "postcode,ward_code\nSE16 7JX,E05011112\n", fatal: "neither latitude and longitude"},
		{name: "no postcode", in: "code,lat,long\nSE16 7JX,51.5,-0.05\n", fatal: "no postcode column"},
		{name: "empty", in: "", fatal: "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ReadPostcodeCSV(strings.NewReader(tc.in))
			if tc.fatal != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fatal) {
					t.Fatalf("err = %v, want %q", err, tc.fatal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(f.Postcodes, tc.want) {
				t.Errorf("postcodes = %+v, want %+v", f.Postcodes, tc.want)
			}
			if f.Skipped != tc.skipped {
				t.Errorf("skipped = %d, want %d", f.Skipped, tc.skipped)
			}
			if len(f.Rejected) != len(tc.rejected) {
				t.Fatalf("rejected = %v, want %v", f.Rejected, tc.rejected)
			}
			for i, re := range f.Rejected {
				if got := strings.TrimPrefix(re.Error(), "line "); !strings.HasPrefix(got, tc.rejected[i]) {
					t.Errorf("rejected %q, want %q", got, tc.rejected[i])
				}
			}
		})
	}
}

func TestReadShippedPostcodes(t *testing.T) {
	f, err := os.Open("../seed/data/sel_postcodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pf, err := ReadPostcodeCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(pf.Postcodes) != 35072 || len(pf.Rejected) != 0 || pf.Skipped != 0 {
		t.Fatalf("read %d postcodes, %d rejected, %d skipped; want all 35,072", len(pf.Postcodes), len(pf.Rejected), pf.Skipped)
	}
	// The six boroughs' postcodes, as the file's README counts them; only
	// Lewisham's come with their LSOA.
	want := map[string]int{"E09000004": 4405, "E09000006": 7239, "E09000011": 5191, "E09000022": 6161,
		"E09000023": 5000, "E09000028": 7076}
	got := map[string]int{}
	withLSOA := map[string]int{}
	for _, p := range pf.Postcodes {
		if p.WardCode == "" || p.WardName == "" {
			t.Fatalf("%+v: want its ward", p)
		}
		got[p.AreaCode]++
		if p.LSOACode != "" {
			withLSOA[p.AreaCode]++
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("postcodes by borough %v, want %v", got, want)
	}
	if !reflect.DeepEqual(withLSOA, map[string]int{"E09000023": 4903}) {
		t.Errorf("postcodes with an LSOA by borough %v, want Lewisham's 4,903", withLSOA)
	}
}

func TestStorePostcodes(t *testing.T) {
	ctx := context.Background()
	d := openImportDB(t)
	save := func(pcs []Postcode) ImportSummary {
		t.Helper()
		var sum ImportSummary
		err := d.Tx(ctx, func(q db.Querier) error {
			var err error
			sum, err = NewStore(q).SavePostcodes(ctx, pcs)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	pcs := []Postcode{
		{Postcode: "SE1 7EH", Point: Point{Lat: 51.4986, Lon: -0.1187}, AreaCode: "E09000022"},
		{Postcode: "SE16 7JX", Point: Point{Lat: 51.501007, Lon: -0.050643}, AreaCode: "E09000028", WardCode: "E05011112", WardName: "Rotherhithe"},
	}
	if sum := save(pcs); !reflect.DeepEqual(sum, ImportSummary{Added: 2}) {
		t.Errorf("first save: %+v", sum)
	}
	if sum := save(pcs); !reflect.DeepEqual(sum, ImportSummary{Unchanged: 2}) {
		t.Errorf("second save: %+v", sum)
	}
	moved := pcs[0]
	moved.Lat = 51.4987
	// A postcode repeated in one call lands as if saved one row at a time.
	if sum := save([]Postcode{moved, pcs[1], pcs[0]}); !reflect.DeepEqual(sum, ImportSummary{Updated: 2, Unchanged: 1}) {
		t.Errorf("third save: %+v", sum)
	}

	// A file without ward names (the ONS Postcode Directory) keeps the
	// names known for the same wards.
	unnamed := pcs[1]
	unnamed.WardName = ""
	if sum := save([]Postcode{unnamed}); !reflect.DeepEqual(sum, ImportSummary{Unchanged: 1}) {
		t.Errorf("save without a ward name: %+v", sum)
	}

	// Into an empty table, a repeat still counts as an update.
	empty := openImportDB(t)
	err := empty.Tx(ctx, func(q db.Querier) error {
		sum, err := NewStore(q).SavePostcodes(ctx, []Postcode{pcs[0], pcs[1], moved})
		if want := (ImportSummary{Added: 2, Updated: 1}); !reflect.DeepEqual(sum, want) {
			t.Errorf("save with a repeat into an empty table: %+v, want %+v", sum, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	st := NewStore(d)
	for _, in := range []string{"se16 7jx", "SE167JX", " SE16  7JX "} {
		got, err := st.Postcode(ctx, in)
		if err != nil || !reflect.DeepEqual(got, pcs[1]) {
			t.Errorf("Postcode(%q) = %+v, %v; want %+v", in, got, err, pcs[1])
		}
	}
	if got, err := st.Postcode(ctx, "SE1 7EH"); err != nil || got.Lat != 51.4986 {
		t.Errorf("Postcode(SE1 7EH) = %+v, %v; want the last position saved", got, err)
	}
	if _, err := st.Postcode(ctx, "SE1 9ZZ"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown postcode: err = %v, want db.ErrNotFound", err)
	}
	if _, err := st.Postcode(ctx, "pharmacy"); !errors.Is(err, ErrMalformedPostcode) {
		t.Errorf("malformed postcode: err = %v, want ErrMalformedPostcode", err)
	}

	for _, bad := range []Postcode{{Postcode: "se1 7eh"}, {Postcode: "SE1 7EH", Point: Point{Lat: 99.999999}}} {
		err := d.Tx(ctx, func(q db.Querier) error {
			_, err := NewStore(q).SavePostcodes(ctx, []Postcode{bad})
			return err
		})
		if err == nil {
			t.Errorf("SavePostcodes(%+v) succeeded, want an error", bad)
		}
	}
}

// BenchmarkSavePostcodes loads as many postcodes as joinedup ships, which
// every new installation does once.
func BenchmarkSavePostcodes(b *testing.B) {
	pcs := genPostcodes(rand.New(rand.NewPCG(1, 2)), 7076)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := openImportDB(b)
		b.StartTimer()
		savePostcodesForTest(b, d, pcs)
	}
}
