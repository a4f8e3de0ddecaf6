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
	orgs, bad, err := ReadShippedCSV(f, KindPharmacy)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 2 || orgs[0].ODSCode != "FA001" || !orgs[0].Active || orgs[1].Active {
		t.Fatalf("orgs = %+v", orgs)
	}
	if orgs[0].Address != "1 HIGH STREET, LONDON" {
		t.Errorf("address = %q", orgs[0].Address)
	}
	if len(bad) != 2 || bad[0].Line != 3 || !strings.Contains(bad[0].Reason, "missing ods_code") ||
		bad[1].Line != 4 || !strings.Contains(bad[1].Reason, `latitude "north"`) {
		t.Fatalf("bad = %+v", bad)
	}
}

func TestReadShippedCSVNeedsItsColumns(t *testing.T) {
	_, _, err := ReadShippedCSV(strings.NewReader("code,name\nX,Y\n"), KindGPPractice)
	if err == nil || !strings.Contains(err.Error(), `no "ods_code" column`) {
		t.Fatalf("err = %v", err)
	}
}

func TestIDsAreStableUUIDs(t *testing.T) {
	a, b := IDForODSCode("G85138"), IDForODSCode("G85138")
	if a != b || a == IDForODSCode("G85623") || len(a) != 36 || a[14] != '5' {
		t.Fatalf("ids %s %s: want equal, distinct per code, UUID version 5", a, b)
	}
}
