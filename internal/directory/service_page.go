package directory

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/web"
)

// phoneView is a phone number with its tel: link.
type phoneView struct {
	Number      string
	Tel         template.URL
	Description string
}

// placeView is one place a service is delivered.
type placeView struct {
	Name          string
	AddressLines  []string
	Phones        []phoneView
	Accessibility []string
	MapURL        string
	Hours         []string
}

// servicePage is what the service template shows.
type servicePage struct {
	Name         string
	Categories   []string
	Description  string
	Status       string // set when the service is not active
	Alert        string
	Phones       []phoneView
	Email        string
	Website      string
	Places       []placeView
	Hours        []string // the service's own opening hours, in plain English
	HoursHeld    bool     // whether any opening hours are held, here or at a place
	Cost         []string
	Eligibility  string
	Languages    []string
	Organisation string
	OrgWebsite   string
	ODSCode      string
	FromODS      bool
	Source       string
	LastUpdated  time.Time
	// LastChecked is when a person last confirmed the record is correct
	// (zero when nobody has); CheckedBySource says the date is the source's.
	LastChecked     time.Time
	CheckedBySource bool
	SearchURL       string // more services of the same kind
	SearchLabel     string
	JSONLD          *ldThing
	AreasServed     []string
	Accreditation   string
	// ListedIn links to the place whose directory lists the service.
	ListedIn *web.Link
	// Links are other domains' pages about the service.
	Links []web.Link
}

