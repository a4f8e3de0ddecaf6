// Package oruk publishes the directory as Open Referral UK open data (HSDS
// 3.0, UK profile) under /api/oruk/, and imports other publishers' ORUK
// feeds into it.
//
// The types here are the wire format, kept apart from the directory's
// storage types. Optional fields carry omitempty so that an empty one is
// left out, never sent as null; required fields are always sent.
package oruk

import "github.com/joinedup/joinedup/internal/directory"

// Version is what GET /api/oruk/ reports as the API's version: the value
// the Open Referral UK validator reads to choose the UK 3.0 profile.
const Version = "HSDS-UK-3.0"

// Profile is the address of the profile the API follows.
const Profile = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md"

// APIDetails is the response of GET /api/oruk/.
type APIDetails struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`
	OpenAPIURL string `json:"openapi_url"`
}

// Page is a paged list, as every ORUK list endpoint returns it.
type Page[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

// searchPage wraps one page of a search's hits. A search with keywords or
// a position counts its matches only so far (directory.TotalCap): then
// total_items is how many it counted, total_pages one more than those
// fill, and last_page false, so a client paging on reads the rest.
func searchPage[T any](contents []T, res directory.Results, page, perPage int) Page[T] {
	p := newPage(contents, res.Total, page, perPage)
	if res.More {
		p.TotalPages = max(1, (res.Total+perPage-1)/perPage) + 1
		p.LastPage = page >= p.TotalPages
	}
	return p
}

// newPage wraps one page of contents of a list of total items.
func newPage[T any](contents []T, total, page, perPage int) Page[T] {
	if contents == nil {
		contents = []T{}
	}
	pages := max(1, (total+perPage-1)/perPage)
	return Page[T]{TotalItems: total, TotalPages: pages, PageNumber: page, Size: len(contents),
		FirstPage: page == 1, LastPage: page >= pages, Empty: len(contents) == 0, Contents: contents}
}

// Service is a service, fully nested. Lists carry the same shape.
type Service struct {
	ID                 string              `json:"id"`
	OrganizationID     string              `json:"organization_id,omitempty"`
	Name               string              `json:"name"`
	Description        string              `json:"description,omitempty"`
	URL                string              `json:"url,omitempty"`
	Email              string              `json:"email,omitempty"`
	Status             string              `json:"status"`
	Fees               string              `json:"fees,omitempty"`
	Accreditations     string              `json:"accreditations,omitempty"`
	MinimumAge         *float64            `json:"minimum_age,omitempty"`
	MaximumAge         *float64            `json:"maximum_age,omitempty"`
	AssuredDate        string              `json:"assured_date,omitempty"`
	AssurerEmail       string              `json:"assurer_email,omitempty"`
	Alert              string              `json:"alert,omitempty"`
	LastModified       string              `json:"last_modified,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAreas       []ServiceArea       `json:"service_areas,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages          []Language          `json:"languages,omitempty"`
	Organization       *Organization       `json:"organization,omitempty"`
	Funding            []Funding           `json:"funding,omitempty"`
	CostOptions        []CostOption        `json:"cost_options,omitempty"`
	Contacts           []Contact           `json:"contacts,omitempty"`
	// Phones is core HSDS 3.0; the UK profile leaves it out, but its
	// schemas allow it and a directory without phone numbers helps nobody.
	Phones     []Phone     `json:"phones,omitempty"`
	Attributes []Attribute `json:"attributes,omitempty"`
}

// ServiceAtLocation is a service delivered at a location. Within a
// service it carries the location; on its own, the service too.
type ServiceAtLocation struct {
	ID         string     `json:"id"`
	ServiceID  string     `json:"service_id,omitempty"`
	LocationID string     `json:"location_id,omitempty"`
	Location   *Location  `json:"location,omitempty"`
	Schedules  []Schedule `json:"schedules,omitempty"`
	Service    *Service   `json:"service,omitempty"`
}

// Location is where a service is delivered.
type Location struct {
	ID                     string          `json:"id"`
	LocationType           string          `json:"location_type"`
	Name                   string          `json:"name,omitempty"`
	Description            string          `json:"description,omitempty"`
	Latitude               *float64        `json:"latitude,omitempty"`
	Longitude              *float64        `json:"longitude,omitempty"`
	ExternalIdentifier     string          `json:"external_identifier,omitempty"`
	ExternalIdentifierType string          `json:"external_identifier_type,omitempty"`
	Addresses              []Address       `json:"addresses,omitempty"`
	Accessibility          []Accessibility `json:"accessibility,omitempty"`
	Phones                 []Phone         `json:"phones,omitempty"`
	Attributes             []Attribute     `json:"attributes,omitempty"`
}

