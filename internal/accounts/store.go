package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes accounts.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q (the database or a
// transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// NormalizeEmail trims an email address and checks its form; the address
// is kept as typed, and compared without regard to case.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return "", errors.New("Enter an email address")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return "", errors.New("Enter an email address in the correct format, like name@example.org")
	}
	return email, nil
}

func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

const userColumns = `id, email, name, role, password_hash, session_epoch, disabled,
	EXISTS (SELECT 1 FROM user_totp t WHERE t.user_id = users.id AND t.enabled)`

func scanUser(row interface{ Scan(...any) error }) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.passwordHash, &u.Epoch, &u.Disabled, &u.TwoFactor)
	return u, err
}

// ByID returns the user with this id, with their places.
func (s *Store) ByID(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return s.finish(ctx, u, err, fmt.Sprintf("user %d", id))
}

// ByEmail returns the user with this email, in any case.
func (s *Store) ByEmail(ctx context.Context, email string) (User, error) {
	u, err := scanUser(s.q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email_key = $1`, emailKey(email)))
	return s.finish(ctx, u, err, "user by email")
}

func (s *Store) finish(ctx context.Context, u User, err error, what string) (User, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("accounts: %s: %w", what, db.ErrNotFound)
	}
	if err != nil {
		return User{}, fmt.Errorf("accounts: %s: %w", what, err)
	}
	if u.Places, err = s.places(ctx, u.ID); err != nil {
		return User{}, err
	}
	if u.Organization, err = s.organization(ctx, u.ID); err != nil {
		return User{}, err
	}
	return u, nil
}

func (s *Store) organization(ctx context.Context, userID int64) (string, error) {
	var org string
	err := s.q.QueryRowContext(ctx, `SELECT organization_id FROM user_organizations WHERE user_id = $1`, userID).Scan(&org)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("accounts: user organisation: %w", err)
	}
	return org, nil
}

// ByOrganization returns the enabled providers of the directory
// organisation with this id, by email.
func (s *Store) ByOrganization(ctx context.Context, organizationID string) ([]User, error) {
	ids, err := db.Column[int64](ctx, s.q, `SELECT u.id FROM users u JOIN user_organizations o ON o.user_id = u.id
		WHERE o.organization_id = $1 AND u.role = $2 AND NOT u.disabled ORDER BY u.email_key`, organizationID, Provider)
	if err != nil {
		return nil, fmt.Errorf("accounts: providers of %s: %w", organizationID, err)
	}
	out := make([]User, 0, len(ids))
	for _, id := range ids {
		u, err := s.ByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

func (s *Store) places(ctx context.Context, userID int64) ([]int64, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT place_id FROM user_places WHERE user_id = $1 ORDER BY place_id`, userID)
	if err != nil {
		return nil, fmt.Errorf("accounts: user places: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("accounts: user places: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("accounts: user places: %w", err)
	}
	return out, nil
}

// List returns every user, by email, with their places.
func (s *Store) List(ctx context.Context) ([]User, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY email_key`)
	if err != nil {
		return nil, fmt.Errorf("accounts: list: %w", err)
	}
	var out []User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("accounts: list: %w", err)
		}
		out = append(out, u)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, fmt.Errorf("accounts: list: %w", err)
	}
	for i := range out {
		if out[i].Places, err = s.places(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HasAdministrator reports whether an enabled administrator exists.
func (s *Store) HasAdministrator(ctx context.Context) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE role = $1 AND NOT disabled`, Administrator).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("accounts: count administrators: %w", err)
	}
	return n > 0, nil
}

// NewUser is what it takes to add an account.
type NewUser struct {
	Email  string
	Name   string
	Role   Role
	Places []int64
	// Organization scopes a provider to a directory organisation (by id).
	Organization string
	Password     string
}

