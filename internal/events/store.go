package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes events.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

const eventColumns = `e.id, e.slug, e.title, e.summary, e.body, e.starts_at, e.ends_at, e.all_day, e.attendance_mode,
	e.venue, e.venue_address, e.venue_postcode, e.venue_accessibility, e.online_url, e.organiser, e.status,
	e.status_note, e.repeat_rule, e.sequence, e.published, e.updated_at, e.archived_at IS NOT NULL`

// public is the condition on events e that the public may see: published
// and not archived.
const public = `e.published AND e.archived_at IS NULL`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var e Event
	var published bool
	err := row.Scan(&e.ID, &e.Slug, &e.Title, &e.Summary, &e.Body, &e.StartsAt, &e.EndsAt, &e.AllDay, &e.Attendance,
		&e.Venue, &e.VenueAddress, &e.VenuePostcode, &e.VenueAccessibility, &e.OnlineURL, &e.Organiser, &e.Status,
		&e.StatusNote, &e.RepeatRule, &e.Sequence, &published, &e.UpdatedAt, &e.Archived)
	e.Draft = !published
	return e, err
}

// BySlug returns the published, unarchived event with the given slug.
func (s *Store) BySlug(ctx context.Context, slug string) (Event, error) {
	return s.one(ctx, fmt.Sprintf("event %q", slug), `SELECT `+eventColumns+` FROM events e WHERE e.slug = $1 AND `+public, slug)
}

// one returns the event query finds, with its places, cancelled dates and
// themes; what names it in errors.
func (s *Store) one(ctx context.Context, what, query string, args ...any) (Event, error) {
	e, err := scanEvent(s.q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, fmt.Errorf("events: %s: %w", what, db.ErrNotFound)
	}
	if err != nil {
		return Event{}, fmt.Errorf("events: %s: %w", what, err)
	}
	if err := s.loadDetails(ctx, []*Event{&e}); err != nil {
		return Event{}, err
	}
	return e, nil
}

