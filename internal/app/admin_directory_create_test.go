package app

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/directory"
)

var createdIn = regexp.MustCompile(`^/admin/directory/(organizations|services)/([0-9a-f-]{36})$`)

// newServiceValues is the new-service form as the page fills it in, with
// a whole service typed into it.
func newServiceValues(t *testing.T, b *browser, org string) url.Values {
	t.Helper()
	res := b.get("/admin/directory/services/new")
	if res.status != http.StatusOK {
		t.Fatalf("new service form: status %d", res.status)
	}
	v := formValues(t, res.body)
	for k, x := range map[string]string{"name": "Bermondsey Lunch Club", "description": "A hot lunch and company for older people, every weekday.",
		"organization": org, "status": "active", "place": "southwark", "email": "lunch@example.org", "url": "https://lunch.example.org",
		"minimum_age": "60", "cost-0-option": "Each lunch", "cost-0-amount": "4.50", "contact-0-name": "Ada Lovelace",
		"contact-0-title": "Club organiser", "contact-0-email": "ada@example.org", "contact-0-phone": "020 7525 1234",
		"phone-0-number": "020 7525 0000", "loc-0-name": "Bermondsey Community Hall", "loc-0-address1": "1 Spa Road",
		"loc-0-city": "London", "loc-0-postcode": "SE1 2QH", "hours-MO-1-opens": "11:30", "hours-MO-1-closes": "14:00"} {
		v.Set(k, x)
	}
	return v
}

// An editor creates an organisation and a service in the admin; the
// service is at once in the residents' search, on its page and in the
// Open Referral API, with a revision and an audit entry for each.
func TestAdminCreatesOrganizationAndService(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	b := s.visitor().mustLogin("dir@example.org")
	ctx := context.Background()

	// A form with errors keeps what was typed.
	res := b.post("/admin/directory/organizations", url.Values{"name": {""}, "description": {"Kept <text>"}, "website": {"not a site"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Kept &lt;text&gt;") ||
		!strings.Contains(res.body, `href="#name"`) || !strings.Contains(res.body, `href="#website"`) {
		t.Fatalf("an organisation without a name: status %d, want 422 with the input kept and both errors\n%s", res.status, errorSummary(res.body))
	}
	res = b.post("/admin/directory/organizations", url.Values{"name": {"Bermondsey Neighbours"},
		"description": {"Volunteers who run clubs for older people."}, "email": {"hello@neighbours.example.org"},
		"website": {"https://neighbours.example.org"}})
	m := createdIn.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil || m[1] != "organizations" {
		t.Fatalf("create organisation: status %d, to %q\n%s", res.status, res.location, errorSummary(res.body))
	}
	orgID := m[2]

	bad := newServiceValues(t, b, "Bermondsey Neighbours")
	bad.Set("contact-0-email", "not an email")
	bad.Set("maximum_age", "18")
	bad.Set("cost-0-amount", "cheap")
	res = b.post("/admin/directory/services", bad)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("a service with errors: status %d, want 422", res.status)
	}
	for _, want := range []string{`href="#contact-0-email"`, `href="#maximum_age"`, `href="#cost-0-amount"`, `value="not an email"`,
		`value="Bermondsey Lunch Club"`, `value="cheap"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the form shown again lacks %s", want)
		}
	}
	if list := b.get("/admin/directory?q=Lunch+Club"); strings.Contains(list.body, "Bermondsey Lunch Club") {
		t.Error("a service with errors was saved")
	}

	res = b.post("/admin/directory/services", newServiceValues(t, b, "Bermondsey Neighbours"))
	m = createdIn.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil || m[1] != "services" {
		t.Fatalf("create service: status %d, to %q\n%s", res.status, res.location, errorSummary(res.body))
	}
	id := m[2]

	_, page := s.get("/directory/services/" + id)
	for _, want := range []string{"Bermondsey Lunch Club", "A hot lunch and company", "Bermondsey Neighbours", "1 Spa Road",
		"SE1 2QH", "020 7525 0000", "Ada Lovelace", "Monday, 11.30am to 2pm", "£4.50"} {
		if !strings.Contains(page, want) {
			t.Errorf("the new service's page lacks %q", want)
		}
	}
	if _, search := s.get("/directory?q=lunch+club"); !strings.Contains(search, "/directory/services/"+id) {
		t.Error("the residents' search does not find the new service")
	}
	found, err := directory.NewStore(s.db).Search(ctx, directory.Query{Text: "Bermondsey Neighbours", PerPage: 5, Page: 1})
	if err != nil || len(found.Hits) != 1 || found.Hits[0].ServiceID != id {
		t.Errorf("searching by the organisation's name: %+v, %v", found.Hits, err)
	}
	status, api := s.get("/api/oruk/services/" + id)
	for _, want := range []string{`"name":"Bermondsey Lunch Club"`, `"organization_id":"` + orgID + `"`, `"minimum_age":60`,
		`"opens_at":"11:30"`, `"postal_code":"SE1 2QH"`, `"name":"Ada Lovelace"`, `"amount":4.5`} {
		if !strings.Contains(api, want) {
			t.Errorf("the ORUK service (status %d) lacks %s", status.StatusCode, want)
		}
	}
	if _, list := s.get("/api/oruk/services?text=lunch"); !strings.Contains(list, id) {
		t.Error("the ORUK services list does not find the new service")
	}
	if _, org := s.get("/api/oruk/organizations/" + orgID); !strings.Contains(org, `"name":"Bermondsey Neighbours"`) {
		t.Error("the ORUK organisation is missing")
	}

	for _, rec := range []struct{ kind, id, action string }{{"organization", orgID, "organization_created"}, {"service", id, "service_created"}} {
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = $1 AND record = $2`,
			rec.action, rec.kind+":"+rec.id).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries %s: %d (%v), want 1", rec.action, n, err)
		}
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM revisions WHERE kind = $1 AND record_id = $2`,
			rec.kind, rec.id).Scan(&n); err != nil || n != 1 {
			t.Errorf("revisions of the new %s: %d (%v), want 1", rec.kind, n, err)
		}
	}

	// Editing the organisation; then closing it closes its service, which
	// residents no longer find, and deletes nothing.
	res = b.post("/admin/directory/organizations/"+orgID, url.Values{"name": {"Bermondsey Good Neighbours"},
		"description": {"Volunteers."}, "email": {""}, "website": {""}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("edit organisation: status %d\n%s", res.status, errorSummary(res.body))
	}
	if _, page := s.get("/directory/services/" + id); !strings.Contains(page, "Bermondsey Good Neighbours") {
		t.Error("the service's page does not show the organisation's new name")
	}
	if res := b.post("/admin/directory/organizations/"+orgID+"/close", nil); res.status != http.StatusSeeOther {
		t.Fatalf("close organisation: status %d", res.status)
	}
	if _, search := s.get("/directory?q=lunch+club"); strings.Contains(search, "/directory/services/"+id) {
		t.Error("the residents' search still finds a service of a closed organisation")
	}
	if _, api := s.get("/api/oruk/services/" + id); !strings.Contains(api, `"status":"defunct"`) {
		t.Error("the ORUK service of a closed organisation is not defunct")
	}
	if page := b.get("/admin/directory/organizations/" + orgID); !strings.Contains(page.body, "Closed") {
		t.Error("the organisation's admin page does not say it is closed")
	}
}
