// Package upkeep keeps the directory's listings true: residents report
// problems with a listing, editors and providers confirm that a record is
// still correct, records nobody has confirmed for a while are listed as
// stale and their providers reminded, and a scheduled job checks every
// service's website, email addresses and phone numbers.
//
// It owns its tables (listing_*) and reads and confirms services through
// directory.Store; it never queries the directory's tables itself.
package upkeep

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/secrets"
)

// Providers finds the provider accounts of an organisation: the people
// who keep its listings up to date, who are told of residents' reports and
// reminded of stale records.
type Providers interface {
	// Emails returns the email addresses of organisation orgID's
	// provider accounts; none when it has none.
	Emails(ctx context.Context, orgID string) ([]string, error)
}

// NoProviders is a Providers with no accounts at all, for a site without
// provider accounts.
type NoProviders struct{}

// Emails returns none.
func (NoProviders) Emails(context.Context, string) ([]string, error) { return nil, nil }

// DefaultStaleMonths is how many months after its last confirmation a
// record is stale, unless the site sets its own period.
const DefaultStaleMonths = 6

// Options configures the upkeep of a site's listings.
type Options struct {
	Outbox  mail.Outbox
	BaseURL string
	// Providers finds an organisation's provider accounts; nil: none.
	Providers Providers
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// StaleMonths is how long a confirmation lasts; 0 means DefaultStaleMonths.
	StaleMonths int
	// Limits are the report form's spam limits; zero means DefaultLimits.
	Limits Limits
	// ClientIP tells who sent a request, for the form's rate limits.
	ClientIP func(*http.Request) string
}

// Service is the upkeep of one site's listings.
type Service struct {
	db  *db.DB
	dir *directory.Store
	opt Options
	key []byte
}

// secretName names the key that signs the report form's timestamps.
const secretName = "listing-report-form"

// NewService returns the upkeep of the listings on d, loading its form key.
func NewService(ctx context.Context, d *db.DB, opt Options) (*Service, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Providers == nil {
		opt.Providers = NoProviders{}
	}
	if opt.StaleMonths <= 0 {
		opt.StaleMonths = DefaultStaleMonths
	}
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	if opt.ClientIP == nil {
		opt.ClientIP = func(r *http.Request) string { return r.RemoteAddr }
	}
	key, err := secrets.Load(ctx, d, secretName)
	if err != nil {
		return nil, fmt.Errorf("upkeep: %w", err)
	}
	return &Service{db: d, dir: directory.NewStore(d), opt: opt, key: key}, nil
}

// StaleMonths is how many months a confirmation lasts.
func (s *Service) StaleMonths() int { return s.opt.StaleMonths }

func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Second) }

// StaleBefore is the cutoff at now: a record not confirmed since is stale.
func (s *Service) StaleBefore(now time.Time) time.Time { return now.AddDate(0, -s.opt.StaleMonths, 0) }

// dirIn is the directory on q (a transaction under way).
func (s *Service) dirIn(q db.Querier) *directory.Store { return directory.NewStore(q) }
