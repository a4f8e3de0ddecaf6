package directory

import (
	"context"
	"sort"

	"github.com/joinedup/joinedup/internal/db"
)

// ReferenceSearch answers q the plain way, for comparing with Search: it
// reads every match with a full scan (no spatial index, no limit), counts
// them all, measures every distance and sorts everything in Go. It uses
// the same conditions (filters, keyword match) as Search, so the two may
// differ only in how they find, order, count and page.
func ReferenceSearch(ctx context.Context, q db.Querier, qu Query) (Results, error) {
	if qu.Page < 1 {
		qu.Page = 1
	}
	if qu.PerPage < 1 {
		qu.PerPage = DefaultPerPage
	}
	ti := textIndexFor(q.Engine())
	match, hasText := ti.matchQuery(qu.Text)
	var b searchSQL
	type row struct {
		serviceID, salID, locationID, name string
		rank, distance                     float64
	}
	var all []row
	if qu.Near != nil {
		b.conds = append(b.conds, "l.latitude IS NOT NULL", "l.longitude IS NOT NULL")
		if hasText {
			b.conds = append(b.conds, ti.matchCondition(len(b.args)+1))
			b.args = append(b.args, match)
		}
		qu.filters(&b)
		rows, err := q.QueryContext(ctx, `SELECT s.id, sl.id, l.id, s.name, l.latitude, l.longitude
			FROM dir_services s JOIN dir_service_at_locations sl ON sl.service_id = s.id
			JOIN dir_locations l ON l.id = sl.location_id`+b.where(), b.args...)
		if err != nil {
			return Results{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var r row
			var p Point
			if err := rows.Scan(&r.serviceID, &r.salID, &r.locationID, &r.name, &p.Lat, &p.Lon); err != nil {
				return Results{}, err
			}
			r.distance = DistanceMetres(*qu.Near, p)
			if qu.RadiusMetres > 0 && r.distance > qu.RadiusMetres {
				continue
			}
			all = append(all, r)
		}
		if err := rows.Err(); err != nil {
			return Results{}, err
		}
		if !qu.ByLocation { // each service at its nearest location
			best := map[string]int{}
			var kept []row
			for _, r := range all {
				i, ok := best[r.serviceID]
				if !ok {
					best[r.serviceID] = len(kept)
					kept = append(kept, r)
				} else if r.distance < kept[i].distance || (r.distance == kept[i].distance && r.salID < kept[i].salID) {
					kept[i] = r
				}
			}
			all = kept
		}
		sort.Slice(all, func(i, j int) bool {
			a, b := all[i], all[j]
			if a.distance != b.distance {
				return a.distance < b.distance
			}
			if a.name != b.name {
				return a.name < b.name
			}
			return a.salID < b.salID
		})
	} else {
		from := "dir_services s"
		rank := "0"
		if hasText {
			from += " JOIN (" + ti.matching(1) + ") ft ON ft.search_key = s.search_key"
			b.args = append(b.args, match)
			rank = "ft.rank"
		}
		sal := "''"
		if qu.ByLocation {
			from += " JOIN dir_service_at_locations sl ON sl.service_id = s.id"
			sal = "sl.id"
		}
		qu.filters(&b)
		rows, err := q.QueryContext(ctx, "SELECT s.id, "+sal+", s.name, "+rank+" FROM "+from+b.where(), b.args...)
		if err != nil {
			return Results{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.serviceID, &r.salID, &r.name, &r.rank); err != nil {
				return Results{}, err
			}
			all = append(all, r)
		}
		if err := rows.Err(); err != nil {
			return Results{}, err
		}
		sort.Slice(all, func(i, j int) bool {
			a, b := all[i], all[j]
			if qu.IDOrder && !hasText {
				if a.serviceID != b.serviceID {
					return a.serviceID < b.serviceID
				}
				return a.salID < b.salID
			}
			if a.rank != b.rank {
				return a.rank < b.rank
			}
			if a.name != b.name {
				return a.name < b.name
			}
			if a.serviceID != b.serviceID {
				return a.serviceID < b.serviceID
			}
			return a.salID < b.salID
		})
	}
	res := Results{Total: len(all), Hits: []Hit{}}
	for i := offset(qu.Page, qu.PerPage); i < len(all) && len(res.Hits) < qu.PerPage; i++ {
		h := Hit{ServiceID: all[i].serviceID}
		if qu.Near != nil || qu.ByLocation {
			h.ServiceAtLocationID = all[i].salID
		}
		if qu.Near != nil {
			d := all[i].distance
			h.LocationID, h.DistanceMetres = all[i].locationID, &d
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}
