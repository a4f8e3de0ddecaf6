package app

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/registrations"
	"golang.org/x/net/html"
)

// notResidentsData are the tables with an email column that hold no
// resident's personal data, each with the reason. Keep it short: a table
// of residents' details belongs to a holding of the privacy registry.
var notResidentsData = map[string]string{
	"users":             "staff accounts, managed by administrators, not residents' data",
	"boards":            "contact_email is a board's published office address",
	"dir_organizations": "published Open Referral directory data: an organisation's public contact address",
	"dir_services":      "published Open Referral directory data: a service's public contact address",
	"dir_contacts":      "published Open Referral directory data: a service's named public contact",
}

// emailTables lists the tables of the migrated schema with a column whose
// name contains "email", on the engine under test.
func emailTables(t *testing.T, d *db.DB) []string {
	t.Helper()
	query := `SELECT DISTINCT table_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND column_name LIKE '%email%' ORDER BY table_name`
	if d.Engine() == db.SQLite {
		query = `SELECT DISTINCT m.name FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND c.name LIKE '%email%' ORDER BY m.name`
	}
	tables, err := db.Column[string](context.Background(), d, query)
	if err != nil {
		t.Fatal(err)
	}
	return tables
}

// Every table with an email column is registered with the privacy
// registry, so the retention job, erasure, the notice and the export
// cannot forget it; or it is one of the few justified exceptions.
func TestEveryEmailColumnIsRegistered(t *testing.T) {
	s := newAdminSite(t)
	regs := registrations.NewService(s.db, outbox(s.cfg), s.cfg.BaseURL, s.cfg.Outbox(), nil)
	registered := personalData(s.db, s.cfg, regs, nil).Tables()
	tables := emailTables(t, s.db)
	if len(tables) < 5 {
		t.Fatalf("found only %v: the schema query is wrong", tables)
	}
	var missing []string
	for _, table := range tables {
		if _, ok := registered[table]; !ok && notResidentsData[table] == "" {
			missing = append(missing, table)
		}
	}
	if len(missing) > 0 {
		t.Errorf("tables with an email column that no privacy holding registers: %s\n"+
			"Register them with the privacy registry (see internal/app/privacy.go), or, if they hold no resident's data, "+
			"add them with the reason to notResidentsData.", strings.Join(missing, ", "))
	}
	for table := range notResidentsData {
		if _, ok := registered[table]; ok {
			t.Errorf("%s is both registered and listed as holding no resident's data", table)
		}
		if !slices.Contains(tables, table) {
			t.Errorf("exception %s has no email column any more: remove it from notResidentsData", table)
		}
	}
	for table, holding := range registered {
		var n int
		if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Errorf("holding %s registers table %s, which cannot be read: %v", holding, table, err)
		}
	}
}

// The privacy notice lists what the registry holds, and the signed link
// in residents' emails downloads everything held about the address.
func TestPrivacyNoticeAndExportComeFromTheRegistry(t *testing.T) {
	s := newAdminSite(t)
	regs := registrations.NewService(s.db, outbox(s.cfg), s.cfg.BaseURL, s.cfg.Outbox(), nil)
	notice := textOf(s.page("/privacy"))
	for _, line := range personalData(s.db, s.cfg, regs, nil).Notice() {
		if !strings.Contains(notice, line.Holds) || !strings.Contains(notice, line.Kept) {
			t.Errorf("the privacy notice lacks %q / %q", line.Holds, line.Kept)
		}
	}

	s.registrationEvent("export-me", 5, true)
	b := s.visitor()
	if res := b.post("/events/export-me/register", registrationForm("Kim", "kim@example.org", "access_needs", "Step-free access", "access_consent", "yes")); res.status != http.StatusSeeOther {
		t.Fatalf("register: %d", res.status)
	}
	_, meetingID := s.meeting("kim-meeting", time.Now().Add(48*time.Hour), nil)
	s.addQuestion(meetingID, "Kim", "KIM@example.org", "Kim's Club", "Will the bus run on Sundays?")
	erase := link(t, s.mailTo("kim@example.org", "registration-confirmed")[0].Text, "/privacy/erase")
	page := b.get(erase)
	download := ""
	doc, err := html.Parse(strings.NewReader(page.body))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range find(doc, func(n *htmlNode) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/privacy/export?") }) {
		download = attr(a, "href")
	}
	if download == "" {
		t.Fatalf("the erasure page offers no download:\n%s", page.body)
	}
	if res := b.get(strings.Replace(download, "t=", "t=forged", 1)); res.status != http.StatusNotFound {
		t.Errorf("forged export link: %d", res.status)
	}
	res := b.get(download)
	if res.status != http.StatusOK || !strings.Contains(res.header.Get("Content-Type"), "application/json") {
		t.Fatalf("export: %d %s", res.status, res.header.Get("Content-Type"))
	}
	var got struct {
		Email    string                       `json:"email"`
		Holdings map[string][]json.RawMessage `json:"holdings"`
	}
	if err := json.Unmarshal([]byte(res.body), &got); err != nil {
		t.Fatalf("export is not JSON: %v\n%s", err, res.body)
	}
	if got.Email != "kim@example.org" || len(got.Holdings["registrations"]) != 1 || len(got.Holdings["questions"]) != 1 ||
		len(got.Holdings["emails"]) == 0 || !strings.Contains(res.body, "Step-free access") || !strings.Contains(res.body, "Will the bus run on Sundays?") {
		t.Errorf("export:\n%s", res.body)
	}
	if n := s.count(`SELECT COUNT(*) FROM registrations WHERE email = 'kim@example.org'`); n != 1 {
		t.Errorf("the export changed the data")
	}
}
