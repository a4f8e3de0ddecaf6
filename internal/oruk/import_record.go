package oruk

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/joinedup/joinedup/internal/directory"
)

// importer checks the records of one feed, one at a time, and hands on
// what to save. It keeps in memory only what ties records together: a
// fingerprint of each id claimed (8 bytes with its owner's), the
// organisations seen and the taxonomies, so a feed of any length fits.
type importer struct {
	host       string
	taxonomies map[string]*importTaxonomy
	// orgs holds a fingerprint of each organisation as last handed on.
	orgs map[string]uint64
	// claims records which record each id belongs to (both as
	// fingerprints), so that two records claiming one phone, schedule or
	// address, or one service appearing twice, are caught before saving.
	claims map[uint64]uint64
}

type importTaxonomy struct {
	taxonomy directory.Taxonomy
	terms    []directory.TaxonomyTerm
	seen     map[string]bool
}

func newImporter(host string) *importer {
	return &importer{host: host, orgs: map[string]uint64{}, taxonomies: map[string]*importTaxonomy{},
		claims: map[uint64]uint64{}}
}

// fingerprint is a 64-bit FNV-1a hash of the parts, each ended by a zero
// byte. Two of the few million ids of a national feed share one with a
// chance of about one in ten million.
func fingerprint(parts ...string) uint64 {
	h := uint64(14695981039346656037)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= 1099511628211
		}
		h *= 1099511628211 // the zero byte
	}
	return h
}

// check collects the problems of one record.
type check struct {
	problems []string
	// claims are the ids the record claims, made the importer's only when
	// the record is accepted.
	claims [][2]uint64
}

func (c *check) fail(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// id checks a required id is a UUID and returns it in canonical form.
func (c *check) id(what, s string) string {
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		if s == "" {
			c.fail("%s has no id", what)
		} else {
			c.fail("%s id %q is not a UUID", what, s)
		}
		return s
	}
	return u.String()
}

func (c *check) optionalID(what, s string) string {
	if s == "" {
		return ""
	}
	return c.id(what, s)
}

func (c *check) uri(what, s string) {
	if s == "" {
		return
	}
	if !directory.ValidWebAddress(s) {
		c.fail("%s %q is not a web address", what, s)
	}
}

func (c *check) email(what, s string) {
	if s == "" {
		return
	}
	if !directory.ValidEmail(s) {
		c.fail("%s %q is not an email address", what, s)
	}
}

func (c *check) required(what, s string) {
	if strings.TrimSpace(s) == "" {
		c.fail("%s is missing", what)
	}
}

func (c *check) err() error {
	if len(c.problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(c.problems, "; "))
}

func wholeYears(f *float64) *int {
	if f == nil {
		return nil
	}
	n := int(math.Round(*f))
	return &n
}

func wholeNumber(f *float64) *int { return wholeYears(f) }

var locationTypes = map[string]bool{"physical": true, "postal": true, "virtual": true}

// claim records that id belongs to owner, failing if another record has it.
func (im *importer) claim(c *check, what, id, owner string) {
	if id == "" {
		return
	}
	k, o := fingerprint("id", id), fingerprint(owner)
	if prev, ok := im.claims[k]; ok && prev != o {
		c.fail("%s id %s is used by another record", what, id)
		return
	}
	for _, cl := range c.claims {
		if cl[0] == k && cl[1] != o {
			c.fail("%s id %s is used by another record", what, id)
			return
		}
	}
	c.claims = append(c.claims, [2]uint64{k, o})
}

