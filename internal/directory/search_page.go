package directory

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

// option is one choice of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// resultView is one service in a list of results.
type resultView struct {
	URL      string
	Name     string
	Category string
	Status   string // set when the service is not active
	Address  string
	Distance string
	Phone    string
	Tel      template.URL
	Open     string // "Open now" or "Closed now" when opening hours are held
	Place    string // the place whose directory lists it, such as "Lambeth"
}

// searchPage is what the search template shows.
type searchPage struct {
	Form       searchForm
	Errors     []fieldError
	FieldError map[string]*fieldError
	Categories []option
	Radii      []option
	Days       []option
	Places     []option
	Browse     []web.Link // category shortcuts, before a search

	Searched bool
	Blocked  bool // a problem with the search stopped it
	// NoPage says the page asked for does not exist; LastPage links to the
	// last one there is.
	NoPage     string
	LastPage   string
	Summary    string
	NoDistance bool // the postcode could not be used, so results are not by distance
	Suggestion string
	SuggestURL string
	Results    []resultView
	Pagination web.Pagination
	ShareURL   string
	APIURL     string
}

// unknownPostcode is the message for a well-formed postcode we hold no
// position for.
func unknownPostcode(pc string) string {
	return "We could not find the postcode " + pc + ". Check it and try again, or search without a postcode."
}

func (h handlers) search(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	terms, err := h.store.TermsInUse(ctx)
	if err != nil {
		return err
	}
	places, err := h.places(ctx)
	if err != nil {
		return err
	}
	p := parseSearch(r.URL.Query(), terms, places...)
	page := searchPage{Form: p.Form, Searched: p.Searched, APIURL: "/api/oruk/"}
	status := http.StatusOK

	if p.Searched && !p.blocking() {
		q := p.Query
		if p.Postcode != "" {
			pc, err := h.store.Postcode(ctx, p.Postcode)
			switch {
			case errors.Is(err, db.ErrNotFound) || errors.Is(err, ErrMalformedPostcode):
				p.fail("postcode", unknownPostcode(p.Postcode))
			case err != nil:
				return err
			default:
				q.Near = &pc.Point
			}
		}
		if q.Near == nil {
			q.RadiusMetres = 0
			page.NoDistance = p.Form.Postcode != ""
		}
		if p.Form.OpenNow {
			now := h.now()
			q.OpenAt = &now
		}
		res, err := h.store.Search(ctx, q)
		if err != nil {
			return err
		}
		pages := (res.Total + resultsPerPage - 1) / resultsPerPage
		if res.More {
			// The count stopped at the end of a page: there is at least
			// one more.
			pages++
		}
		if p.Page < 1 || p.Page > max(pages, 1) {
			// A page that is not there: an old link, or a typed address.
			// Say so on the search page itself, with a way on.
			status = http.StatusNotFound
			last := max(pages, 1)
			page.NoPage = "There is no page " + strconv.Itoa(p.Page) + " of these results."
			if p.Page < 1 {
				page.NoPage = "That is not a page number."
			}
			page.LastPage = "/directory?" + p.values(last).Encode()
		} else {
			if err := h.fillResults(r, &page, p, q, res, terms, places); err != nil {
				return err
			}
			page.Pagination = web.Paginate(p.Page, pages, func(n int) string { return "/directory?" + p.values(n).Encode() })
		}
		if res.Suggestion != "" {
			page.Suggestion = res.Suggestion
			s := p
			s.Form.Q = res.Suggestion
			page.SuggestURL = "/directory?" + s.values(1).Encode()
		}
		page.ShareURL = h.site.Config().BaseURL + "/directory?" + p.values(p.Page).Encode()
	}
	if p.blocking() {
		page.Blocked = true
		status = http.StatusBadRequest
	}

	page.Errors = p.Errors
	page.FieldError = map[string]*fieldError{}
	for i, e := range p.Errors {
		if page.FieldError[e.Field] == nil {
			page.FieldError[e.Field] = &p.Errors[i]
		}
	}
	page.Form = p.Form
	page.Categories = categoryOptions(terms, p)
	for _, miles := range radiusChoices {
		label := strconv.Itoa(miles) + " miles"
		if miles == 1 {
			label = "1 mile"
		}
		page.Radii = append(page.Radii, option{Value: strconv.Itoa(miles), Label: label, Selected: strconv.Itoa(miles) == p.Form.Radius})
	}
	if len(places) > 0 {
		page.Places = []option{{Value: "", Label: "Any place", Selected: p.Form.Place == ""}}
		for _, pl := range places {
			page.Places = append(page.Places, option{Value: pl.Slug, Label: pl.Name, Selected: pl.Slug == p.Form.Place})
		}
	}
	page.Days = []option{{Value: "", Label: "Any day", Selected: p.Form.Day == ""}}
	for d := 1; d <= 7; d++ {
		page.Days = append(page.Days, option{Value: dayValues[d], Label: dayNames[d], Selected: dayValues[d] == p.Form.Day})
	}
	if !p.Searched {
		for _, t := range terms {
			page.Browse = append(page.Browse, web.Link{Label: termLabel(t), Href: "/directory?category=" + termParam(t, terms)})
		}
	}

	meta := web.Meta{
		Title:       "Find local services",
		Description: "Find GP practices, pharmacies and other local services near a postcode.",
		Path:        "/directory",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
		Forms:       true,
	}
	if p.Searched {
		// Results are for people, not search engines: a crawler would find
		// a page for every combination of filters.
		meta.NoIndex = true
		meta.Path = "/directory?" + p.values(max(p.Page, 1)).Encode()
		if page.Pagination.Pages > 1 {
			meta.Title += fmt.Sprintf(" (page %d of %d)", p.Page, page.Pagination.Pages)
		}
	}
	if len(p.Errors) > 0 || page.NoPage != "" {
		meta.Title = "Error: " + meta.Title
	}
	return h.site.Render(w, r, status, "directory_search.html", meta, page)
}

