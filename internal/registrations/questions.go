package registrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// The SQL below reaches the boards package's tables (boards, meetings,
// questions): a meeting is an event, its board sets how long personal data
// is kept, and its questions hold questioners' details.
var questionsSQL = struct {
	events         string // event ids of meetings with questions not yet erased
	eventAddresses string // addresses of a meeting's questions not yet erased ($1 the event id)
}{
	events: `SELECT m.event_id FROM questions qn JOIN meetings m ON m.id = qn.meeting_id WHERE qn.erased_at IS NULL`,
	eventAddresses: `SELECT qn.email FROM questions qn JOIN meetings m ON m.id = qn.meeting_id
		WHERE m.event_id = $1 AND qn.erased_at IS NULL AND qn.email <> ''`,
}

// retentionMonths is how long after event id its personal data is kept:
// its board's period if it is a board's meeting, else the default.
func retentionMonths(ctx context.Context, q db.Querier, eventID int64) (int, error) {
	var months int
	err := q.QueryRowContext(ctx, `SELECT b.retention_months FROM meetings m JOIN boards b ON b.id = m.board_id
		WHERE m.event_id = $1`, eventID).Scan(&months)
	if errors.Is(err, sql.ErrNoRows) || err == nil && months <= 0 {
		return DefaultRetentionMonths, nil
	}
	if err != nil {
		return 0, fmt.Errorf("registrations: retention of event %d: %w", eventID, err)
	}
	return months, nil
}

// eraseQuestions erases questioners' names, emails and organisations of
// the questions where (a condition on $2..) selects; $1 is now. The
// questions and answers stay, as from "a resident".
func eraseQuestions(ctx context.Context, q db.Querier, where string, now time.Time, args ...any) (int, error) {
	res, err := q.ExecContext(ctx, `UPDATE questions SET name = '', email = '', email_key = '', organisation = '',
		publish_name = FALSE, erased_at = $1, updated_at = $1 WHERE erased_at IS NULL AND `+where, append([]any{now}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("registrations: erase questions: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// eraseQuestionsOfEvent erases the questioners' details of a meeting.
func eraseQuestionsOfEvent(ctx context.Context, q db.Querier, eventID int64, now time.Time) (int, error) {
	return eraseQuestions(ctx, q, `meeting_id IN (SELECT id FROM meetings WHERE event_id = $2)`, now, eventID)
}

// eraseQuestionsOfAddress erases the details of every question from email.
func eraseQuestionsOfAddress(ctx context.Context, q db.Querier, email string, now time.Time) (int, error) {
	return eraseQuestions(ctx, q, `(email_key = $2 OR lower(email) = $2)`, now, email)
}
