// Package directory holds the local services residents can find (GP
// practices, pharmacies, community support), modelled on Open Referral UK
// (HSDS 3.0, UK profile): organisations provide services, delivered at
// locations, with opening hours, contacts, costs, eligibility and
// categories from published taxonomies.
//
// These are storage types; the Open Referral wire format lives in package
// oruk and maps to and from them.
package directory

import (
	"time"

	"github.com/google/uuid"
)

// Service statuses, as Open Referral names them.
const (
	StatusActive            = "active"
	StatusInactive          = "inactive"
	StatusDefunct           = "defunct"
	StatusTemporarilyClosed = "temporarily closed"
)

// Organization provides services.
type Organization struct {
	ID                   string
	Name                 string
	Description          string
	Email                string
	Website              string
	URI                  string
	Logo                 string
	ParentOrganizationID string
	ODSCode              string // NHS ODS code, when the organisation has one
	Source               string // "ods", "local", or "oruk:" + the feed's host
	LastModified         time.Time
}

// Service is something people can use: a GP practice's services, a
// pharmacy, a lunch club.
type Service struct {
	ID             string
	OrganizationID string
	PlaceID        int64 // the place whose directory lists it; 0 for none
	Name           string
	Description    string
	URL            string
	Email          string
	Status         string
	Accreditations string
	MinimumAge     *int
	MaximumAge     *int
	AssuredDate    string
	// ConfirmedAt is when a person last confirmed the record is still
	// correct, and AssurerEmail the account that did (see Confirm); nil
	// and "" when nobody has. Saves and imports leave both alone, and they
	// are not part of the record's content (its hash and versions).
	ConfirmedAt  *time.Time `json:"-"`
	AssurerEmail string     `json:"-"`
	Alert        string
	Free         bool // known to be free of charge
	Source       string
	LastModified time.Time

	Organization *Organization // loaded by reads of the whole service
	Locations    []ServiceLocation
	Schedules    []Schedule // for the service wherever it is delivered
	Contacts     []Contact
	Phones       []Phone
	CostOptions  []CostOption
	Languages    []Language
	ServiceAreas []ServiceArea
	TermIDs      []string       // taxonomy terms the service is categorised under
	Terms        []TaxonomyTerm // loaded by reads
}

// ServiceLocation is a service delivered at a location (HSDS
// service_at_location), with any opening hours particular to it.
type ServiceLocation struct {
	ID        string
	Location  Location
	Schedules []Schedule
}

// Location is where a service is delivered.
type Location struct {
	ID                     string
	LocationType           string // physical, postal, virtual
	Name                   string
	Description            string
	Latitude, Longitude    *float64
	ExternalIdentifier     string
	ExternalIdentifierType string
	Addresses              []Address
	Accessibility          []Accessibility
	Phones                 []Phone
	LastModified           time.Time
}

// Address is a postal or physical address of a location.
type Address struct {
	ID            string
	Attention     string
	Address1      string
	Address2      string
	City          string
	Region        string
	StateProvince string
	PostalCode    string
	Country       string
	AddressType   string // physical, postal, virtual
}

// Accessibility describes access arrangements at a location.
type Accessibility struct {
	ID          string
	Description string
	Details     string
	URL         string
}

// Contact is a named contact for a service.
type Contact struct {
	ID     string
	Name   string
	Title  string
	Email  string
	Phones []Phone
}

// Phone is a telephone number.
type Phone struct {
	ID          string
	Number      string
	Description string
}

// Schedule is a weekly (or monthly) opening period as an RFC 5545 rule.
// OpensAt and ClosesAt are local times "HH:MM"; ByDay is "MO,TU,...".
type Schedule struct {
	ID            string
	Freq          string
	Interval      *int
	ByDay         string
	ByMonthDay    string
	DTStart       string
	ValidFrom     string
	ValidTo       string
	OpensAt       string
	ClosesAt      string
	Description   string
	Notes         string
	AttendingType string
	ScheduleLink  string
}

// CostOption is what a service costs.
type CostOption struct {
	ID                string
	ValidFrom         string
	ValidTo           string
	Option            string
	Amount            *float64
	AmountDescription string
}

// Language is a language a service is offered in.
type Language struct {
	ID   string
	Name string
	Code string // ISO 639
	Note string
}

// ServiceArea is the area a service covers.
type ServiceArea struct {
	ID          string
	Name        string
	Description string
	Extent      string
	ExtentType  string
	URI         string
}

// Taxonomy is a published classification, such as NHS ODS roles.
type Taxonomy struct {
	ID          string
	Name        string
	Description string
	URI         string
	Version     string
}

// TaxonomyTerm is one category of a taxonomy.
type TaxonomyTerm struct {
	ID          string
	TaxonomyID  string
	ParentID    string
	Code        string
	Name        string
	Description string
	TermURI     string
}

// namespace roots the UUIDs joinedup derives from other identifiers, so a
// record keeps its id across re-imports and on every installation.
var namespace = uuid.MustParse("4b0c5a6e-2f1d-5c55-9b7e-6a6f696e6564")

// DerivedID returns a stable UUID (version 5) for a record identified in
// its source by the given parts, for example DerivedID("ods", "service",
// "G85138").
func DerivedID(parts ...string) string {
	key := ""
	for i, p := range parts {
		if i > 0 {
			key += "\x1f"
		}
		key += p
	}
	return uuid.NewSHA1(namespace, []byte(key)).String()
}

// NewID returns a random UUID for a record created here.
func NewID() string { return uuid.NewString() }
