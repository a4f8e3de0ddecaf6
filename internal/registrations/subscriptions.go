package registrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// Subscriptions are residents' requests to be emailed when a board
// publishes a meeting's papers: confirmed from the address first (double
// opt-in), and ended with one click (RFC 8058) from any of the emails.
type Subscriptions struct {
	svc *Service
}

// Subscriptions returns the board subscriptions, which share the
// service's database, outbox and link signer.
func (s *Service) Subscriptions() *Subscriptions { return &Subscriptions{svc: s} }

// The kinds of subscription email.
const (
	kindSubscribeConfirm = "subscription-confirm"
	kindPapersPublished  = "papers-published"
)

// unconfirmedFor is how long a subscription waits to be confirmed, and how
// long the email asking to confirm it is kept.
const unconfirmedFor = 7 * 24 * time.Hour

// SubscriptionRef is what the emails of subscription id are about, so that
// ending the subscription deletes them.
func SubscriptionRef(id int64) string { return "subscription:" + strconv.FormatInt(id, 10) }

func (s *Subscriptions) link(ctx context.Context, purpose, path string, id int64) (string, error) {
	v := strconv.FormatInt(id, 10)
	sig, err := s.svc.Signer.Sign(ctx, purpose, v)
	if err != nil {
		return "", err
	}
	return s.svc.BaseURL + path + "?" + url.Values{"s": {v}, "t": {sig}}.Encode(), nil
}

// Subscribe records that email asked for b's papers and, unless the
// subscription is already confirmed, queues the email that confirms it.
func (s *Subscriptions) Subscribe(ctx context.Context, b boards.Board, email string) error {
	email = strings.ToLower(email)
	now := s.svc.now()
	// No public page shows who subscribes.
	return s.svc.DB.TxPrivate(ctx, func(q db.Querier) error {
		if _, err := q.ExecContext(ctx, `INSERT INTO board_subscriptions (board_id, email, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (board_id, email) DO NOTHING`, b.ID, email, now); err != nil {
			return fmt.Errorf("registrations: subscribe: %w", err)
		}
		var id int64
		var confirmed sql.NullTime
		if err := q.QueryRowContext(ctx, `SELECT id, confirmed_at FROM board_subscriptions WHERE board_id = $1 AND email = $2`,
			b.ID, email).Scan(&id, &confirmed); err != nil {
			return fmt.Errorf("registrations: subscribe: %w", err)
		}
		if confirmed.Valid {
			return nil // nothing to confirm; say nothing that tells others who subscribes
		}
		confirmURL, err := s.link(ctx, "subscribe", "/subscriptions/confirm", id)
		if err != nil {
			return err
		}
		eraseURL, err := s.svc.EraseURL(ctx, email)
		if err != nil {
			return err
		}
		_, err = s.svc.Outbox.Enqueue(ctx, q, mail.Message{Kind: kindSubscribeConfirm, To: email,
			Ref: SubscriptionRef(id), Keep: unconfirmedFor,
			Subject: "Confirm that you want emails about the " + b.Name,
			Text: "Hello,\n\nSomeone, probably you, asked for an email each time the " + b.Name + " publishes the papers for a meeting.\n\n" +
				"To confirm, open this link and press the button:\n" + confirmURL + "\n\n" +
				"If it was not you, ignore this email: nothing will be sent, and we delete the request after a week.\n\n" +
				"Our privacy notice: " + s.svc.BaseURL + "/privacy\n" +
				"To have your details deleted now: " + eraseURL + "\n"})
		return err
	})
}

// Subscription is one address's subscription to a board.
type Subscription struct {
	ID        int64
	BoardID   int64
	BoardName string
	BoardPath string
	Email     string
	Confirmed bool
}

