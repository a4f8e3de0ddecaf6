package directory

import "time"

// Point is a position in WGS84 decimal degrees.
type Point struct {
	Lat, Lon float64
}

// Query is a search of the directory. Zero values mean "any". It serves
// both residents' searches (/directory) and the Open Referral API.
type Query struct {
	Text       string   // keywords, full text over names, descriptions, organisations, categories
	TermIDs    []string // categorised under any of these taxonomy terms
	TaxonomyID string   // categorised under any term of this taxonomy
	PlaceID    int64    // listed in this place's directory
	// OrganizationID: provided by this organisation.
	OrganizationID string

	Near         *Point  // with RadiusMetres: within that distance, nearest first
	RadiusMetres float64 // 0 with Near: no limit, but still nearest first

	Weekday   int        // 1 = Monday ... 7 = Sunday: open at some time that day
	OpensFrom int        // with Weekday, minutes after midnight: open at some time from then...
	OpensTo   int        // ...until then (ORUK start_time, end_time); 0 means end of day
	OpenAt    *time.Time // open at this moment ("open now"), judged in Europe/London

	Age        *int // eligible at this age (resident's search)
	MinimumAge *int // ORUK minimum_age: services whose minimum age is at least this
	MaximumAge *int // ORUK maximum_age: services whose maximum age is at most this

	FreeOnly      bool
	ModifiedAfter time.Time
	// IncludeInactive lists services of every status; by default only
	// active ones are found.
	IncludeInactive bool

	// ByLocation finds services at locations (ORUK service_at_location):
	// one hit for each location of a service, rather than one for each
	// service at its nearest location.
	ByLocation bool
	// IDOrder lists in id order rather than by name when there are no
	// keywords and no position: the order that pages fastest through a
	// national directory, for feeds read whole (Open Referral).
	IDOrder bool
	// ExactTotal counts every match for Results.Total. Otherwise the count
	// stops at TotalCap (or the end of the page asked for, if further),
	// and Results.More says there are more.
	ExactTotal bool
	// countTo, when above 0, counts to it instead (a suggestion asks only
	// whether anything matches).
	countTo int

	Page    int // from 1
	PerPage int
}

// Hit is one service found, with its distance when the query was near a point.
type Hit struct {
	ServiceID  string
	LocationID string // the nearest location, when the query was near a point
	// ServiceAtLocationID is the service at that location; with ByLocation
	// every hit has one, and LocationID is always set.
	ServiceAtLocationID string
	DistanceMetres      *float64 // nil when the query was not near a point
}

// Results is a page of hits and how many there are in all.
type Results struct {
	Hits []Hit
	// Total is how many services match, or, when More is set, how many
	// were counted before the count stopped.
	Total int
	// More says that more than Total services match: the search counted
	// no further than it needed (see Query.ExactTotal).
	More bool
	// Suggestion is a corrected keyword search when the one given matched
	// nothing, such as "pharmacy" for "pharmcy"; empty otherwise.
	Suggestion string
}

// Postcode is a postcode with its position.
type Postcode struct {
	Postcode string // formatted, such as "SE1 7EH"
	Point
	AreaCode string // local authority (ONS GSS code)
	WardCode string
	WardName string
	// LSOACode is the postcode's 2011 Lower Layer Super Output Area, when
	// the postcode file gave one; empty otherwise.
	LSOACode string
}

// ImportSummary is what an import did, for its closing report.
type ImportSummary struct {
	Added, Updated, Unchanged int
	Rejected                  []RowError
	// RejectedNotListed counts rejected rows beyond those Rejected lists,
	// for imports that keep only the first so many.
	RejectedNotListed int
	Skipped           int // outside the area asked for
	// Conflicts are the fields an editor corrected that the import kept,
	// although the source says something else: for an editor to review.
	Conflicts []Conflict
}
