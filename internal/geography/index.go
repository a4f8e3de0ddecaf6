package geography

import (
	"context"
	"math"
	"sync"

	"github.com/joinedup/joinedup/internal/db"
)

// Index is every ward and LSOA parsed, with a grid over the LSOAs'
// bounding boxes, so that finding the LSOA holding a point tests a handful
// of polygons instead of a thousand.
type Index struct {
	version int64
	Wards   []Ward
	LSOAs   []LSOA
	lsoaBy  map[string]int
	boxes   []Box
	grid    map[[2]int32][]int32
}

// gridCell is the grid's cell in degrees: about 1.1 km north to south and
// 0.7 km east to west in London.
const gridCell = 0.01

func cellOf(lat, lon float64) [2]int32 {
	return [2]int32{int32(math.Floor(lat / gridCell)), int32(math.Floor(lon / gridCell))}
}

// NewIndex indexes the areas given.
func NewIndex(wards []Ward, lsoas []LSOA) *Index {
	ix := &Index{Wards: wards, LSOAs: lsoas, lsoaBy: make(map[string]int, len(lsoas)),
		boxes: make([]Box, len(lsoas)), grid: map[[2]int32][]int32{}}
	for i, l := range lsoas {
		ix.lsoaBy[l.Code] = i
		b := l.Shape.Bounds()
		ix.boxes[i] = b
		lo, hi := cellOf(b.MinLat, b.MinLon), cellOf(b.MaxLat, b.MaxLon)
		for a := lo[0]; a <= hi[0]; a++ {
			for c := lo[1]; c <= hi[1]; c++ {
				ix.grid[[2]int32{a, c}] = append(ix.grid[[2]int32{a, c}], int32(i))
			}
		}
	}
	return ix
}

// LSOAByCode returns the index in LSOAs of the LSOA with the code.
func (ix *Index) LSOAByCode(code string) (int, bool) {
	i, ok := ix.lsoaBy[code]
	return i, ok
}

// LSOAAt returns the index in LSOAs of the LSOA whose boundary holds p,
// else of the one whose boundary is nearest; -1 when there are none.
// Generalised boundaries overlap by a few metres in places; a point in two
// takes the first in LSOAs (the lower code, as Store.LSOAs orders them).
func (ix *Index) LSOAAt(p Point) int {
	for _, i := range ix.grid[cellOf(p.Lat, p.Lon)] {
		if ix.boxes[i].Contains(p) && ix.LSOAs[i].Shape.Contains(p) {
			return int(i)
		}
	}
	best, bestD := -1, math.Inf(1)
	for i := range ix.LSOAs {
		// A box further away than the best boundary so far cannot hold a
		// nearer one.
		if boxDistance(ix.boxes[i], p) > bestD {
			continue
		}
		if d := ix.LSOAs[i].Shape.DistanceMetres(p); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// boxDistance is a lower bound, in metres, of the distance from p to
// anything in b.
func boxDistance(b Box, p Point) float64 {
	dLat := math.Max(0, math.Max(b.MinLat-p.Lat, p.Lat-b.MaxLat))
	dLon := math.Max(0, math.Max(b.MinLon-p.Lon, p.Lon-b.MaxLon))
	// The shorter of a degree of longitude at the box's edges, so the bound
	// stays below the true distance.
	lat := math.Max(math.Abs(b.MinLat), math.Abs(b.MaxLat))
	return math.Hypot(dLat*metresPerDegreeLat, dLon*metresPerDegreeLat*math.Cos(lat*math.Pi/180)) * 0.99
}

// WardsIn returns the wards of a local authority, by name.
func (ix *Index) WardsIn(areaCode string) []Ward {
	var out []Ward
	for _, w := range ix.Wards {
		if w.AreaCode == areaCode {
			out = append(out, w)
		}
	}
	return out
}

// Cache keeps the Index of a database in memory, and reads it again when
// the areas have been saved since.
type Cache struct {
	mu sync.Mutex
	ix *Index
}

// Index returns the areas of the database q, parsed.
func (c *Cache) Index(ctx context.Context, q db.Querier) (*Index, error) {
	st := NewStore(q)
	v, err := st.Version(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ix != nil && c.ix.version == v {
		return c.ix, nil
	}
	wards, err := st.Wards(ctx)
	if err != nil {
		return nil, err
	}
	lsoas, err := st.LSOAs(ctx)
	if err != nil {
		return nil, err
	}
	ix := NewIndex(wards, lsoas)
	ix.version = v
	c.ix = ix
	return ix, nil
}
