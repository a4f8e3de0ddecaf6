package admin

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/directory"
)

// Blank rows the service form adds for a new phone number and a new
// location, so they can be added without JavaScript.
const (
	blankPhones    = 2
	blankLocations = 1
	blankContacts  = 1
	blankCosts     = 1
)

// serviceForm is the directory service form as typed.
type serviceForm struct {
	ID           string
	Name         string
	Description  string
	Organization string // a name or an ODS code
	Status       string
	Email        string
	URL          string
	Place        string // the slug of the place whose directory lists it; "" for none
	MinimumAge   string
	MaximumAge   string
	Free         bool
	Terms        []string // ids of the categories chosen
	Phones       []phoneRow
	Locations    []locationRow
	Contacts     []contactRow
	Costs        []costRow
	Hours        []dayRow
}

// contactRow is a named contact of the service. Rows numbered below the
// service's count of contacts are those contacts, in order.
type contactRow struct {
	N      int
	Name   string
	Title  string
	Email  string
	Phone  string
	Remove bool
}

// costRow is one of the service's costs.
type costRow struct {
	N           int
	Option      string
	Amount      string
	Description string
	Remove      bool
}

type phoneRow struct {
	N           int
	Number      string
	Description string
	Remove      bool
}

// locationRow is a location of the service and its (first) address. Rows
// numbered below the service's count of locations are those locations, in
// order; the rest are new.
type locationRow struct {
	N        int
	Name     string
	Address1 string
	Address2 string
	City     string
	Postcode string
	Remove   bool
}

// dayRow is one day's regular opening hours: up to two periods, for a
// service that closes for lunch.
type dayRow struct {
	Code    string // "MO"
	Day     string // "Monday"
	Periods [2]period
}

type period struct{ Opens, Closes string }

// days are the days of the week, Monday first, with their RFC 5545 codes.
var days = []struct{ code, name string }{{"MO", "Monday"}, {"TU", "Tuesday"}, {"WE", "Wednesday"}, {"TH", "Thursday"},
	{"FR", "Friday"}, {"SA", "Saturday"}, {"SU", "Sunday"}}

// serviceStatuses are the statuses an editor can choose, with their
// labels. The values are Open Referral's with _ for a space, as they name
// the radios' ids too.
var serviceStatuses = []option{{Value: statusValue(directory.StatusActive), Label: "Active: open to residents"},
	{Value: statusValue(directory.StatusTemporarilyClosed), Label: "Temporarily closed"},
	{Value: statusValue(directory.StatusInactive), Label: "Inactive: not offered at the moment"},
	{Value: statusValue(directory.StatusDefunct), Label: "Closed for good"}}

// statusValue is a service status as the form's radios carry it.
func statusValue(status string) string { return strings.ReplaceAll(status, " ", "_") }

// weekly reports whether a schedule is a simple weekly opening period the
// hours grid can show.
func weekly(s directory.Schedule) bool {
	f := strings.ToUpper(s.Freq)
	return (f == "" || f == "WEEKLY") && (s.Interval == nil || *s.Interval <= 1) && s.ByMonthDay == "" &&
		s.ValidFrom == "" && s.ValidTo == "" && s.ByDay != "" && s.Description == "" && s.Notes == "" &&
		clockOK(s.OpensAt) && clockOK(s.ClosesAt)
}

// hhmm is a time of day as the form takes it.
var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

func clockOK(s string) bool { return hhmm.MatchString(s) }

