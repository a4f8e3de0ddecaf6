package directory

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes the directory.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q (the database or a
// transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// SaveResult says what saving a record did.
type SaveResult int

// The outcomes of a save.
const (
	Unchanged SaveResult = iota
	Added
	Updated
)

func (r SaveResult) String() string {
	return [...]string{"unchanged", "added", "updated"}[r]
}

func nullString(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullInt64(n int64) sql.NullInt64 { return sql.NullInt64{Int64: n, Valid: n != 0} }

// SaveTaxonomy adds or updates a taxonomy and its terms.
func (s *Store) SaveTaxonomy(ctx context.Context, t Taxonomy, terms []TaxonomyTerm) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO dir_taxonomies (id, name, description, uri, version)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description,
			uri = excluded.uri, version = excluded.version`,
		t.ID, t.Name, t.Description, t.URI, t.Version)
	if err != nil {
		return fmt.Errorf("directory: save taxonomy %s: %w", t.ID, err)
	}
	for _, term := range terms {
		var was []string
		var oldName, oldDesc string
		switch err := s.q.QueryRowContext(ctx, `SELECT name, description FROM dir_taxonomy_terms WHERE id = $1`, term.ID).
			Scan(&oldName, &oldDesc); {
		case err == nil:
			was = []string{oldName, oldDesc}
		case err != sql.ErrNoRows:
			return fmt.Errorf("directory: save taxonomy term %s: %w", term.ID, err)
		}
		if err := s.updateVocabulary(ctx, was, []string{term.Name, term.Description}); err != nil {
			return fmt.Errorf("directory: save taxonomy term %s: %w", term.ID, err)
		}
		_, err := s.q.ExecContext(ctx, `INSERT INTO dir_taxonomy_terms (id, taxonomy_id, parent_id, code, name, description, term_uri)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (id) DO UPDATE SET taxonomy_id = excluded.taxonomy_id, parent_id = excluded.parent_id,
				code = excluded.code, name = excluded.name, description = excluded.description, term_uri = excluded.term_uri`,
			term.ID, t.ID, nullString(term.ParentID), term.Code, term.Name, term.Description, term.TermURI)
		if err != nil {
			return fmt.Errorf("directory: save taxonomy term %s: %w", term.ID, err)
		}
	}
	return nil
}

// SaveOrganization adds or updates an organisation.
func (s *Store) SaveOrganization(ctx context.Context, o Organization) error {
	if o.LastModified.IsZero() {
		o.LastModified = db.Now()
	}
	if o.Source == "" {
		o.Source = "local"
	}
	var was []string
	var oldName string
	switch err := s.q.QueryRowContext(ctx, `SELECT name FROM dir_organizations WHERE id = $1`, o.ID).Scan(&oldName); {
	case err == nil:
		was = []string{oldName}
	case err != sql.ErrNoRows:
		return fmt.Errorf("directory: save organization %s: %w", o.ID, err)
	}
	if err := s.updateVocabulary(ctx, was, []string{o.Name}); err != nil {
		return fmt.Errorf("directory: save organization %s: %w", o.ID, err)
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO dir_organizations
		(id, name, description, email, website, uri, logo, parent_organization_id, ods_code, source, last_modified)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, email = excluded.email,
			website = excluded.website, uri = excluded.uri, logo = excluded.logo,
			parent_organization_id = excluded.parent_organization_id, ods_code = excluded.ods_code,
			source = excluded.source, last_modified = excluded.last_modified`,
		o.ID, o.Name, o.Description, o.Email, o.Website, o.URI, o.Logo, nullString(o.ParentOrganizationID),
		nullString(o.ODSCode), o.Source, o.LastModified.UTC())
	if err != nil {
		return fmt.Errorf("directory: save organization %s: %w", o.ID, err)
	}
	return nil
}

