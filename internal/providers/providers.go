// Package providers lets the people who run the directory's services keep
// their own listings: a directory editor invites a provider by email to one
// organisation; the provider proposes changes to its services and new ones;
// a directory editor approves (and the change is saved as an editor's
// would be) or rejects with a reason; the provider is emailed either way.
//
// Providers' accounts are accounts (package accounts) with the provider
// role, scoped to their organisation. The invitations keep the address
// invited, which is personal data: Holding registers it with the privacy
// registry.
package providers

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/mail"
)

// Account is a provider's account, as other domains (residents' reports,
// reminders to check a record) need it: who to email about an
// organisation's services.
type Account struct {
	UserID int64
	Email  string
	Name   string
}

// Providers returns the enabled provider accounts of the directory
// organisation with this id, by email.
func Providers(ctx context.Context, q db.Querier, organizationID string) ([]Account, error) {
	users, err := accounts.NewStore(q).ByOrganization(ctx, organizationID)
	if err != nil {
		return nil, fmt.Errorf("providers: of %s: %w", organizationID, err)
	}
	out := make([]Account, 0, len(users))
	for _, u := range users {
		out = append(out, Account{UserID: u.ID, Email: u.Email, Name: u.Name})
	}
	return out, nil
}

// Mailer sends the providers' emails through the outbox, in the
// transaction of the change that causes them.
type Mailer struct {
	Outbox  mail.Outbox
	BaseURL string // the site's address, for links
}

// Errors Invite returns; their messages are safe to show.
var (
	// ErrAlreadyAccount refuses to invite an address that has an account.
	ErrAlreadyAccount = errors.New("There is already an account with this email address. Ask an administrator to change it if they should be a provider")
)