func newServiceForm(svc directory.Service) serviceForm {
	f := serviceForm{ID: svc.ID, Name: svc.Name, Description: svc.Description, Status: statusValue(svc.Status), Email: svc.Email,
		URL: svc.URL}
	if o := svc.Organization; o != nil {
		f.Organization = o.Name
	}
	f.Free, f.Terms = svc.Free, append([]string(nil), svc.TermIDs...)
	if svc.MinimumAge != nil {
		f.MinimumAge = strconv.Itoa(*svc.MinimumAge)
	}
	if svc.MaximumAge != nil {
		f.MaximumAge = strconv.Itoa(*svc.MaximumAge)
	}
	for i, c := range svc.Contacts {
		row := contactRow{N: i, Name: c.Name, Title: c.Title, Email: c.Email}
		if len(c.Phones) > 0 {
			row.Phone = c.Phones[0].Number
		}
		f.Contacts = append(f.Contacts, row)
	}
	for i := range blankContacts {
		f.Contacts = append(f.Contacts, contactRow{N: len(svc.Contacts) + i})
	}
	for i, co := range svc.CostOptions {
		row := costRow{N: i, Option: co.Option, Description: co.AmountDescription}
		if co.Amount != nil {
			row.Amount = strconv.FormatFloat(*co.Amount, 'f', 2, 64)
		}
		f.Costs = append(f.Costs, row)
	}
	for i := range blankCosts {
		f.Costs = append(f.Costs, costRow{N: len(svc.CostOptions) + i})
	}
	for i, ph := range svc.Phones {
		f.Phones = append(f.Phones, phoneRow{N: i, Number: ph.Number, Description: ph.Description})
	}
	for i := range blankPhones {
		f.Phones = append(f.Phones, phoneRow{N: len(svc.Phones) + i})
	}
	for i, sl := range svc.Locations {
		row := locationRow{N: i, Name: sl.Location.Name}
		if len(sl.Location.Addresses) > 0 {
			a := sl.Location.Addresses[0]
			row.Address1, row.Address2, row.City, row.Postcode = a.Address1, a.Address2, a.City, a.PostalCode
		}
		f.Locations = append(f.Locations, row)
	}
	for i := range blankLocations {
		f.Locations = append(f.Locations, locationRow{N: len(svc.Locations) + i})
	}
	f.Hours = make([]dayRow, len(days))
	for i, d := range days {
		f.Hours[i] = dayRow{Code: d.code, Day: d.name}
	}
	for _, s := range svc.Schedules {
		if !weekly(s) {
			continue
		}
		for _, code := range strings.Split(strings.ToUpper(s.ByDay), ",") {
			for i := range f.Hours {
				if f.Hours[i].Code != strings.TrimSpace(code) {
					continue
				}
				for j := range f.Hours[i].Periods {
					if f.Hours[i].Periods[j].Opens == "" {
						f.Hours[i].Periods[j] = period{s.OpensAt, s.ClosesAt}
						break
					}
				}
			}
		}
	}
	return f
}

func readServiceForm(r *http.Request, id string) serviceForm {
	f := serviceForm{ID: id, Name: formValue(r, "name"), Description: formText(r, "description"),
		Organization: formValue(r, "organization"), Status: formValue(r, "status"), Email: formValue(r, "email"),
		URL: formValue(r, "url"), Place: formValue(r, "place"), MinimumAge: formValue(r, "minimum_age"),
		MaximumAge: formValue(r, "maximum_age"), Free: r.PostFormValue("free") == "yes"}
	for _, t := range r.PostForm["terms"] {
		if len(f.Terms) < maxRows {
			f.Terms = append(f.Terms, t)
		}
	}
	n, _ := strconv.Atoi(r.PostFormValue("contacts"))
	for i := range min(max(n, 0), maxRows) {
		p := fmt.Sprintf("contact-%d-", i)
		f.Contacts = append(f.Contacts, contactRow{N: i, Name: formValue(r, p+"name"), Title: formValue(r, p+"title"),
			Email: formValue(r, p+"email"), Phone: formValue(r, p+"phone"), Remove: r.PostFormValue(p+"remove") == "yes"})
	}
	n, _ = strconv.Atoi(r.PostFormValue("costs"))
	for i := range min(max(n, 0), maxRows) {
		p := fmt.Sprintf("cost-%d-", i)
		f.Costs = append(f.Costs, costRow{N: i, Option: formValue(r, p+"option"), Amount: formValue(r, p+"amount"),
			Description: formValue(r, p+"description"), Remove: r.PostFormValue(p+"remove") == "yes"})
	}
	n, _ = strconv.Atoi(r.PostFormValue("phones"))
	for i := range min(max(n, 0), maxRows) {
		p := fmt.Sprintf("phone-%d-", i)
		f.Phones = append(f.Phones, phoneRow{N: i, Number: formValue(r, p+"number"), Description: formValue(r, p+"description"),
			Remove: r.PostFormValue(p+"remove") == "yes"})
	}
	n, _ = strconv.Atoi(r.PostFormValue("locations"))
	for i := range min(max(n, 0), maxRows) {
		p := fmt.Sprintf("loc-%d-", i)
		f.Locations = append(f.Locations, locationRow{N: i, Name: formValue(r, p+"name"), Address1: formValue(r, p+"address1"),
			Address2: formValue(r, p+"address2"), City: formValue(r, p+"city"), Postcode: formValue(r, p+"postcode"),
			Remove: r.PostFormValue(p+"remove") == "yes"})
	}
	for _, d := range days {
		row := dayRow{Code: d.code, Day: d.name}
		for j := range row.Periods {
			p := fmt.Sprintf("hours-%s-%d-", d.code, j+1)
			row.Periods[j] = period{formValue(r, p+"opens"), formValue(r, p+"closes")}
		}
		f.Hours = append(f.Hours, row)
	}
	return f
}

