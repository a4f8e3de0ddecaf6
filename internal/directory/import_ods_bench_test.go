package directory

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// The full national files, as NHS ODS published them in 2025: epraccur had
// 16,685 rows (about 6,300 active GP practices among them; the rest closed
// practices and other prescribing settings) and edispensary 20,932 (about
// 10,500 active pharmacies).
const (
	englandPractices = 16685
	englandPharmacys = 20932
)

// odsFileSpec describes a synthetic national ODS file.
type odsFileSpec struct {
	rows       int
	pharmacies bool    // edispensary rather than epraccur
	keptShare  float64 // share of rows of the kind imported
	activeKept float64 // share of those that are active
}

var (
	englandEpraccur    = odsFileSpec{rows: englandPractices, keptShare: 0.58, activeKept: 0.65}
	englandEdispensary = odsFileSpec{rows: englandPharmacys, pharmacies: true, keptShare: 0.9, activeKept: 0.56}
)

var genWords = strings.Fields(`ALBION STREET GROUP PRACTICE MEDICAL CENTRE SURGERY HEALTH CENTRE THE PARK ROAD
	HIGH STREET CHEMIST PHARMACY BOOTS LLOYDS WELL VILLAGE FAMILY DOCTORS PARTNERSHIP ST. GEORGE'S QUEENS KINGS
	GREEN LANE HILL VALLEY RIVERSIDE BRIDGE MARKET NORTH SOUTH EAST WEST NEW OLD MANOR GROVE`)

var genTowns = strings.Fields(`LONDON LEEDS MANCHESTER BIRMINGHAM BRISTOL NOTTINGHAM SHEFFIELD LIVERPOOL NEWCASTLE
	NORWICH EXETER YORK DERBY LEICESTER PLYMOUTH BRIGHTON READING OXFORD CAMBRIDGE COVENTRY`)

// genPostcodes makes n distinct, valid postcodes with positions in England,
// spread over about 300 local authorities, Southwark among them.
func genPostcodes(rng *rand.Rand, n int) []Postcode {
	areas := []string{"AB", "B", "BS", "CB", "DE", "E", "EX", "L", "LE", "LS", "M", "N", "NE", "NG", "NW", "OX", "PL",
		"RG", "S", "SE", "SW", "W", "YO"}
	const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ"
	seen := map[string]bool{}
	pcs := make([]Postcode, 0, n)
	for len(pcs) < n {
		out := fmt.Sprintf("%s%d", areas[rng.IntN(len(areas))], 1+rng.IntN(28))
		in := fmt.Sprintf("%d%c%c", rng.IntN(10), inwardLetters[rng.IntN(len(inwardLetters))], inwardLetters[rng.IntN(len(inwardLetters))])
		pc, ok := NormalizePostcode(out + " " + in)
		if !ok || seen[pc] {
			continue
		}
		seen[pc] = true
		area := fmt.Sprintf("E%08d", 6000001+rng.IntN(300))
		if rng.IntN(200) == 0 {
			area = "E09000028"
		}
		pcs = append(pcs, Postcode{Postcode: pc, Point: Point{Lat: 50.5 + rng.Float64()*4, Lon: -4 + rng.Float64()*5.5},
			AreaCode: area, WardCode: fmt.Sprintf("E05%06d", rng.IntN(999999))})
	}
	return pcs
}

