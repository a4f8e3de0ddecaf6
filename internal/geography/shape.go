// Package geography holds the areas the access and inequality view counts
// in: each place's wards with their boundaries, and the 2011 Lower layer
// Super Output Areas (LSOAs) with their boundaries, their Index of Multiple
// Deprivation 2019 and their mid-2020 population.
//
// The areas are open data shipped with joinedup and loaded by the seed;
// they change only when a new edition is loaded, so a process parses them
// once (see Index).
package geography

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Point is a position in WGS84 degrees.
type Point struct {
	Lat, Lon float64
}

// Ring is a closed line of points; the last point may repeat the first.
type Ring []Point

// Polygon is an outer ring followed by its holes.
type Polygon []Ring

// Shape is one or more polygons: an area's boundary.
type Shape []Polygon

// Box is a bounding box in degrees.
type Box struct {
	MinLat, MinLon, MaxLat, MaxLon float64
}

// emptyBox is the box of nothing, which any point extends.
func emptyBox() Box {
	return Box{MinLat: math.Inf(1), MinLon: math.Inf(1), MaxLat: math.Inf(-1), MaxLon: math.Inf(-1)}
}

// Extend returns b grown to hold p.
func (b Box) Extend(p Point) Box {
	b.MinLat, b.MaxLat = math.Min(b.MinLat, p.Lat), math.Max(b.MaxLat, p.Lat)
	b.MinLon, b.MaxLon = math.Min(b.MinLon, p.Lon), math.Max(b.MaxLon, p.Lon)
	return b
}

// Union returns the box holding both.
func (b Box) Union(o Box) Box {
	return Box{MinLat: math.Min(b.MinLat, o.MinLat), MinLon: math.Min(b.MinLon, o.MinLon),
		MaxLat: math.Max(b.MaxLat, o.MaxLat), MaxLon: math.Max(b.MaxLon, o.MaxLon)}
}

// Contains reports whether p is inside b or on its edge.
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.MinLat && p.Lat <= b.MaxLat && p.Lon >= b.MinLon && p.Lon <= b.MaxLon
}

// Bounds returns the box of the shape's outer rings.
func (s Shape) Bounds() Box {
	b := emptyBox()
	for _, poly := range s {
		if len(poly) == 0 {
			continue
		}
		for _, p := range poly[0] {
			b = b.Extend(p)
		}
	}
	return b
}

// Contains reports whether p lies inside the shape: inside an outer ring
// and outside that polygon's holes (even-odd rule on each ring).
func (s Shape) Contains(p Point) bool {
	for _, poly := range s {
		if len(poly) == 0 || !poly[0].contains(p) {
			continue
		}
		inHole := false
		for _, hole := range poly[1:] {
			if hole.contains(p) {
				inHole = true
				break
			}
		}
		if !inHole {
			return true
		}
	}
	return false
}

func (r Ring) contains(p Point) bool {
	in := false
	n := len(r)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// metresPerDegreeLat is the length of a degree of latitude on a sphere of
// the Earth's mean radius.
const metresPerDegreeLat = 6_371_008.8 * math.Pi / 180

// DistanceMetres returns roughly how far p is from the shape's boundary,
// in metres, on a flat projection around p (accurate to well under a
// metre at the scale of a borough). It is for choosing the nearest area
// to a point that lies in none.
func (s Shape) DistanceMetres(p Point) float64 {
	kx := metresPerDegreeLat * math.Cos(p.Lat*math.Pi/180)
	ky := metresPerDegreeLat
	best := math.Inf(1)
	for _, poly := range s {
		for _, r := range poly {
			for i := range r {
				a, b := r[i], r[(i+1)%len(r)]
				ax, ay := (a.Lon-p.Lon)*kx, (a.Lat-p.Lat)*ky
				bx, by := (b.Lon-p.Lon)*kx, (b.Lat-p.Lat)*ky
				best = math.Min(best, segmentDistance(ax, ay, bx, by))
			}
		}
	}
	return best
}

// segmentDistance is the distance from the origin to the segment a-b.
func segmentDistance(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
	}
	x, y := ax+t*dx, ay+t*dy
	return math.Hypot(x, y)
}

// Encode writes the shape as the compact text the tables store:
// polygons separated by "|", rings by ";", points ("lon,lat") by spaces.
func (s Shape) Encode() string {
	var b strings.Builder
	for i, poly := range s {
		if i > 0 {
			b.WriteByte('|')
		}
		for j, r := range poly {
			if j > 0 {
				b.WriteByte(';')
			}
			for k, p := range r {
				if k > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strconv.FormatFloat(p.Lon, 'f', -1, 64))
				b.WriteByte(',')
				b.WriteString(strconv.FormatFloat(p.Lat, 'f', -1, 64))
			}
		}
	}
	return b.String()
}

// ErrBadShape is returned for boundary text that is not a shape.
var ErrBadShape = errors.New("not a boundary")

// DecodeShape reads what Encode wrote.
func DecodeShape(text string) (Shape, error) {
	var s Shape
	for _, ptext := range strings.Split(text, "|") {
		var poly Polygon
		for _, rtext := range strings.Split(ptext, ";") {
			fields := strings.Fields(rtext)
			if len(fields) < 3 {
				return nil, fmt.Errorf("geography: ring of %d points: %w", len(fields), ErrBadShape)
			}
			r := make(Ring, 0, len(fields))
			for _, f := range fields {
				lon, lat, ok := strings.Cut(f, ",")
				x, err1 := strconv.ParseFloat(lon, 64)
				y, err2 := strconv.ParseFloat(lat, 64)
				if !ok || err1 != nil || err2 != nil {
					return nil, fmt.Errorf("geography: point %q: %w", f, ErrBadShape)
				}
				r = append(r, Point{Lat: y, Lon: x})
			}
			poly = append(poly, r)
		}
		s = append(s, poly)
	}
	return s, nil
}
