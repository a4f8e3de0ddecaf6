package directory

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sync"

	"github.com/joinedup/joinedup/internal/db"
)

// The positions of every service at a location, in memory on a grid, so a
// search near a point finds its candidates in microseconds instead of by
// joining thousands of rows of locations, services at locations and
// services (tens of milliseconds in a dense city of a national directory).
// It is kept per database and rebuilt when the database's write generation
// moves; transactions, which have no generation, search in SQL.
var geoIndexes = struct {
	sync.Mutex
	byDB map[db.Querier]*geoIndex
}{byDB: map[db.Querier]*geoIndex{}}

// geoCell is the size of a grid cell in degrees: about 5.5 km each way in
// England.
const geoCellLat, geoCellLon = 0.05, 0.08

type geoEntry struct {
	searchKey                          int64
	serviceID, salID, locationID, name string
	active                             bool
	p                                  Point
}

type geoIndex struct {
	generation uint64
	ready      chan struct{}
	err        error
	entries    []geoEntry
	cells      map[[2]int32][]int32
}

func geoCellOf(p Point) [2]int32 {
	return [2]int32{int32(math.Floor(p.Lat / geoCellLat)), int32(math.Floor(p.Lon / geoCellLon))}
}

// geo returns the grid of the store's database, or false when the store
// runs on a transaction.
func (s *Store) geo(ctx context.Context) (*geoIndex, bool, error) {
	g, ok := s.q.(interface{ Generation() uint64 })
	if !ok {
		return nil, false, nil
	}
	gen := g.Generation()
	geoIndexes.Lock()
	gi := geoIndexes.byDB[s.q]
	if gi == nil || gi.generation != gen {
		if len(geoIndexes.byDB) >= maxVocabularies {
			clear(geoIndexes.byDB)
		}
		gi = &geoIndex{generation: gen, ready: make(chan struct{})}
		geoIndexes.byDB[s.q] = gi
		geoIndexes.Unlock()
		gi.err = gi.load(ctx, s.q)
		close(gi.ready)
	} else {
		geoIndexes.Unlock()
		select {
		case <-gi.ready:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
	if gi.err != nil {
		geoIndexes.Lock()
		if geoIndexes.byDB[s.q] == gi {
			delete(geoIndexes.byDB, s.q)
		}
		geoIndexes.Unlock()
		return nil, false, gi.err
	}
	return gi, true, nil
}

func (gi *geoIndex) load(ctx context.Context, q db.Querier) error {
	rows, err := q.QueryContext(ctx, `SELECT s.search_key, s.id, s.name, s.status, sl.id, l.id, l.latitude, l.longitude
		FROM dir_locations l
		JOIN dir_service_at_locations sl ON sl.location_id = l.id
		JOIN dir_services s ON s.id = sl.service_id
		WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("load positions: %w", err)
	}
	defer rows.Close()
	gi.cells = map[[2]int32][]int32{}
	for rows.Next() {
		var e geoEntry
		var key sql.NullInt64
		var status string
		if err := rows.Scan(&key, &e.serviceID, &e.name, &status, &e.salID, &e.locationID, &e.p.Lat, &e.p.Lon); err != nil {
			return fmt.Errorf("load positions: %w", err)
		}
		e.searchKey, e.active = key.Int64, status == StatusActive
		c := geoCellOf(e.p)
		gi.cells[c] = append(gi.cells[c], int32(len(gi.entries)))
		gi.entries = append(gi.entries, e)
	}
	return rows.Err()
}

// within calls fn with every entry within r metres of p, and its distance.
func (gi *geoIndex) within(p Point, r float64, fn func(e *geoEntry, d float64)) {
	minLat, maxLat, minLon, maxLon := boundingBox(p, r)
	lo, hi := geoCellOf(Point{minLat, minLon}), geoCellOf(Point{maxLat, maxLon})
	for a := lo[0]; a <= hi[0]; a++ {
		for b := lo[1]; b <= hi[1]; b++ {
			for _, i := range gi.cells[[2]int32{a, b}] {
				e := &gi.entries[i]
				if d := DistanceMetres(p, e.p); d <= r {
					fn(e, d)
				}
			}
		}
	}
}

// onlyTextAndPlace reports whether q filters on nothing but keywords,
// position and status, which the grid and the text index answer alone.
func (q Query) onlyTextAndPlace() bool {
	return len(q.TermIDs) == 0 && q.TaxonomyID == "" && q.PlaceID == 0 && q.OrganizationID == "" && q.Weekday == 0 &&
		q.OpensFrom == 0 && q.OpensTo == 0 && q.OpenAt == nil && q.Age == nil && q.MinimumAge == nil && q.MaximumAge == nil &&
		!q.FreeOnly && q.ModifiedAfter.IsZero()
}

// searchGrid answers a search within a radius from the grid: candidates
// from the cells the radius covers, keywords through the text index's keys,
// and any other filters in SQL over the candidates alone.
func (s *Store) searchGrid(ctx context.Context, gi *geoIndex, q Query, ti textIndex, match string, hasText bool) (Results, error) {
	var found []nearRow
	var keys []int64
	gi.within(*q.Near, q.RadiusMetres, func(e *geoEntry, d float64) {
		if !e.active && !q.IncludeInactive {
			return
		}
		found = append(found, nearRow{serviceID: e.serviceID, salID: e.salID, locationID: e.locationID, name: e.name,
			distance: d, searchKey: e.searchKey})
		keys = append(keys, e.searchKey)
	})
	if hasText && len(found) > 0 {
		matched, err := ti.matchKeys(ctx, s.q, match)
		if err != nil {
			return Results{}, err
		}
		found = keepRows(found, func(r nearRow) bool { return matched[r.searchKey] })
	}
	if !q.onlyTextAndPlace() && len(found) > 0 {
		pass := map[int64]bool{}
		var b searchSQL
		q.IncludeInactive = true // judged from the grid already
		q.filters(&b)
		n := len(b.args)
		ids := make([]string, 0, len(found))
		for _, r := range found {
			ids = append(ids, fmt.Sprint(r.searchKey))
		}
		where := b.where()
		if where == "" {
			where = " WHERE "
		} else {
			where += " AND "
		}
		err := s.eachIn(ctx, `SELECT s.search_key FROM dir_services s`+where+`s.search_key IN (%s)`, distinct(ids),
			func(rows *sql.Rows) error {
				var k int64
				if err := rows.Scan(&k); err != nil {
					return err
				}
				pass[k] = true
				return nil
			}, b.args[:n]...)
		if err != nil {
			return Results{}, err
		}
		found = keepRows(found, func(r nearRow) bool { return pass[r.searchKey] })
	}
	return pageNear(found, q), nil
}

func keepRows(rows []nearRow, keep func(nearRow) bool) []nearRow {
	out := rows[:0]
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}