// many returns the events query finds, in its order, with their places,
// cancelled dates and themes when details is set; what names them in errors.
func (s *Store) many(ctx context.Context, what string, details bool, query string, args ...any) ([]Event, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("events: %s: %w", what, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("events: %s: %w", what, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: %s: %w", what, err)
	}
	if !details {
		return out, nil
	}
	ptrs := make([]*Event, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.loadDetails(ctx, ptrs); err != nil {
		return nil, err
	}
	return out, nil
}

// Filter narrows a listing of events.
type Filter struct {
	PlaceID   int64  // events for this place or for the whole system; 0 for all
	ThemeSlug string // events tagged with this theme; "" for all
}

// List returns every published event matching f, with its places and
// cancelled dates. Partnerships hold hundreds of events, not millions, so
// occurrences are worked out in Go from the full list.
func (s *Store) List(ctx context.Context, f Filter) ([]Event, error) {
	query := `SELECT ` + eventColumns + ` FROM events e WHERE ` + public
	var args []any
	if f.PlaceID != 0 {
		query += ` AND (EXISTS (SELECT 1 FROM event_places ep WHERE ep.event_id = e.id AND ep.place_id = $1)
			OR NOT EXISTS (SELECT 1 FROM event_places ep WHERE ep.event_id = e.id))`
		args = append(args, f.PlaceID)
	}
	if f.ThemeSlug != "" {
		args = append(args, f.ThemeSlug)
		query += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM event_themes et JOIN themes t ON t.id = et.theme_id
			WHERE et.event_id = e.id AND t.slug = $%d)`, len(args))
	}
	return s.many(ctx, "list", true, query+` ORDER BY e.starts_at, e.id`, args...)
}

// loadDetails fills in the places and cancelled dates of events, in two
// queries whatever their number.
func (s *Store) loadDetails(ctx context.Context, evs []*Event) error {
	if len(evs) == 0 {
		return nil
	}
	byID := make(map[int64]*Event, len(evs))
	for _, e := range evs {
		byID[e.ID] = e
	}
	rows, err := s.q.QueryContext(ctx, `SELECT event_id, place_id FROM event_places ORDER BY event_id, place_id`)
	if err != nil {
		return fmt.Errorf("events: places: %w", err)
	}
	for rows.Next() {
		var id, placeID int64
		if err := rows.Scan(&id, &placeID); err != nil {
			rows.Close()
			return fmt.Errorf("events: places: %w", err)
		}
		if e := byID[id]; e != nil {
			e.PlaceIDs = append(e.PlaceIDs, placeID)
		}
	}
	rows.Close()
	rows, err = s.q.QueryContext(ctx, `SELECT event_id, occurs_on FROM event_cancellations ORDER BY event_id, occurs_on`)
	if err != nil {
		return fmt.Errorf("events: cancellations: %w", err)
	}
	for rows.Next() {
		var id int64
		var day string
		if err := rows.Scan(&id, &day); err != nil {
			rows.Close()
			return fmt.Errorf("events: cancellations: %w", err)
		}
		if e := byID[id]; e != nil {
			e.Cancellations = append(e.Cancellations, day)
		}
	}
	rows.Close()
	rows, err = s.q.QueryContext(ctx, `SELECT et.event_id, t.slug, t.name FROM event_themes et
		JOIN themes t ON t.id = et.theme_id ORDER BY et.event_id, t.name, t.slug`)
	if err != nil {
		return fmt.Errorf("events: themes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var th Theme
		if err := rows.Scan(&id, &th.Slug, &th.Name); err != nil {
			return fmt.Errorf("events: themes: %w", err)
		}
		if e := byID[id]; e != nil {
			e.Themes = append(e.Themes, th)
		}
	}
	return rows.Err()
}

// LatestForPlace returns the events for a place (and those for the whole
// system), latest start first.
func (s *Store) LatestForPlace(ctx context.Context, placeID int64, limit int) ([]Event, error) {
	return s.many(ctx, fmt.Sprintf("latest for place %d", placeID), false, `SELECT `+eventColumns+` FROM events e
		WHERE `+public+` AND (EXISTS (SELECT 1 FROM event_places ep WHERE ep.event_id = e.id AND ep.place_id = $1)
		   OR NOT EXISTS (SELECT 1 FROM event_places ep WHERE ep.event_id = e.id))
		ORDER BY e.starts_at DESC, e.id DESC LIMIT $2`, placeID, limit)
}

// Validate checks an event before it is saved and returns a message for
// each field that is wrong, keyed by field name.
func (e Event) Validate() map[string]string {
	problems := map[string]string{}
	if strings.TrimSpace(e.Title) == "" {
		problems["title"] = "Enter a title"
	}
	if e.Slug == "" || strings.Trim(e.Slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		problems["slug"] = "Enter a web address made of lower-case letters, numbers and hyphens"
	}
	if e.StartsAt.IsZero() {
		problems["starts_at"] = "Enter when the event starts"
	} else if e.EndsAt.Before(e.StartsAt) {
		problems["ends_at"] = "The end must be after the start"
	}
	if e.Status != "" && !e.Status.Valid() {
		problems["status"] = "Choose a status"
	}
	switch e.Attendance {
	case "", InPerson, Online, Hybrid:
	default:
		problems["attendance"] = "Choose how people attend"
	}
	if e.OnlineURL != "" {
		if u, err := url.Parse(e.OnlineURL); err != nil || u.Scheme != "https" || u.Host == "" {
			problems["online_url"] = "Enter the joining link as a full web address starting https://"
		}
	}
	if _, err := ParseRule(e.RepeatRule); err != nil {
		problems["repeat_rule"] = strings.TrimPrefix(err.Error(), "repeat rule: ")
	}
	return problems
}

// withDefaults fills in what an event leaves unsaid: it is scheduled and
// held in person.
func (e Event) withDefaults() Event {
	if e.Status == "" {
		e.Status = StatusScheduled
	}
	if e.Attendance == "" {
		e.Attendance = InPerson
	}
	return e
}

// ErrInvalid is returned when an event fails validation.
var ErrInvalid = errors.New("invalid event")

// Create adds an event, its places and cancelled dates. Run it in a
// transaction.
func (s *Store) Create(ctx context.Context, e Event) (int64, error) {
	if p := e.Validate(); len(p) > 0 {
		return 0, fmt.Errorf("events: create %q: %w: %v", e.Slug, ErrInvalid, p)
	}
	e = e.withDefaults()
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO events
		(slug, title, summary, body, starts_at, ends_at, all_day, attendance_mode, venue, venue_address, venue_postcode,
		 venue_accessibility, online_url, organiser, status, status_note, repeat_rule, sequence, published, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 0, $18, $19, $19) RETURNING id`,
		e.Slug, e.Title, e.Summary, e.Body, e.StartsAt.UTC(), e.EndsAt.UTC(), e.AllDay, e.Attendance, e.Venue, e.VenueAddress,
		e.VenuePostcode, e.VenueAccessibility, e.OnlineURL, e.Organiser, e.Status, e.StatusNote, e.Rule().String(),
		!e.Draft, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("events: create %q: %w", e.Slug, err)
	}
	if err := s.writeLinks(ctx, id, e); err != nil {
		return 0, err
	}
	return id, nil
}

// Update saves changes to an event and bumps its sequence, so calendars
// that subscribed to it replace their copy. Run it in a transaction.
func (s *Store) Update(ctx context.Context, e Event) error {
	if p := e.Validate(); len(p) > 0 {
		return fmt.Errorf("events: update %q: %w: %v", e.Slug, ErrInvalid, p)
	}
	e = e.withDefaults()
	res, err := s.q.ExecContext(ctx, `UPDATE events SET slug = $2, title = $3, summary = $4, body = $5, starts_at = $6,
			ends_at = $7, all_day = $8, attendance_mode = $9, venue = $10, venue_address = $11, venue_postcode = $12,
			venue_accessibility = $13, online_url = $14, organiser = $15, status = $16, status_note = $17,
			repeat_rule = $18, published = $19, sequence = sequence + 1, updated_at = $20
		WHERE id = $1`,
		e.ID, e.Slug, e.Title, e.Summary, e.Body, e.StartsAt.UTC(), e.EndsAt.UTC(), e.AllDay, e.Attendance, e.Venue,
		e.VenueAddress, e.VenuePostcode, e.VenueAccessibility, e.OnlineURL, e.Organiser, e.Status, e.StatusNote,
		e.Rule().String(), !e.Draft, db.Now())
	if err != nil {
		return fmt.Errorf("events: update %q: %w", e.Slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("events: update %d: %w", e.ID, db.ErrNotFound)
	}
	for _, table := range []string{"event_places", "event_cancellations", "event_themes"} {
		if _, err := s.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE event_id = $1`, e.ID); err != nil {
			return fmt.Errorf("events: update %q: %w", e.Slug, err)
		}
	}
	return s.writeLinks(ctx, e.ID, e)
}

func (s *Store) writeLinks(ctx context.Context, id int64, e Event) error {
	for _, placeID := range e.PlaceIDs {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO event_places (event_id, place_id) VALUES ($1, $2)`, id, placeID); err != nil {
			return fmt.Errorf("events: %q place: %w", e.Slug, err)
		}
	}
	for _, day := range e.Cancellations {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO event_cancellations (event_id, occurs_on) VALUES ($1, $2)`, id, day); err != nil {
			return fmt.Errorf("events: %q cancellation: %w", e.Slug, err)
		}
	}
	for _, th := range e.Themes {
		res, err := s.q.ExecContext(ctx, `INSERT INTO event_themes (event_id, theme_id) SELECT $1, id FROM themes WHERE slug = $2`, id, th.Slug)
		if err != nil {
			return fmt.Errorf("events: %q theme: %w", e.Slug, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("events: %q: %w: no theme %q", e.Slug, ErrInvalid, th.Slug)
		}
	}
	return nil
}

// ThemesInUse lists the themes that published events are tagged with.
func (s *Store) ThemesInUse(ctx context.Context) ([]Theme, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT DISTINCT t.slug, t.name FROM themes t
		JOIN event_themes et ON et.theme_id = t.id JOIN events e ON e.id = et.event_id
		WHERE `+public+` ORDER BY t.name, t.slug`)
	if err != nil {
		return nil, fmt.Errorf("events: themes in use: %w", err)
	}
	defer rows.Close()
	var out []Theme
	for rows.Next() {
		var th Theme
		if err := rows.Scan(&th.Slug, &th.Name); err != nil {
			return nil, fmt.Errorf("events: themes in use: %w", err)
		}
		out = append(out, th)
	}
	return out, rows.Err()
}

// Theme returns the theme with a slug.
func (s *Store) Theme(ctx context.Context, slug string) (Theme, error) {
	th := Theme{Slug: slug}
	err := s.q.QueryRowContext(ctx, `SELECT name FROM themes WHERE slug = $1`, slug).Scan(&th.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return Theme{}, fmt.Errorf("events: theme %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return Theme{}, fmt.Errorf("events: theme %q: %w", slug, err)
	}
	return th, nil
}

// SetArchived archives the event with id (with says why: "event" on its
// own, "board" with its board), or with "" brings it back: an archived
// event is kept, but no public page, feed, calendar or sitemap shows it.
// Archiving an archived event changes nothing.
func (s *Store) SetArchived(ctx context.Context, id int64, with string, now time.Time) error {
	var err error
	if with == "" {
		_, err = s.q.ExecContext(ctx, `UPDATE events SET archived_at = NULL, archived_with = '', sequence = sequence + 1,
			updated_at = $2 WHERE id = $1 AND archived_at IS NOT NULL`, id, now.UTC())
	} else {
		_, err = s.q.ExecContext(ctx, `UPDATE events SET archived_at = $2, archived_with = $3, sequence = sequence + 1,
			updated_at = $2 WHERE id = $1 AND archived_at IS NULL`, id, now.UTC(), with)
	}
	if err != nil {
		return fmt.Errorf("events: archive %d: %w", id, err)
	}
	return nil
}

// ArchivedWith says why the event with id is archived ("event" or
// "board"), or "" when it is not.
func (s *Store) ArchivedWith(ctx context.Context, id int64) (string, error) {
	var with string
	err := s.q.QueryRowContext(ctx, `SELECT archived_with FROM events WHERE id = $1`, id).Scan(&with)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("events: %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("events: archived %d: %w", id, err)
	}
	return with, nil
}
