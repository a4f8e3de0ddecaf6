// Package registrations lets residents book a place at an event that needs
// it, with a waiting list promoted when someone cancels, confirmation and
// reminder emails, and the organiser's attendee list. It also holds what
// the partnership does with that personal data: the privacy notice, the
// retention job that erases it, and the signed link that lets a resident
// have it erased sooner.
package registrations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Settings are how an event takes registrations.
type Settings struct {
	EventID     int64
	Enabled     bool
	Capacity    int
	Taken       int       // places held by confirmed registrations, on the date read (see ForDate)
	OpensAt     time.Time // zero: open as soon as enabled
	ClosesAt    time.Time // zero: open until the event starts
	WaitingList bool
	// ReminderBefore is how long before the start the reminder is sent;
	// zero sends none.
	ReminderBefore time.Duration
	AskAccessNeeds bool
}

// DefaultSettings are the settings of an event that has never had any.
func DefaultSettings(eventID int64) Settings {
	return Settings{EventID: eventID, Capacity: 30, WaitingList: true, ReminderBefore: 24 * time.Hour, AskAccessNeeds: true}
}

// PlacesLeft is how many places can still be taken.
func (s Settings) PlacesLeft() int { return max(s.Capacity-s.Taken, 0) }

// Status is where a registration stands.
type Status string

// The statuses of a registration.
const (
	Confirmed Status = "confirmed"
	Waiting   Status = "waiting"
	Cancelled Status = "cancelled"
)

// Registration is one person's booking for an event: for one date of a
// repeating event.
type Registration struct {
	ID            int64
	EventID       int64
	Date          string // YYYY-MM-DD of the occurrence booked; "" for a one-off event
	Name          string
	Email         string
	AccessNeeds   string // kept only with AccessConsent
	AccessConsent bool
	Status        Status
	CreatedAt     time.Time
	Erased        bool
}

// Errors of registering and cancelling.
var (
	ErrClosed            = errors.New("registrations: not taking registrations")
	ErrFull              = errors.New("registrations: full")
	ErrAlreadyRegistered = errors.New("registrations: already registered")
	ErrAlreadyCancelled  = errors.New("registrations: already cancelled")
)

// Store reads and writes registrations in q.
type Store struct{ q db.Querier }

// NewStore returns a store on q (the DB or a transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// Settings returns the event's settings, with the places taken of a
// one-off event, or DefaultSettings (not enabled) when it has none.
func (s *Store) Settings(ctx context.Context, eventID int64) (Settings, error) {
	return s.ForDate(ctx, eventID, "")
}

// ForDate returns the event's settings with the places taken on date (a
// repeating event's YYYY-MM-DD, "" for a one-off event).
func (s *Store) ForDate(ctx context.Context, eventID int64, date string) (Settings, error) {
	st := Settings{EventID: eventID}
	var opens, closes sql.NullTime
	var minutes int64
	err := s.q.QueryRowContext(ctx, `SELECT st.enabled, st.capacity, COALESCE(p.taken, 0), st.opens_at, st.closes_at, st.waiting_list,
			st.reminder_minutes, st.ask_access_needs
		FROM registration_settings st LEFT JOIN registration_places p ON p.event_id = st.event_id AND p.occurrence = $2
		WHERE st.event_id = $1`, eventID, date).
		Scan(&st.Enabled, &st.Capacity, &st.Taken, &opens, &closes, &st.WaitingList, &minutes, &st.AskAccessNeeds)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultSettings(eventID), nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("registrations: settings of event %d: %w", eventID, err)
	}
	st.OpensAt, st.ClosesAt = opens.Time, closes.Time
	st.ReminderBefore = time.Duration(minutes) * time.Minute
	return st, nil
}

