package directory

import (
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// positionIndex finds services at located places within a box through the
// engine's spatial index: SQLite's R*Tree dir_positions, PostgreSQL's GiST
// index on each location's point. Both are kept by the database itself
// (triggers, an index), so every write path keeps them right and nothing
// is built when the server starts.
type positionIndex interface {
	// within adds to b the conditions that hold for a service at a
	// location inside the box, and returns the FROM clause joining
	// dir_service_at_locations sl and dir_services s to the index, with
	// the expressions of the location's latitude and longitude.
	within(b *searchSQL, minLat, maxLat, minLon, maxLon float64) (from, lat, lon string)
}

var positionIndexes = map[db.Engine]positionIndex{
	db.SQLite:   sqlitePositions{},
	db.Postgres: postgresPositions{},
}

func positionIndexFor(e db.Engine) positionIndex {
	pi, ok := positionIndexes[e]
	if !ok {
		panic(fmt.Sprintf("directory: no position index for engine %q", e))
	}
	return pi
}

type sqlitePositions struct{}

// within reads the R*Tree, which stores boxes in 32-bit floats rounded
// outwards, so it asks for boxes that overlap the one wanted; the exact
// positions beside them decide. CROSS JOIN keeps SQLite reading the tree
// first; the join conditions sit in WHERE.
func (sqlitePositions) within(b *searchSQL, minLat, maxLat, minLon, maxLon float64) (string, string, string) {
	b.conds = append(b.conds, "p.max_lat >= "+b.arg(minLat), "p.min_lat <= "+b.arg(maxLat),
		"p.max_lon >= "+b.arg(minLon), "p.min_lon <= "+b.arg(maxLon),
		"sl.position_key = p.position_key", "s.id = sl.service_id")
	return "dir_positions p CROSS JOIN dir_service_at_locations sl CROSS JOIN dir_services s", "p.latitude", "p.longitude"
}

type postgresPositions struct{}

// within asks the GiST index on point(longitude, latitude) for the box;
// the conditions on latitude and longitude match the index's predicate.
func (postgresPositions) within(b *searchSQL, minLat, maxLat, minLon, maxLon float64) (string, string, string) {
	b.conds = append(b.conds, "l.latitude IS NOT NULL", "l.longitude IS NOT NULL",
		fmt.Sprintf("point(l.longitude, l.latitude) <@ box(point(%s::float8, %s::float8), point(%s::float8, %s::float8))",
			b.arg(minLon), b.arg(minLat), b.arg(maxLon), b.arg(maxLat)))
	return "dir_locations l JOIN dir_service_at_locations sl ON sl.location_id = l.id JOIN dir_services s ON s.id = sl.service_id",
		"l.latitude", "l.longitude"
}
