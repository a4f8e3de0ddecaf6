package directory

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
)

// Problem is one thing wrong with a record, with the field it is about
// ("name", "contact-2-email"), so that a form can show it beside the field
// and an import can report it with the record.
type Problem struct {
	Field   string
	Message string
}

// ValidStatus reports whether s is one of Open Referral's service statuses.
func ValidStatus(s string) bool {
	switch s {
	case StatusActive, StatusInactive, StatusDefunct, StatusTemporarilyClosed:
		return true
	}
	return false
}

// ValidWebAddress reports whether s is an absolute address; an http or
// https one must name a host.
func ValidWebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && !((u.Scheme == "http" || u.Scheme == "https") && u.Host == "")
}

// ValidEmail reports whether s is a bare email address (no name, no
// angle brackets).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s
}

// CheckService checks a service as every way into the directory does: the
// Open Referral import and the admin's forms (for editors and providers)
// run the same checks, so a record the admin saves could have been
// imported and the other way round.
func CheckService(s Service) []Problem {
	var ps []Problem
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(s.Name) == "" {
		add("name", "name is missing")
	}
	if !ValidStatus(s.Status) {
		add("status", "status %q is not one of active, inactive, defunct, temporarily closed", s.Status)
	}
	if s.URL != "" && !ValidWebAddress(s.URL) {
		add("url", "url %q is not a web address", s.URL)
	}
	if s.Email != "" && !ValidEmail(s.Email) {
		add("email", "email %q is not an email address", s.Email)
	}
	for _, age := range []struct {
		field string
		n     *int
	}{{"minimum_age", s.MinimumAge}, {"maximum_age", s.MaximumAge}} {
		if age.n != nil && (*age.n < 0 || *age.n > 130) {
			add(age.field, "%s %d is not an age in years", age.field, *age.n)
		}
	}
	if s.MinimumAge != nil && s.MaximumAge != nil && *s.MinimumAge > *s.MaximumAge {
		add("maximum_age", "maximum_age %d is below minimum_age %d", *s.MaximumAge, *s.MinimumAge)
	}
	for i, c := range s.Contacts {
		if c.Email != "" && !ValidEmail(c.Email) {
			add(fmt.Sprintf("contact-%d-email", i), "contact %d email %q is not an email address", i+1, c.Email)
		}
	}
	for i, co := range s.CostOptions {
		if co.Amount != nil && *co.Amount < 0 {
			add(fmt.Sprintf("cost-%d-amount", i), "cost_option %d amount %v is below nothing", i+1, *co.Amount)
		}
	}
	return ps
}

// CheckOrganization checks an organisation as the import and the admin do.
func CheckOrganization(o Organization) []Problem {
	var ps []Problem
	if strings.TrimSpace(o.Name) == "" {
		ps = append(ps, Problem{Field: "name", Message: "organization name is missing"})
	}
	if o.Email != "" && !ValidEmail(o.Email) {
		ps = append(ps, Problem{Field: "email", Message: fmt.Sprintf("organization email %q is not an email address", o.Email)})
	}
	if o.Website != "" && !ValidWebAddress(o.Website) {
		ps = append(ps, Problem{Field: "website", Message: fmt.Sprintf("organization website %q is not a web address", o.Website)})
	}
	return ps
}