// writeODSFile writes a headerless 27-column file in the layout of epraccur
// or edispensary, with realistic names, addresses, dates and statuses, and
// postcodes drawn from pcs.
func writeODSFile(w io.Writer, rng *rand.Rand, spec odsFileSpec, pcs []Postcode) error {
	cw := csv.NewWriter(w)
	word := func() string { return genWords[rng.IntN(len(genWords))] }
	for i := 0; i < spec.rows; i++ {
		rec := make([]string, odsColumns)
		if spec.pharmacies {
			rec[colCode] = fmt.Sprintf("F%c%03d", 'A'+rune(i/1000%26), i%1000)
		} else {
			rec[colCode] = fmt.Sprintf("%c%05d", 'A'+rune(i%25), 81000+i)
		}
		rec[colName] = strings.Join([]string{word(), word(), word()}, " ")
		rec[2], rec[3] = "Y56", "QKK"
		rec[colAddress1] = fmt.Sprintf("%d %s %s", 1+rng.IntN(300), word(), word())
		if rng.IntN(2) == 0 {
			rec[colAddress1+1] = word() + " " + word()
		}
		rec[colAddress1+2] = genTowns[rng.IntN(len(genTowns))]
		rec[colPostcode] = pcs[rng.IntN(len(pcs))].Postcode
		open := time.Date(1974+rng.IntN(50), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC)
		rec[colOpenDate] = open.Format("20060102")
		kept := rng.Float64() < spec.keptShare
		active := rng.Float64() < spec.activeKept
		if !kept {
			active = rng.IntN(2) == 0
		}
		rec[colStatus] = "A"
		if !active {
			rec[colStatus] = "C"
			rec[colCloseDate] = open.AddDate(1+rng.IntN(20), 0, 0).Format("20060102")
		}
		rec[colPhone] = fmt.Sprintf("0%d %d", 1000+rng.IntN(9000), 100000+rng.IntN(900000))
		if spec.pharmacies {
			rec[colSubType] = "1"
			if !kept {
				rec[colSubType] = []string{"2", "3", "4"}[rng.IntN(3)]
			}
			rec[14] = fmt.Sprintf("P%04d", rng.IntN(5000))
		} else {
			rec[colSubType] = "B"
			rec[14] = "72Q"
			rec[15] = rec[colOpenDate]
			rec[21] = "0"
			rec[23] = "2"
			rec[colPrescribed] = "4"
			if !kept {
				rec[colPrescribed] = []string{"0", "1", "2", "8", "9", "11", "13"}[rng.IntN(7)]
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// englandFixture writes a national-size file into dir and returns its path
// and the postcodes its records use.
func englandFixture(tb testing.TB, dir string, spec odsFileSpec) (string, []Postcode) {
	tb.Helper()
	rng := rand.New(rand.NewPCG(2025, uint64(spec.rows)))
	pcs := genPostcodes(rng, spec.rows*3/2)
	path := filepath.Join(dir, fmt.Sprintf("ods-%d.csv", spec.rows))
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	if err := writeODSFile(f, rng, spec, pcs); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path, pcs
}

// BenchmarkImportODSEngland reads and imports full-size national files into
// a fresh database (all new: the slowest case), then again (all unchanged).
//
//	go test -run '^$' -bench ImportODSEngland -benchtime 1x ./internal/directory/
func BenchmarkImportODSEngland(b *testing.B) {
	for _, tc := range []struct {
		name string
		spec odsFileSpec
		read func(io.Reader) (ODSFile, error)
		term TaxonomyTerm
	}{
		{"epraccur", englandEpraccur, ReadEpraccur, TermGPPractice},
		{"edispensary", englandEdispensary, ReadEdispensary, TermPharmacy},
	} {
		path, pcs := englandFixture(b, b.TempDir(), tc.spec)
		importFile := func(d *db.DB) ImportSummary {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			file, err := tc.read(f)
			if err != nil || len(file.Rejected) > 0 {
				b.Fatalf("read: %v, %v", err, file.Rejected)
			}
			sum, err := ImportODS(context.Background(), d, file.Records, tc.term, ODSImportOptions{}, io.Discard)
			if err != nil {
				b.Fatal(err)
			}
			return sum
		}
		b.Run(tc.name+"/new", func(b *testing.B) {
			var sum ImportSummary
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				d := openImportDB(b)
				savePostcodesForTest(b, d, pcs)
				b.StartTimer()
				sum = importFile(d)
			}
			b.ReportMetric(float64(sum.Added), "added")
			b.ReportMetric(float64(tc.spec.rows), "rows")
		})
		b.Run(tc.name+"/unchanged", func(b *testing.B) {
			d := openImportDB(b)
			savePostcodesForTest(b, d, pcs)
			importFile(d)
			b.ResetTimer()
			var sum ImportSummary
			for i := 0; i < b.N; i++ {
				sum = importFile(d)
			}
			if sum.Added+sum.Updated != 0 {
				b.Fatalf("second import changed records: %+v", sum)
			}
			b.ReportMetric(float64(sum.Unchanged), "unchanged")
		})
	}
}
