package app

import (
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/privacy"
	"github.com/joinedup/joinedup/internal/providers"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/registrations"
	"github.com/joinedup/joinedup/internal/upkeep"
)

// personalData is the registry of residents' personal data: each domain
// that holds residents' details registers what it holds, how long, and how
// to erase and export it. The outbox registers last, since the others'
// erasures delete emails too. TestEveryEmailColumnIsRegistered checks the
// schema against it.
func personalData(d *db.DB, cfg config.Config, regs *registrations.Service, now func() time.Time) *privacy.Registry {
	p := privacy.New(d, now)
	regs.RegisterPrivacy(p)
	p.Register(questions.Holding(outbox(cfg)))
	p.Register(providers.Holding(outbox(cfg)))
	p.Register(upkeep.Holding(outbox(cfg)))
	p.Register(formats.Holding(outbox(cfg)))
	p.Register(outbox(cfg).Holding())
	return p
}
