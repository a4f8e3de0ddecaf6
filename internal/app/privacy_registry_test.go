package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/registrations"
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
