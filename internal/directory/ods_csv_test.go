package directory

import (
	"os"
	"strings"
	"testing"
)

func TestReadShippedCSVReportsBadRowsByLine(t *testing.T) {
	f, err := os.Open("testdata/bad_rows.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	orgs, bad, err := ReadShippedCSV(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 2 || orgs[0].Code != "FA001" || !orgs[0].Active() || orgs[1].Active() {
		t.Fatalf("orgs = %+v", orgs)
	}
	if a := orgs[0].address(); a.Address1 != "1 High Street" || a.City != "London" || a.PostalCode != "SE1 1AA" {
		t.Errorf("address = %+v", a)
	}
	if len(bad) != 2 || bad[0].Line != 3 || !strings.Contains(bad[0].Reason, "missing ods_code") ||
		bad[1].Line != 4 || !strings.Contains(bad[1].Reason, `latitude "north"`) {
		t.Fatalf("bad = %+v", bad)
	}
}

func TestReadShippedCSVNeedsItsColumns(t *testing.T) {
	_, _, err := ReadShippedCSV(strings.NewReader("code,name\nX,Y\n"))
	if err == nil || !strings.Contains(err.Error(), `no "ods_code" column`) {
		t.Fatalf("err = %v", err)
	}
}

func TestIDsAreStableUUIDs(t *testing.T) {
	a, b := DerivedID("ods", "service", "G85138"), DerivedID("ods", "service", "G85138")
	if a != b || a == DerivedID("ods", "service", "G85623") || a == DerivedID("ods", "location", "G85138") || len(a) != 36 || a[14] != '5' {
		t.Fatalf("ids %s %s: want equal, distinct per code, UUID version 5", a, b)
	}
}

func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{
		"ALBION STREET GROUP PRACTICE": "Albion Street Group Practice",
		"QHS GP CARE HOME SERVICE":     "QHS GP Care Home Service",
		"ST. GEORGE'S SURGERY":         "St. George's Surgery",
		"AMADI'S CHEMIST":              "Amadi's Chemist",
		"SMITH-JONES PHARMACY":         "Smith-Jones Pharmacy",
	} {
		if got := DisplayName(in); got != want {
			t.Errorf("DisplayName(%q) = %q, want %q", in, got, want)
		}
	}
}
