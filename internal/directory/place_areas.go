package directory

import (
	"context"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// PlaceArea is a place whose directory lists the services in its area.
type PlaceArea struct {
	ID       int64
	Name     string
	AreaCode string // ONS code of the local authority, as in postcodes.area_code
}

// PlaceAreas tells which place lists a record: the place whose area (its
// local authority, as the postcode file gives it) holds the record's
// postcode. Every import and the default data use it, so a record is
// listed in the same place however it arrived.
type PlaceAreas struct {
	byArea map[string]PlaceArea
}

// NewPlaceAreas indexes places by their area codes; a place without one
// lists nothing by postcode.
func NewPlaceAreas(places []PlaceArea) PlaceAreas {
	a := PlaceAreas{byArea: make(map[string]PlaceArea, len(places))}
	for _, p := range places {
		if p.AreaCode != "" {
			a.byArea[p.AreaCode] = p
		}
	}
	return a
}

// For returns the place whose area has the given local authority code.
func (a PlaceAreas) For(areaCode string) (PlaceArea, bool) {
	if areaCode == "" {
		return PlaceArea{}, false
	}
	p, ok := a.byArea[areaCode]
	return p, ok
}

// servicePostcodes returns, for each service, the postcodes of its
// locations' addresses in the order the service lists them.
func servicePostcodes(svc Service) []string {
	var pcs []string
	for _, sl := range svc.Locations {
		for _, ad := range sl.Location.Addresses {
			if pc, ok := NormalizePostcode(ad.PostalCode); ok {
				pcs = append(pcs, pc)
			}
		}
	}
	return pcs
}

// PlaceServices lists each service in the place whose area holds the
// postcode of its first location with a known postcode. A service whose
// postcodes lie in no place's area goes to fallback when that is not 0,
// else keeps the place it is listed in already (an import never takes a
// service off its place), else is listed in none. It changes the services
// given, not the database.
func PlaceServices(ctx context.Context, q db.Querier, services []Service, places []PlaceArea, fallback int64) error {
	areas := NewPlaceAreas(places)
	var all []string
	ids := make([]string, len(services))
	for i, svc := range services {
		all = append(all, servicePostcodes(svc)...)
		ids[i] = svc.ID
	}
	positions, err := lookupPostcodes(ctx, q, distinct(all))
	if err != nil {
		return err
	}
	stored, err := storedPlaces(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range services {
		svc := &services[i]
		placeID := int64(0)
		for _, pc := range servicePostcodes(*svc) {
			if p, ok := areas.For(positions[pc].AreaCode); ok {
				placeID = p.ID
				break
			}
		}
		switch {
		case placeID != 0:
		case fallback != 0:
			placeID = fallback
		default:
			placeID = stored[svc.ID]
		}
		svc.PlaceID = placeID
	}
	return nil
}

// storedPlaces returns the place of each of the services that is stored
// and listed in one.
func storedPlaces(ctx context.Context, q db.Querier, ids []string) (map[string]int64, error) {
	places := map[string]int64{}
	for start := 0; start < len(ids); start += lookupBatch {
		part := ids[start:min(start+lookupBatch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT id, place_id FROM dir_services
			WHERE place_id IS NOT NULL AND id IN (`+paramList(len(args))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("directory: stored places: %w", err)
		}
		for rows.Next() {
			var id string
			var p int64
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return nil, fmt.Errorf("directory: stored places: %w", err)
			}
			places[id] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("directory: stored places: %w", err)
		}
	}
	return places, nil
}

// PlaceByPostcode lists in their place the services that a postcode import
// has made placeable: those whose first location with a postcode in a
// place's area is listed in another place or none. Services whose
// postcodes lie in no place's area keep their place. It returns how many
// services moved.
func PlaceByPostcode(ctx context.Context, q db.Querier, places []PlaceArea) (int, error) {
	areas := NewPlaceAreas(places)
	// Each service's located addresses with the area of their postcode, in
	// the order the service lists its locations.
	rows, err := q.QueryContext(ctx, `SELECT s.id, COALESCE(s.place_id, 0), p.area_code
		FROM dir_services s
		JOIN dir_service_at_locations sl ON sl.service_id = s.id
		JOIN dir_addresses a ON a.location_id = sl.location_id
		JOIN postcodes p ON p.code = REPLACE(UPPER(a.postal_code), ' ', '')
		ORDER BY s.id, sl.id, a.id`)
	if err != nil {
		return 0, fmt.Errorf("directory: place by postcode: %w", err)
	}
	type move struct {
		id    string
		place int64
	}
	var moves []move
	decided := ""
	for rows.Next() {
		var id, area string
		var current int64
		if err := rows.Scan(&id, &current, &area); err != nil {
			rows.Close()
			return 0, fmt.Errorf("directory: place by postcode: %w", err)
		}
		if id == decided {
			continue
		}
		p, ok := areas.For(area)
		if !ok {
			continue
		}
		decided = id
		if p.ID != current {
			moves = append(moves, move{id, p.ID})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("directory: place by postcode: %w", err)
	}
	// Through SaveService, so the search index and content hash follow.
	st := NewStore(q)
	for _, m := range moves {
		svc, err := st.Service(ctx, m.id)
		if err != nil {
			return 0, fmt.Errorf("directory: place by postcode: %w", err)
		}
		svc.PlaceID = m.place
		if _, err := st.SaveService(ctx, svc); err != nil {
			return 0, fmt.Errorf("directory: place by postcode: %w", err)
		}
	}
	return len(moves), nil
}