// fillResults loads the services of a page of hits and describes them.
func (h handlers) fillResults(r *http.Request, page *searchPage, p searchParams, q Query, res Results, terms []TaxonomyTerm,
	places []PlaceRef) error {
	placeNames := make(map[int64]string, len(places))
	for _, pl := range places {
		placeNames[pl.ID] = pl.Name
	}
	ids := make([]string, len(res.Hits))
	for i, hit := range res.Hits {
		ids[i] = hit.ServiceID
	}
	svcs, err := h.store.Services(r.Context(), ids)
	if err != nil {
		return err
	}
	byID := make(map[string]Service, len(svcs))
	for _, s := range svcs {
		byID[s.ID] = s
	}
	now := h.now()
	for _, hit := range res.Hits {
		svc, ok := byID[hit.ServiceID]
		if !ok {
			continue // deleted since the search
		}
		v := resultView{URL: "/directory/services/" + svc.ID, Name: svc.Name, Status: statusLabel(svc.Status),
			Place: placeNames[svc.PlaceID]}
		if len(svc.Terms) > 0 {
			v.Category = svc.Terms[0].Name
		}
		loc, ok := mainLocation(svc)
		for _, sl := range svc.Locations {
			if sl.Location.ID == hit.LocationID {
				loc, ok = sl.Location, true
			}
		}
		if ok {
			if a, ok := firstAddress(loc); ok {
				v.Address = addressLine(a)
			}
		}
		if hit.DistanceMetres != nil {
			v.Distance = DistanceText(*hit.DistanceMetres)
		}
		v.Phone = PhoneText(firstPhone(svc))
		v.Tel = telURL(v.Phone)
		if sch := allSchedules(svc); HasHours(sch) {
			v.Open = "Closed now"
			if OpenAt(sch, now) {
				v.Open = "Open now"
			}
		}
		page.Results = append(page.Results, v)
	}
	page.Summary = summaryLine(res.Total, res.More, p, q, terms, places)
	return nil
}