// add checks record n, a service as the feed gives it, and returns it to
// save, with its organisation when that is to be saved too (the first
// time it is seen, or described again differently), or returns why it is
// rejected.
func (im *importer) add(n int, raw json.RawMessage) (directory.Service, *directory.Organization, error) {
	var s Service
	if err := json.Unmarshal(raw, &s); err != nil {
		return directory.Service{}, nil, fmt.Errorf("not a service record: %v", err)
	}
	var c check
	id := c.id("service", s.ID)
	if len(c.problems) > 0 {
		return directory.Service{}, nil, c.err()
	}
	c.email("assurer_email", s.AssurerEmail)
	if _, seen := im.claims[fingerprint("service", id)]; seen {
		c.fail("service %s appears twice in the feed", id)
	}
	svc := directory.Service{
		ID: id, Name: strings.TrimSpace(s.Name), Description: s.Description, URL: s.URL,
		Email: s.Email, Status: s.Status, Accreditations: s.Accreditations, MinimumAge: wholeYears(s.MinimumAge),
		MaximumAge: wholeYears(s.MaximumAge), AssuredDate: s.AssuredDate, Alert: s.Alert,
		Free: strings.EqualFold(strings.TrimSpace(s.Fees), "free"), Source: "oruk:" + im.host,
	}
	if s.LastModified != "" {
		t, err := time.Parse(time.RFC3339, s.LastModified)
		if err != nil {
			c.fail("last_modified %q is not a date and time", s.LastModified)
		}
		svc.LastModified = t.UTC().Truncate(time.Second)
	}
	owner := "service:" + id

	// The organisation: nested, or named by id.
	var org *directory.Organization
	switch {
	case s.Organization != nil:
		o := s.Organization
		oid := c.id("organization", o.ID)
		c.required("organization name", o.Name)
		c.email("organization email", o.Email)
		c.uri("organization website", o.Website)
		c.uri("organization uri", o.URI)
		org = &directory.Organization{ID: oid, Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website,
			URI: o.URI, Logo: o.Logo, Source: "oruk:" + im.host}
		if s.OrganizationID != "" && c.optionalID("organization_id", s.OrganizationID) != oid {
			c.fail("organization_id %s is not the nested organization's id %s", s.OrganizationID, oid)
		}
	case s.OrganizationID != "":
		oid := c.id("organization_id", s.OrganizationID)
		if _, ok := im.orgs[oid]; ok {
			org = &directory.Organization{ID: oid}
		} else {
			org = &directory.Organization{ID: oid, Name: "Organisation of " + svc.Name,
				Description: "The feed at " + im.host + " does not describe this organisation.", Source: "oruk:" + im.host}
		}
	default:
		org = &directory.Organization{ID: directory.DerivedID("oruk", im.host, "organization"), Name: im.host,
			Description: "Services published by " + im.host + " without an organisation.", Source: "oruk:" + im.host}
	}
	svc.OrganizationID = org.ID

	for i, sch := range s.Schedules {
		svc.Schedules = append(svc.Schedules, im.schedule(&c, owner, fmt.Sprintf("schedule %d", i+1), sch))
	}
	for i, sal := range s.ServiceAtLocations {
		what := fmt.Sprintf("service_at_location %d", i+1)
		salID := c.id(what, sal.ID)
		im.claim(&c, what, salID, owner)
		if sal.Location == nil {
			c.fail("%s has no location", what)
			continue
		}
		sl := directory.ServiceLocation{ID: salID, Location: im.location(&c, what+" location", *sal.Location)}
		for j, sch := range sal.Schedules {
			sl.Schedules = append(sl.Schedules, im.schedule(&c, owner, fmt.Sprintf("%s schedule %d", what, j+1), sch))
		}
		svc.Locations = append(svc.Locations, sl)
	}
	for i, a := range s.ServiceAreas {
		what := fmt.Sprintf("service_area %d", i+1)
		aid := c.id(what, a.ID)
		im.claim(&c, what, aid, owner)
		c.uri(what+" uri", a.URI)
		svc.ServiceAreas = append(svc.ServiceAreas, directory.ServiceArea{ID: aid, Name: a.Name, Description: a.Description,
			Extent: a.Extent, ExtentType: a.ExtentType, URI: a.URI})
	}
	for i, l := range s.Languages {
		what := fmt.Sprintf("language %d", i+1)
		lid := c.id(what, l.ID)
		im.claim(&c, what, lid, owner)
		svc.Languages = append(svc.Languages, directory.Language{ID: lid, Name: l.Name, Code: l.Code, Note: l.Note})
	}
	for i, co := range s.CostOptions {
		what := fmt.Sprintf("cost_option %d", i+1)
		cid := c.id(what, co.ID)
		im.claim(&c, what, cid, owner)
		svc.CostOptions = append(svc.CostOptions, directory.CostOption{ID: cid, ValidFrom: co.ValidFrom, ValidTo: co.ValidTo,
			Option: co.Option, Amount: co.Amount, AmountDescription: co.AmountDescription})
	}
	for i, ct := range s.Contacts {
		what := fmt.Sprintf("contact %d", i+1)
		cid := c.id(what, ct.ID)
		im.claim(&c, what, cid, owner)
		svc.Contacts = append(svc.Contacts, directory.Contact{ID: cid, Name: ct.Name, Title: ct.Title, Email: ct.Email,
			Phones: im.phones(&c, owner, what+" phone", ct.Phones)})
	}
	svc.Phones = im.phones(&c, owner, "phone", s.Phones)
	// The checks the admin's forms make too.
	for _, p := range directory.CheckService(svc) {
		c.fail("%s", p.Message)
	}
	type pendingTerm struct {
		taxKey string
		tax    directory.Taxonomy
		term   directory.TaxonomyTerm
	}
	var terms []pendingTerm
	for i, at := range s.Attributes {
		what := fmt.Sprintf("attribute %d", i+1)
		c.id(what, at.ID)
		if at.TaxonomyTerm == nil {
			continue // a bare term id cannot be shown without its name
		}
		t := at.TaxonomyTerm
		tid := c.id(what+" taxonomy_term", t.ID)
		c.required(what+" taxonomy_term name", t.Name)
		c.uri(what+" taxonomy_term term_uri", t.TermURI)
		pid := c.optionalID(what+" taxonomy_term parent_id", t.ParentID)
		taxID := c.optionalID(what+" taxonomy_term taxonomy_id", t.TaxonomyID)
		taxName := strings.TrimSpace(t.Taxonomy)
		if taxName == "" {
			taxName = "Categories of " + im.host
		}
		if taxID == "" {
			taxID = directory.DerivedID("oruk", im.host, "taxonomy", taxName)
		}
		terms = append(terms, pendingTerm{taxKey: taxID,
			tax: directory.Taxonomy{ID: taxID, Name: taxName, Description: "A taxonomy used by the Open Referral UK feed at " + im.host + "."},
			term: directory.TaxonomyTerm{ID: tid, TaxonomyID: taxID, ParentID: pid, Code: t.Code, Name: t.Name,
				Description: t.Description, TermURI: t.TermURI}})
	}
	if err := c.err(); err != nil {
		return directory.Service{}, nil, err
	}
	// Accepted: keep its ids and what it refers to.
	im.claims[fingerprint("service", id)] = uint64(n)
	for _, cl := range c.claims {
		im.claims[cl[0]] = cl[1]
	}
	var saveOrg *directory.Organization
	if prev, ok := im.orgs[org.ID]; !ok || s.Organization != nil {
		fp := fingerprint(org.ID, org.Name, org.Description, org.Email, org.Website, org.URI, org.Logo)
		if !ok || prev != fp {
			im.orgs[org.ID] = fp
			saveOrg = org
		}
	}
	for _, pt := range terms {
		tx := im.taxonomies[pt.taxKey]
		if tx == nil {
			tx = &importTaxonomy{taxonomy: pt.tax, seen: map[string]bool{}}
			im.taxonomies[pt.taxKey] = tx
		}
		if !tx.seen[pt.term.ID] {
			tx.seen[pt.term.ID] = true
			// A parent the feed never describes cannot be linked to.
			tx.terms = append(tx.terms, pt.term)
		}
		svc.TermIDs = append(svc.TermIDs, pt.term.ID)
	}
	return svc, saveOrg, nil
}