// phonePattern is what a phone number may look like: digits, with spaces,
// brackets, hyphens and a leading +.
var phonePattern = regexp.MustCompile(`^\+?[0-9 ()-]+$`)

func checkPhone(s string) bool {
	digits := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	return phonePattern.MatchString(s) && digits >= 7 && digits <= 15
}

// service checks the form and returns the service it describes, built on
// before (the stored service): its locations, phones and weekly hours are
// replaced, all else is kept. The organisation and the locations'
// positions are for the caller to fill in.
func (f serviceForm) service(before directory.Service) (directory.Service, formErrors) {
	var errs formErrors
	s := before
	s.Name, s.Description, s.Email, s.URL = f.Name, f.Description, f.Email, f.URL
	s.Status = strings.ReplaceAll(f.Status, "_", " ")
	s.Organization, s.Terms = nil, nil
	if f.Name == "" {
		errs.add("name", "Enter the service's name")
	}
	checkLength(&errs, "name", f.Name, "The name", 200)
	checkLength(&errs, "description", f.Description, "The description", 5000)
	if f.Organization == "" {
		errs.add("organization", "Enter the name or ODS code of the organisation that provides the service")
	}
	checkLength(&errs, "organization", f.Organization, "The organisation", 200)
	if !validStatus(f.Status) {
		errs.add("status-"+serviceStatuses[0].Value, "Choose the service's status")
	}
	if f.Email != "" && (!strings.Contains(f.Email, "@") || strings.ContainsAny(f.Email, " <>\"") || len(f.Email) > 254) {
		errs.add("email", "Enter an email address in the right form, like help@example.org")
	}
	if f.URL != "" {
		if msg := checkURL(f.URL, "the service's website"); msg != "" {
			errs.add("url", msg)
		}
	}
	checkLength(&errs, "url", f.URL, "The website", 500)
	s.Phones = nil
	for _, row := range f.Phones {
		if row.Remove || (row.Number == "" && row.Description == "") {
			continue
		}
		id := fmt.Sprintf("phone-%d-", row.N)
		if row.Number == "" {
			errs.add(id+"number", fmt.Sprintf("Enter phone number %d, or leave its description empty", row.N+1))
		} else if !checkPhone(row.Number) {
			errs.add(id+"number", fmt.Sprintf("Enter phone number %d as digits, like 020 7525 5000", row.N+1))
		}
		checkLength(&errs, id+"description", row.Description, "A phone number's description", 200)
		ph := directory.Phone{ID: directory.NewID(), Number: row.Number,
			Description: row.Description}
		if row.N < len(before.Phones) {
			ph.ID = before.Phones[row.N].ID
		}
		s.Phones = append(s.Phones, ph)
	}
	s.Locations = nil
	for _, row := range f.Locations {
		if row.Remove || (row.Name == "" && row.Address1 == "" && row.Address2 == "" && row.City == "" && row.Postcode == "") {
			continue
		}
		id := fmt.Sprintf("loc-%d-", row.N)
		checkLength(&errs, id+"name", row.Name, "A location's name", 200)
		if row.Address1 == "" {
			errs.add(id+"address1", fmt.Sprintf("Enter the first line of the address of location %d", row.N+1))
		}
		checkLength(&errs, id+"address1", row.Address1, "An address line", 200)
		checkLength(&errs, id+"address2", row.Address2, "An address line", 200)
		checkLength(&errs, id+"city", row.City, "A town or city", 100)
		postcode, ok := directory.NormalizePostcode(row.Postcode)
		if row.Postcode == "" {
			errs.add(id+"postcode", fmt.Sprintf("Enter the postcode of location %d", row.N+1))
		} else if !ok {
			errs.add(id+"postcode", fmt.Sprintf("Enter the postcode of location %d as a real UK postcode, like SE1 2QH", row.N+1))
		}
		var sl directory.ServiceLocation
		if row.N < len(before.Locations) {
			sl = before.Locations[row.N]
		} else {
			sl = directory.ServiceLocation{ID: directory.NewID(), Location: directory.Location{ID: directory.NewID(), LocationType: "physical"}}
		}
		loc := &sl.Location
		loc.Name = row.Name
		addr := directory.Address{ID: directory.NewID(), AddressType: "physical", Country: "GB"}
		if len(loc.Addresses) > 0 {
			addr = loc.Addresses[0]
		}
		if addr.PostalCode != postcode {
			// The position came from the old postcode; the caller looks
			// up the new one.
			loc.Latitude, loc.Longitude = nil, nil
		}
		addr.Address1, addr.Address2, addr.City, addr.PostalCode = row.Address1, row.Address2, row.City, postcode
		loc.Addresses = append([]directory.Address{addr}, loc.Addresses[min(1, len(loc.Addresses)):]...)
		loc.LastModified = time.Time{}
		s.Locations = append(s.Locations, sl)
	}
	s.Schedules = nil
	for _, sch := range before.Schedules {
		if !weekly(sch) {
			s.Schedules = append(s.Schedules, sch)
		}
	}
	s.Schedules = append(s.Schedules, f.schedules(before.ID, &errs)...)
	s.MinimumAge = f.age(&errs, "minimum_age", f.MinimumAge, "minimum")
	s.MaximumAge = f.age(&errs, "maximum_age", f.MaximumAge, "maximum")
	s.Free = f.Free
	s.Contacts = nil
	var contactRows []int // the form's row of each contact kept
	for _, row := range f.Contacts {
		if row.Remove || (row.Name == "" && row.Title == "" && row.Email == "" && row.Phone == "") {
			continue
		}
		id := fmt.Sprintf("contact-%d-", row.N)
		if row.Name == "" && row.Title == "" {
			errs.add(id+"name", fmt.Sprintf("Enter the name or the job title of contact %d", row.N+1))
		}
		checkLength(&errs, id+"name", row.Name, "A contact's name", 200)
		checkLength(&errs, id+"title", row.Title, "A contact's job title", 200)
		if row.Phone != "" && !checkPhone(row.Phone) {
			errs.add(id+"phone", fmt.Sprintf("Enter the phone number of contact %d as digits, like 020 7525 5000", row.N+1))
		}
		c := directory.Contact{ID: directory.NewID(), Name: row.Name, Title: row.Title, Email: row.Email}
		var phoneID string
		if row.N < len(before.Contacts) {
			c.ID = before.Contacts[row.N].ID
			if len(before.Contacts[row.N].Phones) > 0 {
				phoneID = before.Contacts[row.N].Phones[0].ID
			}
		}
		if row.Phone != "" {
			if phoneID == "" {
				phoneID = directory.NewID()
			}
			c.Phones = []directory.Phone{{ID: phoneID, Number: row.Phone}}
		}
		s.Contacts = append(s.Contacts, c)
		contactRows = append(contactRows, row.N)
	}
	s.CostOptions = nil
	for _, row := range f.Costs {
		if row.Remove || (row.Option == "" && row.Amount == "" && row.Description == "") {
			continue
		}
		id := fmt.Sprintf("cost-%d-", row.N)
		if row.Option == "" {
			errs.add(id+"option", fmt.Sprintf("Enter what cost %d is for, like Each session", row.N+1))
		}
		checkLength(&errs, id+"option", row.Option, "What a cost is for", 200)
		checkLength(&errs, id+"description", row.Description, "A cost's description", 500)
		co := directory.CostOption{ID: directory.NewID(), Option: row.Option, AmountDescription: row.Description}
		if row.N < len(before.CostOptions) {
			co.ID = before.CostOptions[row.N].ID
		}
		if row.Amount != "" {
			a, err := strconv.ParseFloat(strings.TrimPrefix(row.Amount, "£"), 64)
			if err != nil || a < 0 || a > 1e6 {
				errs.add(id+"amount", fmt.Sprintf("Enter the amount of cost %d in pounds, like 4.50", row.N+1))
			} else {
				co.Amount = &a
			}
		}
		s.CostOptions = append(s.CostOptions, co)
	}
	s.TermIDs = append([]string(nil), f.Terms...)
	// The checks every way into the directory makes (see
	// directory.CheckService), on the fields the form has not checked.
	for _, p := range directory.CheckService(s) {
		field := p.Field
		if field == "status" {
			field = "status-" + serviceStatuses[0].Value
		}
		var i int
		if _, err := fmt.Sscanf(field, "contact-%d-email", &i); err == nil && i < len(contactRows) {
			field = fmt.Sprintf("contact-%d-email", contactRows[i])
		}
		if errs.Field(field) == nil {
			errs.add(field, checkMessage(p))
		}
	}
	return s, errs
}

