package directory

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// inChunk bounds how many values one IN list carries, well under every
// engine's limit on bound parameters.
const inChunk = 500

// placeholders returns "$first, $first+1, ..." for n values.
func placeholders(first, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$%d", first+i)
	}
	return b.String()
}

// eachIn runs query once per chunk of ids, replacing the single %s in it with
// the chunk's placeholders (numbered after the len(args) leading arguments),
// and calls scan for every row.
func (s *Store) eachIn(ctx context.Context, query string, ids []string, scan func(*sql.Rows) error, args ...any) error {
	for start := 0; start < len(ids); start += inChunk {
		chunk := ids[start:min(start+inChunk, len(ids))]
		all := append(append(make([]any, 0, len(args)+len(chunk)), args...), anys(chunk)...)
		rows, err := s.q.QueryContext(ctx, fmt.Sprintf(query, placeholders(len(args)+1, len(chunk))), all...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// distinct returns ss without repeats or empty strings, in first-seen order.
func distinct(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Service returns a service with everything that hangs off it.
func (s *Store) Service(ctx context.Context, id string) (Service, error) {
	svcs, err := s.Services(ctx, []string{id})
	if err != nil {
		return Service{}, err
	}
	if len(svcs) == 0 {
		return Service{}, fmt.Errorf("directory: service %s: %w", id, db.ErrNotFound)
	}
	return svcs[0], nil
}

const serviceColumns = `s.id, s.organization_id, COALESCE(s.place_id, 0), s.name, s.description, s.url, s.email, s.status,
	s.accreditations, s.minimum_age, s.maximum_age, s.assured_date, s.alert, s.free, s.source, s.last_modified,
	s.confirmed_at, s.assurer_email`

func scanService(row interface{ Scan(...any) error }) (Service, error) {
	var svc Service
	var minAge, maxAge sql.NullInt64
	var confirmed sql.NullTime
	err := row.Scan(&svc.ID, &svc.OrganizationID, &svc.PlaceID, &svc.Name, &svc.Description, &svc.URL, &svc.Email,
		&svc.Status, &svc.Accreditations, &minAge, &maxAge, &svc.AssuredDate, &svc.Alert, &svc.Free, &svc.Source,
		&svc.LastModified, &confirmed, &svc.AssurerEmail)
	svc.MinimumAge, svc.MaximumAge = intPtr(minAge), intPtr(maxAge)
	if confirmed.Valid {
		t := confirmed.Time.UTC()
		svc.ConfirmedAt = &t
	}
	return svc, err
}

func intPtr(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// Services returns the services with the given ids, each with everything
// that hangs off it, in the order of ids; ids that match no service are left
// out. It loads each kind of record for all the services in one query, so a
// page of fifty costs a dozen queries, not hundreds.
func (s *Store) Services(ctx context.Context, ids []string) ([]Service, error) {
	ids = distinct(ids)
	out, err := s.loadServices(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("directory: load services: %w", err)
	}
	return out, nil
}

func (s *Store) loadServices(ctx context.Context, ids []string) ([]Service, error) {
	if len(ids) == 0 {
		return []Service{}, nil
	}
	byID := make(map[string]*Service, len(ids))
	var orgIDs []string
	err := s.eachIn(ctx, `SELECT `+serviceColumns+` FROM dir_services s WHERE s.id IN (%s)`, ids, func(rows *sql.Rows) error {
		svc, err := scanService(rows)
		if err != nil {
			return err
		}
		byID[svc.ID] = &svc
		orgIDs = append(orgIDs, svc.OrganizationID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	found := make([]string, 0, len(byID))
	for _, id := range ids {
		if byID[id] != nil {
			found = append(found, id)
		}
	}
	if len(found) == 0 {
		return []Service{}, nil
	}

	orgs, err := s.loadOrganizations(ctx, distinct(orgIDs))
	if err != nil {
		return nil, err
	}
	for _, svc := range byID {
		if o, ok := orgs[svc.OrganizationID]; ok {
			o := o
			svc.Organization = &o
		}
	}

	// Service at locations and their locations.
	type salRow struct{ id, serviceID, locationID string }
	var sals []salRow
	err = s.eachIn(ctx, `SELECT id, service_id, location_id FROM dir_service_at_locations
		WHERE service_id IN (%s) ORDER BY service_id, id`, found, func(rows *sql.Rows) error {
		var r salRow
		if err := rows.Scan(&r.id, &r.serviceID, &r.locationID); err != nil {
			return err
		}
		sals = append(sals, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	locIDs := make([]string, 0, len(sals))
	salIDs := make([]string, 0, len(sals))
	for _, r := range sals {
		locIDs = append(locIDs, r.locationID)
		salIDs = append(salIDs, r.id)
	}
	locs, err := s.loadLocations(ctx, distinct(locIDs))
	if err != nil {
		return nil, err
	}
	salSchedules := map[string][]Schedule{}
	if len(salIDs) > 0 {
		err = s.eachIn(ctx, `SELECT `+scheduleColumns+` FROM dir_schedules WHERE service_at_location_id IN (%s) ORDER BY id`,
			salIDs, func(rows *sql.Rows) error {
				sch, _, salID, err := scanSchedule(rows)
				if err != nil {
					return err
				}
				salSchedules[salID] = append(salSchedules[salID], sch)
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	for _, r := range sals {
		svc := byID[r.serviceID]
		svc.Locations = append(svc.Locations, ServiceLocation{ID: r.id, Location: locs[r.locationID], Schedules: salSchedules[r.id]})
	}

	err = s.eachIn(ctx, `SELECT `+scheduleColumns+` FROM dir_schedules WHERE service_id IN (%s) ORDER BY id`, found,
		func(rows *sql.Rows) error {
			sch, serviceID, _, err := scanSchedule(rows)
			if err != nil {
				return err
			}
			byID[serviceID].Schedules = append(byID[serviceID].Schedules, sch)
			return nil
		})
	if err != nil {
		return nil, err
	}

	// Contacts and their phones.
	contactOwner := map[string]string{}
	var contactIDs []string
	err = s.eachIn(ctx, `SELECT id, service_id, name, title, email FROM dir_contacts WHERE service_id IN (%s) ORDER BY id`, found,
		func(rows *sql.Rows) error {
			var c Contact
			var serviceID string
			if err := rows.Scan(&c.ID, &serviceID, &c.Name, &c.Title, &c.Email); err != nil {
				return err
			}
			byID[serviceID].Contacts = append(byID[serviceID].Contacts, c)
			contactOwner[c.ID] = serviceID
			contactIDs = append(contactIDs, c.ID)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if len(contactIDs) > 0 {
		contactPhones := map[string][]Phone{}
		err = s.eachIn(ctx, `SELECT id, contact_id, number, description FROM dir_phones WHERE contact_id IN (%s) ORDER BY id`,
			contactIDs, func(rows *sql.Rows) error {
				var ph Phone
				var contactID string
				if err := rows.Scan(&ph.ID, &contactID, &ph.Number, &ph.Description); err != nil {
					return err
				}
				contactPhones[contactID] = append(contactPhones[contactID], ph)
				return nil
			})
		if err != nil {
			return nil, err
		}
		for _, svc := range byID {
			for i := range svc.Contacts {
				svc.Contacts[i].Phones = contactPhones[svc.Contacts[i].ID]
			}
		}
	}

	err = s.eachIn(ctx, `SELECT id, service_id, number, description FROM dir_phones WHERE service_id IN (%s) ORDER BY id`, found,
		func(rows *sql.Rows) error {
			var ph Phone
			var serviceID string
			if err := rows.Scan(&ph.ID, &serviceID, &ph.Number, &ph.Description); err != nil {
				return err
			}
			byID[serviceID].Phones = append(byID[serviceID].Phones, ph)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT id, service_id, valid_from, valid_to, option, amount, amount_description
		FROM dir_cost_options WHERE service_id IN (%s) ORDER BY id`, found, func(rows *sql.Rows) error {
		var co CostOption
		var serviceID string
		var amount sql.NullFloat64
		if err := rows.Scan(&co.ID, &serviceID, &co.ValidFrom, &co.ValidTo, &co.Option, &amount, &co.AmountDescription); err != nil {
			return err
		}
		if amount.Valid {
			co.Amount = &amount.Float64
		}
		byID[serviceID].CostOptions = append(byID[serviceID].CostOptions, co)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT id, service_id, name, code, note FROM dir_languages WHERE service_id IN (%s) ORDER BY id`, found,
		func(rows *sql.Rows) error {
			var l Language
			var serviceID string
			if err := rows.Scan(&l.ID, &serviceID, &l.Name, &l.Code, &l.Note); err != nil {
				return err
			}
			byID[serviceID].Languages = append(byID[serviceID].Languages, l)
			return nil
		})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT id, service_id, name, description, extent, extent_type, uri
		FROM dir_service_areas WHERE service_id IN (%s) ORDER BY id`, found, func(rows *sql.Rows) error {
		var a ServiceArea
		var serviceID string
		if err := rows.Scan(&a.ID, &serviceID, &a.Name, &a.Description, &a.Extent, &a.ExtentType, &a.URI); err != nil {
			return err
		}
		byID[serviceID].ServiceAreas = append(byID[serviceID].ServiceAreas, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT st.service_id, `+termColumns+` FROM dir_service_terms st
		JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id
		WHERE st.service_id IN (%s) ORDER BY t.name, t.id`, found, func(rows *sql.Rows) error {
		var serviceID string
		var t TaxonomyTerm
		var parent sql.NullString
		if err := rows.Scan(&serviceID, &t.ID, &t.TaxonomyID, &parent, &t.Code, &t.Name, &t.Description, &t.TermURI); err != nil {
			return err
		}
		t.ParentID = parent.String
		svc := byID[serviceID]
		svc.TermIDs = append(svc.TermIDs, t.ID)
		svc.Terms = append(svc.Terms, t)
		return nil
	})
	if err != nil {
		return nil, err
	}

	out := make([]Service, 0, len(found))
	for _, id := range found {
		out = append(out, *byID[id])
	}
	return out, nil
}

const scheduleColumns = `id, COALESCE(service_id, ''), COALESCE(service_at_location_id, ''), freq, interval, byday, bymonthday,
	dtstart, valid_from, valid_to, opens_at, closes_at, description, notes, attending_type, schedule_link`

func scanSchedule(rows *sql.Rows) (sch Schedule, serviceID, salID string, err error) {
	var interval sql.NullInt64
	err = rows.Scan(&sch.ID, &serviceID, &salID, &sch.Freq, &interval, &sch.ByDay, &sch.ByMonthDay, &sch.DTStart,
		&sch.ValidFrom, &sch.ValidTo, &sch.OpensAt, &sch.ClosesAt, &sch.Description, &sch.Notes, &sch.AttendingType,
		&sch.ScheduleLink)
	sch.Interval = intPtr(interval)
	return sch, serviceID, salID, err
}

// loadLocations returns the locations with the given ids, with their
// addresses, accessibility and phones.
func (s *Store) loadLocations(ctx context.Context, ids []string) (map[string]Location, error) {
	locs := make(map[string]*Location, len(ids))
	if len(ids) == 0 {
		return map[string]Location{}, nil
	}
	err := s.eachIn(ctx, `SELECT id, location_type, name, description, latitude, longitude, external_identifier,
		external_identifier_type, last_modified FROM dir_locations WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		var l Location
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&l.ID, &l.LocationType, &l.Name, &l.Description, &lat, &lon, &l.ExternalIdentifier,
			&l.ExternalIdentifierType, &l.LastModified); err != nil {
			return err
		}
		if lat.Valid && lon.Valid {
			l.Latitude, l.Longitude = &lat.Float64, &lon.Float64
		}
		locs[l.ID] = &l
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT id, location_id, attention, address_1, address_2, city, region, state_province, postal_code,
		country, address_type FROM dir_addresses WHERE location_id IN (%s) ORDER BY id`, ids, func(rows *sql.Rows) error {
		var a Address
		var locID string
		if err := rows.Scan(&a.ID, &locID, &a.Attention, &a.Address1, &a.Address2, &a.City, &a.Region, &a.StateProvince,
			&a.PostalCode, &a.Country, &a.AddressType); err != nil {
			return err
		}
		locs[locID].Addresses = append(locs[locID].Addresses, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT id, location_id, description, details, url FROM dir_accessibility
		WHERE location_id IN (%s) ORDER BY id`, ids, func(rows *sql.Rows) error {
		var a Accessibility
		var locID string
		if err := rows.Scan(&a.ID, &locID, &a.Description, &a.Details, &a.URL); err != nil {
			return err
		}
		locs[locID].Accessibility = append(locs[locID].Accessibility, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.eachIn(ctx, `SELECT id, location_id, number, description FROM dir_phones WHERE location_id IN (%s) ORDER BY id`, ids,
		func(rows *sql.Rows) error {
			var ph Phone
			var locID string
			if err := rows.Scan(&ph.ID, &locID, &ph.Number, &ph.Description); err != nil {
				return err
			}
			locs[locID].Phones = append(locs[locID].Phones, ph)
			return nil
		})
	if err != nil {
		return nil, err
	}
	out := make(map[string]Location, len(locs))
	for id, l := range locs {
		out[id] = *l
	}
	return out, nil
}

// ServiceAtLocation returns a service delivered at one location: the
// service with everything that hangs off it, and the one of its locations
// the id names.
func (s *Store) ServiceAtLocation(ctx context.Context, id string) (Service, ServiceLocation, error) {
	var serviceID string
	err := s.q.QueryRowContext(ctx, `SELECT service_id FROM dir_service_at_locations WHERE id = $1`, id).Scan(&serviceID)
	if errors.Is(err, sql.ErrNoRows) {
		return Service{}, ServiceLocation{}, fmt.Errorf("directory: service at location %s: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Service{}, ServiceLocation{}, fmt.Errorf("directory: service at location %s: %w", id, err)
	}
	svc, err := s.Service(ctx, serviceID)
	if err != nil {
		return Service{}, ServiceLocation{}, err
	}
	for _, sl := range svc.Locations {
		if sl.ID == id {
			return svc, sl, nil
		}
	}
	return Service{}, ServiceLocation{}, fmt.Errorf("directory: service at location %s: %w", id, db.ErrNotFound)
}

// Organization returns an organisation.
func (s *Store) Organization(ctx context.Context, id string) (Organization, error) {
	orgs, err := s.loadOrganizations(ctx, []string{id})
	if err != nil {
		return Organization{}, fmt.Errorf("directory: organization %s: %w", id, err)
	}
	o, ok := orgs[id]
	if !ok {
		return Organization{}, fmt.Errorf("directory: organization %s: %w", id, db.ErrNotFound)
	}
	return o, nil
}

const organizationColumns = `id, name, description, email, website, uri, logo, COALESCE(parent_organization_id, ''),
	COALESCE(ods_code, ''), source, last_modified`

func scanOrganization(row db.Scanner) (Organization, error) {
	var o Organization
	err := row.Scan(&o.ID, &o.Name, &o.Description, &o.Email, &o.Website, &o.URI, &o.Logo, &o.ParentOrganizationID,
		&o.ODSCode, &o.Source, &o.LastModified)
	return o, err
}

func (s *Store) loadOrganizations(ctx context.Context, ids []string) (map[string]Organization, error) {
	out := make(map[string]Organization, len(ids))
	err := s.eachIn(ctx, `SELECT `+organizationColumns+` FROM dir_organizations WHERE id IN (%s)`, ids, func(rows *sql.Rows) error {
		o, err := scanOrganization(rows)
		if err != nil {
			return err
		}
		out[o.ID] = o
		return nil
	})
	return out, err
}

// Organizations returns a page of organisations in name order, and how
// many there are in all.
func (s *Store) Organizations(ctx context.Context, page, perPage int) ([]Organization, int, error) {
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_organizations`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: count organizations: %w", err)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT `+organizationColumns+` FROM dir_organizations ORDER BY name, id LIMIT $1 OFFSET $2`,
		perPage, offset(page, perPage))
	if err != nil {
		return nil, 0, fmt.Errorf("directory: organizations: %w", err)
	}
	defer rows.Close()
	out := []Organization{}
	for rows.Next() {
		o, err := scanOrganization(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("directory: organizations: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("directory: organizations: %w", err)
	}
	return out, total, nil
}

// OrganizationServiceIDs returns the ids of an organisation's services, in
// name order.
func (s *Store) OrganizationServiceIDs(ctx context.Context, orgID string) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id FROM dir_services WHERE organization_id = $1 ORDER BY name, id`, orgID)
	if err != nil {
		return nil, fmt.Errorf("directory: services of organization %s: %w", orgID, err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("directory: services of organization %s: %w", orgID, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: services of organization %s: %w", orgID, err)
	}
	return ids, nil
}

// offset is the number of records before a page, pages counting from 1.
func offset(page, perPage int) int {
	if page < 1 {
		page = 1
	}
	return (page - 1) * perPage
}

// Taxonomy returns a taxonomy.
func (s *Store) Taxonomy(ctx context.Context, id string) (Taxonomy, error) {
	var t Taxonomy
	err := s.q.QueryRowContext(ctx, `SELECT id, name, description, uri, version FROM dir_taxonomies WHERE id = $1`, id).
		Scan(&t.ID, &t.Name, &t.Description, &t.URI, &t.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return Taxonomy{}, fmt.Errorf("directory: taxonomy %s: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Taxonomy{}, fmt.Errorf("directory: taxonomy %s: %w", id, err)
	}
	return t, nil
}

// Taxonomies returns a page of taxonomies in name order, and how many there
// are in all.
func (s *Store) Taxonomies(ctx context.Context, page, perPage int) ([]Taxonomy, int, error) {
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_taxonomies`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: count taxonomies: %w", err)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT id, name, description, uri, version FROM dir_taxonomies
		ORDER BY name, id LIMIT $1 OFFSET $2`, perPage, offset(page, perPage))
	if err != nil {
		return nil, 0, fmt.Errorf("directory: taxonomies: %w", err)
	}
	defer rows.Close()
	out := []Taxonomy{}
	for rows.Next() {
		var t Taxonomy
		if err := rows.Scan(&t.ID, &t.Name, &t.Description, &t.URI, &t.Version); err != nil {
			return nil, 0, fmt.Errorf("directory: taxonomies: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("directory: taxonomies: %w", err)
	}
	return out, total, nil
}

const termColumns = `t.id, t.taxonomy_id, t.parent_id, t.code, t.name, t.description, t.term_uri`

// TermFilter narrows a listing of taxonomy terms. Zero values mean "any".
type TermFilter struct {
	TaxonomyID string
	ParentID   string
	// TopOnly lists only terms without a parent.
	TopOnly bool
}

// TaxonomyTerm returns a taxonomy term.
func (s *Store) TaxonomyTerm(ctx context.Context, id string) (TaxonomyTerm, error) {
	var t TaxonomyTerm
	var parent sql.NullString
	err := s.q.QueryRowContext(ctx, `SELECT `+termColumns+` FROM dir_taxonomy_terms t WHERE t.id = $1`, id).
		Scan(&t.ID, &t.TaxonomyID, &parent, &t.Code, &t.Name, &t.Description, &t.TermURI)
	if errors.Is(err, sql.ErrNoRows) {
		return TaxonomyTerm{}, fmt.Errorf("directory: taxonomy term %s: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return TaxonomyTerm{}, fmt.Errorf("directory: taxonomy term %s: %w", id, err)
	}
	t.ParentID = parent.String
	return t, nil
}

// TaxonomyTerms returns a page of the taxonomy terms that pass the filter,
// in name order, and how many pass it in all.
func (s *Store) TaxonomyTerms(ctx context.Context, f TermFilter, page, perPage int) ([]TaxonomyTerm, int, error) {
	var conds []string
	var args []any
	if f.TaxonomyID != "" {
		args = append(args, f.TaxonomyID)
		conds = append(conds, fmt.Sprintf("t.taxonomy_id = $%d", len(args)))
	}
	if f.ParentID != "" {
		args = append(args, f.ParentID)
		conds = append(conds, fmt.Sprintf("t.parent_id = $%d", len(args)))
	}
	if f.TopOnly {
		conds = append(conds, "t.parent_id IS NULL")
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_taxonomy_terms t`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: count taxonomy terms: %w", err)
	}
	n := len(args)
	rows, err := s.q.QueryContext(ctx, `SELECT `+termColumns+` FROM dir_taxonomy_terms t`+where+
		fmt.Sprintf(` ORDER BY t.name, t.id LIMIT $%d OFFSET $%d`, n+1, n+2), append(args, perPage, offset(page, perPage))...)
	if err != nil {
		return nil, 0, fmt.Errorf("directory: taxonomy terms: %w", err)
	}
	defer rows.Close()
	out := []TaxonomyTerm{}
	for rows.Next() {
		var t TaxonomyTerm
		var parent sql.NullString
		if err := rows.Scan(&t.ID, &t.TaxonomyID, &parent, &t.Code, &t.Name, &t.Description, &t.TermURI); err != nil {
			return nil, 0, fmt.Errorf("directory: taxonomy terms: %w", err)
		}
		t.ParentID = parent.String
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("directory: taxonomy terms: %w", err)
	}
	return out, total, nil
}