func (im *importer) schedule(c *check, owner, what string, s Schedule) directory.Schedule {
	sid := c.id(what, s.ID)
	im.claim(c, what, sid, owner)
	if s.Freq != "" && s.Freq != "WEEKLY" && s.Freq != "MONTHLY" {
		c.fail("%s freq %q is not WEEKLY or MONTHLY", what, s.Freq)
	}
	c.uri(what+" schedule_link", s.ScheduleLink)
	return directory.Schedule{ID: sid, Freq: s.Freq, Interval: wholeNumber(s.Interval), ByDay: s.ByDay, ByMonthDay: s.ByMonthDay,
		DTStart: s.DTStart, ValidFrom: s.ValidFrom, ValidTo: s.ValidTo, OpensAt: s.OpensAt, ClosesAt: s.ClosesAt,
		Description: s.Description, Notes: s.Notes, AttendingType: s.AttendingType, ScheduleLink: s.ScheduleLink}
}

func (im *importer) phones(c *check, owner, what string, phs []Phone) []directory.Phone {
	var out []directory.Phone
	for i, ph := range phs {
		w := fmt.Sprintf("%s %d", what, i+1)
		pid := c.id(w, ph.ID)
		im.claim(c, w, pid, owner)
		c.required(w+" number", ph.Number)
		out = append(out, directory.Phone{ID: pid, Number: ph.Number, Description: ph.Description})
	}
	return out
}

