package registrations

import (
	"context"
	"encoding/base64"
	"fmt"
	netmail "net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// DefaultRetentionMonths is how long after an event attendees' details are
// kept, unless the event is a meeting of a board that sets its own period.
const DefaultRetentionMonths = privacy.DefaultRetentionMonths

// Ref is what the emails about registration id are about, so that erasing
// the registration deletes them.
func Ref(id int64) string { return "registration:" + strconv.FormatInt(id, 10) }

// RegisterPrivacy registers with p the personal data the service keeps (event
// registrations and board subscriptions), and makes p the registry its
// erasure link, privacy notice and data export go through.
func (s *Service) RegisterPrivacy(p *privacy.Registry) {
	s.Privacy = p
	p.Register(privacy.Holding{
		Name:   "registrations",
		Tables: []string{"registrations"},
		Holds:  "When you register for an event: your name, your email address, the date you booked and, only if you choose to tell us and agree that we keep them, your access needs.",
		Kept: fmt.Sprintf("We delete names, email addresses and access needs %d months after the event (for a repeating event, after the date booked), or after the period a board sets for its meetings, with the emails about the registration.",
			DefaultRetentionMonths),
		Expire: s.expire,
		Erase:  s.erase,
		Export: exportRegistrations,
	})
	p.Register(privacy.Holding{
		Name:   "subscriptions",
		Tables: []string{"board_subscriptions"},
		Holds:  "When you sign up for emails about a board: your email address.",
		Kept:   "Until you unsubscribe, which you can do with one click from any of the emails; we then delete every email the subscription sent. A sign-up nobody confirms is deleted after a week, with the email asking to confirm it.",
		Expire: s.Subscriptions().expire,
		Erase:  s.Subscriptions().erase,
		Export: exportSubscriptions,
	})
}

// retentionMonths is how long after event id its personal data is kept:
// its board's period if it is a board's meeting, else the default.
func retentionMonths(ctx context.Context, q db.Querier, eventID int64) (int, error) {
	months, meeting, err := boards.NewStore(q).RetentionOfEvent(ctx, eventID)
	if err != nil || !meeting {
		return DefaultRetentionMonths, err
	}
	return months, nil
}

// expire erases the registrations of dates that ended longer ago than
// their retention period, and the emails about them; a repeating event's
// dates are erased one by one while the series goes on. It also purges the
// forms' rate-limit counters, which are hashed but have no use after a day.
func (s *Service) expire(ctx context.Context, tx *privacy.Tx) (int, error) {
	type booked struct {
		eventID int64
		date    string
		created time.Time
	}
	rows, err := db.QueryAll(ctx, tx, func(row db.Scanner) (booked, error) {
		var b booked
		err := row.Scan(&b.eventID, &b.date, &b.created)
		return b, err
	}, `SELECT event_id, occurrence, created_at FROM registrations WHERE erased_at IS NULL
		ORDER BY event_id, occurrence, created_at DESC`)
	if err != nil {
		return 0, fmt.Errorf("registrations: dates with personal data: %w", err)
	}
	var list []booked // one per date, with its latest registration
	for _, b := range rows {
		if n := len(list); n == 0 || list[n-1].eventID != b.eventID || list[n-1].date != b.date {
			list = append(list, b)
		}
	}
	evs := map[int64]events.Event{}
	total := 0
	for _, b := range list {
		e, ok := evs[b.eventID]
		if !ok {
			if e, err = events.NewStore(tx).ByID(ctx, b.eventID); err != nil {
				return total, err
			}
			evs[b.eventID] = e
		}
		o := occurrenceOf(e, Registration{Date: b.date, CreatedAt: b.created})
		months, err := retentionMonths(ctx, tx, b.eventID)
		if err != nil {
			return total, err
		}
		if !o.End.AddDate(0, months, 0).Before(tx.Now) {
			continue
		}
		n, err := s.eraseRegistrations(ctx, tx, `event_id = $2 AND occurrence = $3`, b.eventID, b.date)
		if err != nil {
			return total, err
		}
		total += n
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM form_throttle WHERE window_start < $1`, tx.Now.Add(-24*time.Hour)); err != nil {
		return total, fmt.Errorf("registrations: purge throttle: %w", err)
	}
	return total, nil
}

// eraseRegistrations erases the personal data of the registrations that
// where (a condition on $2..) selects, and the emails about them.
func (s *Service) eraseRegistrations(ctx context.Context, tx *privacy.Tx, where string, args ...any) (int, error) {
	ids, err := db.Column[int64](ctx, tx, `UPDATE registrations SET name = '', email = '', access_needs = '', access_consent = FALSE,
		erased_at = $1, updated_at = $1 WHERE erased_at IS NULL AND `+where+` RETURNING id`, append([]any{tx.Now}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("registrations: erase: %w", err)
	}
	for _, id := range ids {
		if _, err := s.Outbox.Forget(ctx, tx, Ref(id)); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// erase erases the registrations of email, first giving up its places at
// dates still to come, which go to the next people waiting.
func (s *Service) erase(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
	st := NewStore(tx)
	live, err := db.QueryAll(ctx, tx, scanRegistration, `SELECT `+registrationColumns+` FROM registrations
		WHERE email = $1 AND erased_at IS NULL AND status <> 'cancelled' ORDER BY id`, email)
	if err != nil {
		return 0, err
	}
	for _, r := range live {
		e, err := events.NewStore(tx).ByID(ctx, r.EventID)
		if err != nil {
			return 0, err
		}
		if !occurrenceOf(e, r).End.After(tx.Now) {
			continue
		}
		next, promoted, err := st.cancel(ctx, r, tx.Now)
		if err != nil {
			return 0, err
		}
		if promoted {
			settings, err := st.ForDate(ctx, e.ID, r.Date)
			if err != nil {
				return 0, err
			}
			if err := s.confirmAndMaybeSkipReminder(ctx, tx, e, next, settings, tx.Now, kindPromoted); err != nil {
				return 0, err
			}
		}
	}
	return s.eraseRegistrations(ctx, tx, `email = $2`, email)
}

// Booked is one registration as a resident's data export shows it.
type Booked struct {
	EventID     int64     `json:"event_id"`
	Date        string    `json:"date,omitempty"`
	Name        string    `json:"name"`
	Email       string    `json:"email"`
	AccessNeeds string    `json:"access_needs,omitempty"`
	Status      Status    `json:"status"`
	CreatedAt   time.Time `json:"registered_at"`
}

func exportRegistrations(ctx context.Context, q db.Querier, email string) (any, error) {
	list, err := db.QueryAll(ctx, q, scanRegistration, `SELECT `+registrationColumns+` FROM registrations
		WHERE email = $1 AND erased_at IS NULL ORDER BY id`, email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	out := make([]Booked, len(list))
	for i, r := range list {
		out[i] = Booked{EventID: r.EventID, Date: r.Date, Name: r.Name, Email: r.Email, AccessNeeds: r.AccessNeeds, Status: r.Status, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// erasedKeep is how long the email confirming an erasure is kept if it
// cannot be sent; once sent, the next retention run deletes it.
const erasedKeep = 7 * 24 * time.Hour

// EraseAddress erases everything kept about the owner of email, through
// the privacy registry: every holding's data (registrations, giving up
// places at dates still to come; questions; subscriptions; the emails
// sent). It then queues one email saying so, itself deleted once sent.
func (s *Service) EraseAddress(ctx context.Context, email string) error {
	if s.Privacy == nil {
		return fmt.Errorf("registrations: no privacy registry")
	}
	_, err := s.Privacy.Erase(ctx, email, func(ctx context.Context, tx *privacy.Tx) error {
		_, err := s.Outbox.Enqueue(ctx, tx, mail.Message{Kind: kindErased, To: (&netmail.Address{Address: strings.ToLower(email)}).String(),
			Subject: "We have deleted your details", DeleteWhenSent: true, Keep: erasedKeep,
			Text: "Hello,\n\nAs you asked, we have deleted your details: your name, email address and any access needs from your event registrations, " +
				"your name and organisation from any questions you asked a board (questions that were published stay, from \"a resident\"), " +
				"your email subscriptions, and the emails we sent you.\n\n" +
				"Any places you had at events still to come are cancelled.\n\n" +
				"This is the last email we will send you, unless you register or subscribe again. We delete this email too once it is sent.\n\n" +
				"Our privacy notice: " + s.BaseURL + "/privacy\n"})
		return err
	})
	return err
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
