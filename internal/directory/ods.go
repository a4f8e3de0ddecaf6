package directory

import (
	"strings"
	"time"
	"unicode"
)

// ODSRecord is an organisation as NHS ODS publishes it (epraccur for GP
// practices, edispensary for pharmacies).
type ODSRecord struct {
	Code                string
	Name                string // as published, in capitals
	AddressLines        []string
	Postcode            string
	Latitude, Longitude *float64 // from a postcode lookup; ODS has none
	Phone               string
	OpenDate            string // YYYY-MM-DD or YYYYMMDD
	Status              string // A active, C closed, P proposed, D dormant
	Line                int    // line of the source file, for reports
}

// The taxonomy that categorises ODS records: NHS ODS organisation roles,
// published by NHS England's Organisation Data Service.
var (
	ODSRoles = Taxonomy{
		ID:          DerivedID("taxonomy", "nhs-ods-roles"),
		Name:        "NHS ODS organisation roles",
		Description: "The roles an organisation plays in health and care, as published by NHS England's Organisation Data Service (ODS).",
		URI:         "https://directory.spineservices.nhs.uk/ORD/2-0-0/roles",
	}
	TermGPPractice = TaxonomyTerm{
		ID: DerivedID("taxonomy-term", "nhs-ods-roles", "RO76"), TaxonomyID: ODSRoles.ID, Code: "RO76",
		Name: "GP practice", Description: "A general practice providing NHS primary medical services.",
		TermURI: "https://directory.spineservices.nhs.uk/ORD/2-0-0/roles/RO76",
	}
	TermPharmacy = TaxonomyTerm{
		ID: DerivedID("taxonomy-term", "nhs-ods-roles", "RO182"), TaxonomyID: ODSRoles.ID, Code: "RO182",
		Name: "Pharmacy", Description: "A community pharmacy dispensing NHS prescriptions.",
		TermURI: "https://directory.spineservices.nhs.uk/ORD/2-0-0/roles/RO182",
	}
)

// ServiceID is the id of the service a record becomes, the same at every
// import.
func (r ODSRecord) ServiceID() string { return DerivedID("ods", "service", r.Code) }

// Active reports whether ODS lists the organisation as active.
func (r ODSRecord) Active() bool { return r.Status == "A" }

// Graph turns an ODS record into the directory's organisation and its one
// service at one location, with ids derived from the ODS code so they stay
// the same on every import. term is TermGPPractice or TermPharmacy.
func (r ODSRecord) Graph(term TaxonomyTerm, placeID int64, now time.Time) (Organization, Service) {
	name := DisplayName(r.Name)
	org := Organization{
		ID:           DerivedID("ods", "organization", r.Code),
		Name:         name,
		Description:  name + " is a " + strings.ToLower(term.Name) + " (NHS ODS code " + r.Code + ").",
		ODSCode:      r.Code,
		Source:       "ods",
		LastModified: now,
	}
	status := StatusActive
	if !r.Active() {
		status = StatusInactive
	}
	loc := Location{
		ID:                     DerivedID("ods", "location", r.Code),
		LocationType:           "physical",
		Name:                   name,
		Latitude:               r.Latitude,
		Longitude:              r.Longitude,
		ExternalIdentifier:     r.Code,
		ExternalIdentifierType: "ODS",
		LastModified:           now,
	}
	if addr := r.address(); addr.Address1 != "" {
		loc.Addresses = []Address{addr}
	}
	svc := Service{
		ID:             r.ServiceID(),
		OrganizationID: org.ID,
		PlaceID:        placeID,
		Name:           name,
		Description:    term.Description,
		Status:         status,
		Free:           term.ID == TermGPPractice.ID, // NHS GP appointments are free at the point of use
		Source:         "ods",
		LastModified:   now,
		Locations:      []ServiceLocation{{ID: DerivedID("ods", "service_at_location", r.Code), Location: loc}},
		TermIDs:        []string{term.ID},
	}
	if r.Phone != "" {
		svc.Phones = []Phone{{ID: DerivedID("ods", "phone", r.Code), Number: r.Phone}}
	}
	return org, svc
}

// address makes an address from ODS's five free lines: the last line that
// names a town is the city; the others, joined, are the street address.
func (r ODSRecord) address() Address {
	lines := make([]string, 0, len(r.AddressLines))
	for _, l := range r.AddressLines {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, DisplayName(l))
		}
	}
	a := Address{ID: DerivedID("ods", "address", r.Code), PostalCode: r.Postcode, Country: "GB", AddressType: "physical"}
	if len(lines) == 0 {
		return a
	}
	if len(lines) > 1 {
		a.City = lines[len(lines)-1]
		lines = lines[:len(lines)-1]
	} else {
		a.City = "London"
	}
	a.Address1 = lines[0]
	if len(lines) > 1 {
		a.Address2 = strings.Join(lines[1:], ", ")
	}
	return a
}

// keepCapitals are words ODS names spell in capitals that stay so.
var keepCapitals = map[string]bool{"GP": true, "NHS": true, "PCN": true, "QHS": true, "UK": true, "LTD": false, "PLC": false,
	"II": true, "III": true, "IV": true, "CIC": true, "HC": true, "MC": true}

// DisplayName turns an ODS name in capitals into one people read easily:
// "ALBION STREET GROUP PRACTICE" → "Albion Street Group Practice",
// keeping abbreviations such as GP and NHS.
func DisplayName(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if keepCapitals[strings.Trim(w, ".,()&'")] {
			continue
		}
		words[i] = titleWord(w)
	}
	return strings.Join(words, " ")
}

// titleWord capitalises the first letter of each part of a word, so
// "ST.GEORGE'S" → "St.George's" and "SMITH-JONES" → "Smith-Jones".
func titleWord(w string) string {
	rs := []rune(strings.ToLower(w))
	start := true
	for i, r := range rs {
		if unicode.IsLetter(r) {
			if start {
				rs[i] = unicode.ToUpper(r)
			}
			start = false
			continue
		}
		// A letter after an apostrophe stays small ("George's"), after
		// other marks it starts a new part.
		start = r != '\''
	}
	return string(rs)
}
