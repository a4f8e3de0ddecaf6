package registrations

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// Service runs registrations: each change and the email it causes are
// written in one transaction.
type Service struct {
	DB      *db.DB
	Outbox  mail.Outbox
	BaseURL string // the public site, for links in emails
	Signer  *Signer
	Now     func() time.Time
	// Privacy is the registry of residents' personal data, which the
	// erasure link, the privacy notice and the data export go through;
	// Register sets it.
	Privacy *privacy.Registry
}

// NewService returns a service on d; outboxDir is where the offline
// sender writes emails (empty when none).
func NewService(d *db.DB, outbox mail.Outbox, baseURL, outboxDir string, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if outbox.Dir == "" {
		outbox.Dir = outboxDir
	}
	return &Service{DB: d, Outbox: outbox, BaseURL: strings.TrimRight(baseURL, "/"), Signer: NewSigner(d), Now: now}
}

func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Second) }

// When is the time of the event a registration is for: its next date.
func When(e events.Event, now time.Time) (events.Occurrence, bool) {
	if o, ok := e.Next(now); ok {
		return o, true
	}
	return events.Occurrence{}, false
}

// Occurrence returns the occurrence of e that a registration for date is
// for: the event itself for a one-off event (date ""), or the date
// (YYYY-MM-DD) of a repeating event; false when e has no such date.
func Occurrence(e events.Event, date string) (events.Occurrence, bool) {
	if e.Rule() == nil {
		if date != "" {
			return events.Occurrence{}, false
		}
		return events.Occurrence{Start: e.StartsAt, End: e.EndsAt}, true
	}
	day, err := time.ParseInLocation("2006-01-02", date, london.Location)
	if err != nil {
		return events.Occurrence{}, false
	}
	for _, o := range e.Occurrences(day, day.AddDate(0, 0, 1)) {
		if o.Date() == date {
			return o, true
		}
	}
	return events.Occurrence{}, false
}

// occurrenceOf is the time registration r is for. A date the event no
// longer has (its rule was changed) is taken as that whole day; a
// registration made before registrations had dates is for the date that
// was next when it was made.
func occurrenceOf(e events.Event, r Registration) events.Occurrence {
	if r.Date == "" && e.Rule() != nil {
		if o, ok := e.Next(r.CreatedAt); ok {
			return o
		}
	}
	if o, ok := Occurrence(e, r.Date); ok {
		return o
	}
	if day, err := time.ParseInLocation("2006-01-02", r.Date, london.Location); err == nil {
		return events.Occurrence{Start: day, End: day.AddDate(0, 0, 1)}
	}
	return events.Occurrence{Start: e.StartsAt, End: e.EndsAt}
}

// maxDates is how many dates of a repeating event the form offers.
const maxDates = 60

// Dates lists the dates of a repeating event that a resident can choose
// at now: those not cancelled and not started, within a year.
func Dates(e events.Event, now time.Time) []events.Occurrence {
	if e.Rule() == nil {
		return nil
	}
	var out []events.Occurrence
	for _, o := range e.Occurrences(now, now.AddDate(1, 0, 0)) {
		if !o.Cancelled && now.Before(o.Start) && len(out) < maxDates {
			out = append(out, o)
		}
	}
	return out
}

// DateOf is the date value a registration for o of e is stored under:
// "" for a one-off event.
func DateOf(e events.Event, o events.Occurrence) string {
	if e.Rule() == nil {
		return ""
	}
	return o.Date()
}

// OpenState says whether an event takes registrations at now, and if not,
// why, in words for residents ("" when open). For a repeating event it
// speaks of the series: each date's places are checked when registering.
func OpenState(e events.Event, st Settings, now time.Time) string {
	if e.Rule() != nil {
		dates := Dates(e, now)
		if len(dates) == 0 {
			return openOn(e, st, events.Occurrence{}, false, now)
		}
		st.Taken = 0
		return openOn(e, st, dates[0], true, now)
	}
	o, upcoming := When(e, now)
	return openOn(e, st, o, upcoming, now)
}

