package directory

import (
	"fmt"
	"slices"
	"strings"
)

// ldThing is a service described in schema.org terms, for the JSON-LD of
// its page. html/template writes it into <script type="application/ld+json">
// with encoding/json, which escapes <, > and & so the data cannot end the
// script element.
type ldThing struct {
	Context          string        `json:"@context"`
	Type             string        `json:"@type"`
	ID               string        `json:"@id"`
	Name             string        `json:"name"`
	Description      string        `json:"description,omitempty"`
	URL              string        `json:"url"`
	SameAs           string        `json:"sameAs,omitempty"`
	Telephone        string        `json:"telephone,omitempty"`
	Email            string        `json:"email,omitempty"`
	Address          *ldAddress    `json:"address,omitempty"`
	Geo              *ldGeo        `json:"geo,omitempty"`
	Hours            []ldHours     `json:"openingHoursSpecification,omitempty"`
	MedicalSpecialty string        `json:"medicalSpecialty,omitempty"`
	Free             bool          `json:"isAccessibleForFree,omitempty"`
	Identifier       *ldIdentifier `json:"identifier,omitempty"`
	Parent           *ldOrg        `json:"parentOrganization,omitempty"`
	Languages        []string      `json:"availableLanguage,omitempty"`
}

type ldAddress struct {
	Type          string `json:"@type"`
	StreetAddress string `json:"streetAddress,omitempty"`
	Locality      string `json:"addressLocality,omitempty"`
	Region        string `json:"addressRegion,omitempty"`
	PostalCode    string `json:"postalCode,omitempty"`
	Country       string `json:"addressCountry,omitempty"`
}

type ldGeo struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

type ldHours struct {
	Type      string   `json:"@type"`
	DayOfWeek []string `json:"dayOfWeek"`
	Opens     string   `json:"opens"`
	Closes    string   `json:"closes"`
}

type ldIdentifier struct {
	Type       string `json:"@type"`
	PropertyID string `json:"propertyID"`
	Value      string `json:"value"`
}

type ldOrg struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// schemaType picks the schema.org type for a service from its categories:
// Pharmacy for a pharmacy; MedicalClinic, with the PrimaryCare specialty,
// for a GP practice (schema.org's Physician is one doctor or their office,
// where a practice is a team); LocalBusiness, a place people visit, for
// anything else.
func schemaType(svc Service) (typ, specialty string) {
	switch {
	case slices.Contains(svc.TermIDs, TermPharmacy.ID):
		return "Pharmacy", ""
	case slices.Contains(svc.TermIDs, TermGPPractice.ID):
		return "MedicalClinic", "PrimaryCare"
	}
	return "LocalBusiness", ""
}

// serviceJSONLD describes svc in schema.org terms; pageURL is the absolute
// address of its page. Opening hours are given only when held.
func serviceJSONLD(svc Service, pageURL string) ldThing {
	typ, specialty := schemaType(svc)
	t := ldThing{
		Context: "https://schema.org", Type: typ, ID: pageURL + "#service", Name: svc.Name,
		Description: svc.Description, URL: pageURL, SameAs: svc.URL, Email: svc.Email,
		MedicalSpecialty: specialty, Free: svc.Free,
	}
	if ph := firstPhone(svc); ph != "" {
		t.Telephone = PhoneText(ph)
	}
	if loc, ok := mainLocation(svc); ok {
		if a, ok := firstAddress(loc); ok {
			t.Address = &ldAddress{Type: "PostalAddress", StreetAddress: joinNonEmpty(", ", a.Address1, a.Address2),
				Locality: a.City, Region: a.Region, PostalCode: a.PostalCode, Country: a.Country}
		}
		if loc.Latitude != nil && loc.Longitude != nil {
			t.Geo = &ldGeo{Type: "GeoCoordinates", Latitude: *loc.Latitude, Longitude: *loc.Longitude}
		}
		if loc.ExternalIdentifierType == "ODS" && loc.ExternalIdentifier != "" {
			t.Identifier = &ldIdentifier{Type: "PropertyValue", PropertyID: "NHS ODS code", Value: loc.ExternalIdentifier}
		}
	}
	t.Hours = ldOpeningHours(allSchedules(svc))
	if o := svc.Organization; o != nil && o.Name != "" && o.Name != svc.Name {
		t.Parent = &ldOrg{Type: "Organization", Name: o.Name, URL: o.Website}
	}
	for _, l := range svc.Languages {
		if l.Name != "" {
			t.Languages = append(t.Languages, l.Name)
		}
	}
	return t
}

// ldOpeningHours turns weekly schedules into openingHoursSpecification
// entries, one per run of days with the same period.
func ldOpeningHours(schedules []Schedule) []ldHours {
	days, ok := weeklySpans(schedules)
	if !ok {
		return nil
	}
	var out []ldHours
	index := map[span]int{}
	for d := 1; d <= 7; d++ {
		for _, s := range days[d] {
			i, seen := index[s]
			if !seen {
				opens, closes := hhmm(s.opens), hhmm(s.closes)
				if s.opens == 0 && s.closes == 1440 {
					closes = "23:59" // schema.org's way of saying open all day
				}
				out = append(out, ldHours{Type: "OpeningHoursSpecification", Opens: opens, Closes: closes})
				i = len(out) - 1
				index[s] = i
			}
			out[i].DayOfWeek = append(out[i].DayOfWeek, dayNames[d])
		}
	}
	return out
}

// hhmm writes minutes after midnight as "08:30"; the end of the day is "24:00".
func hhmm(minutes int) string {
	return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60)
}

// allSchedules returns the schedules of a service and of each place it is
// delivered.
func allSchedules(svc Service) []Schedule {
	out := slices.Clone(svc.Schedules)
	for _, sl := range svc.Locations {
		out = append(out, sl.Schedules...)
	}
	return out
}

// mainLocation is the first physical location of a service, else its first.
func mainLocation(svc Service) (Location, bool) {
	for _, sl := range svc.Locations {
		if sl.Location.LocationType == "" || sl.Location.LocationType == "physical" {
			return sl.Location, true
		}
	}
	if len(svc.Locations) > 0 {
		return svc.Locations[0].Location, true
	}
	return Location{}, false
}

// firstAddress is a location's physical address, else its first.
func firstAddress(loc Location) (Address, bool) {
	for _, a := range loc.Addresses {
		if a.AddressType == "" || a.AddressType == "physical" {
			return a, true
		}
	}
	if len(loc.Addresses) > 0 {
		return loc.Addresses[0], true
	}
	return Address{}, false
}

// firstPhone is the number to call a service on: its own, else that of
// where it is delivered.
func firstPhone(svc Service) string {
	for _, p := range svc.Phones {
		if p.Number != "" {
			return p.Number
		}
	}
	for _, sl := range svc.Locations {
		for _, p := range sl.Location.Phones {
			if p.Number != "" {
				return p.Number
			}
		}
	}
	return ""
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
