package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/places"
)

// odsRow makes a row of NHS ODS's edispensary file (27 columns, no header).
func odsRow(code, name, addr1, town, postcode, status, subType, phone string) string {
	cols := make([]string, 27)
	cols[0], cols[1], cols[2], cols[3] = code, name, "Y56", "QKK"
	cols[4], cols[7], cols[9] = addr1, town, postcode
	cols[10], cols[12], cols[13], cols[14], cols[17] = "20070101", status, subType, "P0VL", phone
	if status == "C" {
		cols[11] = "20250301"
	}
	return strings.Join(cols, ",") + "\n"
}

// edispensaryFile is a month's edispensary file as far as Southwark is
// concerned: FK012 as it ships with joinedup, FKC34 (shipped) now closed, a
// new pharmacy, an appliance contractor, a malformed row and a pharmacy in
// Manchester.
var edispensaryFile = odsRow("FK012", "A R CHEMIST", "199 OLD KENT ROAD", "LONDON", "SE1 5NA", "A", "1", "020 77034097") +
	odsRow("FKC34", "AMADI'S CHEMIST", "107 ABBEY STREET", "LONDON", "SE1 3NP", "C", "1", "020 72375770") +
	odsRow("FNEW1", "ROTHERHITHE PHARMACY", "1 ALBION STREET", "LONDON", "SE16 7JX", "A", "1", "020 70000000") +
	strings.TrimSuffix(odsRow("FA100", "APPLIANCES LTD", "2 ROAD", "LONDON", "SE1 7EH", "A", "2", ""), ",\n") + "\n" +
	odsRow("FA101", "APPLIANCES LTD", "2 ROAD", "LONDON", "SE1 7EH", "A", "2", "") +
	odsRow("FA102", "MANCHESTER PHARMACY", "4 ROAD", "MANCHESTER", "M1 1AE", "A", "1", "")

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for i, a := range args {
		// Commands given a data dir work on its database, on either engine.
		if a == "--data-dir" && i+1 < len(args) {
			if u := onTestEngine(t, config.Config{DataDir: args[i+1]}).DatabaseURL; u != "" {
				args = append(args[:len(args):len(args)], "--database", u)
			}
			break
		}
	}
	var out, errOut bytes.Buffer
	code = Main(context.Background(), args, &out, &errOut, noEnv)
	return code, out.String(), errOut.String()
}

