package directory

import (
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// resultsPerPage is how many services a page of the resident's search lists.
const resultsPerPage = 10

// maxKeywords bounds the keywords of a search, in characters.
const maxKeywords = 100

// maxAge is the oldest age the search accepts.
const maxAge = 120

// radiusChoices are the distances, in miles, a search near a postcode may
// cover; defaultRadius is the one chosen when none is given.
var radiusChoices = []int{1, 2, 5, 10, 25}

const defaultRadius = 5

// dayValues are the days the search may ask for, as the query string spells
// them, Monday first.
var dayValues = [8]string{"", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}

// searchForm is the resident's search as they typed it, shown again in
// the form, with the postcode tidied when it is one.
type searchForm struct {
	Q        string
	Category string
	Postcode string
	Radius   string
	OpenNow  bool
	Day      string
	Age      string
	Free     bool
	Place    string // slug of the place whose directory to search; "" for every place
}

// fieldError is a problem with one field of the form: Field is the id of
// its input, which the error summary links to.
type fieldError struct {
	Field   string
	Message string
}

// searchParams is a search read from a query string.
type searchParams struct {
	Form  searchForm
	Query Query // everything but Near and OpenAt, which need a lookup and a clock
	// Postcode is the postcode, formatted, when one was given and is well
	// formed; RadiusMiles applies to it.
	Postcode    string
	RadiusMiles int
	// Errors are the problems with what was asked. A problem with the
	// postcode still lets the search run, without distances; any other
	// stops it (see blocking).
	Errors []fieldError
	// Page is the page of results asked for, 0 when the page parameter is
	// not a page number.
	Page int
	// Searched is false when nothing was asked, so the page shows only the
	// form.
	Searched bool
}

// blocking reports whether a problem other than one with the postcode
// stops the search.
func (p searchParams) blocking() bool {
	for _, e := range p.Errors {
		if e.Field != "postcode" {
			return true
		}
	}
	return false
}

func (p *searchParams) fail(field, message string) {
	p.Errors = append(p.Errors, fieldError{Field: field, Message: message})
}

// cleanText makes user text safe to keep and show: valid UTF-8, no control
// characters, runs of white space as one space, trimmed.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// parseSearch reads the resident's search from a query string: q, category
// (a taxonomy term id or code, among terms), postcode, radius (miles), open
// ("now"), day (monday to sunday), age (years), free ("on"), place (a slug,
// among places) and page. Every value it cannot use is reported in Errors
// with a message for the resident; it never fails.
func parseSearch(v url.Values, terms []TaxonomyTerm, places ...PlaceRef) searchParams {
	var p searchParams
	p.Query.PerPage = resultsPerPage
	f := &p.Form
	get := func(key string) string { return cleanText(v.Get(key)) }

	f.Q = get("q")
	if n := len([]rune(f.Q)); n > maxKeywords {
		p.fail("q", "Keywords must be "+strconv.Itoa(maxKeywords)+" characters or fewer")
	}
	p.Query.Text = f.Q

	f.Category = get("category")
	if f.Category != "" {
		for _, t := range terms {
			if t.ID == f.Category || (t.Code != "" && strings.EqualFold(t.Code, f.Category)) {
				p.Query.TermIDs = append(p.Query.TermIDs, t.ID)
			}
		}
		if len(p.Query.TermIDs) == 0 {
			p.fail("category", "Choose a type of service from the list")
		}
	}

	f.Postcode = get("postcode")
	if f.Postcode != "" {
		if pc, ok := NormalizePostcode(f.Postcode); ok {
			f.Postcode, p.Postcode = pc, pc
		} else {
			p.fail("postcode", "Enter a full UK postcode, like SE1 2QH, or search without a postcode")
		}
	}

	f.Radius = get("radius")
	p.RadiusMiles = defaultRadius
	if f.Radius != "" {
		n, err := strconv.Atoi(f.Radius)
		valid := err == nil
		if valid {
			valid = false
			for _, c := range radiusChoices {
				valid = valid || c == n
			}
		}
		if valid {
			p.RadiusMiles = n
		} else {
			// The select cannot show a choice it does not have.
			f.Radius = strconv.Itoa(defaultRadius)
			p.fail("radius", "Choose a distance from the list")
		}
	} else {
		f.Radius = strconv.Itoa(defaultRadius)
	}
	if p.Postcode != "" {
		p.Query.RadiusMetres = float64(p.RadiusMiles) * metresPerMile
	}

	switch open := strings.ToLower(get("open")); open {
	case "":
	case "now", "on", "true", "yes":
		f.OpenNow = true
	default:
		p.fail("open", "To see only services open now, tick the box; otherwise leave it empty")
	}

	f.Day = strings.ToLower(get("day"))
	if f.Day != "" {
		for d, name := range dayValues {
			if d > 0 && name == f.Day {
				p.Query.Weekday = d
			}
		}
		switch {
		case p.Query.Weekday == 0:
			p.fail("day", "Choose a day of the week from the list")
		case f.OpenNow:
			p.fail("day", "Choose a day or open now, not both")
		}
	}

	f.Age = get("age")
	if f.Age != "" {
		digits := strings.Trim(f.Age, "0123456789") == ""
		n, err := strconv.Atoi(f.Age)
		switch {
		case digits && (err != nil || n > maxAge):
			p.fail("age", "Age must be "+strconv.Itoa(maxAge)+" or less")
		case digits:
			p.Query.Age = &n
		case err == nil && n < 0:
			p.fail("age", "Age must be 0 or more")
		default:
			p.fail("age", "Enter the age in whole years, like 8")
		}
	}

	switch free := strings.ToLower(get("free")); free {
	case "":
	case "on", "true", "yes", "1":
		f.Free = true
		p.Query.FreeOnly = true
	default:
		p.fail("free", "To see only free services, tick the box; otherwise leave it empty")
	}

	f.Place = strings.ToLower(get("place"))
	if f.Place != "" {
		for _, pl := range places {
			if pl.Slug == f.Place {
				p.Query.PlaceID = pl.ID
			}
		}
		if p.Query.PlaceID == 0 {
			p.fail("place", "Choose a place from the list")
		}
	}

	p.Page = 1
	if s := get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || strings.HasPrefix(s, "+") {
			p.Page = 0
		} else {
			p.Page = n
		}
	}
	p.Query.Page = max(p.Page, 1)

	p.Searched = f.Q != "" || f.Category != "" || f.Postcode != "" || f.OpenNow || f.Day != "" || f.Age != "" || f.Free ||
		f.Place != "" || len(p.Errors) > 0
	return p
}

// values is the search as a query string, with only what was asked, so it
// can be shared, bookmarked or paged.
func (p searchParams) values(page int) url.Values {
	v := url.Values{}
	set := func(key, val string) {
		if val != "" {
			v.Set(key, val)
		}
	}
	f := p.Form
	set("q", f.Q)
	set("category", f.Category)
	set("postcode", f.Postcode)
	if f.Postcode != "" {
		set("radius", f.Radius)
	}
	if f.OpenNow {
		v.Set("open", "now")
	}
	set("day", f.Day)
	set("age", f.Age)
	if f.Free {
		v.Set("free", "on")
	}
	set("place", f.Place)
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return v
}