// openOn says whether occurrence o of e takes registrations at now, with
// st the settings and places taken on that date.
func openOn(e events.Event, st Settings, o events.Occurrence, upcoming bool, now time.Time) string {
	switch {
	case !st.Enabled:
		return "This event does not take registrations."
	case e.Status == events.StatusCancelled:
		return "This event is cancelled, so it no longer takes registrations."
	case o.Cancelled:
		return "This date is cancelled, so it does not take registrations. Choose another date."
	case !upcoming || !now.Before(o.Start):
		return "This event has started or ended, so registration is closed."
	case !st.OpensAt.IsZero() && now.Before(st.OpensAt):
		return "Registration opens on " + london.LongDate(st.OpensAt) + " at " + london.Clock(st.OpensAt) + "."
	case !st.ClosesAt.IsZero() && !now.Before(st.ClosesAt):
		return "Registration closed on " + london.LongDate(st.ClosesAt) + " at " + london.Clock(st.ClosesAt) + "."
	case st.PlacesLeft() == 0 && !st.WaitingList && e.Rule() != nil:
		return "All places on " + london.LongDate(o.Start) + " are taken, and this event has no waiting list. Choose another date."
	case st.PlacesLeft() == 0 && !st.WaitingList:
		return "All places are taken, and this event has no waiting list."
	}
	return ""
}

// ErrNoDate is returned for a date the event does not happen on.
var ErrNoDate = errors.New("registrations: the event is not on that date")

// Register books in onto date of event e ("" for a one-off event, else
// the YYYY-MM-DD of one of its dates): a place if one is left that date,
// else a place on its waiting list if the event keeps one. It queues the
// email that says which, and returns the registration with its place in
// the queue (0 when confirmed).
func (s *Service) Register(ctx context.Context, e events.Event, date string, in Input) (Registration, int, error) {
	now := s.now()
	in.Email = strings.ToLower(in.Email)
	o, ok := Occurrence(e, date)
	if !ok {
		return Registration{}, 0, ErrNoDate
	}
	var r Registration
	var pos int
	err := s.DB.Tx(ctx, func(q db.Querier) error {
		st := NewStore(q)
		settings, err := st.ForDate(ctx, e.ID, date)
		if err != nil {
			return err
		}
		if openOn(e, settings, o, true, now) != "" {
			return ErrClosed
		}
		if r, err = st.register(ctx, settings, date, in, now); err != nil {
			return err
		}
		pos = 0
		if r.Status == Waiting {
			if pos, err = st.Position(ctx, r); err != nil {
				return err
			}
			return s.queue(ctx, q, e, r, kindWaiting, pos)
		}
		return s.confirmAndMaybeSkipReminder(ctx, q, e, r, settings, now, kindConfirmed)
	})
	return r, pos, err
}

// confirmAndMaybeSkipReminder queues the email for a new place and, when
// the reminder's time has already come, records that none is needed.
func (s *Service) confirmAndMaybeSkipReminder(ctx context.Context, q db.Querier, e events.Event, r Registration,
	settings Settings, now time.Time, kind string) error {
	if o := occurrenceOf(e, r); !now.Before(o.Start.Add(-settings.ReminderBefore)) {
		if _, err := NewStore(q).markReminded(ctx, r.ID, now); err != nil {
			return err
		}
	}
	return s.queue(ctx, q, e, r, kind, 0)
}

// Cancel cancels the registration with id and, when that frees a place,
// books the first person waiting and emails them. It returns ErrClosed
// once the event is over.
func (s *Service) Cancel(ctx context.Context, id int64) (Registration, error) {
	var r Registration
	err := s.DB.Tx(ctx, func(q db.Querier) error {
		var err error
		r, _, err = s.cancelIn(ctx, q, id, 0)
		return err
	})
	return r, err
}