// summaryLine says what the results are: "57 pharmacies within 5 miles of
// SE1 9RT, nearest first", or "More than 1,000 services matching …" when
// the count stopped (more).
func summaryLine(total int, more bool, p searchParams, q Query, terms []TaxonomyTerm, places []PlaceRef) string {
	n := noun{"service", "services"}
	var category string
	if len(q.TermIDs) > 0 {
		for _, t := range terms {
			if t.ID == q.TermIDs[0] {
				n = nounFor(t)
				if n.singular == "service" {
					category = t.Name
				}
			}
		}
	}
	var b strings.Builder
	switch {
	case more:
		b.WriteString("More than " + thousands(total) + " " + n.plural)
	case total == 0:
		b.WriteString("No " + n.plural)
	default:
		b.WriteString(thousands(total) + " ")
		if total == 1 {
			b.WriteString(n.singular)
		} else {
			b.WriteString(n.plural)
		}
	}
	if category != "" {
		b.WriteString(" in “" + category + "”")
	}
	if p.Form.Q != "" {
		b.WriteString(" matching “" + p.Form.Q + "”")
	}
	if q.Near != nil {
		b.WriteString(fmt.Sprintf(" within %s of %s", milesText(p.RadiusMiles), p.Postcode))
	}
	for _, pl := range places {
		if pl.ID == q.PlaceID {
			b.WriteString(" listed in " + pl.Name)
		}
	}
	var filters []string
	switch {
	case p.Form.OpenNow:
		filters = append(filters, "open now")
	case q.Weekday > 0:
		filters = append(filters, "open on "+dayNames[q.Weekday])
	}
	if q.Age != nil {
		filters = append(filters, "for people aged "+strconv.Itoa(*q.Age))
	}
	if q.FreeOnly {
		filters = append(filters, "free of charge")
	}
	for _, f := range filters {
		b.WriteString(", " + f)
	}
	if q.Near != nil && total > 1 {
		b.WriteString(", nearest first")
	}
	return b.String()
}

// thousands writes n with commas between thousands: "1,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func milesText(n int) string {
	if n == 1 {
		return "1 mile"
	}
	return strconv.Itoa(n) + " miles"
}

// noun is how a summary names the services of a category.
type noun struct{ singular, plural string }

// nounFor names the services of a term: "pharmacies", "GP practices", else
// "services".
func nounFor(t TaxonomyTerm) noun {
	switch t.ID {
	case TermPharmacy.ID:
		return noun{"pharmacy", "pharmacies"}
	case TermGPPractice.ID:
		return noun{"GP practice", "GP practices"}
	}
	return noun{"service", "services"}
}

// termLabel names a category in a list: "Pharmacies", "GP practices", else
// the term's own name.
func termLabel(t TaxonomyTerm) string {
	if n := nounFor(t); n.singular != "service" {
		return strings.ToUpper(n.plural[:1]) + n.plural[1:]
	}
	return t.Name
}

// termParam is how a link names a category: its code when no other term in
// use has the same code, for a shorter address; else its id.
func termParam(t TaxonomyTerm, terms []TaxonomyTerm) string {
	if t.Code == "" {
		return t.ID
	}
	for _, o := range terms {
		if o.ID != t.ID && strings.EqualFold(o.Code, t.Code) {
			return t.ID
		}
	}
	return t.Code
}

// categoryOptions lists the terms in use for the category select, with the
// ones the search asked for selected.
func categoryOptions(terms []TaxonomyTerm, p searchParams) []option {
	opts := []option{{Value: "", Label: "All types of service", Selected: len(p.Query.TermIDs) == 0}}
	for _, t := range terms {
		selected := false
		for _, id := range p.Query.TermIDs {
			selected = selected || id == t.ID
		}
		opts = append(opts, option{Value: termParam(t, terms), Label: termLabel(t), Selected: selected})
	}
	return opts
}

// statusLabel names a status that is not active, for a tag; "" for active.
func statusLabel(status string) string {
	switch status {
	case StatusActive, "":
		return ""
	case StatusTemporarilyClosed:
		return "Temporarily closed"
	case StatusDefunct:
		return "Closed permanently"
	}
	return "Closed"
}

// addressLine writes an address on one line: "199 Old Kent Road, London
// SE1 5NA".
func addressLine(a Address) string {
	return joinNonEmpty(", ", a.Address1, a.Address2, joinNonEmpty(" ", a.City, a.PostalCode))
}