func (h handlers) service(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	// Ids are UUIDs in their canonical form; anything else names nothing.
	if u, err := uuid.Parse(id); err != nil || u.String() != id {
		return web.NotFound("")
	}
	svc, err := h.store.Service(r.Context(), id)
	if err != nil {
		return err
	}
	places, err := h.places(r.Context())
	if err != nil {
		return err
	}
	path := "/directory/services/" + svc.ID
	page := servicePage{
		Name: svc.Name, Description: svc.Description, Status: statusLabel(svc.Status), Alert: svc.Alert,
		Email: svc.Email, Website: svc.URL, FromODS: svc.Source == "ods", Source: sourceText(svc.Source),
		LastUpdated: svc.LastModified, Accreditation: svc.Accreditations,
	}
	if svc.ConfirmedAt != nil {
		page.LastChecked = *svc.ConfirmedAt
	} else if d, err := time.ParseInLocation(time.DateOnly, svc.AssuredDate, london.Location); err == nil {
		page.LastChecked, page.CheckedBySource = d, true
	}
	for _, pl := range places {
		if pl.ID == svc.PlaceID {
			page.ListedIn = &web.Link{Label: pl.Name, Href: "/in-your-area/" + pl.Slug}
		}
	}
	for _, t := range svc.Terms {
		page.Categories = append(page.Categories, t.Name)
	}
	if len(svc.Terms) > 0 {
		t := svc.Terms[0]
		page.SearchURL = "/directory?category=" + t.Code
		if t.Code == "" {
			page.SearchURL = "/directory?category=" + t.ID
		}
		page.SearchLabel = "Find other " + nounFor(t).plural
		if nounFor(t).singular == "service" {
			page.SearchLabel = "Find other services in “" + t.Name + "”"
		}
	}
	for _, ph := range svc.Phones {
		page.Phones = append(page.Phones, phoneView{Number: PhoneText(ph.Number), Tel: telURL(ph.Number), Description: ph.Description})
	}
	for _, c := range svc.Contacts {
		for _, ph := range c.Phones {
			desc := joinNonEmpty(", ", c.Name, c.Title, ph.Description)
			page.Phones = append(page.Phones, phoneView{Number: PhoneText(ph.Number), Tel: telURL(ph.Number), Description: desc})
		}
	}
	page.Hours = OpeningHours(svc.Schedules)
	page.HoursHeld = len(page.Hours) > 0
	for _, sl := range svc.Locations {
		loc := sl.Location
		pv := placeView{Name: loc.Name, Hours: OpeningHours(sl.Schedules)}
		if pv.Name == svc.Name {
			pv.Name = ""
		}
		page.HoursHeld = page.HoursHeld || len(pv.Hours) > 0
		if a, ok := firstAddress(loc); ok {
			pv.AddressLines = nonEmpty(a.Attention, a.Address1, a.Address2, a.City, a.PostalCode)
		}
		for _, ph := range loc.Phones {
			pv.Phones = append(pv.Phones, phoneView{Number: PhoneText(ph.Number), Tel: telURL(ph.Number), Description: ph.Description})
		}
		for _, ac := range loc.Accessibility {
			if d := joinNonEmpty(". ", ac.Description, ac.Details); d != "" {
				pv.Accessibility = append(pv.Accessibility, d)
			}
		}
		if loc.Latitude != nil && loc.Longitude != nil {
			lat := strconv.FormatFloat(*loc.Latitude, 'f', 5, 64)
			lon := strconv.FormatFloat(*loc.Longitude, 'f', 5, 64)
			pv.MapURL = "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon
		}
		page.Places = append(page.Places, pv)
	}
	if svc.Free {
		page.Cost = append(page.Cost, "Free of charge")
	}
	for _, co := range svc.CostOptions {
		if c := costText(co); c != "" {
			page.Cost = append(page.Cost, c)
		}
	}
	page.Eligibility = ageText(svc.MinimumAge, svc.MaximumAge)
	for _, l := range svc.Languages {
		if l.Name != "" {
			page.Languages = append(page.Languages, joinNonEmpty(" – ", l.Name, l.Note))
		}
	}
	for _, a := range svc.ServiceAreas {
		if a.Name != "" {
			page.AreasServed = append(page.AreasServed, a.Name)
		}
	}
	if o := svc.Organization; o != nil {
		page.ODSCode = o.ODSCode
		if o.Name != svc.Name {
			page.Organisation, page.OrgWebsite = o.Name, o.Website
		}
	}
	if svc.Status == StatusActive {
		// A closed service is not advertised to search engines as a place
		// to go.
		ld := serviceJSONLD(svc, h.site.Config().BaseURL+path)
		page.JSONLD = &ld
	}
	for _, more := range h.links {
		links, err := more(r.Context(), svc)
		if err != nil {
			return err
		}
		page.Links = append(page.Links, links...)
	}
	desc := svc.Name
	if len(page.Categories) > 0 {
		desc += " (" + page.Categories[0] + ")"
	}
	if len(page.Places) > 0 && len(page.Places[0].AddressLines) > 0 {
		desc += ", " + strings.Join(page.Places[0].AddressLines, ", ")
	}
	return h.site.Render(w, r, http.StatusOK, "directory_service.html", web.Meta{
		Title:       svc.Name,
		Description: desc + ". Address, phone and opening hours.",
		Path:        path,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Find local services", Href: "/directory"}},
	}, page)
}

// ageText says who a service is for by age: "For people aged 18 and
// over", "For people aged 5 to 16", "For people aged 16 and under".
func ageText(minAge, maxAge *int) string {
	switch {
	case minAge != nil && maxAge != nil:
		return fmt.Sprintf("For people aged %d to %d", *minAge, *maxAge)
	case minAge != nil && *minAge > 0:
		return fmt.Sprintf("For people aged %d and over", *minAge)
	case maxAge != nil:
		return fmt.Sprintf("For people aged %d and under", *maxAge)
	}
	return ""
}

// costText describes a cost option: "Session: £5 (concessions £2.50)".
func costText(co CostOption) string {
	amount := ""
	if co.Amount != nil {
		amount = "£" + strconv.FormatFloat(*co.Amount, 'f', 2, 64)
		amount = strings.TrimSuffix(amount, ".00")
	}
	main := joinNonEmpty(": ", co.Option, amount)
	if co.AmountDescription != "" {
		if main == "" {
			return co.AmountDescription
		}
		return main + " (" + co.AmountDescription + ")"
	}
	return main
}

// nonEmpty returns the parts that are not blank.
func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// sourceText says where a record came from, for the line under it.
func sourceText(source string) string {
	if host, ok := strings.CutPrefix(source, "oruk:"); ok {
		return "From the Open Referral UK feed published at " + host
	}
	return "Added by the partnership"
}
