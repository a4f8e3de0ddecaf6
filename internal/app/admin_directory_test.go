package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/directory"
)

// serviceFormValues is the service's edit form as the page fills it in,
// with its status chosen.
func serviceFormValues(t *testing.T, b *browser, id string) url.Values {
	t.Helper()
	res := b.get("/admin/directory/services/" + id)
	if res.status != http.StatusOK {
		t.Fatalf("service form: status %d", res.status)
	}
	v := formValues(t, res.body)
	v.Set("status", directory.StatusActive)
	return v
}

func TestAdminServiceEditing(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	s.addUser("ed@example.org", accounts.Editor)
	b := s.visitor().mustLogin("dir@example.org")
	id := s.someService()
	ctx := context.Background()
	before, err := directory.NewStore(s.db).Service(ctx, id)
	if err != nil {
		t.Fatal(err)
	}

	// The list finds it by a part of its name, in any case.
	part := strings.ToUpper(before.Name[:min(6, len(before.Name))])
	if list := b.get("/admin/directory?q=" + url.QueryEscape(part)); !strings.Contains(list.body, "/admin/directory/services/"+id) {
		t.Errorf("searching the admin's list for %q does not find the service", part)
	}
	if list := b.get("/admin/directory?q=nothing-is-called-this"); !strings.Contains(list.body, "No services match.") || !strings.Contains(list.body, "/admin/directory/services/new") {
		t.Error("a search that matches nothing lists services, or drops the link to add one")
	}

	f := serviceFormValues(t, b, id)
	f.Set("name", "Renamed practice")
	f.Set("description", "Appointments and repeat prescriptions.")
	f.Set("email", "practice@example.org")
	f.Set("url", "https://practice.example.org")
	f.Set("phone-0-number", "020 7525 0000")
	f.Set("phone-0-description", "Appointments")
	f.Set("loc-0-address1", "1 New Street")
	f.Set("loc-0-postcode", "se1 2qh")
	for _, d := range []string{"MO", "TU", "WE", "TH", "FR"} {
		f.Set("hours-"+d+"-1-opens", "08:00")
		f.Set("hours-"+d+"-1-closes", "18:30")
	}
	f.Set("hours-SA-1-opens", "09:00")
	f.Set("hours-SA-1-closes", "13:00")
	res := b.post("/admin/directory/services/"+id, f)
	if res.status != http.StatusSeeOther {
		t.Fatalf("save service: status %d\n%s", res.status, res.body)
	}

	// The public page and the Open Referral API show the change at once.
	_, page := s.get("/directory/services/" + id)
	for _, want := range []string{"Renamed practice", "Appointments and repeat prescriptions.", "practice@example.org",
		"020 7525 0000", "1 New Street", "SE1 2QH", "Monday to Friday, 8am to 6.30pm", "Saturday, 9am to 1pm"} {
		if !strings.Contains(page, want) {
			t.Errorf("the service page lacks %q", want)
		}
	}
	_, api := s.get("/api/oruk/services/" + id)
	for _, want := range []string{`"name":"Renamed practice"`, `"opens_at":"08:00"`, `"byday":"MO,TU,WE,TH,FR"`, `"postal_code":"SE1 2QH"`} {
		if !strings.Contains(api, want) {
			t.Errorf("the ORUK service lacks %s", want)
		}
	}
	found, err := directory.NewStore(s.db).Search(ctx, directory.Query{Text: "Renamed practice", PerPage: 5, Page: 1})
	if err != nil || len(found.Hits) == 0 || found.Hits[0].ServiceID != id {
		t.Errorf("the directory search does not find the new name (%v)", err)
	}

	// Recorded as a revision, and in the audit log.
	if list := b.get("/admin/directory/services/" + id + "/revisions"); len(revisionLinks(t, list.body)) != 2 {
		t.Errorf("versions of the imported service after one save: %d, want 2 (as imported, and as saved)", len(revisionLinks(t, list.body)))
	}
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'service_updated' AND record = $1
		AND before_json <> '' AND after_json LIKE '%Renamed practice%'`, "service:"+id).Scan(&n); err != nil || n != 1 {
		t.Errorf("audit entries for the save: %d (%v), want 1", n, err)
	}

	// Closing a day clears it; the second period shows.
	f = serviceFormValues(t, b, id)
	f.Set("hours-SA-1-opens", "")
	f.Set("hours-SA-1-closes", "")
	f.Set("hours-MO-1-closes", "12:00")
	f.Set("hours-MO-2-opens", "14:00")
	f.Set("hours-MO-2-closes", "18:30")
	f.Set("status", "temporarily_closed")
	if res := b.post("/admin/directory/services/"+id, f); res.status != http.StatusSeeOther {
		t.Fatalf("save hours: status %d\n%s", res.status, res.body)
	}
	_, page = s.get("/directory/services/" + id)
	if strings.Contains(page, "Saturday, 9am") || !strings.Contains(page, "Monday, 8am to midday and 2pm to 6.30pm") {
		t.Error("the service page does not show the changed hours")
	}
	if _, api := s.get("/api/oruk/services/" + id); !strings.Contains(api, `"status":"temporarily closed"`) {
		t.Error("the ORUK service does not show the new status")
	}

	// Other roles may not.
	if res := s.visitor().mustLogin("ed@example.org").post("/admin/directory/services/"+id, f); res.status != http.StatusForbidden {
		t.Errorf("an editor saving a directory service: status %d, want 403", res.status)
	}
}

func TestAdminServiceValidation(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	b := s.visitor().mustLogin("dir@example.org")
	id := s.someService()
	tests := []struct {
		name  string
		set   []string
		field string
		kept  string
	}{
		{"no name", []string{"name", "", "description", "Kept <description>"}, "name", "Kept &lt;description&gt;"},
		{"unknown organisation", []string{"organization", "No Such Trust"}, "organization", `value="No Such Trust"`},
		{"no status", []string{"status", ""}, "status-active", ""},
		{"bad email", []string{"email", "not an email"}, "email", `value="not an email"`},
		{"bad website", []string{"url", "javascript:alert(1)"}, "url", `value="javascript:alert(1)"`},
		{"bad phone", []string{"phone-1-number", "call us"}, "phone-1-number", `value="call us"`},
		{"bad postcode", []string{"loc-0-postcode", "NOT A CODE"}, "loc-0-postcode", `value="NOT A CODE"`},
		{"no address", []string{"loc-1-postcode", "SE1 2QH"}, "loc-1-address1", `value="SE1 2QH"`},
		{"bad time", []string{"hours-TU-1-opens", "9am", "hours-TU-1-closes", "17:00"}, "hours-TU-1-opens", `value="9am"`},
		{"closes first", []string{"hours-WE-1-opens", "17:00", "hours-WE-1-closes", "09:00"}, "hours-WE-1-closes", `value="17:00"`},
		{"no closing time", []string{"hours-TH-2-opens", "14:00"}, "hours-TH-2-closes", `value="14:00"`},
	}
	before := s.status("/directory/services/" + id)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := serviceFormValues(t, b, id)
			for i := 0; i+1 < len(tt.set); i += 2 {
				f.Set(tt.set[i], tt.set[i+1])
			}
			res := b.post("/admin/directory/services/"+id, f)
			wantFieldError(t, res, tt.field, tt.kept)
		})
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM revisions WHERE kind = 'service'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused saves recorded %d revisions (%v)", n, err)
	}
	if after := s.status("/directory/services/" + id); after != before {
		t.Errorf("the public page's status changed from %d to %d", before, after)
	}
}

// wantFieldError checks that a form came back refused, with the error
// summary focused, a link to the field's error and the field's message,
// and the input kept.
func wantFieldError(t *testing.T, res response, field, kept string) {
	t.Helper()
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.status)
	}
	for _, want := range []string{`nhsuk-error-summary" tabindex="-1" autofocus`, `href="#` + field + `"`,
		`id="` + field + `-error"`, kept} {
		if !strings.Contains(res.body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}
