package registrations

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/mail"
)

// DefaultRetentionMonths is how long after an event attendees' details are
// kept, unless the event is a meeting of a board that sets its own period.
const DefaultRetentionMonths = 12

// Erased counts what one run of the retention job erased.
type Erased struct {
	Registrations int // attendees' names, emails and access needs
	Questions     int // questioners' names, emails and organisations
	Messages      int // sent emails to erased addresses
}

// ended returns when e ended, and false if it has a date still to come.
func ended(e events.Event, now time.Time) (time.Time, bool) {
	if _, upcoming := e.Next(now); upcoming {
		return time.Time{}, false
	}
	if o, ok := e.Last(now); ok {
		return o.End, true
	}
	return e.EndsAt, e.EndsAt.Before(now)
}

// EraseExpired erases the personal data of events (and board meetings)
// that ended longer ago than their retention period, and the sent emails
// to those people older than the period. It is the retention job.
func (s *Service) EraseExpired(ctx context.Context, now time.Time) (Erased, error) {
	var out Erased
	ids, err := s.eventsWithPersonalData(ctx)
	if err != nil {
		return out, err
	}
	for _, id := range ids {
		e, err := events.NewStore(s.DB).ByID(ctx, id)
		if err != nil {
			return out, err
		}
		end, done := ended(e, now)
		if !done {
			continue
		}
		months, err := retentionMonths(ctx, s.DB, id)
		if err != nil {
			return out, err
		}
		if !end.AddDate(0, months, 0).Before(now) {
			continue
		}
		cutoff := now.AddDate(0, -months, 0)
		var n Erased
		var gone []int64
		err = s.DB.Tx(ctx, func(q db.Querier) error {
			n, gone = Erased{}, nil // the transaction may run again
			addrs, err := eventAddresses(ctx, q, id)
			if err != nil {
				return err
			}
			if n.Registrations, err = eraseRegistrations(ctx, q, `event_id = $2`, now, id); err != nil {
				return err
			}
			if n.Questions, err = eraseQuestionsOfEvent(ctx, q, id, now); err != nil {
				return err
			}
			for _, a := range addrs {
				ids, err := deleteMessages(ctx, q, `lower(to_addr) = $1 AND sent_at IS NOT NULL AND created_at < $2`, a, cutoff)
				if err != nil {
					return err
				}
				gone = append(gone, ids...)
			}
			return nil
		})
		if err != nil {
			return out, err
		}
		n.Messages = len(gone)
		out.Registrations += n.Registrations
		out.Questions += n.Questions
		out.Messages += n.Messages
		if err := s.removeFiles(gone); err != nil {
			return out, err
		}
	}
	if _, err := s.Subscriptions().PurgeUnconfirmed(ctx, now); err != nil {
		return out, err
	}
	// Rate-limit counters are hashed, but still have no use after a day.
	if _, err := s.DB.ExecPrivate(ctx, `DELETE FROM form_throttle WHERE window_start < $1`, now.Add(-24*time.Hour)); err != nil {
		return out, fmt.Errorf("registrations: purge throttle: %w", err)
	}
	return out, nil
}

