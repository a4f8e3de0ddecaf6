package accounts

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// Audit actions about accounts.
const (
	ActionLogin           = "login"
	ActionLoginFailed     = "login_failed"
	ActionLogout          = "logout"
	ActionLogoutAll       = "logout_everywhere"
	ActionPasswordChanged = "password_changed"
	ActionPasswordReset   = "password_reset"
	ActionUserCreated     = "user_created"
	ActionUserUpdated     = "user_updated"
	// The second factor: turned on or off by its user, or turned off by
	// an administrator.
	ActionTwoFactorEnabled  = "two_factor_enabled"
	ActionTwoFactorDisabled = "two_factor_disabled"
	ActionTwoFactorReset    = "two_factor_reset"
)

// Entry is one line of the audit log. Before and After are the record as
// JSON-encodable values, or nil.
type Entry struct {
	UserID int64  // 0 when nobody was signed in
	Actor  string // the user's email, or what was typed at a failed login
	Action string
	Record string // such as "place:southwark" or "user:3"
	Before any
	After  any
}

// Audit writes an entry to the audit log; run it in the transaction of the
// change it records.
func Audit(ctx context.Context, q db.Querier, e Entry) error {
	before, err := jsonOrEmpty(e.Before)
	if err != nil {
		return err
	}
	after, err := jsonOrEmpty(e.After)
	if err != nil {
		return err
	}
	var uid any
	if e.UserID != 0 {
		uid = e.UserID
	}
	if len(e.Actor) > 254 {
		e.Actor = e.Actor[:254]
	}
	_, err = q.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, actor, action, record, before_json, after_json)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, db.Now(), uid, e.Actor, e.Action, e.Record, before, after)
	if err != nil {
		return fmt.Errorf("accounts: audit %s: %w", e.Action, err)
	}
	return nil
}

func jsonOrEmpty(v any) (string, error) {
	if v == nil {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("accounts: audit: %w", err)
	}
	return string(b), nil
}

// UserRecord is a user as the audit log keeps it: never the password hash.
type UserRecord struct {
	Email    string  `json:"email"`
	Name     string  `json:"name"`
	Role     Role    `json:"role"`
	Places   []int64 `json:"places"`
	Disabled bool    `json:"disabled"`
}

// Record returns u as the audit log keeps it.
func (u User) Record() UserRecord {
	return UserRecord{Email: u.Email, Name: u.Name, Role: u.Role, Places: u.Places, Disabled: u.Disabled}
}
