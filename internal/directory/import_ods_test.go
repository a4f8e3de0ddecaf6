package directory

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
)

// openImportDB opens a migrated, empty database of the engine under test.
func openImportDB(tb testing.TB) *db.DB {
	tb.Helper()
	return dbtest.Open(tb)
}

func savePostcodesForTest(tb testing.TB, d *db.DB, pcs []Postcode) {
	tb.Helper()
	err := d.Tx(context.Background(), func(q db.Querier) error {
		_, err := NewStore(q).SavePostcodes(context.Background(), pcs)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// loadTestPostcodes loads testdata/postcodes.csv: Southwark postcodes of
// the fixtures, and one in Manchester.
func loadTestPostcodes(tb testing.TB, d *db.DB) {
	tb.Helper()
	f, err := os.Open("testdata/postcodes.csv")
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	pf, err := ReadPostcodeCSV(f)
	if err != nil || len(pf.Rejected) > 0 {
		tb.Fatalf("read postcodes: %v %v", err, pf.Rejected)
	}
	savePostcodesForTest(tb, d, pf.Postcodes)
}

// addTestPlace adds a system and a place, returning the place.
func addTestPlace(tb testing.TB, d *db.DB, slug, areaCode string) PlaceArea {
	tb.Helper()
	ctx := context.Background()
	var id int64
	err := d.Tx(ctx, func(q db.Querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO systems (slug, name, updated_at) VALUES ('sel', 'South East London', $1)
			ON CONFLICT (slug) DO NOTHING`, db.Now()); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `INSERT INTO places (system_id, slug, name, area_code, updated_at)
			VALUES ((SELECT id FROM systems WHERE slug = 'sel'), $1, $1, $2, $3) RETURNING id`, slug, areaCode, db.Now()).Scan(&id)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return PlaceArea{ID: id, Name: slug, AreaCode: areaCode}
}

func readTestODS(t *testing.T, name string) ODSFile {
	t.Helper()
	read := ReadEpraccur
	if strings.Contains(name, "edispensary") {
		read = ReadEdispensary
	}
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file, err := read(f)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

func codes(records []ODSRecord) []string {
	var cs []string
	for _, r := range records {
		cs = append(cs, r.Code)
	}
	return cs
}

func TestReadODSFiles(t *testing.T) {
	for _, tc := range []struct {
		file     string
		codes    []string
		skipped  int
		rejected map[int]string // line: part of the reason
	}{
		{
			file:    "epraccur.csv",
			codes:   []string{"G85138", "G85623", "G85050", "G85003"},
			skipped: 1,
			rejected: map[int]string{
				5:  "has 26 columns, want 27",
				6:  `open date "2010-01-01" is not a date`,
				8:  `status "X"`,
				9:  "ODS code G85138 is also on line 1",
				10: `postcode "NOT A PC" is not a UK postcode`,
			},
		},
		{
			file:     "edispensary.csv",
			codes:    []string{"FK012", "FKC34", "FE801", "FA101", "FA102"},
			skipped:  1,
			rejected: map[int]string{7: `close date "20151340"`},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			file := readTestODS(t, tc.file)
			if got := codes(file.Records); !reflect.DeepEqual(got, tc.codes) {
				t.Errorf("codes = %v, want %v", got, tc.codes)
			}
			if file.Skipped != tc.skipped {
				t.Errorf("skipped = %d, want %d", file.Skipped, tc.skipped)
			}
			if len(file.Rejected) != len(tc.rejected) {
				t.Errorf("rejected = %v, want lines %v", file.Rejected, tc.rejected)
			}
			for _, re := range file.Rejected {
				if want, ok := tc.rejected[re.Line]; !ok || !strings.Contains(re.Reason, want) {
					t.Errorf("rejected line %d: %q, want %q", re.Line, re.Reason, want)
				}
			}
		})
	}
}

func TestReadEpraccurFields(t *testing.T) {
	file := readTestODS(t, "epraccur.csv")
	got := file.Records[0]
	want := ODSRecord{Code: "G85138", Name: "ALBION STREET GROUP PRACTICE",
		AddressLines: []string{"THE ALBION STREET HTH CTR", "87 ALBION STREET", "ROTHERHITHE", "LONDON"},
		Postcode:     "SE16 7JX", Phone: "020 30497148", OpenDate: "1989-07-02", Status: "A", Line: 1}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("first record (after a byte order mark) =\n%+v, want\n%+v", got, want)
	}
	if r := file.Records[1]; r.Postcode != "SE16 4BL" || r.Line != 2 {
		t.Errorf("second record: postcode %q line %d, want SE16 4BL on line 2", r.Postcode, r.Line)
	}
	if r := file.Records[3]; r.Name != "SMITH, JONES & PARTNERS" || r.AddressLines[0] != `"THE" SURGERY` || r.Line != 7 {
		t.Errorf("quoted record = %+v", r)
	}
	if file.Records[2].Active() {
		t.Error("closed practice read as active")
	}
}

func TestReadODSRows(t *testing.T) {
	good := "G85138,ALBION STREET GROUP PRACTICE,Y56,QKK,87 ALBION STREET,,,LONDON,,SE16 7JX,19890702,,A,B,72Q,,,020 30497148,,,,,,,,4,\n"
	for _, tc := range []struct {
		name     string
		in       string
		lines    []int  // of the records read
		rejected string // "line: reason part", "" for none
		fatal    string
	}{
		{"good", good, []int{1}, "", ""},
		{"no final newline", strings.TrimSuffix(good, "\n"), []int{1}, "", ""},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n"), []int{1}, "", ""},
		{"bare quote", good + `G85623,BAD "QUOTE,Y56` + "\n" + "G85999" + good[6:], []int{1, 3}, "2: bare", ""},
		{"unterminated quote", good + `G85623,"BAD,Y56` + "\n" + good, []int{1}, "2: extraneous or missing", ""},
		{"too many columns", strings.TrimSuffix(good, "\n") + ",x,\n", nil, "1: has 29 columns, want 27", ""},
		{"trailing empty columns", strings.TrimSuffix(good, "\n") + ",,,\n", []int{1}, "", ""},
		{"newline in a quoted field", `G85001,"TWO` + "\nLINES\"" + good[strings.Index(good, ",Y56"):] + good + good,
			[]int{1, 3}, "4: ODS code G85138 is also on line 3", ""},
		{"empty file", "", nil, "", ""},
		{"header", "Organisation Code,Name\n" + good, nil, "", "line 1 is a header"},
		{"shipped subset", "ods_code,name,address_line_1\n", nil, "", "is a header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file, err := ReadEpraccur(strings.NewReader(tc.in))
			if tc.fatal != "" {
				if err == nil || !strings.Contains(err.Error(), tc.fatal) {
					t.Fatalf("err = %v, want %q", err, tc.fatal)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var lines []int
			for _, r := range file.Records {
				lines = append(lines, r.Line)
			}
			if !reflect.DeepEqual(lines, tc.lines) {
				t.Errorf("records on lines %v, want %v", lines, tc.lines)
			}
			switch {
			case tc.rejected == "" && len(file.Rejected) > 0:
				t.Errorf("rejected %v, want none", file.Rejected)
			case tc.rejected != "" && (len(file.Rejected) != 1 || !strings.HasPrefix(
				strings.TrimPrefix(file.Rejected[0].Error(), "line "), tc.rejected)):
				t.Errorf("rejected %v, want %q", file.Rejected, tc.rejected)
			}
		})
	}
}

// serviceRow is what a resident would see of an imported service.
type serviceRow struct {
	name, status string
	placeID      int64
	lat          *float64
}

func storedServices(t *testing.T, d *db.DB) map[string]serviceRow {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), `SELECT o.ods_code, s.name, s.status, COALESCE(s.place_id, 0), l.latitude
		FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id
		JOIN dir_service_at_locations sl ON sl.service_id = s.id JOIN dir_locations l ON l.id = sl.location_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]serviceRow{}
	for rows.Next() {
		var code string
		var r serviceRow
		if err := rows.Scan(&code, &r.name, &r.status, &r.placeID, &r.lat); err != nil {
			t.Fatal(err)
		}
		got[code] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestImportODS(t *testing.T) {
	ctx := context.Background()
	d := openImportDB(t)
	loadTestPostcodes(t, d)
	southwark := addTestPlace(t, d, "southwark", "E09000028")
	manchester := addTestPlace(t, d, "manchester", "E08000003")
	opts := ODSImportOptions{Places: []PlaceArea{southwark, manchester}}
	records := readTestODS(t, "epraccur.csv").Records

	sum, err := ImportODS(ctx, d, records, TermGPPractice, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	// G85050 is closed and was never listed: not added.
	if want := (ImportSummary{Added: 3, Skipped: 1}); !reflect.DeepEqual(sum, want) {
		t.Errorf("first import: %+v, want %+v", sum, want)
	}
	got := storedServices(t, d)
	if len(got) != 3 || got["G85050"] != (serviceRow{}) {
		t.Errorf("stored %v, want the three active practices", got)
	}
	if r := got["G85138"]; r.name != "Albion Street Group Practice" || r.status != StatusActive || r.placeID != southwark.ID ||
		r.lat == nil || *r.lat != 51.501007 {
		t.Errorf("G85138 = %+v (lat %v), want listed in Southwark at its postcode's position", r, r.lat)
	}
	counts, err := NewStore(d).CountByTerm(ctx, southwark.ID, TermGPPractice.ID)
	if err != nil || counts[TermGPPractice.ID] != 3 {
		t.Errorf("Southwark counts %v, %v; want 3 GP practices", counts, err)
	}

	sum, err = ImportODS(ctx, d, records, TermGPPractice, opts, nil)
	if want := (ImportSummary{Unchanged: 3, Skipped: 1}); err != nil || !reflect.DeepEqual(sum, want) {
		t.Errorf("second import: %+v, %v; want %+v", sum, err, want)
	}

	// The next month's file: one practice renamed, one closed.
	next := append([]ODSRecord(nil), records...)
	next[0].Name = "ALBION STREET PRACTICE"
	next[1].Status = "C"
	sum, err = ImportODS(ctx, d, next, TermGPPractice, opts, nil)
	if want := (ImportSummary{Updated: 2, Unchanged: 1, Skipped: 1}); err != nil || !reflect.DeepEqual(sum, want) {
		t.Errorf("third import: %+v, %v; want %+v", sum, err, want)
	}
	got = storedServices(t, d)
	if got["G85138"].name != "Albion Street Practice" || got["G85623"].status != StatusInactive {
		t.Errorf("after changes: %v", got)
	}
	counts, _ = NewStore(d).CountByTerm(ctx, southwark.ID, TermGPPractice.ID)
	if counts[TermGPPractice.ID] != 2 {
		t.Errorf("Southwark counts %v after a practice closed, want 2", counts)
	}
}

// A record whose postcode the directory does not know, or knows in no
// place's area, keeps the place it is listed in: an import never takes a
// record off its place. One that moves into another place's area moves.
func TestImportODSKeepsPlace(t *testing.T) {
	ctx := context.Background()
	d := openImportDB(t)
	loadTestPostcodes(t, d)
	southwark := addTestPlace(t, d, "southwark", "E09000028")
	manchester := addTestPlace(t, d, "manchester", "E08000003")
	opts := ODSImportOptions{Places: []PlaceArea{southwark, manchester}}
	records := readTestODS(t, "epraccur.csv").Records
	if _, err := ImportODS(ctx, d, records, TermGPPractice, opts, nil); err != nil {
		t.Fatal(err)
	}
	if got := storedServices(t, d)["G85138"]; got.placeID != southwark.ID {
		t.Fatalf("G85138 first listed in %d, want Southwark", got.placeID)
	}
	next := append([]ODSRecord(nil), records...)
	next[0].Postcode = "ZE3 9JZ" // a real postcode, but not in the table
	sum, err := ImportODS(ctx, d, next, TermGPPractice, ODSImportOptions{Places: []PlaceArea{southwark}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Updated != 1 {
		t.Errorf("import with an unknown postcode: %+v, want G85138 updated", sum)
	}
	if got := storedServices(t, d)["G85138"]; got.placeID != southwark.ID {
		t.Errorf("G85138 is listed in %d after a re-import with an unknown postcode, want Southwark (%d)", got.placeID, southwark.ID)
	}
	// Re-imported without the place its postcode lies in: kept too.
	if _, err := ImportODS(ctx, d, records, TermGPPractice, ODSImportOptions{Places: []PlaceArea{manchester}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := storedServices(t, d)["G85138"]; got.placeID != southwark.ID {
		t.Errorf("G85138 is listed in %d after a re-import that does not know Southwark, want Southwark", got.placeID)
	}
}

func TestImportODSOnlyPlace(t *testing.T) {
	ctx := context.Background()
	d := openImportDB(t)
	loadTestPostcodes(t, d)
	southwark := addTestPlace(t, d, "southwark", "E09000028")
	records := readTestODS(t, "edispensary.csv").Records
	// FA101 and FA102 are in Manchester (FA101 closed too); FE801 in
	// Southwark is proposed, not open yet, and so not listed.
	sum, err := ImportODS(ctx, d, records, TermPharmacy, ODSImportOptions{Places: []PlaceArea{southwark}, OnlyPlaces: true}, nil)
	if want := (ImportSummary{Added: 2, Skipped: 3}); err != nil || !reflect.DeepEqual(sum, want) {
		t.Fatalf("import: %+v, %v; want %+v", sum, err, want)
	}
	got := storedServices(t, d)
	for code, r := range got {
		if r.placeID != southwark.ID {
			t.Errorf("%s listed in place %d, want Southwark (%d)", code, r.placeID, southwark.ID)
		}
	}
	if _, ok := got["FK012"]; !ok || len(got) != 2 || got["FK012"].status != StatusActive {
		t.Errorf("stored %v, want FK012 and FKC34 only, active", got)
	}
}

func TestImportODSWithoutPlaces(t *testing.T) {
	d := openImportDB(t)
	records := readTestODS(t, "edispensary.csv").Records
	sum, err := ImportODS(context.Background(), d, records, TermPharmacy, ODSImportOptions{}, nil)
	// With no postcodes loaded, records are added without a position or a
	// place; FE801 (proposed) and FA101 (closed) are not added.
	if want := (ImportSummary{Added: 3, Skipped: 2}); err != nil || !reflect.DeepEqual(sum, want) {
		t.Fatalf("import: %+v, %v; want %+v", sum, err, want)
	}
	for code, r := range storedServices(t, d) {
		if r.placeID != 0 || r.lat != nil {
			t.Errorf("%s: %+v, want no place and no position", code, r)
		}
	}
}

func TestImportODSRollsBackWhole(t *testing.T) {
	ctx := context.Background()
	d := openImportDB(t)
	loadTestPostcodes(t, d)
	southwark := addTestPlace(t, d, "southwark", "E09000028")
	records := readTestODS(t, "edispensary.csv").Records
	// An organisation entered by hand already holds FKC34's ODS code, which
	// must be unique: saving the second record fails after the first is
	// written.
	_, err := d.ExecContext(ctx, `INSERT INTO dir_organizations (id, name, ods_code, source, last_modified)
		VALUES ($1, 'Amadi''s', 'FKC34', 'local', $2)`, NewID(), db.Now())
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ImportODS(ctx, d, records, TermPharmacy, ODSImportOptions{Places: []PlaceArea{southwark}}, nil)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("import: %+v, %v; want an error naming line 2", sum, err)
	}
	if !reflect.DeepEqual(sum, ImportSummary{}) {
		t.Errorf("summary of a failed import = %+v, want zero", sum)
	}
	var services, orgs, terms int
	if err := d.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM dir_services), (SELECT COUNT(*) FROM dir_organizations),
		(SELECT COUNT(*) FROM dir_taxonomy_terms)`).Scan(&services, &orgs, &terms); err != nil {
		t.Fatal(err)
	}
	if services != 0 || orgs != 1 || terms != 0 {
		t.Errorf("after a failed import: %d services, %d organisations, %d terms; want 0, 1 and 0", services, orgs, terms)
	}
}

func TestImportODSStopsWhenCancelled(t *testing.T) {
	d := openImportDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	records := readTestODS(t, "edispensary.csv").Records
	_, err := ImportODS(ctx, d, records, TermPharmacy, ODSImportOptions{Now: time.Now()}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestImportODSGenerated reads and imports a generated edispensary file, so
// that the generator BenchmarkImportODSEngland uses stays realistic.
func TestImportODSGenerated(t *testing.T) {
	spec := englandEdispensary
	spec.rows = 1500
	path, pcs := englandFixture(t, t.TempDir(), spec)
	d := openImportDB(t)
	savePostcodesForTest(t, d, pcs)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file, err := ReadEdispensary(f)
	if err != nil || len(file.Rejected) > 0 {
		t.Fatalf("read: %v %v", err, file.Rejected)
	}
	if n := len(file.Records) + file.Skipped; n != spec.rows || file.Skipped < 75 {
		t.Fatalf("read %d records and skipped %d, want %d rows, some of other kinds", len(file.Records), file.Skipped, spec.rows)
	}
	sum, err := ImportODS(context.Background(), d, file.Records, TermPharmacy, ODSImportOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added < 600 || sum.Skipped < 500 || sum.Added+sum.Skipped != len(file.Records) {
		t.Errorf("summary %+v for %d records, want about 56%% added and the closed ones skipped", sum, len(file.Records))
	}
}

func TestImportODSReportsProgress(t *testing.T) {
	d := openImportDB(t)
	records := make([]ODSRecord, 12001)
	for i := range records {
		records[i] = ODSRecord{Code: "F" + strconv.Itoa(10000+i), Name: "CLOSED", Status: "C", Line: i + 1}
	}
	var progress strings.Builder
	if _, err := ImportODS(context.Background(), d, records, TermPharmacy, ODSImportOptions{}, &progress); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "5000 of 12001 records") || !strings.HasPrefix(lines[1], "10000 of 12001 records") ||
		!strings.Contains(lines[2], "12001 of 12001 records: 0 added, 0 updated, 0 unchanged, 0 outside the area, 12001 not open and never listed") {
		t.Errorf("progress:\n%s\nwant a line every 5,000 records and a closing one", progress.String())
	}
}
