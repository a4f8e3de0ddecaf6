package directory

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
)

// DefaultPerPage is the page size of a search that does not ask for one.
const DefaultPerPage = 20

// earthRadiusMetres is the mean radius of the Earth (IUGG), the one
// haversine distances are reckoned with.
const earthRadiusMetres = 6371008.8

// DistanceMetres returns the great-circle distance between two points.
func DistanceMetres(a, b Point) float64 {
	φ1, φ2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dφ := φ2 - φ1
	dλ := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * earthRadiusMetres * math.Asin(math.Min(1, math.Sqrt(h)))
}

// boundingBox returns the latitudes and longitudes that enclose every
// point within r metres of p, for an indexed prefilter before exact
// distances.
func boundingBox(p Point, r float64) (minLat, maxLat, minLon, maxLon float64) {
	dLat := r / earthRadiusMetres * 180 / math.Pi
	minLat, maxLat = p.Lat-dLat, p.Lat+dLat
	// Longitude degrees shrink towards the poles: widen by the latitude
	// furthest from the equator.
	widest := math.Max(math.Abs(minLat), math.Abs(maxLat))
	if widest >= 89.9 {
		return minLat, maxLat, -180, 180
	}
	dLon := dLat / math.Cos(widest*math.Pi/180)
	return minLat, maxLat, p.Lon - dLon, p.Lon + dLon
}

// searchSQL collects the conditions of a search and their arguments.
type searchSQL struct {
	conds []string
	args  []any
}

func (b *searchSQL) arg(v any) string {
	b.args = append(b.args, v)
	return fmt.Sprintf("$%d", len(b.args))
}

func (b *searchSQL) where() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

// londonWeekdayMinute returns the ISO weekday (1 = Monday) and the minute
// of the day of an instant, as a clock in London shows it.
func londonWeekdayMinute(q Query) (int, int) {
	t := london.In(*q.OpenAt)
	return (int(t.Weekday())+6)%7 + 1, t.Hour()*60 + t.Minute()
}

// filters adds to b the conditions of q on dir_services s, all but the
// keywords and the position.
func (q Query) filters(b *searchSQL) {
	if !q.IncludeInactive {
		b.conds = append(b.conds, "s.status = "+b.arg(StatusActive))
	}
	if q.PlaceID != 0 {
		b.conds = append(b.conds, "s.place_id = "+b.arg(q.PlaceID))
	}
	if q.OrganizationID != "" {
		b.conds = append(b.conds, "s.organization_id = "+b.arg(q.OrganizationID))
	}
	if ids := distinct(q.TermIDs); len(ids) > 0 {
		ms := make([]string, len(ids))
		for i, id := range ids {
			ms[i] = b.arg(id)
		}
		b.conds = append(b.conds, "EXISTS (SELECT 1 FROM dir_service_terms st WHERE st.service_id = s.id AND st.taxonomy_term_id IN ("+
			strings.Join(ms, ", ")+"))")
	}
	if q.TaxonomyID != "" {
		b.conds = append(b.conds, `EXISTS (SELECT 1 FROM dir_service_terms st JOIN dir_taxonomy_terms tt ON tt.id = st.taxonomy_term_id
			WHERE st.service_id = s.id AND tt.taxonomy_id = `+b.arg(q.TaxonomyID)+")")
	}
	if q.Weekday != 0 || q.OpensFrom != 0 || q.OpensTo != 0 {
		// Open at some time in the period asked for: a period that ends
		// after it starts and starts before it ends.
		var c []string
		if q.Weekday != 0 {
			c = append(c, "op.weekday = "+b.arg(q.Weekday))
		}
		to := q.OpensTo
		if to == 0 {
			to = 1440
		}
		c = append(c, "op.closes_min > "+b.arg(q.OpensFrom), "op.opens_min < "+b.arg(to))
		b.conds = append(b.conds, "EXISTS (SELECT 1 FROM dir_opening_periods op WHERE op.service_id = s.id AND "+
			strings.Join(c, " AND ")+")")
	}
	if q.OpenAt != nil {
		day, minute := londonWeekdayMinute(q)
		b.conds = append(b.conds, "EXISTS (SELECT 1 FROM dir_opening_periods op WHERE op.service_id = s.id AND op.weekday = "+
			b.arg(day)+" AND op.opens_min <= "+b.arg(minute)+" AND op.closes_min > "+b.arg(minute)+")")
	}
	if q.Age != nil {
		a := b.arg(*q.Age)
		b.conds = append(b.conds, "(s.minimum_age IS NULL OR s.minimum_age <= "+a+") AND (s.maximum_age IS NULL OR s.maximum_age >= "+a+")")
	}
	if q.MinimumAge != nil {
		b.conds = append(b.conds, "s.minimum_age >= "+b.arg(*q.MinimumAge))
	}
	if q.MaximumAge != nil {
		b.conds = append(b.conds, "s.maximum_age <= "+b.arg(*q.MaximumAge))
	}
	if q.FreeOnly {
		b.conds = append(b.conds, "s.free = "+b.arg(true))
	}
	if !q.ModifiedAfter.IsZero() {
		// ORUK's modified_after means "on or after".
		b.conds = append(b.conds, "s.last_modified >= "+b.arg(q.ModifiedAfter.UTC()))
	}
}

