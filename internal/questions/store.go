package questions

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes questions.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

const columns = `id, meeting_id, reference, name, email, organisation, body, COALESCE(agenda_item_id, 0), publish_name,
	privacy_accepted, status, answer, answer_due_on, decline_reason, submitted_at, updated_at, erased_at`

func scan(row db.Scanner) (Question, error) {
	var q Question
	var erased sql.NullTime
	err := row.Scan(&q.ID, &q.MeetingID, &q.Reference, &q.Name, &q.Email, &q.Organisation, &q.Body, &q.AgendaItemID,
		&q.PublishName, &q.PrivacyAccepted, &q.Status, &q.Answer, &q.AnswerDueOn, &q.DeclineReason, &q.SubmittedAt,
		&q.UpdatedAt, &erased)
	q.Erased = erased.Valid
	return q, err
}

func (s *Store) list(ctx context.Context, what, where string, args ...any) ([]Question, error) {
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM questions WHERE `+where+` ORDER BY submitted_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("questions: %s: %w", what, err)
	}
	return out, nil
}

// ByID returns the question with id.
func (s *Store) ByID(ctx context.Context, id int64) (Question, error) {
	q, err := scan(s.q.QueryRowContext(ctx, `SELECT `+columns+` FROM questions WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Question{}, fmt.Errorf("questions: %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Question{}, fmt.Errorf("questions: %d: %w", id, err)
	}
	return q, nil
}

// ForMeeting lists a meeting's questions in the order they came, those in
// status only when status is not "".
func (s *Store) ForMeeting(ctx context.Context, meetingID int64, status Status) ([]Question, error) {
	if status == "" {
		return s.list(ctx, "for meeting", `meeting_id = $1`, meetingID)
	}
	return s.list(ctx, "for meeting", `meeting_id = $1 AND status = $2`, meetingID, status)
}

// Published lists the questions shown on a meeting's page: once accepted,
// and whatever their answer; never those received or declined.
func (s *Store) Published(ctx context.Context, meetingID int64) ([]Question, error) {
	return s.list(ctx, "published", `meeting_id = $1 AND status IN ($2, $3, $4)`, meetingID,
		Accepted, AnsweredAtMeeting, AnsweredInWriting)
}

// Counts returns how many of a meeting's questions are in each status.
func (s *Store) Counts(ctx context.Context, meetingID int64) (map[Status]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT status, COUNT(*) FROM questions WHERE meeting_id = $1 GROUP BY status`, meetingID)
	if err != nil {
		return nil, fmt.Errorf("questions: counts: %w", err)
	}
	defer rows.Close()
	out := map[Status]int{}
	for rows.Next() {
		var st Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, fmt.Errorf("questions: counts: %w", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// emailKey is the form of an address the limit per person counts by.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CountForPerson counts the questions an email address has asked for a meeting.
func (s *Store) CountForPerson(ctx context.Context, meetingID int64, email string) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions WHERE meeting_id = $1 AND email_key = $2`,
		meetingID, emailKey(email)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("questions: count for person: %w", err)
	}
	return n, nil
}

// NextReference allocates the next reference of a year, such as
// Q-2026-0042. The counter moves in one upsert, so concurrent submissions
// get distinct numbers; run it in the submission's transaction so a
// failed submission gives its number back.
func (s *Store) NextReference(ctx context.Context, year int) (string, error) {
	prefix := fmt.Sprintf("Q-%d", year)
	var n int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO reference_counters (prefix, last) VALUES ($1, 1)
		ON CONFLICT (prefix) DO UPDATE SET last = reference_counters.last + 1 RETURNING last`, prefix).Scan(&n)
	if err != nil {
		return "", fmt.Errorf("questions: next reference: %w", err)
	}
	return fmt.Sprintf("%s-%04d", prefix, n), nil
}

// Insert stores a new question, with its reference already allocated, and
// returns its id. Run it in a transaction.
func (s *Store) Insert(ctx context.Context, q Question) (int64, error) {
	var agenda any
	if q.AgendaItemID != 0 {
		agenda = q.AgendaItemID
	}
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO questions (meeting_id, reference, name, email, email_key, organisation,
		body, agenda_item_id, publish_name, privacy_accepted, status, submitted_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`, q.MeetingID, q.Reference, q.Name,
		q.Email, emailKey(q.Email), q.Organisation, q.Body, agenda, q.PublishName, q.PrivacyAccepted, Received,
		q.SubmittedAt.UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("questions: insert: %w", err)
	}
	return id, nil
}

// ErrStale is returned when a question changed since it was read.
var ErrStale = errors.New("questions: changed since it was read")

// SetStatus moves a question from the status from to q's status, with its
// answer, due date and reason. It changes nothing and returns ErrStale when
// the question is no longer in status from, so two officers acting at
// once cannot both send the resident an email.
func (s *Store) SetStatus(ctx context.Context, q Question, from Status, now time.Time) error {
	res, err := s.q.ExecContext(ctx, `UPDATE questions SET status = $1, answer = $2, answer_due_on = $3,
		decline_reason = $4, updated_at = $5 WHERE id = $6 AND status = $7`, q.Status, q.Answer, q.AnswerDueOn,
		q.DeclineReason, now.UTC().Truncate(time.Second), q.ID, from)
	if err != nil {
		return fmt.Errorf("questions: set status of %d: %w", q.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrStale
	}
	return nil
}

// HasReference reports whether a meeting has a question with reference ref.
func (s *Store) HasReference(ctx context.Context, meetingID int64, ref string) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions WHERE meeting_id = $1 AND reference = $2`, meetingID, ref).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("questions: reference: %w", err)
	}
	return n > 0, nil
}