// contentHash fingerprints what a service says, so a re-import can tell an
// unchanged record from a changed one without comparing every table.
func contentHash(svc Service) string {
	svc.LastModified = time.Time{}
	// A copy, so clearing the times does not change the caller's service.
	svc.Locations = append([]ServiceLocation(nil), svc.Locations...)
	for i := range svc.Locations {
		svc.Locations[i].Location.LastModified = time.Time{}
	}
	svc.Organization, svc.Terms = nil, nil
	b, _ := json.Marshal(svc)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// SaveService adds or replaces a service with everything that hangs off it:
// its locations (added or updated; they may be shared with other services),
// schedules, contacts, phones, costs, languages, areas and categories. Its
// organisation must exist. It writes many rows: run it in a transaction.
func (s *Store) SaveService(ctx context.Context, svc Service) (SaveResult, error) {
	hash := contentHash(svc)
	var old, oldName, oldDesc string
	err := s.q.QueryRowContext(ctx, `SELECT content_hash, name, description FROM dir_services WHERE id = $1`, svc.ID).
		Scan(&old, &oldName, &oldDesc)
	was := []string{oldName, oldDesc}
	result := Updated
	switch {
	case err == sql.ErrNoRows:
		result, was = Added, nil
	case err != nil:
		return 0, fmt.Errorf("directory: save service %s: %w", svc.ID, err)
	case old == hash:
		return Unchanged, nil
	}
	if svc.LastModified.IsZero() {
		svc.LastModified = db.Now()
	}
	if svc.Status == "" {
		svc.Status = StatusActive
	}
	if svc.Source == "" {
		svc.Source = "local"
	}
	if err := s.writeService(ctx, svc, hash, result == Added); err != nil {
		return 0, fmt.Errorf("directory: save service %s (%s): %w", svc.ID, svc.Name, err)
	}
	if err := s.updateVocabulary(ctx, was, []string{svc.Name, svc.Description}); err != nil {
		return 0, fmt.Errorf("directory: save service %s (%s): %w", svc.ID, svc.Name, err)
	}
	return result, nil
}

// writeService writes svc; fresh says it was not stored, so nothing of
// its own is there to clear (foreign keys delete a service's rows with it),
// which spares a new service's import nine deletes.
func (s *Store) writeService(ctx context.Context, svc Service, hash string, fresh bool) error {
	exec := func(query string, args ...any) error {
		_, err := s.q.ExecContext(ctx, query, args...)
		return err
	}
	err := exec(`INSERT INTO dir_services (id, organization_id, place_id, name, description, url, email, status,
			accreditations, minimum_age, maximum_age, assured_date, alert, free, source, last_modified, content_hash, search_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
			(SELECT COALESCE(MAX(search_key), 0) + 1 FROM dir_services))
		ON CONFLICT (id) DO UPDATE SET organization_id = excluded.organization_id, place_id = excluded.place_id,
			name = excluded.name, description = excluded.description, url = excluded.url, email = excluded.email,
			status = excluded.status, accreditations = excluded.accreditations, minimum_age = excluded.minimum_age,
			maximum_age = excluded.maximum_age, assured_date = excluded.assured_date, alert = excluded.alert,
			free = excluded.free, source = excluded.source, last_modified = excluded.last_modified,
			content_hash = excluded.content_hash`,
		svc.ID, svc.OrganizationID, nullInt64(svc.PlaceID), svc.Name, svc.Description, svc.URL, svc.Email, svc.Status,
		svc.Accreditations, svc.MinimumAge, svc.MaximumAge, svc.AssuredDate, svc.Alert, svc.Free, svc.Source,
		svc.LastModified.UTC(), hash)
	if err != nil {
		return err
	}
	// Replace everything that belongs to the service alone.
	for _, table := range []string{"dir_service_terms", "dir_schedules", "dir_contacts", "dir_phones", "dir_cost_options",
		"dir_languages", "dir_service_areas", "dir_opening_periods", "dir_service_at_locations"} {
		if fresh {
			break
		}
		if err := exec(`DELETE FROM `+table+` WHERE service_id = $1`, svc.ID); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	for _, termID := range svc.TermIDs {
		if err := exec(`INSERT INTO dir_service_terms (service_id, taxonomy_term_id) VALUES ($1, $2)`, svc.ID, termID); err != nil {
			return fmt.Errorf("category %s: %w", termID, err)
		}
	}
	var periods []openingPeriod
	for _, sch := range svc.Schedules {
		if err := s.insertSchedule(ctx, sch, svc.ID, ""); err != nil {
			return err
		}
		periods = append(periods, openingPeriods(sch)...)
	}
	for _, sl := range svc.Locations {
		if err := s.saveLocation(ctx, sl.Location); err != nil {
			return err
		}
		if err := exec(`INSERT INTO dir_service_at_locations (id, service_id, location_id) VALUES ($1, $2, $3)`,
			sl.ID, svc.ID, sl.Location.ID); err != nil {
			return fmt.Errorf("service at location %s: %w", sl.ID, err)
		}
		for _, sch := range sl.Schedules {
			if err := s.insertSchedule(ctx, sch, "", sl.ID); err != nil {
				return err
			}
			periods = append(periods, openingPeriods(sch)...)
		}
	}
	for _, p := range periods {
		if err := exec(`INSERT INTO dir_opening_periods (service_id, weekday, opens_min, closes_min) VALUES ($1, $2, $3, $4)`,
			svc.ID, p.weekday, p.opens, p.closes); err != nil {
			return fmt.Errorf("opening period: %w", err)
		}
	}
	for _, c := range svc.Contacts {
		if err := exec(`INSERT INTO dir_contacts (id, service_id, name, title, email) VALUES ($1, $2, $3, $4, $5)`,
			c.ID, svc.ID, c.Name, c.Title, c.Email); err != nil {
			return fmt.Errorf("contact %s: %w", c.ID, err)
		}
		for _, ph := range c.Phones {
			if err := exec(`INSERT INTO dir_phones (id, contact_id, number, description) VALUES ($1, $2, $3, $4)`,
				ph.ID, c.ID, ph.Number, ph.Description); err != nil {
				return fmt.Errorf("contact phone %s: %w", ph.ID, err)
			}
		}
	}
	for _, ph := range svc.Phones {
		if err := exec(`INSERT INTO dir_phones (id, service_id, number, description) VALUES ($1, $2, $3, $4)`,
			ph.ID, svc.ID, ph.Number, ph.Description); err != nil {
			return fmt.Errorf("phone %s: %w", ph.ID, err)
		}
	}
	for _, co := range svc.CostOptions {
		if err := exec(`INSERT INTO dir_cost_options (id, service_id, valid_from, valid_to, option, amount, amount_description)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, co.ID, svc.ID, co.ValidFrom, co.ValidTo, co.Option, co.Amount, co.AmountDescription); err != nil {
			return fmt.Errorf("cost option %s: %w", co.ID, err)
		}
	}
	for _, l := range svc.Languages {
		if err := exec(`INSERT INTO dir_languages (id, service_id, name, code, note) VALUES ($1, $2, $3, $4, $5)`,
			l.ID, svc.ID, l.Name, l.Code, l.Note); err != nil {
			return fmt.Errorf("language %s: %w", l.ID, err)
		}
	}
	for _, a := range svc.ServiceAreas {
		if err := exec(`INSERT INTO dir_service_areas (id, service_id, name, description, extent, extent_type, uri)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, svc.ID, a.Name, a.Description, a.Extent, a.ExtentType, a.URI); err != nil {
			return fmt.Errorf("service area %s: %w", a.ID, err)
		}
	}
	return textIndexFor(s.q.Engine()).index(ctx, s.q, svc.ID)
}

func (s *Store) insertSchedule(ctx context.Context, sch Schedule, serviceID, salID string) error {
	freq := sch.Freq
	if freq == "" {
		freq = "WEEKLY"
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO dir_schedules (id, service_id, service_at_location_id, freq, interval, byday,
			bymonthday, dtstart, valid_from, valid_to, opens_at, closes_at, description, notes, attending_type, schedule_link)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
		sch.ID, nullString(serviceID), nullString(salID), freq, sch.Interval, sch.ByDay, sch.ByMonthDay, sch.DTStart,
		sch.ValidFrom, sch.ValidTo, sch.OpensAt, sch.ClosesAt, sch.Description, sch.Notes, sch.AttendingType, sch.ScheduleLink)
	if err != nil {
		return fmt.Errorf("schedule %s: %w", sch.ID, err)
	}
	return nil
}

// saveLocation adds or updates a location and replaces its addresses,
// accessibility and phones.
func (s *Store) saveLocation(ctx context.Context, l Location) error {
	if l.LocationType == "" {
		l.LocationType = "physical"
	}
	if l.LastModified.IsZero() {
		l.LastModified = db.Now()
	}
	exec := func(query string, args ...any) error {
		_, err := s.q.ExecContext(ctx, query, args...)
		return err
	}
	err := exec(`INSERT INTO dir_locations (id, location_type, name, description, latitude, longitude,
			external_identifier, external_identifier_type, last_modified)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET location_type = excluded.location_type, name = excluded.name,
			description = excluded.description, latitude = excluded.latitude, longitude = excluded.longitude,
			external_identifier = excluded.external_identifier, external_identifier_type = excluded.external_identifier_type,
			last_modified = excluded.last_modified`,
		l.ID, l.LocationType, l.Name, l.Description, l.Latitude, l.Longitude, l.ExternalIdentifier, l.ExternalIdentifierType,
		l.LastModified.UTC())
	if err != nil {
		return fmt.Errorf("location %s: %w", l.ID, err)
	}
	for _, table := range []string{"dir_addresses", "dir_accessibility", "dir_phones"} {
		if err := exec(`DELETE FROM `+table+` WHERE location_id = $1`, l.ID); err != nil {
			return fmt.Errorf("location %s: clear %s: %w", l.ID, table, err)
		}
	}
	for _, a := range l.Addresses {
		country := a.Country
		if country == "" {
			country = "GB"
		}
		addrType := a.AddressType
		if addrType == "" {
			addrType = "physical"
		}
		if err := exec(`INSERT INTO dir_addresses (id, location_id, attention, address_1, address_2, city, region,
				state_province, postal_code, country, address_type)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			a.ID, l.ID, a.Attention, a.Address1, a.Address2, a.City, a.Region, a.StateProvince, a.PostalCode, country, addrType); err != nil {
			return fmt.Errorf("address %s: %w", a.ID, err)
		}
	}
	for _, ac := range l.Accessibility {
		if err := exec(`INSERT INTO dir_accessibility (id, location_id, description, details, url) VALUES ($1, $2, $3, $4, $5)`,
			ac.ID, l.ID, ac.Description, ac.Details, ac.URL); err != nil {
			return fmt.Errorf("accessibility %s: %w", ac.ID, err)
		}
	}
	for _, ph := range l.Phones {
		if err := exec(`INSERT INTO dir_phones (id, location_id, number, description) VALUES ($1, $2, $3, $4)`,
			ph.ID, l.ID, ph.Number, ph.Description); err != nil {
			return fmt.Errorf("location phone %s: %w", ph.ID, err)
		}
	}
	return nil
}

// CountByTerm returns, for each of the given taxonomy terms, how many active
// services of a place are categorised under it.
func (s *Store) CountByTerm(ctx context.Context, placeID int64, termIDs ...string) (map[string]int, error) {
	counts, err := s.TermCounts(ctx, placeID, termIDs...)
	if err != nil {
		return nil, err
	}
	active := make(map[string]int, len(counts))
	for id, c := range counts {
		active[id] = c.Active
	}
	return active, nil
}

// TermCount is how many services of a place a category holds: Active of
// them open, Held of every status. Held is 0 when the directory has no
// record of that kind for the place, so it cannot say how many there are.
type TermCount struct {
	Active, Held int
}

// TermCounts returns, for each of the given taxonomy terms, how many
// services of a place are categorised under it; terms without any are
// left out.
func (s *Store) TermCounts(ctx context.Context, placeID int64, termIDs ...string) (map[string]TermCount, error) {
	counts := map[string]TermCount{}
	if len(termIDs) == 0 {
		return counts, nil
	}
	args := []any{placeID, StatusActive}
	marks := make([]string, len(termIDs))
	for i, id := range termIDs {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+3)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT st.taxonomy_term_id, SUM(CASE WHEN s.status = $2 THEN 1 ELSE 0 END), COUNT(*)
		FROM dir_services s
		JOIN dir_service_terms st ON st.service_id = s.id
		WHERE s.place_id = $1 AND st.taxonomy_term_id IN (`+strings.Join(marks, ", ")+`)
		GROUP BY st.taxonomy_term_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("directory: count by term: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c TermCount
		if err := rows.Scan(&id, &c.Active, &c.Held); err != nil {
			return nil, fmt.Errorf("directory: count by term: %w", err)
		}
		counts[id] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: count by term: %w", err)
	}
	return counts, nil
}
