package questions

import (
	"context"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// CountByMeeting returns, for each meeting with questions in status, how
// many it has.
func (s *Store) CountByMeeting(ctx context.Context, status Status) (map[int64]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT meeting_id, COUNT(*) FROM questions WHERE status = $1 GROUP BY meeting_id`, status)
	if err != nil {
		return nil, fmt.Errorf("questions: count by meeting: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("questions: count by meeting: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// WrittenAnswersDue lists the questions to be answered in writing whose
// answer has not been given yet, the earliest due first.
func (s *Store) WrittenAnswersDue(ctx context.Context) ([]Question, error) {
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM questions WHERE status = $1 AND answer = ''
		ORDER BY answer_due_on, submitted_at, id`, AnsweredInWriting)
	if err != nil {
		return nil, fmt.Errorf("questions: written answers due: %w", err)
	}
	return out, nil
}

// ByReference returns the question with this reference (Q-2026-0042), in
// any case.
func (s *Store) ByReference(ctx context.Context, ref string) (Question, error) {
	list, err := s.list(ctx, "by reference", `reference = $1`, strings.ToUpper(strings.TrimSpace(ref)))
	if err != nil {
		return Question{}, err
	}
	if len(list) == 0 {
		return Question{}, fmt.Errorf("questions: reference %q: %w", ref, db.ErrNotFound)
	}
	return list[0], nil
}

// Find lists up to limit questions whose reference or text holds every
// one of words (compared without case), newest first.
func (s *Store) Find(ctx context.Context, words []string, limit int) ([]Question, error) {
	where, args := db.LikeAll([]string{"reference", "body"}, words)
	args = append(args, limit)
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM questions WHERE `+where+
		fmt.Sprintf(` ORDER BY submitted_at DESC, id DESC LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("questions: find: %w", err)
	}
	return out, nil
}