// TakenByDate returns the places taken on each date of the event.
func (s *Store) TakenByDate(ctx context.Context, eventID int64) (map[string]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT occurrence, taken FROM registration_places WHERE event_id = $1`, eventID)
	if err != nil {
		return nil, fmt.Errorf("registrations: places of event %d: %w", eventID, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var date string
		var n int
		if err := rows.Scan(&date, &n); err != nil {
			return nil, err
		}
		out[date] = n
	}
	return out, rows.Err()
}

func nullTime(t time.Time) sql.NullTime { return sql.NullTime{Time: t.UTC(), Valid: !t.IsZero()} }

// SaveSettings writes the event's settings (not the count of places
// taken, which only registering and cancelling change).
func (s *Store) SaveSettings(ctx context.Context, st Settings) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO registration_settings
		(event_id, enabled, capacity, opens_at, closes_at, waiting_list, reminder_minutes, ask_access_needs, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (event_id) DO UPDATE SET enabled = excluded.enabled, capacity = excluded.capacity,
			opens_at = excluded.opens_at, closes_at = excluded.closes_at, waiting_list = excluded.waiting_list,
			reminder_minutes = excluded.reminder_minutes, ask_access_needs = excluded.ask_access_needs,
			updated_at = excluded.updated_at`,
		st.EventID, st.Enabled, st.Capacity, nullTime(st.OpensAt), nullTime(st.ClosesAt), st.WaitingList,
		int64(st.ReminderBefore/time.Minute), st.AskAccessNeeds, db.Now())
	if err != nil {
		return fmt.Errorf("registrations: save settings of event %d: %w", st.EventID, err)
	}
	return nil
}

