package app

import (
	"context"
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/providers"
	"github.com/joinedup/joinedup/internal/upkeep"
	"github.com/joinedup/joinedup/internal/web"
)

// providerEmails finds the provider accounts of an organisation, whom
// residents' reports and reminders of stale records reach.
type providerEmails struct{ d *db.DB }

// Emails returns the addresses of organisation orgID's provider accounts.
func (p providerEmails) Emails(ctx context.Context, orgID string) ([]string, error) {
	accs, err := providers.Providers(ctx, p.d, orgID)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(accs))
	for _, a := range accs {
		out = append(out, a.Email)
	}
	return out, nil
}

// reportLimits are the report form's spam limits; tests that send many
// reports from one address raise them.
var reportLimits = upkeep.DefaultLimits

// newUpkeep returns the upkeep of the directory's listings on d.
func newUpkeep(d *db.DB, cfg config.Config, now func() time.Time) (*upkeep.Service, error) {
	return upkeep.NewService(context.Background(), d, upkeep.Options{Outbox: outbox(cfg), BaseURL: cfg.BaseURL,
		Providers: providerEmails{d}, Now: now, StaleMonths: cfg.StaleMonths, Limits: reportLimits, ClientIP: web.ClientIP})
}

// listingChecker is the checker of services' websites; tests let it
// visit servers on loopback and space requests less.
var listingChecker = func(cfg config.Config) *upkeep.Checker {
	return &upkeep.Checker{UserAgent: "joinedup-listing-checker/1.0 (+" + cfg.BaseURL + "/about/data)",
		Timeout: upkeep.DefaultCheckTimeout, HostInterval: upkeep.DefaultHostInterval}
}

// How many services one run of the checks job checks, and how long it may
// take: well within a job's lease, so a run never outlives its claim.
const (
	checksPerRun   = 200
	checksRunLimit = 4 * time.Minute
	checksEvery    = 10 * time.Minute
	remindersEvery = 24 * time.Hour
)