// location checks a location. Locations may be shared between services;
// what hangs off one belongs to it.
func (im *importer) location(c *check, what string, l Location) directory.Location {
	lid := c.id(what, l.ID)
	owner := "location:" + lid
	if !locationTypes[l.LocationType] {
		c.fail("%s location_type %q is not physical, postal or virtual", what, l.LocationType)
	}
	if (l.Latitude == nil) != (l.Longitude == nil) {
		c.fail("%s has a latitude or a longitude but not both", what)
	}
	if l.Latitude != nil && l.Longitude != nil && (*l.Latitude < -90 || *l.Latitude > 90 || *l.Longitude < -180 || *l.Longitude > 180) {
		c.fail("%s position %v, %v is not a latitude and longitude", what, *l.Latitude, *l.Longitude)
	}
	out := directory.Location{ID: lid, LocationType: l.LocationType, Name: l.Name, Description: l.Description,
		Latitude: l.Latitude, Longitude: l.Longitude, ExternalIdentifier: l.ExternalIdentifier,
		ExternalIdentifierType: l.ExternalIdentifierType}
	for i, a := range l.Addresses {
		w := fmt.Sprintf("%s address %d", what, i+1)
		aid := c.id(w, a.ID)
		im.claim(c, w, aid, owner)
		c.required(w+" address_1", a.Address1)
		if !locationTypes[a.AddressType] {
			c.fail("%s address_type %q is not physical, postal or virtual", w, a.AddressType)
		}
		out.Addresses = append(out.Addresses, directory.Address{ID: aid, Attention: a.Attention, Address1: a.Address1,
			Address2: a.Address2, City: a.City, Region: a.Region, StateProvince: a.StateProvince, PostalCode: a.PostalCode,
			Country: a.Country, AddressType: a.AddressType})
	}
	for i, a := range l.Accessibility {
		w := fmt.Sprintf("%s accessibility %d", what, i+1)
		aid := c.id(w, a.ID)
		im.claim(c, w, aid, owner)
		c.uri(w+" url", a.URL)
		out.Accessibility = append(out.Accessibility, directory.Accessibility{ID: aid, Description: a.Description,
			Details: a.Details, URL: a.URL})
	}
	out.Phones = im.phones(c, owner, what+" phone", l.Phones)
	return out
}
