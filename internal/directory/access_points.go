package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// The reads below serve the access and inequality view (package access),
// which measures how far each postcode is from the nearest active GP
// practice and pharmacy without reading the directory's tables itself.

// PostcodePoint is a postcode of the lookup with its position and areas.
type PostcodePoint struct {
	Postcode string // formatted, such as "SE1 7EH"
	Point
	AreaCode string // local authority (ONS GSS code)
	WardCode string
	// LSOACode is the 2011 LSOA the postcode file gives, "" when it gives
	// none.
	LSOACode string
}

// District returns the postcode's outward code, such as "SE1P".
func (p PostcodePoint) District() string {
	out, _, _ := strings.Cut(p.Postcode, " ")
	return out
}

// AccessPostcodes returns every postcode of the lookup, by postcode.
func (s *Store) AccessPostcodes(ctx context.Context) ([]PostcodePoint, error) {
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (PostcodePoint, error) {
		var p PostcodePoint
		err := r.Scan(&p.Postcode, &p.Lat, &p.Lon, &p.AreaCode, &p.WardCode, &p.LSOACode)
		return p, err
	}, `SELECT postcode, latitude, longitude, area_code, ward_code, lsoa_code FROM postcodes ORDER BY code`)
	if err != nil {
		return nil, fmt.Errorf("directory: access postcodes: %w", err)
	}
	return out, nil
}

// AccessPoint is where an active service of a category is delivered.
type AccessPoint struct {
	ServiceID string
	Name      string
	ODSCode   string // the organisation's NHS ODS code, "" for none
	TermID    string // the category asked for that the service is under
	PlaceID   int64  // the place whose directory lists it, 0 for none
	Point
	Postcode string // of the location's first address, "" for none
}

// AccessPoints returns each position at which an active service
// categorised under one of termIDs is delivered: one row per service and
// location, by service.
func (s *Store) AccessPoints(ctx context.Context, termIDs ...string) ([]AccessPoint, error) {
	if len(termIDs) == 0 {
		return nil, nil
	}
	args := []any{StatusActive}
	marks := make([]string, len(termIDs))
	for i, id := range termIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (AccessPoint, error) {
		var p AccessPoint
		var place *int64
		err := r.Scan(&p.ServiceID, &p.Name, &p.ODSCode, &p.TermID, &place, &p.Lat, &p.Lon, &p.Postcode)
		if place != nil {
			p.PlaceID = *place
		}
		if pc, ok := NormalizePostcode(p.Postcode); ok {
			p.Postcode = pc
		}
		return p, err
	}, `SELECT s.id, s.name, COALESCE(o.ods_code, ''), st.taxonomy_term_id, s.place_id, l.latitude, l.longitude,
			COALESCE((SELECT a.postal_code FROM dir_addresses a WHERE a.location_id = l.id ORDER BY a.id LIMIT 1), '')
		FROM dir_services s
		JOIN dir_organizations o ON o.id = s.organization_id
		JOIN dir_service_terms st ON st.service_id = s.id
		JOIN dir_service_at_locations sl ON sl.service_id = s.id
		JOIN dir_locations l ON l.id = sl.location_id
		WHERE s.status = $1 AND st.taxonomy_term_id IN (`+strings.Join(marks, ", ")+`)
			AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL
		ORDER BY s.id, sl.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: access points: %w", err)
	}
	return out, nil
}
