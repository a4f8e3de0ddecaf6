package accounts

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// LoggedEntry is an entry of the audit log as stored.
type LoggedEntry struct {
	ID     int64
	At     time.Time
	UserID int64
	Actor  string
	Action string
	Record string
	Before string // JSON, or ""
	After  string
}

// AuditFilter narrows the audit log. Zero values mean "any".
type AuditFilter struct {
	Actor  string // part of the actor's email, in any case
	Record string // "post:12"; or a kind, "post", for all its records
	Action string
	From   time.Time // at or after
	To     time.Time // before
}

func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	escape := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace
	if f.Actor != "" {
		conds = append(conds, `lower(actor) LIKE `+arg("%"+escape(strings.ToLower(f.Actor))+"%")+` ESCAPE '\'`)
	}
	switch {
	case strings.Contains(f.Record, ":"):
		conds = append(conds, `record = `+arg(f.Record))
	case f.Record != "":
		conds = append(conds, `record LIKE `+arg(escape(f.Record)+":%")+` ESCAPE '\'`)
	}
	if f.Action != "" {
		conds = append(conds, `action = `+arg(f.Action))
	}
	if !f.From.IsZero() {
		conds = append(conds, `at >= `+arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		conds = append(conds, `at < `+arg(f.To.UTC()))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

const auditColumns = `id, at, COALESCE(user_id, 0), actor, action, record, before_json, after_json`

func scanEntry(row db.Scanner) (LoggedEntry, error) {
	var e LoggedEntry
	err := row.Scan(&e.ID, &e.At, &e.UserID, &e.Actor, &e.Action, &e.Record, &e.Before, &e.After)
	e.At = e.At.UTC()
	return e, err
}

// AuditLog returns a page of the entries that pass f, newest first, and
// how many pass in all.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter, page, perPage int) ([]LoggedEntry, int, error) {
	where, args := f.where()
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("accounts: audit log: %w", err)
	}
	n := len(args)
	out, err := db.QueryAll(ctx, s.q, scanEntry, `SELECT `+auditColumns+` FROM audit_log`+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT $%d OFFSET $%d`, n+1, n+2), append(args, perPage, (max(page, 1)-1)*perPage)...)
	if err != nil {
		return nil, 0, fmt.Errorf("accounts: audit log: %w", err)
	}
	return out, total, nil
}

// AuditEntry returns one entry of the audit log.
func (s *Store) AuditEntry(ctx context.Context, id int64) (LoggedEntry, error) {
	e, err := scanEntry(s.q.QueryRowContext(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return LoggedEntry{}, fmt.Errorf("accounts: audit entry %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return LoggedEntry{}, fmt.Errorf("accounts: audit entry %d: %w", id, err)
	}
	return e, nil
}

// AuditActions lists the actions the audit log holds, for a filter.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	out, err := db.Column[string](ctx, s.q, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
	if err != nil {
		return nil, fmt.Errorf("accounts: audit actions: %w", err)
	}
	return out, nil
}
