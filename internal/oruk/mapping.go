package oruk

import (
	"time"

	"github.com/joinedup/joinedup/internal/directory"
)

// timestamp formats a time as ORUK wants it: RFC 3339 in UTC with
// milliseconds.
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func floatPtr(n *int) *float64 {
	if n == nil {
		return nil
	}
	f := float64(*n)
	return &f
}

// fromService maps a service read whole from the directory, with every
// location (withLocations false leaves them out, for a service nested in
// one of its own service_at_locations).
func fromService(s directory.Service, withLocations bool) Service {
	out := Service{
		ID:             s.ID,
		OrganizationID: s.OrganizationID,
		Name:           s.Name,
		Description:    s.Description,
		URL:            s.URL,
		Email:          s.Email,
		Status:         s.Status,
		Accreditations: s.Accreditations,
		MinimumAge:     floatPtr(s.MinimumAge),
		MaximumAge:     floatPtr(s.MaximumAge),
		// The date a person last confirmed the record, here or at its
		// source, and who did when it was confirmed here.
		AssuredDate:  s.LastChecked(),
		AssurerEmail: s.AssurerEmail,
		Alert:        s.Alert,
		LastModified: timestamp(s.LastModified),
	}
	if s.Free {
		out.Fees = "Free"
	}
	for _, sch := range s.Schedules {
		out.Schedules = append(out.Schedules, fromSchedule(sch, s.ID, ""))
	}
	for _, a := range s.ServiceAreas {
		out.ServiceAreas = append(out.ServiceAreas, ServiceArea{ID: a.ID, ServiceID: s.ID, Name: a.Name,
			Description: a.Description, Extent: a.Extent, ExtentType: a.ExtentType, URI: a.URI})
	}
	if withLocations {
		for _, sl := range s.Locations {
			out.ServiceAtLocations = append(out.ServiceAtLocations, fromServiceLocation(sl, s.ID))
		}
	}
	for _, l := range s.Languages {
		out.Languages = append(out.Languages, Language{ID: l.ID, ServiceID: s.ID, Name: l.Name, Code: l.Code, Note: l.Note})
	}
	if s.Organization != nil {
		o := fromOrganization(*s.Organization)
		out.Organization = &o
	}
	for _, co := range s.CostOptions {
		out.CostOptions = append(out.CostOptions, CostOption{ID: co.ID, ServiceID: s.ID, ValidFrom: co.ValidFrom,
			ValidTo: co.ValidTo, Option: co.Option, Amount: co.Amount, AmountDescription: co.AmountDescription})
	}
	for _, c := range s.Contacts {
		out.Contacts = append(out.Contacts, Contact{ID: c.ID, ServiceID: s.ID, Name: c.Name, Title: c.Title,
			Email: c.Email, Phones: fromPhones(c.Phones)})
	}
	out.Phones = fromPhones(s.Phones)
	for _, t := range s.Terms {
		term := fromTerm(t)
		out.Attributes = append(out.Attributes, Attribute{
			ID:             directory.DerivedID("attribute", s.ID, t.ID),
			LinkID:         s.ID,
			TaxonomyTermID: t.ID,
			LinkType:       "service",
			LinkEntity:     "service",
			TaxonomyTerm:   &term,
		})
	}
	return out
}

// fromServiceLocation maps a service at a location, with its location.
func fromServiceLocation(sl directory.ServiceLocation, serviceID string) ServiceAtLocation {
	loc := fromLocation(sl.Location)
	out := ServiceAtLocation{ID: sl.ID, ServiceID: serviceID, LocationID: sl.Location.ID, Location: &loc}
	for _, sch := range sl.Schedules {
		out.Schedules = append(out.Schedules, fromSchedule(sch, "", sl.ID))
	}
	return out
}

// fromServiceAtLocation maps a service at a location standing on its own:
// the location and the whole service (without its other locations).
func fromServiceAtLocation(svc directory.Service, sl directory.ServiceLocation) ServiceAtLocation {
	out := fromServiceLocation(sl, svc.ID)
	s := fromService(svc, false)
	out.Service = &s
	return out
}

func fromSchedule(sch directory.Schedule, serviceID, salID string) Schedule {
	return Schedule{
		ID:                  sch.ID,
		ServiceID:           serviceID,
		ServiceAtLocationID: salID,
		ValidFrom:           sch.ValidFrom,
		ValidTo:             sch.ValidTo,
		DTStart:             sch.DTStart,
		Freq:                sch.Freq,
		Interval:            floatPtr(sch.Interval),
		ByDay:               sch.ByDay,
		ByMonthDay:          sch.ByMonthDay,
		Description:         sch.Description,
		OpensAt:             sch.OpensAt,
		ClosesAt:            sch.ClosesAt,
		ScheduleLink:        sch.ScheduleLink,
		AttendingType:       sch.AttendingType,
		Notes:               sch.Notes,
	}
}

func fromLocation(l directory.Location) Location {
	out := Location{
		ID:                     l.ID,
		LocationType:           l.LocationType,
		Name:                   l.Name,
		Description:            l.Description,
		Latitude:               l.Latitude,
		Longitude:              l.Longitude,
		ExternalIdentifier:     l.ExternalIdentifier,
		ExternalIdentifierType: l.ExternalIdentifierType,
		Phones:                 fromPhones(l.Phones),
	}
	if out.LocationType == "" {
		out.LocationType = "physical"
	}
	for _, a := range l.Addresses {
		out.Addresses = append(out.Addresses, Address{ID: a.ID, LocationID: l.ID, Attention: a.Attention, Address1: a.Address1,
			Address2: a.Address2, City: a.City, Region: a.Region, StateProvince: a.StateProvince, PostalCode: a.PostalCode,
			Country: a.Country, AddressType: a.AddressType})
	}
	for _, a := range l.Accessibility {
		out.Accessibility = append(out.Accessibility, Accessibility{ID: a.ID, LocationID: l.ID, Description: a.Description,
			Details: a.Details, URL: a.URL})
	}
	return out
}

func fromPhones(phs []directory.Phone) []Phone {
	var out []Phone
	for _, ph := range phs {
		out = append(out, Phone{ID: ph.ID, Number: ph.Number, Description: ph.Description})
	}
	return out
}

func fromOrganization(o directory.Organization) Organization {
	out := Organization{ID: o.ID, Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website,
		Logo: o.Logo, URI: o.URI, ParentOrganizationID: o.ParentOrganizationID}
	if o.ODSCode != "" {
		out.Identifiers = []OrgID{{
			ID:               directory.DerivedID("organization_identifier", o.ID, "ods", o.ODSCode),
			OrganizationID:   o.ID,
			IdentifierScheme: "GB-NHS",
			IdentifierType:   "NHS ODS code",
			Identifier:       o.ODSCode,
		}}
	}
	return out
}

func fromTaxonomy(t directory.Taxonomy) Taxonomy {
	return Taxonomy{ID: t.ID, Name: t.Name, Description: t.Description, URI: t.URI, Version: t.Version}
}

func fromTerm(t directory.TaxonomyTerm) TaxonomyTerm {
	return TaxonomyTerm{ID: t.ID, Name: t.Name, Description: t.Description, ParentID: t.ParentID, TaxonomyID: t.TaxonomyID,
		TermURI: t.TermURI, Term: t.Name, Code: t.Code}
}
