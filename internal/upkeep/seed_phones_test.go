package upkeep

import (
	"encoding/csv"
	"os"
	"testing"
)

// The phone numbers of the shipped GP practices and pharmacies (NHS ODS)
// pass the rules: the rules fit the numbers listings really have.
func TestShippedPhonesPass(t *testing.T) {
	for _, file := range []string{"../seed/data/sel_gp_practices.csv", "../seed/data/sel_pharmacies.csv"} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == "phone" || h == "telephone" || h == "Telephone" {
				col = i
			}
		}
		if col < 0 {
			t.Fatalf("%s has no phone column: %v", file, rows[0])
		}
		checked := 0
		for _, r := range rows[1:] {
			if r[col] == "" {
				continue
			}
			checked++
			if ok, detail := checkPhone(r[col]); !ok {
				t.Errorf("%s: %q: %s", file, r[col], detail)
			}
		}
		if checked < 100 {
			t.Errorf("%s: only %d numbers checked", file, checked)
		}
	}
}
