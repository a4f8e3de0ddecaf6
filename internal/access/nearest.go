package access

import (
	"math"

	"github.com/joinedup/joinedup/internal/directory"
)

// nearest finds the closest of a set of points on a grid of cells about a
// kilometre square, searching rings of cells outwards from the query until
// no unsearched cell can hold anything closer.
type nearest struct {
	pts   []directory.Point
	cells map[[2]int32][]int32
}

const (
	cellLat = 0.01  // degrees: 1.11 km
	cellLon = 0.016 // degrees: 1.1 km at 51.5°N, more further south
	// cellMetres is less than a cell's shorter side anywhere in Great
	// Britain south of 59°N, so a ring of cells k away is at least k times
	// it from the query.
	cellMetres = 900.0
	// maxRings bounds the search: beyond it (over 100 km) every point is
	// compared.
	maxRings = 100
	// metresPerDegree is a degree of latitude on the Earth's mean radius.
	metresPerDegree = 6_371_008.8 * math.Pi / 180
)

func cellOf(p directory.Point) [2]int32 {
	return [2]int32{int32(math.Floor(p.Lat / cellLat)), int32(math.Floor(p.Lon / cellLon))}
}

func newNearest(pts []directory.Point) *nearest {
	n := &nearest{pts: pts, cells: make(map[[2]int32][]int32, len(pts))}
	for i, p := range pts {
		c := cellOf(p)
		n.cells[c] = append(n.cells[c], int32(i))
	}
	return n
}

// find returns the index of the point nearest p and its haversine distance
// in metres, or -1 and +Inf when there are no points.
func (n *nearest) find(p directory.Point) (int, float64) {
	best, bestD := -1, math.Inf(1)
	if len(n.pts) == 0 {
		return best, bestD
	}
	// Candidates are compared on a flat projection around p, which orders
	// them as the haversine does at these distances; the one chosen gets
	// its haversine distance.
	kx := math.Cos(p.Lat * math.Pi / 180)
	flat := func(q directory.Point) float64 {
		dy, dx := q.Lat-p.Lat, (q.Lon-p.Lon)*kx
		return (dx*dx + dy*dy) * metresPerDegree * metresPerDegree
	}
	best2 := math.Inf(1)
	c := cellOf(p)
	for k := int32(0); k <= maxRings; k++ {
		for a := c[0] - k; a <= c[0]+k; a++ {
			for b := c[1] - k; b <= c[1]+k; b++ {
				if a != c[0]-k && a != c[0]+k && b != c[1]-k && b != c[1]+k {
					continue // inside the ring: searched already
				}
				for _, i := range n.cells[[2]int32{a, b}] {
					if d2 := flat(n.pts[i]); d2 < best2 {
						best, best2 = int(i), d2
					}
				}
			}
		}
		// Every cell not yet searched is at least k cells away.
		if best >= 0 && math.Sqrt(best2) <= float64(k)*cellMetres*0.99 {
			return best, directory.DistanceMetres(p, n.pts[best])
		}
	}
	for i, q := range n.pts {
		if d := directory.DistanceMetres(p, q); d < bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}
