package app

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
)

// adminXSSPayload is typed into every free-text field an editor can fill in.
const adminXSSPayload = `<script>alert(1)</script>"'><img src=x onerror=alert(1)>`

// shortXSSPayload is for fields of 50 characters or fewer.
const shortXSSPayload = `"'><img src=x onerror=alert(1)>`

// xssRecord is one kind of editable record for TestAdminXSSEveryField:
// how to save it through the admin with every text field set by value,
// and where its fields come out. Boards and meetings add their rows.
type xssRecord struct {
	name string
	// fields are the form fields that take free text; short those of
	// them that take 50 characters or fewer.
	fields []string
	short  []string
	// save submits the record's form (from the admin's own page, so the
	// other fields are valid) with value(field) in each field, and
	// returns the paths where it shows.
	save func(t *testing.T, s *adminSite, b *browser, value func(string) string) (pages, apis, feeds []string)
}

var xssRecords = []xssRecord{
	{name: "place",
		fields: []string{"name", "partnership_name", "summary", "purpose", "aims_intro", "aims", "pop_source", "pop_as_of",
			"partner-0-name", "partner-0-description", "social-0-network", "social-0-handle"},
		short: []string{"pop_as_of", "social-0-network"},
		save: func(t *testing.T, s *adminSite, b *browser, value func(string) string) ([]string, []string, []string) {
			f := formValues(t, b.get("/admin/places/southwark").body)
			f.Set("partner-0-url", "https://partner.example.org")
			f.Set("social-0-url", "https://social.example.org/southwark")
			f.Set("pop_value", "319610")
			setAll(f, []string{"name", "partnership_name", "summary", "purpose", "aims_intro", "aims", "pop_source", "pop_as_of",
				"partner-0-name", "partner-0-description", "social-0-network", "social-0-handle"}, value)
			mustSave(t, b, "/admin/places/southwark", f)
			return []string{"/in-your-area/southwark", "/in-your-area/", "/", "/news"}, nil, nil
		}},
	{name: "post",
		fields: []string{"title", "summary", "body", "author", "storyteller", "pull_quote", "pull_quote_by"},
		save: func(t *testing.T, s *adminSite, b *browser, value func(string) string) ([]string, []string, []string) {
			f := postForm("xss-post", "now", "kind", "story")
			setAll(f, []string{"title", "summary", "body", "author", "storyteller", "pull_quote", "pull_quote_by"}, value)
			mustSave(t, b, "/admin/posts", f)
			return []string{"/news/xss-post", "/news", "/in-your-area/southwark", "/search?q=xss"}, nil, []string{"/feeds/news.xml"}
		}},
	{name: "event",
		fields: []string{"title", "summary", "body", "venue", "venue_address", "venue_accessibility", "organiser", "status_note"},
		save: func(t *testing.T, s *adminSite, b *browser, value func(string) string) ([]string, []string, []string) {
			f := eventForm("xss-event")
			f.Set("status", "postponed")
			setAll(f, []string{"title", "summary", "body", "venue", "venue_address", "venue_accessibility", "organiser", "status_note"}, value)
			mustSave(t, b, "/admin/events", f)
			return []string{"/events/xss-event", "/events", "/in-your-area/southwark"}, nil,
				[]string{"/feeds/events.ics", "/events/xss-event/calendar.ics"}
		}},
	{name: "directory service",
		fields: []string{"name", "description", "phone-0-description", "loc-0-name", "loc-0-address1", "loc-0-address2", "loc-0-city"},
		save: func(t *testing.T, s *adminSite, b *browser, value func(string) string) ([]string, []string, []string) {
			id := s.someService()
			f := serviceFormValues(t, b, id)
			if f.Get("phone-0-number") == "" {
				f.Set("phone-0-number", "020 7525 0000")
			}
			setAll(f, []string{"name", "description", "phone-0-description", "loc-0-name", "loc-0-address1", "loc-0-address2", "loc-0-city"}, value)
			mustSave(t, b, "/admin/directory/services/"+id, f)
			return []string{"/directory/services/" + id, "/directory?q=xss"},
				[]string{"/api/oruk/services/" + id, "/api/oruk/services?text=xss", "/api/oruk/service_at_locations?text=xss"}, nil
		}},
}

func setAll(f url.Values, fields []string, value func(string) string) {
	for _, name := range fields {
		f.Set(name, value(name))
	}
}

func mustSave(t *testing.T, b *browser, path string, f url.Values) {
	t.Helper()
	if res := b.post(path, f); res.status != http.StatusSeeOther {
		t.Fatalf("save %s: status %d\n%s", path, res.status, res.body)
	}
}

// Every text field of every editable record, saved with markup through the
// admin, comes out escaped on the public pages, in the Open Referral API
// and in the feeds; and each field is seen in at least one of them, so the
// check is not passing by showing nothing.
func TestAdminXSSEveryField(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("boss@example.org")
	for _, rec := range xssRecords {
		t.Run(rec.name, func(t *testing.T) {
			// A marker names the field, so it can be found in the output.
			marker := func(field string) string { return fmt.Sprintf("xq%dq", slices.Index(rec.fields, field)) }
			pages, apis, feeds := rec.save(t, s, b, func(field string) string {
				if slices.Contains(rec.short, field) {
					return marker(field) + " " + shortXSSPayload
				}
				return marker(field) + " " + adminXSSPayload
			})
			var seen strings.Builder
			for _, path := range pages {
				res, body := s.get(path)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", path, res.StatusCode)
				}
				noXSS(t, path, body)
				noRawPayload(t, path, body)
				seen.WriteString(body)
			}
			for _, path := range apis {
				res, body := s.get(path)
				if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
					t.Errorf("%s: status %d, type %q", path, res.StatusCode, res.Header.Get("Content-Type"))
				}
				noXSS(t, path, body)
				noRawPayload(t, path, body)
				seen.WriteString(body)
			}
			for _, path := range feeds {
				res, body := s.get(path)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", path, res.StatusCode)
				}
				ct := res.Header.Get("Content-Type")
				switch {
				case strings.HasPrefix(ct, "text/calendar"):
					// Plain text for calendar programs, which show it as
					// text: it must not carry an HTML description.
					if strings.Contains(body, "X-ALT-DESC") {
						t.Errorf("%s carries an HTML description", path)
					}
				default:
					noXSS(t, path, body)
					noRawPayload(t, path, body)
				}
				seen.WriteString(body)
			}
			for _, field := range rec.fields {
				if !strings.Contains(seen.String(), marker(field)) {
					t.Errorf("field %s is not shown on %v %v %v", field, pages, apis, feeds)
				}
			}
		})
	}
}

// noRawPayload fails when the payload's quotes and brackets came out as
// typed, which could end an attribute.
func noRawPayload(t *testing.T, what, body string) {
	t.Helper()
	if strings.Contains(body, `"'><img`) || strings.Contains(body, `</script>"`) {
		t.Errorf("%s: the payload comes out unescaped", what)
	}
}
