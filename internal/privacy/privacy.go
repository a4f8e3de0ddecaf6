// Package privacy is the one home of residents' personal data. Every
// domain that holds residents' details (event registrations, questions to
// boards, board subscriptions, the outbox of emails and its .eml copies)
// registers a Holding: which tables hold the data, what the privacy notice
// says about it, and how to expire, erase and export it. The retention
// job, the signed "delete my details" link, the privacy notice and a
// resident's data export all go through the registry, so a new kind of
// personal data cannot be forgotten by any of them.
//
// Imports flow one way: domains import privacy; privacy imports no domain.
package privacy

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// DefaultRetentionMonths is how long residents' details are kept after the
// event, meeting or email they are about, unless a board sets its own period.
const DefaultRetentionMonths = 12

// Holding is one kind of residents' personal data, as its domain declares it.
type Holding struct {
	// Name identifies the holding ("registrations"); it keys the export.
	Name string
	// Tables are the tables holding the data, so that a test can check
	// that every table with an email column belongs to a holding.
	Tables []string
	// Holds and Kept are the privacy notice's lines: what is held and for
	// how long, in words for residents.
	Holds, Kept string
	// Expire erases what is past its retention at tx.Now and returns how
	// many records it erased. Nil when the holding never expires by itself.
	Expire func(ctx context.Context, tx *Tx) (int, error)
	// Erase erases everything the holding keeps about email (in lower
	// case), for the resident's request, and returns how many records.
	Erase func(ctx context.Context, tx *Tx, email string) (int, error)
	// Export returns what the holding keeps about email, for the
	// resident's request to see their data; nil when nothing.
	Export func(ctx context.Context, q db.Querier, email string) (any, error)
}

// Tx is the transaction one holding expires or erases in, with its clock
// and the work to do once it commits (such as removing files).
type Tx struct {
	db.Querier
	Now   time.Time
	after []func() error
}

// AfterCommit runs f once the transaction has committed; a transaction
// that rolls back (or runs again) forgets it.
func (t *Tx) AfterCommit(f func() error) { t.after = append(t.after, f) }

// Registry lists the holdings of one site.
type Registry struct {
	DB  *db.DB
	Now func() time.Time

	mu       sync.Mutex
	holdings []Holding
}

// New returns an empty registry on d; now is its clock (time.Now if nil).
func New(d *db.DB, now func() time.Time) *Registry {
	if now == nil {
		now = time.Now
	}
	return &Registry{DB: d, Now: now}
}

// Register adds h. Holdings run in the order they register, so the outbox
// (which deletes emails) registers last. A second holding of the same name
// is a programming error and panics, as database/sql does with drivers.
func (r *Registry) Register(h Holding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if h.Name == "" || h.Erase == nil {
		panic("privacy: a holding needs a name and a way to erase it")
	}
	for _, x := range r.holdings {
		if x.Name == h.Name {
			panic("privacy: holding " + h.Name + " registered twice")
		}
	}
	r.holdings = append(r.holdings, h)
}

// Holdings returns the registered holdings, in order.
func (r *Registry) Holdings() []Holding {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Holding(nil), r.holdings...)
}

// Tables returns every table a holding declares, and the holding's name.
func (r *Registry) Tables() map[string]string {
	out := map[string]string{}
	for _, h := range r.Holdings() {
		for _, t := range h.Tables {
			out[t] = h.Name
		}
	}
	return out
}

func (r *Registry) now() time.Time { return r.Now().UTC().Truncate(time.Second) }

func (r *Registry) run(ctx context.Context, now time.Time, fn func(tx *Tx) error) error {
	return Run(ctx, r.DB, now, fn)
}

// Run runs fn in a transaction on d, then what it asked to run after
// commit: for a domain erasing personal data outside the registry's runs
// (a resident unsubscribing).
func Run(ctx context.Context, d *db.DB, now time.Time, fn func(tx *Tx) error) error {
	var tx *Tx
	err := d.Tx(ctx, func(q db.Querier) error {
		tx = &Tx{Querier: q, Now: now} // the transaction may run again
		return fn(tx)
	})
	if err != nil {
		return err
	}
	for _, f := range tx.after {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// Expire runs every holding's retention at now (the retention job), each
// in its own transaction, and returns how many records each erased.
func (r *Registry) Expire(ctx context.Context, now time.Time) (map[string]int, error) {
	out := map[string]int{}
	for _, h := range r.Holdings() {
		if h.Expire == nil {
			continue
		}
		var n int
		err := r.run(ctx, now.UTC().Truncate(time.Second), func(tx *Tx) error {
			var err error
			n, err = h.Expire(ctx, tx)
			return err
		})
		if err != nil {
			return out, fmt.Errorf("privacy: expire %s: %w", h.Name, err)
		}
		if n > 0 {
			out[h.Name] = n
		}
	}
	return out, nil
}

// Erase erases everything every holding keeps about email, in one
// transaction, then runs then (if not nil) in the same transaction: the
// place to queue the email that says it is done.
func (r *Registry) Erase(ctx context.Context, email string, then func(ctx context.Context, tx *Tx) error) (map[string]int, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var out map[string]int
	err := r.run(ctx, r.now(), func(tx *Tx) error {
		out = map[string]int{}
		for _, h := range r.Holdings() {
			n, err := h.Erase(ctx, tx, email)
			if err != nil {
				return fmt.Errorf("privacy: erase %s: %w", h.Name, err)
			}
			out[h.Name] = n
		}
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	return out, err
}

// Export is what every holding keeps about one address.
type Export struct {
	Email      string         `json:"email"`
	ExportedAt time.Time      `json:"exported_at"`
	Holdings   map[string]any `json:"holdings"`
}

// Export gathers what every holding keeps about email.
func (r *Registry) Export(ctx context.Context, email string) (Export, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	out := Export{Email: email, ExportedAt: r.now(), Holdings: map[string]any{}}
	for _, h := range r.Holdings() {
		if h.Export == nil {
			continue
		}
		v, err := h.Export(ctx, r.DB, email)
		if err != nil {
			return Export{}, fmt.Errorf("privacy: export %s: %w", h.Name, err)
		}
		if v != nil {
			out.Holdings[h.Name] = v
		}
	}
	return out, nil
}

// Line is one line of the privacy notice: what a holding keeps and for how long.
type Line struct{ Holds, Kept string }

// Notice returns the privacy notice's lines, one per holding.
func (r *Registry) Notice() []Line {
	var out []Line
	for _, h := range r.Holdings() {
		if h.Holds != "" || h.Kept != "" {
			out = append(out, Line{h.Holds, h.Kept})
		}
	}
	return out
}
