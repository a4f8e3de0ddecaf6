package questions

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// Ref is what the emails about question id are about, so that erasing
// the question's personal data deletes them.
func Ref(id int64) string { return "question:" + strconv.FormatInt(id, 10) }

// Holding is residents' questions as personal data: the questioner's name,
// email address and organisation, kept for the period the meeting's board
// sets. The question and its answer stay, as from "a resident". The
// outbox deletes the emails about each question erased.
func Holding(out mail.Outbox) privacy.Holding {
	return privacy.Holding{
		Name:   "questions",
		Tables: []string{"questions"},
		Holds:  "When you ask a board a question: your name, your email address, your organisation if you give one, and your question.",
		Kept: fmt.Sprintf("We delete your name, email address and organisation after the period the board sets (usually %d months after the meeting), with the emails about your question. Published questions and answers stay on the meeting page, from “a resident”.",
			boards.DefaultRetentionMonths),
		Expire: func(ctx context.Context, tx *privacy.Tx) (int, error) { return expire(ctx, tx, out) },
		Erase: func(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
			return erase(ctx, tx, out, `(email_key = $2 OR lower(email) = $2)`, tx.Now, email)
		},
		Export: export,
	}
}

// expire erases the questioners' details of the meetings that ended longer
// ago than their board's retention period.
func expire(ctx context.Context, tx *privacy.Tx, out mail.Outbox) (int, error) {
	meetings, err := db.Column[int64](ctx, tx, `SELECT DISTINCT meeting_id FROM questions WHERE erased_at IS NULL`)
	if err != nil {
		return 0, fmt.Errorf("questions: meetings with personal data: %w", err)
	}
	st := boards.NewStore(tx)
	total := 0
	for _, id := range meetings {
		m, err := st.Meeting(ctx, id)
		if err != nil {
			return total, err
		}
		b, err := st.Board(ctx, m.BoardID)
		if err != nil {
			return total, err
		}
		if !m.EndsAt.AddDate(0, b.Retention(), 0).Before(tx.Now) {
			continue
		}
		n, err := erase(ctx, tx, out, `meeting_id = $2`, tx.Now, id)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// erase erases questioners' names, emails and organisations of the
// questions where (a condition on $2..) selects, and the emails about
// them; $1 is now.
func erase(ctx context.Context, tx *privacy.Tx, out mail.Outbox, where string, now time.Time, args ...any) (int, error) {
	ids, err := db.Column[int64](ctx, tx, `UPDATE questions SET name = '', email = '', email_key = '', organisation = '',
		publish_name = FALSE, erased_at = $1, updated_at = $1 WHERE erased_at IS NULL AND `+where+` RETURNING id`,
		append([]any{now}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("questions: erase: %w", err)
	}
	for _, id := range ids {
		if _, err := out.Forget(ctx, tx, Ref(id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Asked is one question as a resident's data export shows it.
type Asked struct {
	Reference    string    `json:"reference"`
	MeetingID    int64     `json:"meeting_id"`
	Name         string    `json:"name"`
	Email        string    `json:"email"`
	Organisation string    `json:"organisation"`
	Question     string    `json:"question"`
	PublishName  bool      `json:"publish_name"`
	Status       Status    `json:"status"`
	Answer       string    `json:"answer"`
	SubmittedAt  time.Time `json:"submitted_at"`
}

func export(ctx context.Context, q db.Querier, email string) (any, error) {
	list, err := db.QueryAll(ctx, q, scan, `SELECT `+columns+` FROM questions WHERE (email_key = $1 OR lower(email) = $1)
		AND erased_at IS NULL ORDER BY id`, email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]Asked, len(list))
	for i, x := range list {
		out[i] = Asked{Reference: x.Reference, MeetingID: x.MeetingID, Name: x.Name, Email: x.Email, Organisation: x.Organisation,
			Question: x.Body, PublishName: x.PublishName, Status: x.Status, Answer: x.Answer, SubmittedAt: x.SubmittedAt}
	}
	return out, nil
}
