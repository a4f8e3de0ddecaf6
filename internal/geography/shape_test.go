package geography

import (
	"math"
	"testing"
)

// A square with a square hole, and a second square apart.
var testShape = Shape{
	{Ring{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 4}, {Lat: 4, Lon: 4}, {Lat: 4, Lon: 0}, {Lat: 0, Lon: 0}}, Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}},
	{Ring{{10, 10}, {10, 11}, {11, 11}, {11, 10}, {10, 10}}},
}

func TestShapeContains(t *testing.T) {
	for _, tt := range []struct {
		p    Point
		want bool
	}{
		{Point{3, 3}, true},
		{Point{1.5, 1.5}, false}, // in the hole
		{Point{10.5, 10.5}, true},
		{Point{5, 5}, false},
		{Point{-1, 2}, false},
	} {
		if got := testShape.Contains(tt.p); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestShapeEncodeDecode(t *testing.T) {
	got, err := DecodeShape(testShape.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if got.Encode() != testShape.Encode() || len(got) != 2 || len(got[0]) != 2 {
		t.Errorf("round trip gave %v", got)
	}
	for _, bad := range []string{"", "1,2 3,4", "a,b 1,2 3,4", "1,2 3,4 5"} {
		if _, err := DecodeShape(bad); err == nil {
			t.Errorf("DecodeShape(%q) gave no error", bad)
		}
	}
}

// A point in no LSOA takes the one whose boundary is nearest, not the one
// whose middle is.
func TestLSOAAtNearestBoundary(t *testing.T) {
	near := LSOA{Code: "E01000002", Shape: Shape{{Ring{{51.50, -0.10}, {51.50, -0.09}, {51.51, -0.09}, {51.51, -0.10}, {51.50, -0.10}}}}}
	big := LSOA{Code: "E01000001", Shape: Shape{{Ring{{51.40, -0.30}, {51.40, -0.1002}, {51.60, -0.1002}, {51.60, -0.30}, {51.40, -0.30}}}}}
	ix := NewIndex(nil, []LSOA{big, near})
	if i := ix.LSOAAt(Point{51.505, -0.095}); i != 1 {
		t.Errorf("inside: got %d, want 1", i)
	}
	// Between the two, 0.0001° (7 m) from big's edge and 0.0001° from near's.
	if i := ix.LSOAAt(Point{51.505, -0.1001}); i < 0 {
		t.Error("between: no LSOA")
	}
	if i := ix.LSOAAt(Point{51.505, -0.0895}); i != 1 {
		t.Errorf("east of near: got %d, want 1 (near)", i)
	}
	d := near.Shape.DistanceMetres(Point{51.505, -0.0895})
	if math.Abs(d-34.7) > 1 {
		t.Errorf("distance %v m, want about 34.7", d)
	}
}
