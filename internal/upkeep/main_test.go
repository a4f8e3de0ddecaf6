package upkeep

import (
	"context"
	netmail "net/mail"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/mail"
)

// TestMain runs the tests on SQLite and then on PostgreSQL.
func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *clock) AddDate(y, m, d int) {
	c.mu.Lock()
	c.t = c.t.AddDate(y, m, d)
	c.mu.Unlock()
}

// tableProviders are provider accounts kept in a table the test makes, so
// that the emails come from rows in the database as they will from real
// provider accounts.
type tableProviders struct{ d *db.DB }

func newTableProviders(t *testing.T, d *db.DB) tableProviders {
	t.Helper()
	if _, err := d.ExecContext(context.Background(), `CREATE TABLE test_provider_accounts (organization_id TEXT NOT NULL, email TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return tableProviders{d}
}

func (p tableProviders) add(t *testing.T, orgID, email string) {
	t.Helper()
	if _, err := p.d.ExecContext(context.Background(), `INSERT INTO test_provider_accounts (organization_id, email) VALUES ($1, $2)`, orgID, email); err != nil {
		t.Fatal(err)
	}
}

func (p tableProviders) Emails(ctx context.Context, orgID string) ([]string, error) {
	return db.Column[string](ctx, p.d, `SELECT email FROM test_provider_accounts WHERE organization_id = $1 ORDER BY email`, orgID)
}

var box = mail.Outbox{From: netmail.Address{Name: "South East London", Address: "no-reply@joinedup.example"}, Domain: "joinedup.example"}

type fixture struct {
	d     *db.DB
	s     *Service
	clock *clock
	prov  tableProviders
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	prov := newTableProviders(t, d)
	s, err := NewService(context.Background(), d, Options{Outbox: box, BaseURL: "https://joinedup.example", Providers: prov, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{d: d, s: s, clock: c, prov: prov}
}

// org adds an organisation.
func (f *fixture) org(t *testing.T, name string) string {
	t.Helper()
	id := directory.DerivedID("test", "org", name)
	err := f.d.Tx(context.Background(), func(q db.Querier) error {
		return directory.NewStore(q).SaveOrganization(context.Background(), directory.Organization{ID: id, Name: name})
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// service adds an active service of org.
func (f *fixture) service(t *testing.T, org, name string, edit func(*directory.Service)) string {
	t.Helper()
	svc := directory.Service{ID: directory.DerivedID("test", "service", name), OrganizationID: org, Name: name, Status: directory.StatusActive}
	if edit != nil {
		edit(&svc)
	}
	err := f.d.Tx(context.Background(), func(q db.Querier) error {
		_, err := directory.NewStore(q).SaveService(context.Background(), svc)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc.ID
}

// sent returns the recipients of the outbox's messages of kind.
func (f *fixture) sent(t *testing.T, kind string) []string {
	t.Helper()
	to, err := db.Column[string](context.Background(), f.d, `SELECT to_addr FROM mail_outbox WHERE kind = $1 ORDER BY id`, kind)
	if err != nil {
		t.Fatal(err)
	}
	return to
}