// checked returns the subscription a signed link names, or db.ErrNotFound.
func (s *Subscriptions) checked(ctx context.Context, purpose, id, sig string) (Subscription, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Subscription{}, db.ErrNotFound
	}
	ok, err := s.svc.Signer.Check(ctx, purpose, id, sig)
	if err != nil || !ok {
		return Subscription{}, errors.Join(err, db.ErrNotFound)
	}
	var sub Subscription
	var confirmed sql.NullTime
	err = s.svc.DB.QueryRowContext(ctx, `SELECT id, board_id, email, confirmed_at FROM board_subscriptions WHERE id = $1`, n).
		Scan(&sub.ID, &sub.BoardID, &sub.Email, &confirmed)
	if errors.Is(err, sql.ErrNoRows) {
		return Subscription{}, db.ErrNotFound
	}
	if err != nil {
		return Subscription{}, fmt.Errorf("registrations: subscription %d: %w", n, err)
	}
	sub.Confirmed = confirmed.Valid
	b, err := boards.NewStore(s.svc.DB).Board(ctx, sub.BoardID)
	if err != nil {
		return Subscription{}, err
	}
	sub.BoardName, sub.BoardPath = b.Name, b.Path()
	return sub, nil
}

// Confirm confirms the subscription.
func (s *Subscriptions) Confirm(ctx context.Context, id int64) error {
	_, err := s.svc.DB.ExecPrivate(ctx, `UPDATE board_subscriptions SET confirmed_at = $2 WHERE id = $1 AND confirmed_at IS NULL`,
		id, s.svc.now())
	if err != nil {
		return fmt.Errorf("registrations: confirm subscription %d: %w", id, err)
	}
	return nil
}

// Unsubscribe ends the subscription, keeping nothing of it: the row and
// every email it sent are deleted.
func (s *Subscriptions) Unsubscribe(ctx context.Context, id int64) error {
	return privacy.Run(ctx, s.svc.DB, s.svc.now(), func(tx *privacy.Tx) error {
		_, err := s.delete(ctx, tx, `id = $1`, id)
		return err
	})
}