// eraseRegistrations erases the personal data of the registrations that
// where (a condition on $2..) selects; $1 is now.
func eraseRegistrations(ctx context.Context, q db.Querier, where string, now time.Time, args ...any) (int, error) {
	res, err := q.ExecContext(ctx, `UPDATE registrations SET name = '', email = '', access_needs = '', access_consent = FALSE,
		erased_at = $1, updated_at = $1 WHERE erased_at IS NULL AND `+where, append([]any{now}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("registrations: erase: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// deleteMessages deletes the outbox messages where selects (the first
// argument is the address, in lower case) and returns their ids.
func deleteMessages(ctx context.Context, q db.Querier, where string, args ...any) ([]int64, error) {
	args[0] = strings.ToLower(args[0].(string))
	ids, err := db.Column[int64](ctx, q, `DELETE FROM mail_outbox WHERE `+where+` RETURNING id`, args...)
	if err != nil {
		return nil, fmt.Errorf("registrations: purge outbox: %w", err)
	}
	return ids, nil
}

// removeFiles deletes the .eml copies of deleted messages that the
// offline sender wrote (DATA_DIR/outbox/<id>.eml), if any.
func (s *Service) removeFiles(ids []int64) error {
	if s.OutboxDir == "" {
		return nil
	}
	for _, id := range ids {
		err := os.Remove(filepath.Join(s.OutboxDir, strconv.FormatInt(id, 10)+".eml"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("registrations: remove sent email: %w", err)
		}
	}
	return nil
}

// EraseAddress erases everything kept about the owner of email: their
// registrations (giving up places at events still to come, which go to the
// next people waiting), their questions' names and organisations, their
// board subscriptions and the emails sent to them. It then queues one
// email saying so.
func (s *Service) EraseAddress(ctx context.Context, email string) error {
	email = strings.ToLower(email)
	now := s.now()
	var gone []int64
	err := s.DB.Tx(ctx, func(q db.Querier) error {
		st := NewStore(q)
		rows, err := q.QueryContext(ctx, `SELECT `+registrationColumns+` FROM registrations
			WHERE email = $1 AND erased_at IS NULL AND status <> 'cancelled' ORDER BY id`, email)
		if err != nil {
			return err
		}
		var live []Registration
		for rows.Next() {
			r, err := scanRegistration(rows)
			if err != nil {
				rows.Close()
				return err
			}
			live = append(live, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range live {
			e, err := events.NewStore(q).ByID(ctx, r.EventID)
			if err != nil {
				return err
			}
			if _, upcoming := When(e, now); !upcoming {
				continue
			}
			next, promoted, err := st.cancel(ctx, r, now)
			if err != nil {
				return err
			}
			if promoted {
				settings, err := st.Settings(ctx, e.ID)
				if err != nil {
					return err
				}
				if err := s.confirmAndMaybeSkipReminder(ctx, q, e, next, settings, now, kindPromoted); err != nil {
					return err
				}
			}
		}
		if _, err := eraseRegistrations(ctx, q, `email = $2`, now, email); err != nil {
			return err
		}
		if _, err := eraseQuestionsOfAddress(ctx, q, email, now); err != nil {
			return err
		}
		if err := EraseSubscriptions(ctx, q, email); err != nil {
			return err
		}
		if gone, err = deleteMessages(ctx, q, `lower(to_addr) = $1`, email); err != nil {
			return err
		}
		_, err = s.Outbox.Enqueue(ctx, q, mail.Message{Kind: kindErased, To: (&netmail.Address{Address: email}).String(),
			Subject: "We have deleted your details",
			Text: "Hello,\n\nAs you asked, we have deleted your details: your name, email address and any access needs from your event registrations, " +
				"your name and organisation from any questions you asked a board (questions that were published stay, from \"a resident\"), " +
				"your email subscriptions, and the emails we sent you.\n\n" +
				"Any places you had at events still to come are cancelled.\n\n" +
				"This is the last email we will send you, unless you register or subscribe again.\n\n" +
				"Our privacy notice: " + s.BaseURL + "/privacy\n"})
		return err
	})
	if err != nil {
		return err
	}
	return s.removeFiles(gone)
}

// eventAddresses lists the addresses of the event's registrations and
// questions not yet erased.
func eventAddresses(ctx context.Context, q db.Querier, eventID int64) ([]string, error) {
	return db.Column[string](ctx, q, `SELECT DISTINCT email FROM registrations WHERE event_id = $1 AND erased_at IS NULL AND email <> ''
		UNION `+questionsSQL.eventAddresses, eventID)
}

// eventsWithPersonalData lists the events whose registrations or questions
// still hold personal data.
func (s *Service) eventsWithPersonalData(ctx context.Context) ([]int64, error) {
	return db.Column[int64](ctx, s.DB, `SELECT DISTINCT event_id FROM registrations WHERE erased_at IS NULL UNION `+questionsSQL.events)
}

// encodeAddress and decodeAddress carry an email address in a link.
func encodeAddress(email string) string { return base64.RawURLEncoding.EncodeToString([]byte(email)) }

func decodeAddress(s string) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || len(b) > 254 {
		return "", false
	}
	return string(b), true
}