// southwarkPharmacies counts the active pharmacies the Southwark page shows.
func southwarkPharmacies(t *testing.T, dataDir string) int {
	t.Helper()
	ctx := context.Background()
	d, err := Open(ctx, onTestEngine(t, config.Config{DataDir: dataDir}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sw, err := places.NewStore(d).BySlug(ctx, "southwark")
	if err != nil {
		t.Fatal(err)
	}
	counts, err := directory.NewStore(d).CountByTerm(ctx, sw.ID, directory.TermPharmacy.ID)
	if err != nil {
		t.Fatal(err)
	}
	return counts[directory.TermPharmacy.ID]
}

func TestImportODSPharmacies(t *testing.T) {
	dir := t.TempDir()
	file := writeTemp(t, "edispensary.csv", edispensaryFile)
	if n := southwarkPharmacies(t, dir); n != 57 {
		t.Fatalf("seeded Southwark pharmacies: %d, want 57", n)
	}

	code, stdout, stderr := runMain(t, "import", "ods-pharmacies", file, "--data-dir", dir, "--place", "southwark")
	want := "added 1, updated 1, unchanged 1, skipped 2 (1 not pharmacies; 1 outside Southwark or not open), rejected 1\n" +
		"line 4: has 26 columns, want 27 (is this the edispensary file?)\n"
	if code != 0 || stdout != want {
		t.Fatalf("exit %d, stdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}
	if !strings.Contains(stderr, "4 of 4 records: 1 added, 1 updated, 1 unchanged, 1 outside the area") {
		t.Errorf("stderr has no closing progress line:\n%s", stderr)
	}
	// FKC34 closed and FNEW1 opened.
	if n := southwarkPharmacies(t, dir); n != 57 {
		t.Errorf("Southwark pharmacies after the import: %d, want 57", n)
	}

	code, stdout, _ = runMain(t, "import", "--data-dir", dir, "ods-pharmacies", "--place=southwark", file)
	if want := "added 0, updated 0, unchanged 3, skipped 2"; code != 0 || !strings.HasPrefix(stdout, want) {
		t.Errorf("second import: exit %d, stdout %q; want %q...", code, stdout, want)
	}

	// Without --place, each record is listed where its postcode lies;
	// Manchester is not a place here, and its postcode is not known.
	code, stdout, _ = runMain(t, "import", "ods-pharmacies", file, "--data-dir", dir)
	if want := "added 1, updated 0, unchanged 3, skipped 1 (1 not pharmacies; 0 not open), rejected 1\n"; code != 0 || !strings.HasPrefix(stdout, want) {
		t.Errorf("import without a place: exit %d, stdout %q; want %q...", code, stdout, want)
	}
}

func TestImportFailsWhole(t *testing.T) {
	dir := t.TempDir()
	file := writeTemp(t, "edispensary.csv", edispensaryFile)
	ctx := context.Background()
	// An organisation already holds FNEW1's ODS code, which must be unique:
	// the import fails after saving FK012 and FKC34.
	d, err := Open(ctx, onTestEngine(t, config.Config{DataDir: dir}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	_, err = d.ExecContext(ctx, `INSERT INTO dir_organizations (id, name, ods_code, source, last_modified)
		VALUES ($1, 'Rotherhithe', 'FNEW1', 'local', $2)`, directory.NewID(), db.Now())
	d.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := runMain(t, "import", "ods-pharmacies", file, "--data-dir", dir)
	if code != 1 || stdout != "" || !strings.Contains(stderr, "line 3") || !strings.Contains(stderr, "nothing was changed") {
		t.Fatalf("exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
	}
	if n := southwarkPharmacies(t, dir); n != 57 {
		t.Errorf("Southwark pharmacies after a failed import: %d, want 57 as before", n)
	}
}

func TestImportPostcodes(t *testing.T) {
	dir := t.TempDir()
	// The ONS Postcode Directory's layout: SE16 7JX as shipped, a new
	// postcode, one without a grid reference and a malformed one.
	file := writeTemp(t, "onspd.csv", "pcd,pcds,dointr,doterm,oslaua,osward,lat,long\n"+
		"SE167JX,SE16 7JX,198001,,E09000028,E05011112,51.501007,-0.050643\n"+
		"M1  1AE,M1 1AE,198001,,E08000003,E05011031,53.477434,-2.235591\n"+
		"JE2 3AA,JE2 3AA,198001,,,,99.999999,0.000000\n"+
		"X,X,198001,,,,51.5,-0.1\n")
	code, stdout, stderr := runMain(t, "import", "postcodes", file, "--data-dir", dir)
	want := "added 1, updated 0, unchanged 1, skipped 1 (without a position), rejected 1\n" +
		"line 5: postcode \"X\" is not a UK postcode\n"
	if code != 0 || stdout != want {
		t.Fatalf("exit %d, stdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout, want, stderr)
	}

	ctx := context.Background()
	d, err := Open(ctx, onTestEngine(t, config.Config{DataDir: dir}), quietLog())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st := directory.NewStore(d)
	if p, err := st.Postcode(ctx, "m11ae"); err != nil || p.AreaCode != "E08000003" || p.Lat != 53.477434 {
		t.Errorf("imported postcode: %+v, %v", p, err)
	}
	if p, err := st.Postcode(ctx, "SE16 7JX"); err != nil || p.WardName != "Rotherhithe" {
		t.Errorf("shipped postcode: %+v, %v; want its ward name kept", p, err)
	}
}

func TestImportMisuse(t *testing.T) {
	dir := t.TempDir()
	pharmacies := writeTemp(t, "edispensary.csv", edispensaryFile)
	practices := writeTemp(t, "epraccur.csv", strings.ReplaceAll(edispensaryFile, ",P0VL,", ",72Q,"))
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
		stdout string // the start of it, when the import succeeds
	}{
		{"help", []string{"import", "--help"}, 0, "ods-pharmacies FILE", ""},
		{"kind help", []string{"import", "ods-practices", "--help"}, 0, "-place place", ""},
		{"nothing", []string{"import"}, 2, "say what to import", ""},
		{"unknown kind", []string{"import", "gp", pharmacies}, 2, `unknown kind "gp"`, ""},
		{"no file", []string{"import", "ods-practices"}, 2, "say which FILE", ""},
		{"two files", []string{"import", "postcodes", "a.csv", "b.csv"}, 2, `unexpected argument "b.csv"`, ""},
		{"place for postcodes", []string{"import", "postcodes", "a.csv", "--place", "southwark"}, 2, "--place does not apply", ""},
		{"missing file", []string{"import", "ods-practices", filepath.Join(dir, "none.csv"), "--data-dir", dir}, 1, "no such file", ""},
		{"wrong file", []string{"import", "ods-practices", practices, "--data-dir", dir}, 1, "holds no GP practices", ""},
		{"unknown place", []string{"import", "ods-pharmacies", pharmacies, "--data-dir", dir, "--place", "camden"}, 1,
			`no place "camden"; the places are bexley, bromley, greenwich, lambeth, lewisham, southwark`, ""},
		{"place without postcodes", []string{"import", "ods-pharmacies", pharmacies, "--data-dir", dir, "--place", "lambeth"}, 0,
			"no record's postcode lies in Lambeth's area (E09000022): are its postcodes loaded?", "added 0, updated 0, unchanged 0, skipped 5 (1 not pharmacies; 4 outside Lambeth"},
		{"feed not there", []string{"import", "oruk", filepath.Join(dir, "none.json"), "--data-dir", dir}, 1, "nothing was changed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runMain(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
			if code != 0 && stdout != "" {
				t.Errorf("stdout %q, want none", stdout)
			}
			if code == 0 && !strings.HasPrefix(stdout, tc.stdout) {
				t.Errorf("stdout %q, want %q...", stdout, tc.stdout)
			}
		})
	}
}

func TestImportSummaryCapsRejected(t *testing.T) {
	var rows strings.Builder
	for i := 0; i < 60; i++ {
		rows.WriteString("FX,SHORT\n")
	}
	rows.WriteString(odsRow("FNEW1", "ROTHERHITHE PHARMACY", "1 ALBION STREET", "LONDON", "SE16 7JX", "A", "1", ""))
	file := writeTemp(t, "edispensary.csv", rows.String())
	code, stdout, _ := runMain(t, "import", "ods-pharmacies", file, "--data-dir", t.TempDir())
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if code != 0 || len(lines) != 52 || !strings.HasPrefix(lines[0], "added 1,") || !strings.HasSuffix(lines[0], "rejected 60") ||
		lines[1] != "line 1: has 2 columns, want 27 (is this the edispensary file?)" || lines[51] != "... and 10 more rejected" {
		t.Errorf("exit %d, stdout:\n%s", code, stdout)
	}
}