// TotalCap is how far a search counts its matches unless asked for an
// exact total: "more than 1,000" tells a person as much as the exact
// figure, and counting a common word over a national directory costs more
// than finding its best page.
const TotalCap = 1000

// countLimit is how many matches q counts to: TotalCap, or to the end of
// the page asked for when that is further. -1 counts every match.
func (q Query) countLimit() int {
	if q.ExactTotal {
		return -1
	}
	if q.countTo > 0 {
		return q.countTo
	}
	return max(TotalCap, offset(q.Page, q.PerPage)+q.PerPage)
}

// Search finds the services that match every part of q, best first: nearest
// first when q is near a point, else the best keyword match, else by name.
func (s *Store) Search(ctx context.Context, q Query) (Results, error) {
	if q.Page < 1 {
		q.Page = 1
	}
	if q.PerPage < 1 {
		q.PerPage = DefaultPerPage
	}
	ti := textIndexFor(s.q.Engine())
	match, hasText := ti.matchQuery(q.Text)
	var res Results
	var err error
	if q.Near != nil {
		res, err = s.searchNear(ctx, q, ti, match, hasText)
	} else {
		res, err = s.searchRanked(ctx, q, ti, match, hasText)
	}
	if err != nil {
		return Results{}, fmt.Errorf("directory: search: %w", err)
	}
	if res.Total == 0 && hasText {
		res.Suggestion, err = s.suggest(ctx, q)
		if err != nil {
			return Results{}, fmt.Errorf("directory: search: %w", err)
		}
	}
	return res, nil
}

// searchRanked pages through the matches in the database, ordered by
// keyword rank then name. The engine keeps only the best rows of the page
// while it ranks (a top-k sort), and the total is counted to a limit.
func (s *Store) searchRanked(ctx context.Context, q Query, ti textIndex, match string, hasText bool) (Results, error) {
	var b searchSQL
	from := "dir_services s"
	order := "s.name, s.id"
	if hasText {
		from += " JOIN (" + ti.matching(len(b.args)+1) + ") ft ON ft.search_key = s.search_key"
		b.args = append(b.args, match)
		order = "ft.rank, " + order
	}
	if q.IDOrder && !hasText {
		order = "s.id"
	}
	cols := "s.id, '', ''"
	if q.ByLocation {
		from += " JOIN dir_service_at_locations sl ON sl.service_id = s.id"
		cols = "s.id, sl.id, sl.location_id"
		order += ", sl.id"
	}
	q.filters(&b)
	var res Results
	var err error
	if limit := q.countLimit(); limit < 0 {
		res.Total, err = s.count(ctx, "SELECT COUNT(*) FROM "+from+b.where(), b.args...)
	} else {
		res.Total, err = s.count(ctx, "SELECT COUNT(*) FROM (SELECT 1 FROM "+from+b.where()+
			fmt.Sprintf(" LIMIT %d) c", limit+1), b.args...)
		if res.Total > limit {
			res.Total, res.More = limit, true
		}
	}
	if err != nil {
		return Results{}, err
	}
	res.Hits = []Hit{}
	if res.Total <= offset(q.Page, q.PerPage) {
		return res, nil
	}
	n := len(b.args)
	rows, err := s.q.QueryContext(ctx, "SELECT "+cols+" FROM "+from+b.where()+
		fmt.Sprintf(" ORDER BY %s LIMIT $%d OFFSET $%d", order, n+1, n+2),
		append(b.args, q.PerPage, offset(q.Page, q.PerPage))...)
	if err != nil {
		return Results{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ServiceID, &h.ServiceAtLocationID, &h.LocationID); err != nil {
			return Results{}, err
		}
		res.Hits = append(res.Hits, h)
	}
	return res, rows.Err()
}

// nearRow is a service at a located place, a candidate of a search near a
// point.
type nearRow struct {
	serviceID, salID, locationID, name string
	distance                           float64
}

// firstRing is the radius of the first ring a search near a point reads;
// each next ring doubles it. In a city a page of results is found in the
// first ring or two.
const firstRing = 1000