// OrganiserCancel cancels, for an organiser, the registration with id at
// the event eventID, exactly as a resident's cancellation does (the first
// person waiting is booked and emailed), and emails the person cancelled.
// audit runs in the same transaction with the registration as it was and
// the person booked in its place, if any. It returns ErrNotFound for a
// registration of another event, ErrAlreadyCancelled and ErrClosed as
// Cancel does.
func (s *Service) OrganiserCancel(ctx context.Context, eventID, id int64,
	audit func(q db.Querier, r Registration, promoted *Registration) error) (Registration, *Registration, error) {
	var r Registration
	var promoted *Registration
	err := s.DB.Tx(ctx, func(q db.Querier) error {
		var err error
		r, promoted, err = s.cancelIn(ctx, q, id, eventID)
		if err != nil {
			return err
		}
		e, err := events.NewStore(q).ByID(ctx, r.EventID)
		if err != nil {
			return err
		}
		if err := s.queue(ctx, q, e, r, kindCancelledByOrganiser, 0); err != nil {
			return err
		}
		return audit(q, r, promoted)
	})
	return r, promoted, err
}

// cancelIn cancels the registration with id (of the event eventID when
// that is not 0) in q, and books and emails the first person waiting when
// a place is freed; it returns the registration as it was and the person
// booked.
func (s *Service) cancelIn(ctx context.Context, q db.Querier, id, eventID int64) (Registration, *Registration, error) {
	now := s.now()
	st := NewStore(q)
	r, err := st.ByID(ctx, id)
	if err != nil {
		return r, nil, err
	}
	if eventID != 0 && r.EventID != eventID {
		return r, nil, db.ErrNotFound
	}
	if r.Status == Cancelled || r.Erased {
		return r, nil, ErrAlreadyCancelled
	}
	e, err := events.NewStore(q).ByID(ctx, r.EventID)
	if err != nil {
		return r, nil, err
	}
	if !occurrenceOf(e, r).End.After(now) {
		return r, nil, ErrClosed // over: nobody waiting could use the place
	}
	next, promoted, err := st.cancel(ctx, r, now)
	if err != nil || !promoted {
		return r, nil, err
	}
	settings, err := st.ForDate(ctx, r.EventID, r.Date)
	if err != nil {
		return r, nil, err
	}
	if err := s.confirmAndMaybeSkipReminder(ctx, q, e, next, settings, now, kindPromoted); err != nil {
		return r, nil, err
	}
	return r, &next, nil
}

// SaveSettings saves an event's settings and, if that made room (a larger
// capacity), books people from the waiting list into it.
func (s *Service) SaveSettings(ctx context.Context, q db.Querier, e events.Event, settings Settings) (int, error) {
	st := NewStore(q)
	if err := st.SaveSettings(ctx, settings); err != nil {
		return 0, err
	}
	if !settings.Enabled {
		return 0, nil
	}
	dates, err := db.Column[string](ctx, q, `SELECT DISTINCT occurrence FROM registrations
		WHERE event_id = $1 AND status = 'waiting' ORDER BY occurrence`, e.ID)
	if err != nil {
		return 0, fmt.Errorf("registrations: dates with people waiting at event %d: %w", e.ID, err)
	}
	now := s.now()
	promoted := 0
	for _, date := range dates {
		n, err := s.promoteInto(ctx, q, e, date, now)
		promoted += n
		if err != nil {
			return promoted, err
		}
	}
	return promoted, nil
}