// takePlace takes one place on date if one is left; only one of any
// number of concurrent callers can take the last one.
func (s *Store) takePlace(ctx context.Context, eventID int64, date string) (bool, error) {
	if _, err := s.q.ExecContext(ctx, `INSERT INTO registration_places (event_id, occurrence, taken) VALUES ($1, $2, 0)
		ON CONFLICT (event_id, occurrence) DO NOTHING`, eventID, date); err != nil {
		return false, fmt.Errorf("registrations: places at event %d: %w", eventID, err)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE registration_places SET taken = taken + 1
		WHERE event_id = $1 AND occurrence = $2
			AND taken < (SELECT capacity FROM registration_settings WHERE event_id = $1 AND enabled)`, eventID, date)
	if err != nil {
		return false, fmt.Errorf("registrations: take a place at event %d: %w", eventID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// givePlaceBack returns a place on date nobody is waiting for.
func (s *Store) givePlaceBack(ctx context.Context, eventID int64, date string) error {
	_, err := s.q.ExecContext(ctx, `UPDATE registration_places SET taken = taken - 1
		WHERE event_id = $1 AND occurrence = $2 AND taken > 0`, eventID, date)
	if err != nil {
		return fmt.Errorf("registrations: give back a place at event %d: %w", eventID, err)
	}
	return nil
}

const registrationColumns = `id, event_id, occurrence, name, email, access_needs, access_consent, status, created_at, erased_at`

func scanRegistration(row db.Scanner) (Registration, error) {
	var r Registration
	var erased sql.NullTime
	err := row.Scan(&r.ID, &r.EventID, &r.Date, &r.Name, &r.Email, &r.AccessNeeds, &r.AccessConsent, &r.Status, &r.CreatedAt, &erased)
	r.Erased = erased.Valid
	return r, err
}

// ByID returns a registration.
func (s *Store) ByID(ctx context.Context, id int64) (Registration, error) {
	r, err := scanRegistration(s.q.QueryRowContext(ctx, `SELECT `+registrationColumns+` FROM registrations WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Registration{}, fmt.Errorf("registrations: %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Registration{}, fmt.Errorf("registrations: %d: %w", id, err)
	}
	return r, nil
}

// ForEvent lists the event's registrations, date by date: confirmed then
// waiting (in the order they joined) then cancelled.
func (s *Store) ForEvent(ctx context.Context, eventID int64) ([]Registration, error) {
	out, err := db.QueryAll(ctx, s.q, scanRegistration, `SELECT `+registrationColumns+` FROM registrations WHERE event_id = $1
		ORDER BY occurrence, CASE status WHEN 'confirmed' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("registrations: list event %d: %w", eventID, err)
	}
	return out, nil
}

// Position is a waiting registration's place in the queue, from 1.
func (s *Store) Position(ctx context.Context, r Registration) (int, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND occurrence = $2
		AND status = 'waiting' AND id <= $3`, r.EventID, r.Date, r.ID).Scan(&n)
	return n, err
}

// Input is what a resident types to register.
type Input struct {
	Name, Email   string
	AccessNeeds   string
	AccessConsent bool
}

// register takes a place on date for in, or a place on the waiting list.
// Run it in a transaction.
func (s *Store) register(ctx context.Context, st Settings, date string, in Input, now time.Time) (Registration, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations
		WHERE event_id = $1 AND occurrence = $2 AND email = $3 AND status <> 'cancelled' AND erased_at IS NULL`,
		st.EventID, date, in.Email).Scan(&n); err != nil {
		return Registration{}, fmt.Errorf("registrations: check %d: %w", st.EventID, err)
	}
	if n > 0 {
		return Registration{}, ErrAlreadyRegistered
	}
	status := Confirmed
	got, err := s.takePlace(ctx, st.EventID, date)
	if err != nil {
		return Registration{}, err
	}
	if !got {
		if !st.WaitingList {
			return Registration{}, ErrFull
		}
		status = Waiting
	}
	if !in.AccessConsent {
		in.AccessNeeds = ""
	}
	r := Registration{EventID: st.EventID, Date: date, Name: in.Name, Email: in.Email, AccessNeeds: in.AccessNeeds,
		AccessConsent: in.AccessConsent && in.AccessNeeds != "", Status: status, CreatedAt: now}
	err = s.q.QueryRowContext(ctx, `INSERT INTO registrations (event_id, occurrence, name, email, access_needs, access_consent, status,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		r.EventID, r.Date, r.Name, r.Email, r.AccessNeeds, r.AccessConsent, r.Status, now).Scan(&r.ID)
	if db.IsUniqueViolation(err) {
		// The same person registering twice at once: the other request
		// inserted after this one checked.
		return Registration{}, ErrAlreadyRegistered
	}
	if err != nil {
		return Registration{}, fmt.Errorf("registrations: add to event %d: %w", st.EventID, err)
	}
	return r, nil
}

// cancel cancels r and, if it held a place, gives the place to the first
// person waiting, whom it returns with true. Run it in a transaction.
func (s *Store) cancel(ctx context.Context, r Registration, now time.Time) (Registration, bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE registrations SET status = 'cancelled', updated_at = $3
		WHERE id = $1 AND status = $2`, r.ID, r.Status, now)
	if err != nil {
		return Registration{}, false, fmt.Errorf("registrations: cancel %d: %w", r.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return Registration{}, false, ErrAlreadyCancelled
	}
	if r.Status != Confirmed {
		return Registration{}, false, nil
	}
	// When the organiser lowered the capacity below the places taken, a
	// freed place is not offered again.
	st, err := s.ForDate(ctx, r.EventID, r.Date)
	if err != nil {
		return Registration{}, false, err
	}
	if st.Taken <= st.Capacity {
		next, ok, err := s.promoteFirst(ctx, r.EventID, r.Date, now)
		if err != nil || ok {
			return next, ok, err
		}
	}
	return Registration{}, false, s.givePlaceBack(ctx, r.EventID, r.Date)
}

// promoteFirst gives a place on date (already counted as taken) to the
// first person waiting for it, and returns them with true; false when
// nobody waits.
func (s *Store) promoteFirst(ctx context.Context, eventID int64, date string, now time.Time) (Registration, bool, error) {
	next, err := scanRegistration(s.q.QueryRowContext(ctx, `SELECT `+registrationColumns+` FROM registrations
		WHERE event_id = $1 AND occurrence = $2 AND status = 'waiting' ORDER BY id LIMIT 1`, eventID, date))
	if errors.Is(err, sql.ErrNoRows) {
		return Registration{}, false, nil
	}
	if err != nil {
		return Registration{}, false, fmt.Errorf("registrations: first waiting at event %d: %w", eventID, err)
	}
	if _, err := s.q.ExecContext(ctx, `UPDATE registrations SET status = 'confirmed', updated_at = $2
		WHERE id = $1 AND status = 'waiting'`, next.ID, now); err != nil {
		return Registration{}, false, fmt.Errorf("registrations: promote %d: %w", next.ID, err)
	}
	next.Status = Confirmed
	return next, true, nil
}

// markReminded records that r needs no reminder (any more); it reports
// whether this call was the one that recorded it.
func (s *Store) markReminded(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := s.q.ExecContext(ctx, `UPDATE registrations SET reminded_at = $2
		WHERE id = $1 AND reminded_at IS NULL AND status = 'confirmed' AND erased_at IS NULL`, id, now)
	if err != nil {
		return false, fmt.Errorf("registrations: remind %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
