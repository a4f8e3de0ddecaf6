package tables

import (
	"testing"
	"time"
)

// What each engine's driver hands back for the same stored value must
// become the same canonical value.
func TestCanonicalAgreesAcrossDrivers(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 30, 0, 123456789, time.UTC)
	london := at.In(time.FixedZone("BST", 3600))
	tests := []struct {
		kind         Kind
		sqlite, pg   any
		wantDisagree bool
	}{
		{Bool, int64(1), true, false},
		{Bool, int64(0), false, false},
		{Bool, int64(1), false, true},
		{Time, at, london, false},
		{Time, "2026-11-25 09:30:00.123456789+00:00", at, false},
		{Time, at, at.Add(time.Second), true},
		{Integer, int64(42), int64(42), false},
		{Float, float64(51.5), float64(51.5), false},
		{Text, "Southwark", []byte("Southwark"), false},
		{Bytes, []byte{0, 1}, []byte{0, 1}, false},
		{Text, nil, nil, false},
		{Text, "", nil, true},
	}
	for _, tt := range tests {
		a, err := Canonical(tt.kind, tt.sqlite)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Canonical(tt.kind, tt.pg)
		if err != nil {
			t.Fatal(err)
		}
		ta, tb := Table{Columns: []Column{{Kind: tt.kind}}}, Table{Columns: []Column{{Kind: tt.kind}}}
		ha, hb := rowHash(ta, []any{a}), rowHash(tb, []any{b})
		if (ha != hb) != tt.wantDisagree {
			t.Errorf("%v vs %v: equal = %v, want %v", tt.sqlite, tt.pg, ha == hb, !tt.wantDisagree)
		}
	}
	if _, err := Canonical(Integer, "twelve"); err == nil {
		t.Error("text in an integer column was accepted")
	}
}

func rowHash(t Table, row []any) string {
	h := newHash()
	writeRow(h, t, row)
	return string(h.Sum(nil))
}

func TestForeignKeyCycleIsReported(t *testing.T) {
	ts := []Table{{Name: "a", refs: []string{"b"}}, {Name: "b", refs: []string{"a"}}, {Name: "c"}}
	if _, err := sortByReferences(ts); err == nil {
		t.Error("a cycle of foreign keys was not reported")
	}
	sorted, err := sortByReferences([]Table{{Name: "child", refs: []string{"parent"}}, {Name: "parent"}})
	if err != nil || sorted[0].Name != "parent" {
		t.Errorf("sorted %v, %v; want the parent first", sorted, err)
	}
}