// delete deletes the subscriptions where selects, and their emails.
func (s *Subscriptions) delete(ctx context.Context, tx *privacy.Tx, where string, args ...any) (int, error) {
	ids, err := db.Column[int64](ctx, tx, `DELETE FROM board_subscriptions WHERE `+where+` RETURNING id`, args...)
	if err != nil {
		return 0, fmt.Errorf("registrations: delete subscriptions: %w", err)
	}
	for _, id := range ids {
		if _, err := s.svc.Outbox.Forget(ctx, tx, SubscriptionRef(id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// erase ends every subscription of email, for a resident's request to
// erase their data.
func (s *Subscriptions) erase(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
	return s.delete(ctx, tx, `email = $1`, strings.ToLower(email))
}

// expire deletes the subscriptions nobody confirmed within a week.
func (s *Subscriptions) expire(ctx context.Context, tx *privacy.Tx) (int, error) {
	return s.delete(ctx, tx, `confirmed_at IS NULL AND created_at < $1`, tx.Now.Add(-unconfirmedFor))
}

// Signup is one subscription as a resident's data export shows it.
type Signup struct {
	BoardID   int64      `json:"board_id"`
	Email     string     `json:"email"`
	CreatedAt time.Time  `json:"created_at"`
	Confirmed *time.Time `json:"confirmed_at,omitempty"`
}

func exportSubscriptions(ctx context.Context, q db.Querier, email string) (any, error) {
	list, err := db.QueryAll(ctx, q, func(row db.Scanner) (Signup, error) {
		var x Signup
		var confirmed sql.NullTime
		err := row.Scan(&x.BoardID, &x.Email, &x.CreatedAt, &confirmed)
		if confirmed.Valid {
			x.Confirmed = &confirmed.Time
		}
		return x, err
	}, `SELECT board_id, email, created_at, confirmed_at FROM board_subscriptions WHERE email = $1 ORDER BY id`, email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list, nil
}

// Meeting is what the papers email says about a meeting.
type Meeting struct {
	Title    string
	Path     string // the meeting's page, such as /events/strategic-board-march
	StartsAt time.Time
}

// NotifyPapersPublished queues, in q (the transaction that publishes the
// papers), one email to each confirmed subscriber of the board, each with
// its own one-click unsubscribe link (RFC 8058). It returns how many.
func (s *Subscriptions) NotifyPapersPublished(ctx context.Context, q db.Querier, boardID int64, m Meeting) (int, error) {
	b, err := boards.NewStore(q).Board(ctx, boardID)
	if err != nil {
		return 0, err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, email FROM board_subscriptions WHERE board_id = $1 AND confirmed_at IS NOT NULL ORDER BY id`, boardID)
	if err != nil {
		return 0, fmt.Errorf("registrations: subscribers of board %d: %w", boardID, err)
	}
	type subscriber struct {
		id    int64
		email string
	}
	var list []subscriber
	for rows.Next() {
		var sub subscriber
		if err := rows.Scan(&sub.id, &sub.email); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, sub)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, sub := range list {
		unsub, err := s.link(ctx, "unsubscribe", "/subscriptions/unsubscribe", sub.id)
		if err != nil {
			return 0, err
		}
		eraseURL, err := s.svc.EraseURL(ctx, sub.email)
		if err != nil {
			return 0, err
		}
		_, err = s.svc.Outbox.Enqueue(ctx, q, mail.Message{Kind: kindPapersPublished, To: sub.email,
			Ref: SubscriptionRef(sub.id), Keep: time.Duration(DefaultRetentionMonths) * 30 * 24 * time.Hour,
			Subject: "Papers published: " + m.Title,
			Headers: map[string]string{"List-Unsubscribe": "<" + unsub + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
			Text: "Hello,\n\nThe " + b.Name + " has published the papers for its meeting:\n\n" + m.Title + "\n" +
				london.LongDate(m.StartsAt) + " at " + london.Clock(m.StartsAt) + "\n" + s.svc.BaseURL + m.Path + "\n\n" +
				"You get this email because you asked for the " + b.Name + "'s papers. To stop, unsubscribe with one click:\n" + unsub + "\n\n" +
				"Our privacy notice: " + s.svc.BaseURL + "/privacy\n" +
				"To have your details deleted now: " + eraseURL + "\n"})
		if err != nil {
			return 0, err
		}
	}
	return len(list), nil
}

// Notice says whether a meeting's subscribers were told of its papers.
type Notice struct {
	Sent       bool
	SentAt     time.Time
	SentBy     string
	Recipients int
}

// Notice returns whether the subscribers of meeting id were told of its
// papers, and how many people would be told now.
func (s *Subscriptions) Notice(ctx context.Context, meetingID, boardID int64) (Notice, int, error) {
	var n Notice
	err := s.svc.DB.QueryRowContext(ctx, `SELECT sent_at, sent_by, recipients FROM papers_notifications WHERE meeting_id = $1`, meetingID).
		Scan(&n.SentAt, &n.SentBy, &n.Recipients)
	switch {
	case err == nil:
		n.Sent = true
	case !errors.Is(err, sql.ErrNoRows):
		return Notice{}, 0, fmt.Errorf("registrations: papers notice of meeting %d: %w", meetingID, err)
	}
	var subscribers int
	if err := s.svc.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM board_subscriptions WHERE board_id = $1 AND confirmed_at IS NOT NULL`,
		boardID).Scan(&subscribers); err != nil {
		return Notice{}, 0, fmt.Errorf("registrations: subscribers of board %d: %w", boardID, err)
	}
	return n, subscribers, nil
}

// NotifyOnce emails the board's subscribers that meeting m's papers are
// published, in q, unless that was done before; it reports whether it
// sent, and to how many.
func (s *Subscriptions) NotifyOnce(ctx context.Context, q db.Querier, m boards.Meeting, by string) (bool, int, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO papers_notifications (meeting_id, sent_at, sent_by) VALUES ($1, $2, $3)
		ON CONFLICT (meeting_id) DO NOTHING`, m.ID, s.svc.now(), by)
	if err != nil {
		return false, 0, fmt.Errorf("registrations: claim papers notice of meeting %d: %w", m.ID, err)
	}
	if won, err := res.RowsAffected(); err != nil || won != 1 {
		return false, 0, err
	}
	n, err := s.NotifyPapersPublished(ctx, q, m.BoardID, Meeting{Title: m.Title, Path: m.Path(), StartsAt: m.StartsAt})
	if err != nil {
		return false, 0, err
	}
	if _, err := q.ExecContext(ctx, `UPDATE papers_notifications SET recipients = $2 WHERE meeting_id = $1`, m.ID, n); err != nil {
		return false, 0, fmt.Errorf("registrations: papers notice of meeting %d: %w", m.ID, err)
	}
	return true, n, nil
}
