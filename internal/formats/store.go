package formats

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes requests and the due-date setting.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

const columns = `id, kind, target_id, COALESCE(place_id, 0), title, path, format, language, details, name, email,
	status, reason, due_on, submitted_at, updated_at, erased_at`

func scan(row db.Scanner) (Request, error) {
	var r Request
	var erased sql.NullTime
	err := row.Scan(&r.ID, &r.Kind, &r.TargetID, &r.PlaceID, &r.Title, &r.Path, &r.Format, &r.Language, &r.Details,
		&r.Name, &r.Email, &r.Status, &r.Reason, &r.DueOn, &r.SubmittedAt, &r.UpdatedAt, &erased)
	r.Erased = erased.Valid
	return r, err
}

// emailKey is the form of an address erasure and export look it up by.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Insert stores a new request and returns its id. Run it in a transaction
// with the email that confirms it.
func (s *Store) Insert(ctx context.Context, r Request) (int64, error) {
	var place any
	if r.PlaceID != 0 {
		place = r.PlaceID
	}
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO format_requests (kind, target_id, place_id, title, path, format, language,
		details, name, email, email_key, status, due_on, submitted_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id`,
		r.Kind, r.TargetID, place, r.Title, r.Path, r.Format, r.Language, r.Details, r.Name, r.Email, emailKey(r.Email),
		New, r.DueOn, r.SubmittedAt.UTC().Truncate(time.Second)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("formats: insert: %w", err)
	}
	return id, nil
}

// ByID returns the request with id.
func (s *Store) ByID(ctx context.Context, id int64) (Request, error) {
	r, err := scan(s.q.QueryRowContext(ctx, `SELECT `+columns+` FROM format_requests WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Request{}, fmt.Errorf("formats: request %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Request{}, fmt.Errorf("formats: request %d: %w", id, err)
	}
	return r, nil
}

// Scope is whose requests a list or count holds: those governance
// officers answer (papers and meetings) and those editors answer (posts),
// the latter only of Places when Places is not nil. A post for the whole
// system (no place) belongs to editors of every place.
type Scope struct {
	Governance bool
	Editors    bool
	Places     []int64
}

// Any reports whether the scope holds any requests at all.
func (sc Scope) Any() bool { return sc.Governance || sc.Editors }

// where is the scope as SQL, its arguments numbered from len(*args)+1.
func (sc Scope) where(args *[]any) string {
	var or []string
	if sc.Governance {
		or = append(or, `kind IN ('paper', 'meeting')`)
	}
	if sc.Editors {
		if sc.Places == nil {
			or = append(or, `kind = 'post'`)
		} else if len(sc.Places) > 0 {
			var ph []string
			for _, id := range sc.Places {
				*args = append(*args, id)
				ph = append(ph, "$"+strconv.Itoa(len(*args)))
			}
			or = append(or, `(kind = 'post' AND place_id IN (`+strings.Join(ph, ", ")+`))`)
		}
	}
	if len(or) == 0 {
		return "FALSE"
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// List returns the requests in scope, in the statuses given (every status
// when none), soonest due first.
func (s *Store) List(ctx context.Context, sc Scope, statuses ...Status) ([]Request, error) {
	var args []any
	where := sc.where(&args)
	if len(statuses) > 0 {
		var ph []string
		for _, st := range statuses {
			args = append(args, st)
			ph = append(ph, "$"+strconv.Itoa(len(args)))
		}
		where += ` AND status IN (` + strings.Join(ph, ", ") + `)`
	}
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM format_requests WHERE `+where+
		` ORDER BY due_on, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("formats: list: %w", err)
	}
	return out, nil
}

// Count is how many requests in a scope need someone: open (new or in
// hand), and of those, past their due date.
type Count struct {
	Open, Overdue int
}

// Count counts the open and overdue requests in scope on the London day
// of now. The queue that lists them is at QueueURL.
func (s *Store) Count(ctx context.Context, sc Scope, now time.Time) (Count, error) {
	var args []any
	where := sc.where(&args)
	args = append(args, DueOn(now, 0))
	var c Count
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_on < $`+strconv.Itoa(len(args))+
		` THEN 1 ELSE 0 END), 0) FROM format_requests WHERE `+where+` AND status IN ('new', 'in_hand')`, args...).Scan(&c.Open, &c.Overdue)
	if err != nil {
		return Count{}, fmt.Errorf("formats: count: %w", err)
	}
	return c, nil
}

// QueueURL is the admin's list of open requests.
const QueueURL = "/admin/format-requests"

// ErrStale is returned when a request changed since it was read.
var ErrStale = errors.New("formats: request changed since it was read")

// SetStatus moves the request from status from to r's status with its
// reason. It changes nothing and returns ErrStale when the request is no
// longer in status from, so two people acting at once cannot both email
// the resident.
func (s *Store) SetStatus(ctx context.Context, r Request, from Status, now time.Time) error {
	now = now.UTC().Truncate(time.Second)
	var closed any
	if !r.Status.Open() {
		closed = now
	}
	res, err := s.q.ExecContext(ctx, `UPDATE format_requests SET status = $1, reason = $2, updated_at = $3, closed_at = $4
		WHERE id = $5 AND status = $6`, r.Status, r.Reason, now, closed, r.ID, from)
	if err != nil {
		return fmt.Errorf("formats: set status of %d: %w", r.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrStale
	}
	return nil
}

// WorkingDays is the setting: how many working days a request may take.
func (s *Store) WorkingDays(ctx context.Context) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT working_days FROM format_settings WHERE id = 1`).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultWorkingDays, nil
	}
	if err != nil {
		return 0, fmt.Errorf("formats: working days: %w", err)
	}
	return n, nil
}

// SetWorkingDays changes the setting, for requests made from now on.
func (s *Store) SetWorkingDays(ctx context.Context, n int, now time.Time) error {
	if n < 1 || n > MaxWorkingDays {
		return fmt.Errorf("formats: %d working days is out of range", n)
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO format_settings (id, working_days, updated_at) VALUES (1, $1, $2)
		ON CONFLICT (id) DO UPDATE SET working_days = $1, updated_at = $2`, n, now.UTC().Truncate(time.Second))
	if err != nil {
		return fmt.Errorf("formats: set working days: %w", err)
	}
	return nil
}
