package oruk

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// Page sizes: ORUK leaves them to the publisher.
const (
	DefaultPerPage = 50
	MaxPerPage     = 200
)

// MaxProximity bounds the proximity parameter, in metres.
const MaxProximity = 200000

// paging reads page and per_page. A per_page above MaxPerPage is served
// as MaxPerPage, as harvesters ask for more than any publisher gives; the
// envelope's size says how many came.
func paging(v url.Values) (page, perPage int, err error) {
	page, perPage = 1, DefaultPerPage
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1000000 {
			return 0, 0, badParameter("page", "page must be a whole number from 1")
		}
		page = n
	}
	if s := v.Get("per_page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return 0, 0, badParameter("per_page", fmt.Sprintf("per_page must be a whole number from 1 (at most %d are served)", MaxPerPage))
		}
		perPage = min(n, MaxPerPage)
	}
	return page, perPage, nil
}

// uuidParam reads a parameter that must be an id (a UUID) when given.
func uuidParam(v url.Values, name string) (string, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return "", nil
	}
	id, err := uuid.Parse(s)
	if err != nil {
		return "", badParameter(name, name+" must be an id (a UUID)")
	}
	return id.String(), nil
}

// ageParam reads an age in whole years.
func ageParam(v url.Values, name string) (*int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 150 || f != math.Trunc(f) {
		return nil, badParameter(name, name+" must be a whole number of years from 0 to 150")
	}
	n := int(f)
	return &n, nil
}

// dayNames maps the ways a day can be given (ORUK does not fix one) to its
// ISO number: the RFC 5545 codes schedules use, and English names.
var dayNames = map[string]int{
	"mo": 1, "tu": 2, "we": 3, "th": 4, "fr": 5, "sa": 6, "su": 7,
	"monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
	"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
}

// clockParam reads a time of day, "HH:MM" or "HH:MM:SS", as minutes after
// midnight.
func clockParam(v url.Values, name string) (int, bool, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, false, nil
	}
	for _, layout := range []string{"15:04", "15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Hour()*60 + t.Minute(), true, nil
		}
	}
	if s == "24:00" || s == "24:00:00" {
		return 1440, true, nil
	}
	return 0, false, badParameter(name, name+" must be a time of day such as 09:30")
}

// searchQuery reads the filters /services and /service_at_locations share.
func (a *api) searchQuery(r *http.Request) (directory.Query, error) {
	v := r.URL.Query()
	// Feeds are read whole, page by page: id order pages fastest.
	q := directory.Query{IDOrder: true}
	var err error
	if q.Page, q.PerPage, err = paging(v); err != nil {
		return q, err
	}
	q.Text = v.Get("search")
	if q.Text == "" {
		q.Text = v.Get("text") // the name ORUK's first version used
	}
	if len(q.Text) > 200 {
		return q, badParameter("search", "search must be at most 200 characters")
	}
	for _, part := range strings.Split(v.Get("taxonomy_term_id"), ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		id, err := uuid.Parse(part)
		if err != nil {
			return q, badParameter("taxonomy_term_id", "taxonomy_term_id must be an id (a UUID), or several separated by commas")
		}
		q.TermIDs = append(q.TermIDs, id.String())
	}
	if q.TaxonomyID, err = uuidParam(v, "taxonomy_id"); err != nil {
		return q, err
	}
	if q.OrganizationID, err = uuidParam(v, "organization_id"); err != nil {
		return q, err
	}
	if q.MinimumAge, err = ageParam(v, "minimum_age"); err != nil {
		return q, err
	}
	if q.MaximumAge, err = ageParam(v, "maximum_age"); err != nil {
		return q, err
	}
	if s := strings.TrimSpace(v.Get("day")); s != "" {
		day, ok := dayNames[strings.ToLower(s)]
		if !ok {
			return q, badParameter("day", "day must be a day of the week, such as monday or MO")
		}
		q.Weekday = day
	}
	from, hasFrom, err := clockParam(v, "start_time")
	if err != nil {
		return q, err
	}
	to, hasTo, err := clockParam(v, "end_time")
	if err != nil {
		return q, err
	}
	if hasFrom && hasTo && to <= from {
		return q, badParameter("end_time", "end_time must be later than start_time")
	}
	q.OpensFrom = from
	if hasTo {
		q.OpensTo = to
	}
	if s := strings.TrimSpace(v.Get("modified_after")); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t, err = time.Parse("2006-01-02", s)
		}
		if err != nil {
			return q, badParameter("modified_after", "modified_after must be a date and time such as 2025-05-22T13:30:00Z, or a date such as 2025-05-22")
		}
		q.ModifiedAfter = t
	}
	pc := strings.TrimSpace(v.Get("postcode"))
	prox := strings.TrimSpace(v.Get("proximity"))
	if prox != "" {
		if pc == "" {
			return q, badParameter("proximity", "proximity needs a postcode to measure from")
		}
		m, err := strconv.ParseFloat(prox, 64)
		if err != nil || m <= 0 || m > MaxProximity || math.IsNaN(m) {
			return q, badParameter("proximity", fmt.Sprintf("proximity must be a distance in metres from 1 to %d", MaxProximity))
		}
		q.RadiusMetres = m
	}
	if pc != "" {
		p, err := a.store.Postcode(r.Context(), pc)
		switch {
		case errors.Is(err, directory.ErrMalformedPostcode):
			return q, badParameter("postcode", "postcode must be a UK postcode, such as SE1 7EH")
		case errors.Is(err, db.ErrNotFound):
			return q, badParameter("postcode", "we have no position for the postcode "+strings.ToUpper(pc))
		case err != nil:
			return q, err
		}
		q.Near = &p.Point
	}
	return q, nil
}