// promoteInto books people waiting for date into the places left on it.
func (s *Service) promoteInto(ctx context.Context, q db.Querier, e events.Event, date string, now time.Time) (int, error) {
	st := NewStore(q)
	promoted := 0
	for {
		cur, err := st.ForDate(ctx, e.ID, date)
		if err != nil || cur.PlacesLeft() == 0 {
			return promoted, err
		}
		if ok, err := st.takePlace(ctx, e.ID, date); err != nil || !ok {
			return promoted, err
		}
		next, ok, err := st.promoteFirst(ctx, e.ID, date, now)
		if err != nil {
			return promoted, err
		}
		if !ok { // nobody waiting after all: the place goes back
			return promoted, st.givePlaceBack(ctx, e.ID, date)
		}
		if err := s.confirmAndMaybeSkipReminder(ctx, q, e, next, cur, now, kindPromoted); err != nil {
			return promoted, err
		}
		promoted++
	}
}

// SendReminders queues the reminder of every confirmed registration whose
// event starts within its reminder time, once per registration.
func (s *Service) SendReminders(ctx context.Context, now time.Time) (int, error) {
	// Dates sort as text: a repeating event's dates before yesterday are over.
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.event_id, r.occurrence, r.created_at, st.reminder_minutes FROM registrations r
		JOIN registration_settings st ON st.event_id = r.event_id
		JOIN events e ON e.id = r.event_id
		WHERE r.status = 'confirmed' AND r.reminded_at IS NULL AND r.erased_at IS NULL AND st.reminder_minutes > 0
			AND (e.ends_at > $1 OR e.repeat_rule <> '' AND (r.occurrence = '' OR r.occurrence >= $2))
		ORDER BY r.event_id, r.id`, now, london.In(now).AddDate(0, 0, -1).Format("2006-01-02"))
	if err != nil {
		return 0, fmt.Errorf("registrations: reminders due: %w", err)
	}
	type due struct {
		id, eventID int64
		date        string
		created     time.Time
		minutes     int64
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.eventID, &d.date, &d.created, &d.minutes); err != nil {
			rows.Close()
			return 0, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	evs := map[int64]events.Event{}
	for _, d := range list {
		e, ok := evs[d.eventID]
		if !ok {
			if e, err = events.NewStore(s.DB).ByID(ctx, d.eventID); err != nil {
				return sent, err
			}
			evs[d.eventID] = e
		}
		o := occurrenceOf(e, Registration{Date: d.date, CreatedAt: d.created})
		if !now.Before(o.Start) || now.Before(o.Start.Add(-time.Duration(d.minutes)*time.Minute)) {
			continue
		}
		var won bool
		// A reminder changes no public page.
		err := s.DB.TxPrivate(ctx, func(q db.Querier) error {
			st := NewStore(q)
			var err error
			if won, err = st.markReminded(ctx, d.id, now); err != nil || !won {
				return err
			}
			r, err := st.ByID(ctx, d.id)
			if err != nil {
				return err
			}
			return s.queue(ctx, q, e, r, kindReminder, 0)
		})
		if err != nil {
			return sent, err
		}
		if won {
			sent++
		}
	}
	return sent, nil
}

// The kinds of registration email.
const (
	kindConfirmed = "registration-confirmed"
	kindWaiting   = "registration-waiting"
	kindPromoted  = "registration-promoted"
	kindReminder  = "registration-reminder"
	kindErased    = "data-erased"
	// kindCancelledByOrganiser tells a resident an organiser cancelled
	// their place (or their place on the waiting list).
	kindCancelledByOrganiser = "registration-cancelled"
)

// CancelURL is the signed link that cancels r.
func (s *Service) CancelURL(ctx context.Context, e events.Event, r Registration) (string, error) {
	id := strconv.FormatInt(r.ID, 10)
	sig, err := s.Signer.Sign(ctx, "cancel", id)
	if err != nil {
		return "", err
	}
	return s.BaseURL + "/events/" + e.Slug + "/register/cancel?" + url.Values{"r": {id}, "t": {sig}}.Encode(), nil
}

// EraseURL is the signed link with which the owner of email asks for
// their data to be erased.
func (s *Service) EraseURL(ctx context.Context, email string) (string, error) {
	email = strings.ToLower(email)
	sig, err := s.Signer.Sign(ctx, "erase", email)
	if err != nil {
		return "", err
	}
	return s.BaseURL + "/privacy/erase?" + url.Values{"a": {encodeAddress(email)}, "t": {sig}}.Encode(), nil
}

// queue composes and queues the email of kind about r.
func (s *Service) queue(ctx context.Context, q db.Querier, e events.Event, r Registration, kind string, pos int) error {
	cancelURL, err := s.CancelURL(ctx, e, r)
	if err != nil {
		return err
	}
	eraseURL, err := s.EraseURL(ctx, r.Email)
	if err != nil {
		return err
	}
	o := occurrenceOf(e, r)
	pageURL := s.BaseURL + "/events/" + e.Slug
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("Hello %s,", r.Name)
	line("")
	on := "" // a repeating event's emails name the date booked
	if e.Rule() != nil {
		on = " on " + london.LongDate(o.Start)
	}
	var subject string
	attach := kind != kindCancelledByOrganiser
	switch kind {
	case kindCancelledByOrganiser:
		subject = "Your registration for " + e.Title + on + " has been cancelled"
		if r.Status == Waiting {
			line("The organisers of %s%s have taken you off its waiting list.", e.Title, on)
		} else {
			line("The organisers of %s%s have cancelled your place.", e.Title, on)
		}
		line("If you think this is a mistake, please contact the organisers.")
	case kindConfirmed:
		subject = "Your place at " + e.Title + on
		line("You have a place at %s%s.", e.Title, on)
	case kindPromoted:
		subject = "A place has come up: you are booked for " + e.Title + on
		line("Someone cancelled, so you now have a place at %s%s. You do not need to do anything else.", e.Title, on)
	case kindWaiting:
		subject = "You are on the waiting list for " + e.Title + on
		attach = false
		line("%s%s is full, so you are on the waiting list: number %d in the queue.", e.Title, on, pos)
		line("If someone cancels, the first person waiting gets their place and we email them straight away.")
	case kindReminder:
		subject = "Reminder: " + e.Title + ", " + london.LongDate(o.Start)
		line("This is a reminder that you have a place at %s.", e.Title)
	}
	line("")
	line("When: %s", london.When(o.Start, o.End))
	if loc := location(e); loc != "" {
		line("Where: %s", loc)
	}
	line("Details: %s", pageURL)
	if attach {
		line("")
		line("The attached calendar file adds the event to your calendar.")
	}
	switch kind {
	case kindCancelledByOrganiser:
	case kindWaiting:
		line("")
		line("If you no longer want a place, leave the waiting list here:")
		line("%s", cancelURL)
	default:
		line("")
		line("If you cannot come, please cancel so someone else can have your place:")
		line("%s", cancelURL)
	}
	line("")
	line("We keep your details only to run this event and delete them automatically some time after it; our privacy notice says when: %s/privacy", s.BaseURL)
	line("To have your details deleted now: %s", eraseURL)
	m := mail.Message{Kind: kind, To: (&netmail.Address{Name: r.Name, Address: r.Email}).String(), Subject: subject, Text: b.String(),
		Ref: Ref(r.ID)}
	if attach {
		cal := events.OccurrenceCalendar(e, o, events.CalendarInfo{Name: e.Title, URL: pageURL + "/calendar.ics", BaseURL: s.BaseURL})
		m.Attachments = []mail.Attachment{{Name: e.Slug + ".ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: []byte(cal)}}
	}
	_, err = s.Outbox.Enqueue(ctx, q, m)
	return err
}

// location is where the event is, in one line, for emails.
func location(e events.Event) string {
	if e.Attendance == events.Online || e.Status == events.StatusMovedOnline {
		return "Online (the joining link is on the event page 30 minutes before the start)"
	}
	var parts []string
	for _, p := range []string{e.Venue, e.VenueAddress, e.VenuePostcode} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