// checkMessage words a problem the directory's checks found for the form.
func checkMessage(p directory.Problem) string {
	switch {
	case p.Field == "name":
		return "Enter the service's name"
	case p.Field == "status":
		return "Choose the service's status"
	case p.Field == "url":
		return "Enter the service's website as a full web address, like https://example.org"
	case p.Field == "email", strings.HasSuffix(p.Field, "-email"):
		return "Enter an email address in the right form, like help@example.org"
	case p.Field == "maximum_age":
		return "The maximum age must not be below the minimum age"
	}
	return strings.ToUpper(p.Message[:1]) + p.Message[1:]
}

func (f serviceForm) age(errs *formErrors, id, value, which string) *int {
	if value == "" {
		return nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 0 || n > 130 {
		errs.add(id, "Enter the "+which+" age as a whole number of years, like 18")
		return nil
	}
	return &n
}

func validStatus(s string) bool {
	for _, o := range serviceStatuses {
		if o.Value == s {
			return true
		}
	}
	return false
}

// schedules turns the hours grid into weekly schedules, one for each
// distinct period with the days it applies to.
func (f serviceForm) schedules(serviceID string, errs *formErrors) []directory.Schedule {
	var order []period
	byPeriod := map[period][]string{}
	for _, d := range f.Hours {
		for j, p := range d.Periods {
			if p.Opens == "" && p.Closes == "" {
				continue
			}
			id := fmt.Sprintf("hours-%s-%d-", d.Code, j+1)
			which := ""
			if j == 1 {
				which = " second"
			}
			switch {
			case p.Opens == "":
				errs.add(id+"opens", fmt.Sprintf("Enter the time it opens on %s%s", d.Day, which))
			case !clockOK(p.Opens):
				errs.add(id+"opens", fmt.Sprintf("Enter the time it opens on %s%s on the 24-hour clock, like 08:30", d.Day, which))
			case p.Closes == "":
				errs.add(id+"closes", fmt.Sprintf("Enter the time it closes on %s%s", d.Day, which))
			case !clockOK(p.Closes):
				errs.add(id+"closes", fmt.Sprintf("Enter the time it closes on %s%s on the 24-hour clock, like 18:00", d.Day, which))
			case p.Closes <= p.Opens && p.Closes != "00:00":
				errs.add(id+"closes", fmt.Sprintf("The closing time on %s%s must be after the opening time", d.Day, which))
			default:
				if _, ok := byPeriod[p]; !ok {
					order = append(order, p)
				}
				byPeriod[p] = append(byPeriod[p], d.Code)
			}
		}
	}
	var out []directory.Schedule
	for _, p := range order {
		byDay := strings.Join(byPeriod[p], ",")
		out = append(out, directory.Schedule{ID: directory.DerivedID("local", "schedule", serviceID, byDay, p.Opens, p.Closes),
			Freq: "WEEKLY", ByDay: byDay, OpensAt: p.Opens, ClosesAt: p.Closes})
	}
	return out
}