// Invite makes a provider account for email, scoped to org, and queues
// the invitation, whose link (valid for accounts.InviteLifetime) sets the
// account's password. by is the directory editor inviting.
func (m Mailer) Invite(ctx context.Context, q db.Querier, org directory.Organization, email, name string, by accounts.User,
	now time.Time) (accounts.User, error) {
	email, err := accounts.NormalizeEmail(email)
	if err != nil {
		return accounts.User{}, err
	}
	users := accounts.NewStore(q)
	if _, err := users.ByEmail(ctx, email); err == nil {
		return accounts.User{}, ErrAlreadyAccount
	} else if !errors.Is(err, db.ErrNotFound) {
		return accounts.User{}, err
	}
	// A password nobody knows until the link sets one.
	u, err := users.Create(ctx, accounts.NewUser{Email: email, Name: name, Role: accounts.Provider, Organization: org.ID,
		Password: rand.Text() + rand.Text()})
	if err != nil {
		return accounts.User{}, err
	}
	token, err := accounts.NewLinkTokenFor(ctx, q, accounts.PurposeReset, u.ID, now, accounts.InviteLifetime)
	if err != nil {
		return accounts.User{}, err
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO dir_provider_invites (organization_id, email, user_id, invited_by, invited_at)
		VALUES ($1, $2, $3, $4, $5)`, org.ID, email, u.ID, by.Email, db.Now()); err != nil {
		return accounts.User{}, fmt.Errorf("providers: invite: %w", err)
	}
	text := fmt.Sprintf(`Hello%s,

%s has invited you to keep the listings of %s up to date in the local services directory.

Choose a password for your account here (the link works for 7 days):
%s/admin/reset?token=%s

Then sign in at %s/admin/login with this email address. You can propose changes to your organisation's services and add new ones; a directory editor checks each change before it is public, and we email you when they have.
`, greeting(name), by.DisplayName(), org.Name, m.BaseURL, token, m.BaseURL)
	if _, err := m.Outbox.Enqueue(ctx, q, mail.Message{Kind: "provider-invited", To: email,
		Subject: "Keep " + org.Name + "'s listings up to date", Text: text, Ref: fmt.Sprintf("provider:%d", u.ID)}); err != nil {
		return accounts.User{}, err
	}
	return u, nil
}

func greeting(name string) string {
	if name = strings.TrimSpace(name); name != "" {
		return " " + name
	}
	return ""
}

// Proposal statuses.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// Proposal is a provider's proposed change to a service (ServiceID set)
// or a new service (ServiceID empty).
type Proposal struct {
	ID             int64
	OrganizationID string
	ServiceID      string
	UserID         int64
	Service        directory.Service // as proposed
	Status         string
	Reason         string // why it was rejected
	CreatedAt      time.Time
	DecidedAt      *time.Time
	DecidedBy      string
}

// New reports whether the proposal is of a new service.
func (p Proposal) New() bool { return p.ServiceID == "" }

// Store reads and writes proposals.
type Store struct{ q db.Querier }

// NewStore returns a Store on q (the database or a transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// Propose stores a pending proposal and returns its id.
func (s *Store) Propose(ctx context.Context, p Proposal) (int64, error) {
	data, err := json.Marshal(p.Service)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.q.QueryRowContext(ctx, `INSERT INTO dir_proposals (organization_id, service_id, user_id, data, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.OrganizationID, p.ServiceID, p.UserID, string(data), db.Now()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("providers: propose: %w", err)
	}
	return id, nil
}

const proposalColumns = `id, organization_id, service_id, COALESCE(user_id, 0), data, status, reason, created_at, decided_at, decided_by`

func scanProposal(r db.Scanner) (Proposal, error) {
	var p Proposal
	var data string
	var decided sql.NullTime
	if err := r.Scan(&p.ID, &p.OrganizationID, &p.ServiceID, &p.UserID, &data, &p.Status, &p.Reason, &p.CreatedAt, &decided,
		&p.DecidedBy); err != nil {
		return p, err
	}
	if decided.Valid {
		p.DecidedAt = &decided.Time
	}
	return p, json.Unmarshal([]byte(data), &p.Service)
}

// Proposal returns one proposal.
func (s *Store) Proposal(ctx context.Context, id int64) (Proposal, error) {
	p, err := scanProposal(s.q.QueryRowContext(ctx, `SELECT `+proposalColumns+` FROM dir_proposals WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("providers: proposal %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return p, fmt.Errorf("providers: proposal %d: %w", id, err)
	}
	return p, nil
}

// Pending returns the proposals waiting for a directory editor, oldest
// first.
func (s *Store) Pending(ctx context.Context) ([]Proposal, error) {
	out, err := db.QueryAll(ctx, s.q, scanProposal, `SELECT `+proposalColumns+` FROM dir_proposals
		WHERE status = $1 ORDER BY created_at, id LIMIT 500`, Pending)
	if err != nil {
		return nil, fmt.Errorf("providers: pending proposals: %w", err)
	}
	return out, nil
}

// OfOrganization returns an organisation's proposals, newest first.
func (s *Store) OfOrganization(ctx context.Context, organizationID string) ([]Proposal, error) {
	out, err := db.QueryAll(ctx, s.q, scanProposal, `SELECT `+proposalColumns+` FROM dir_proposals
		WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 200`, organizationID)
	if err != nil {
		return nil, fmt.Errorf("providers: proposals of %s: %w", organizationID, err)
	}
	return out, nil
}

// ErrDecided refuses to decide a proposal twice.
var ErrDecided = errors.New("This proposal has already been decided")

// Decide approves or rejects a pending proposal (status Approved or
// Rejected), with the reason for a rejection. by names the directory
// editor. Saving an approved proposal is the caller's, in the same
// transaction.
func (s *Store) Decide(ctx context.Context, id int64, status, reason, by string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE dir_proposals SET status = $1, reason = $2, decided_at = $3, decided_by = $4
		WHERE id = $5 AND status = $6`, status, reason, db.Now(), by, id, Pending)
	if err != nil {
		return fmt.Errorf("providers: decide proposal %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrDecided
	}
	return nil
}

// Decided emails the provider who made proposal p that a directory editor
// approved or rejected it (with the reason), in the transaction q of the
// decision. A provider whose account is gone is not emailed.
func (m Mailer) Decided(ctx context.Context, q db.Querier, p Proposal, approved bool, reason string) error {
	if p.UserID == 0 {
		return nil
	}
	u, err := accounts.NewStore(q).ByID(ctx, p.UserID)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	what := "your proposed change to " + p.Service.Name
	if p.New() {
		what = "your proposed new service " + p.Service.Name
	}
	var subject, text string
	if approved {
		subject = "Approved: " + p.Service.Name
		text = fmt.Sprintf("Hello%s,\n\nA directory editor has approved %s. It is now in the public directory:\n%s/directory/services/%s\n",
			greeting(u.Name), what, m.BaseURL, p.Service.ID)
	} else {
		subject = "Not approved: " + p.Service.Name
		text = fmt.Sprintf("Hello%s,\n\nA directory editor has not approved %s, for this reason:\n\n%s\n\nThe public directory is unchanged. You can propose the change again, corrected, at %s/admin/provider\n",
			greeting(u.Name), what, reason, m.BaseURL)
	}
	_, err = m.Outbox.Enqueue(ctx, q, mail.Message{Kind: "proposal-" + map[bool]string{true: Approved, false: Rejected}[approved],
		To: u.Email, Subject: subject, Text: text, Ref: fmt.Sprintf("provider:%d", u.ID)})
	return err
}