// widestRing covers the whole Earth: a search with no radius that has not
// found enough by then has found everything there is.
const widestRing = math.Pi * earthRadiusMetres

// searchNear reads the services around the point in rings of growing
// radius through the engine's index of positions, so that it reads the
// nearest candidates first and stops once it has the page and has counted
// to the limit, however many services match further out. Each ring's
// candidates are filtered in SQL, measured exactly, and sorted nearest
// first; rows nearer than the ring before were taken by that ring.
func (s *Store) searchNear(ctx context.Context, q Query, ti textIndex, match string, hasText bool) (Results, error) {
	pi := positionIndexFor(s.q.Engine())
	limit := q.countLimit()
	start := offset(q.Page, q.PerPage)
	res := Results{Hits: []Hit{}}
	seen := map[string]bool{} // services already found, unless by location
	radius := q.RadiusMetres
	if radius <= 0 {
		radius = widestRing
	}
	inner := -1.0
	for r := min(firstRing, radius); ; r = min(r*2, radius) {
		ring, err := s.ring(ctx, pi, q, ti, match, hasText, r)
		if err != nil {
			return Results{}, err
		}
		for _, row := range ring {
			if row.distance <= inner {
				continue
			}
			if !q.ByLocation {
				if seen[row.serviceID] {
					continue
				}
				seen[row.serviceID] = true
			}
			if limit >= 0 && res.Total == limit {
				res.More = true
				return res, nil
			}
			if res.Total >= start && len(res.Hits) < q.PerPage {
				d := row.distance
				res.Hits = append(res.Hits, Hit{ServiceID: row.serviceID, LocationID: row.locationID,
					ServiceAtLocationID: row.salID, DistanceMetres: &d})
			}
			res.Total++
		}
		if r >= radius {
			return res, nil
		}
		inner = r
	}
}

// ring returns the candidates within r metres of q's point that pass q's
// filters, nearest first, then by name and service at location.
func (s *Store) ring(ctx context.Context, pi positionIndex, q Query, ti textIndex, match string, hasText bool, r float64) ([]nearRow, error) {
	var b searchSQL
	minLat, maxLat, minLon, maxLon := boundingBox(*q.Near, r)
	from, lat, lon := pi.within(&b, minLat, maxLat, minLon, maxLon)
	if hasText {
		b.conds = append(b.conds, ti.matchCondition(len(b.args)+1))
		b.args = append(b.args, match)
	}
	q.filters(&b)
	rows, err := s.q.QueryContext(ctx, "SELECT s.id, sl.id, sl.location_id, s.name, "+lat+", "+lon+" FROM "+from+b.where(), b.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var found []nearRow
	for rows.Next() {
		var row nearRow
		var p Point
		if err := rows.Scan(&row.serviceID, &row.salID, &row.locationID, &row.name, &p.Lat, &p.Lon); err != nil {
			return nil, err
		}
		if row.distance = DistanceMetres(*q.Near, p); row.distance <= r {
			found = append(found, row)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sort.Slice(found, func(i, j int) bool {
		a, b := found[i], found[j]
		if a.distance != b.distance {
			return a.distance < b.distance
		}
		if a.name != b.name {
			return a.name < b.name
		}
		return a.salID < b.salID
	})
	return found, nil
}

// counts keeps the totals of searches until the database changes: paging
// through a list asks for the same total on every page, and counting a
// national directory costs more than reading a page of it.
var counts = struct {
	sync.Mutex
	byDB map[db.Querier]*countCache
}{byDB: map[db.Querier]*countCache{}}

type countCache struct {
	generation uint64
	totals     map[string]int
}

// maxCounts bounds each database's cache of totals.
const maxCounts = 1000

func (s *Store) count(ctx context.Context, query string, args ...any) (int, error) {
	g, cacheable := s.q.(interface{ Generation() uint64 })
	var key string
	var gen uint64
	if cacheable {
		gen = g.Generation()
		key = fmt.Sprint(query, args)
		counts.Lock()
		c := counts.byDB[s.q]
		if c != nil && c.generation == gen {
			if n, ok := c.totals[key]; ok {
				counts.Unlock()
				return n, nil
			}
		}
		counts.Unlock()
	}
	var n int
	if err := s.q.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, err
	}
	if cacheable {
		counts.Lock()
		c := counts.byDB[s.q]
		if c == nil || c.generation != gen || len(c.totals) >= maxCounts {
			if len(counts.byDB) >= maxVocabularies {
				clear(counts.byDB)
			}
			c = &countCache{generation: gen, totals: map[string]int{}}
			counts.byDB[s.q] = c
		}
		c.totals[key] = n
		counts.Unlock()
	}
	return n, nil
}