// Create adds an account and returns it. The password must already have
// passed CheckNewPassword; Create checks it again.
func (s *Store) Create(ctx context.Context, nu NewUser) (User, error) {
	email, err := NormalizeEmail(nu.Email)
	if err != nil {
		return User{}, err
	}
	if !nu.Role.Valid() {
		return User{}, fmt.Errorf("accounts: unknown role %q", nu.Role)
	}
	if err := CheckNewPassword(nu.Password, email); err != nil {
		return User{}, err
	}
	if _, err := s.ByEmail(ctx, email); err == nil {
		return User{}, ErrEmailTaken
	} else if !errors.Is(err, db.ErrNotFound) {
		return User{}, err
	}
	hash, err := HashPassword(nu.Password)
	if err != nil {
		return User{}, err
	}
	now := db.Now()
	var id int64
	err = s.q.QueryRowContext(ctx, `INSERT INTO users (email, email_key, name, role, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, email, emailKey(email), strings.TrimSpace(nu.Name), nu.Role, hash, now).Scan(&id)
	if err != nil {
		return User{}, fmt.Errorf("accounts: create user: %w", err)
	}
	if err := s.setPlaces(ctx, id, nu.Role, nu.Places); err != nil {
		return User{}, err
	}
	if nu.Role == Provider {
		if nu.Organization == "" {
			return User{}, fmt.Errorf("accounts: a provider needs an organisation")
		}
		if _, err := s.q.ExecContext(ctx, `INSERT INTO user_organizations (user_id, organization_id) VALUES ($1, $2)`,
			id, nu.Organization); err != nil {
			return User{}, fmt.Errorf("accounts: provider organisation: %w", err)
		}
	}
	return s.ByID(ctx, id)
}

func (s *Store) setPlaces(ctx context.Context, userID int64, role Role, places []int64) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM user_places WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("accounts: set places: %w", err)
	}
	if role != Editor {
		return nil
	}
	for _, p := range places {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO user_places (user_id, place_id) VALUES ($1, $2)
			ON CONFLICT DO NOTHING`, userID, p); err != nil {
			return fmt.Errorf("accounts: set places: %w", err)
		}
	}
	return nil
}

// Update changes a user's name, role, places and whether the account is
// disabled. Disabling an account ends its sessions.
func (s *Store) Update(ctx context.Context, u User) error {
	if !u.Role.Valid() {
		return fmt.Errorf("accounts: unknown role %q", u.Role)
	}
	_, err := s.q.ExecContext(ctx, `UPDATE users SET name = $1, role = $2, disabled = $3, updated_at = $4 WHERE id = $5`,
		strings.TrimSpace(u.Name), u.Role, u.Disabled, db.Now(), u.ID)
	if err != nil {
		return fmt.Errorf("accounts: update user %d: %w", u.ID, err)
	}
	if err := s.setPlaces(ctx, u.ID, u.Role, u.Places); err != nil {
		return err
	}
	if u.Disabled {
		return s.EndSessions(ctx, u.ID, "")
	}
	return nil
}

// SetPassword changes a user's password and moves their epoch, ending
// every session but the one whose token is keep ("" for none).
func (s *Store) SetPassword(ctx context.Context, userID int64, password, keep string) error {
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if _, err := s.q.ExecContext(ctx, `UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3`,
		hash, db.Now(), userID); err != nil {
		return fmt.Errorf("accounts: set password: %w", err)
	}
	return s.EndSessions(ctx, userID, keep)
}

// EndSessions moves the user's epoch and deletes their sessions but the
// one whose token is keep ("" for none): "log out everywhere".
func (s *Store) EndSessions(ctx context.Context, userID int64, keep string) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1`, userID); err != nil {
		return fmt.Errorf("accounts: end sessions: %w", err)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`,
		userID, hashToken(keep)); err != nil {
		return fmt.Errorf("accounts: end sessions: %w", err)
	}
	return nil
}

// CountSessions returns how many live sessions the user has.
func (s *Store) CountSessions(ctx context.Context, userID int64, now int64) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND expiry > $2`, userID, now).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("accounts: count sessions: %w", err)
	}
	return n, nil
}
