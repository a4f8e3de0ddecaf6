// Package accounts holds the editors' accounts: users and their roles, what
// each role may do, argon2id passwords, sessions stored in the database,
// login throttling, one-time links and the audit log.
package accounts

import (
	"errors"
	"slices"
)

// Role is what a user is in the partnership, which decides what they may do.
type Role string

// The roles, from most to least powerful.
const (
	Administrator     Role = "administrator"
	Editor            Role = "editor"
	GovernanceOfficer Role = "governance_officer"
	DirectoryEditor   Role = "directory_editor"
	Reviewer          Role = "reviewer"
	// Provider is someone at an organisation the directory lists, invited
	// by a directory editor to propose changes to its services.
	Provider Role = "provider"
)

// Roles lists every role, in the order forms offer them.
// Providers are not among them: a directory editor invites each to one
// organisation (the provider's scope).
var Roles = []Role{Administrator, Editor, GovernanceOfficer, DirectoryEditor, Reviewer}

// Valid reports whether r is one of Roles or Provider.
func (r Role) Valid() bool { return slices.Contains(Roles, r) || r == Provider }

// Label names the role as people read it.
func (r Role) Label() string {
	switch r {
	case Administrator:
		return "Administrator"
	case Editor:
		return "Editor"
	case GovernanceOfficer:
		return "Governance officer"
	case DirectoryEditor:
		return "Directory editor"
	case Reviewer:
		return "Reviewer (read only)"
	case Provider:
		return "Provider (proposes changes to one organisation's services)"
	}
	return string(r)
}

// User is an account of the editors' admin.
type User struct {
	ID    int64
	Email string
	Name  string
	Role  Role
	// Places limits an editor to these places (by id); empty means every
	// place. Only editors are limited.
	Places []int64
	// Organization is the directory organisation (by id) a provider
	// proposes changes for; empty for every other role.
	Organization string
	Disabled     bool
	// Epoch moves on every password change and "log out everywhere"; a
	// session remembers the epoch it began in.
	Epoch int64
	// TwoFactor reports whether the user signs in with a code from an
	// authenticator app as well as their password.
	TwoFactor    bool
	passwordHash string
}

// DisplayName is the user's name, or their email when they have none.
func (u User) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// Errors the accounts package returns; their messages are safe to show.
var (
	// ErrBadLogin is the one answer to a wrong email, a wrong password or a
	// disabled account, so that a login form tells an attacker nothing.
	ErrBadLogin = errors.New("Enter a correct email address and password")
	// ErrThrottled refuses a login attempt made too soon after failures.
	ErrThrottled = errors.New("There have been too many attempts to sign in. Wait a few minutes, then try again")
	// ErrEmailTaken refuses a second account with the same email.
	ErrEmailTaken = errors.New("There is already an account with this email address")
	// ErrBadToken refuses a one-time link that is unknown, used or expired.
	ErrBadToken = errors.New("This link has expired or has already been used")
)