// Address is an address of a location. The UK profile requires most of its
// fields, so they are sent even when empty.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Attention     string `json:"attention,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	Region        string `json:"region,omitempty"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Accessibility is an access arrangement at a location.
type Accessibility struct {
	ID          string `json:"id"`
	LocationID  string `json:"location_id,omitempty"`
	Description string `json:"description,omitempty"`
	Details     string `json:"details,omitempty"`
	URL         string `json:"url,omitempty"`
}

// Schedule is a regular opening time.
type Schedule struct {
	ID                  string   `json:"id"`
	ServiceID           string   `json:"service_id,omitempty"`
	ServiceAtLocationID string   `json:"service_at_location_id,omitempty"`
	ValidFrom           string   `json:"valid_from,omitempty"`
	ValidTo             string   `json:"valid_to,omitempty"`
	DTStart             string   `json:"dtstart,omitempty"`
	Freq                string   `json:"freq,omitempty"`
	Interval            *float64 `json:"interval,omitempty"`
	ByDay               string   `json:"byday,omitempty"`
	ByMonthDay          string   `json:"bymonthday,omitempty"`
	Description         string   `json:"description,omitempty"`
	OpensAt             string   `json:"opens_at,omitempty"`
	ClosesAt            string   `json:"closes_at,omitempty"`
	ScheduleLink        string   `json:"schedule_link,omitempty"`
	AttendingType       string   `json:"attending_type,omitempty"`
	Notes               string   `json:"notes,omitempty"`
}

// ServiceArea is the area a service covers.
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	Extent      string `json:"extent,omitempty"`
	ExtentType  string `json:"extent_type,omitempty"`
	URI         string `json:"uri,omitempty"`
}

// Language is a language a service is offered in. Name, code and note are
// core HSDS 3.0, which the UK profile leaves out but allows.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Organization is an organisation that provides services.
type Organization struct {
	ID                   string    `json:"id"`
	Name                 string    `json:"name"`
	Description          string    `json:"description"`
	Email                string    `json:"email,omitempty"`
	Website              string    `json:"website,omitempty"`
	Logo                 string    `json:"logo,omitempty"`
	URI                  string    `json:"uri,omitempty"`
	ParentOrganizationID string    `json:"parent_organization_id,omitempty"`
	Identifiers          []OrgID   `json:"organization_identifiers,omitempty"`
	Services             []Service `json:"services,omitempty"`
}

// OrgID is an identifier an organisation has in a register, such as its
// NHS ODS code.
type OrgID struct {
	ID               string `json:"id"`
	OrganizationID   string `json:"organization_id,omitempty"`
	IdentifierScheme string `json:"identifier_scheme,omitempty"`
	IdentifierType   string `json:"identifier_type"`
	Identifier       string `json:"identifier"`
}

// Funding says how a service is paid for.
type Funding struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Source    string `json:"source,omitempty"`
}

// CostOption is what a service costs.
type CostOption struct {
	ID                string   `json:"id"`
	ServiceID         string   `json:"service_id,omitempty"`
	ValidFrom         string   `json:"valid_from,omitempty"`
	ValidTo           string   `json:"valid_to,omitempty"`
	Option            string   `json:"option,omitempty"`
	Amount            *float64 `json:"amount,omitempty"`
	AmountDescription string   `json:"amount_description,omitempty"`
}

// Contact is a named contact for a service.
type Contact struct {
	ID        string  `json:"id"`
	ServiceID string  `json:"service_id,omitempty"`
	Name      string  `json:"name,omitempty"`
	Title     string  `json:"title,omitempty"`
	Email     string  `json:"email,omitempty"`
	Phones    []Phone `json:"phones,omitempty"`
}

// Phone is a telephone number (core HSDS 3.0).
type Phone struct {
	ID          string `json:"id"`
	Number      string `json:"number"`
	Description string `json:"description,omitempty"`
}

// Attribute links a record to a taxonomy term that describes it.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// Taxonomy is a published classification.
type Taxonomy struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description"`
	URI           string         `json:"uri,omitempty"`
	Version       string         `json:"version,omitempty"`
	TaxonomyTerms []TaxonomyTerm `json:"taxonomy_terms,omitempty"`
}

// TaxonomyTerm is one category of a taxonomy.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id,omitempty"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
	TermURI     string `json:"term_uri,omitempty"`
	Term        string `json:"term,omitempty"`
	// Code is core HSDS 3.0 (such as an ODS role code); the UK profile
	// leaves it out but allows it.
	Code string `json:"code,omitempty"`
}
