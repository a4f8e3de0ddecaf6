package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes events.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

const eventColumns = `e.id, e.slug, e.title, e.summary, e.body, e.starts_at, e.ends_at, e.venue, e.organiser, e.status`

func scanEvent(row interface{ Scan(...any) error }) (Event, error) {
	var e Event
	err := row.Scan(&e.ID, &e.Slug, &e.Title, &e.Summary, &e.Body, &e.StartsAt, &e.EndsAt, &e.Venue, &e.Organiser, &e.Status)
	return e, err
}

// BySlug returns the event with the given slug.
func (s *Store) BySlug(ctx context.Context, slug string) (Event, error) {
	e, err := scanEvent(s.q.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.slug = $1`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, fmt.Errorf("events: event %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return Event{}, fmt.Errorf("events: event %q: %w", slug, err)
	}
	return e, nil
}

// LatestForPlace returns the events for a place (and those for the whole
// system), latest start first.
func (s *Store) LatestForPlace(ctx context.Context, placeID int64, limit int) ([]Event, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events e
		WHERE EXISTS (SELECT 1 FROM event_places ep WHERE ep.event_id = e.id AND ep.place_id = $1)
		   OR NOT EXISTS (SELECT 1 FROM event_places ep WHERE ep.event_id = e.id)
		ORDER BY e.starts_at DESC, e.id DESC LIMIT $2`, placeID, limit)
	if err != nil {
		return nil, fmt.Errorf("events: latest for place %d: %w", placeID, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("events: latest for place %d: %w", placeID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: latest for place %d: %w", placeID, err)
	}
	return out, nil
}

// Create adds an event and links it to its places. Run it in a transaction.
func (s *Store) Create(ctx context.Context, e Event) (int64, error) {
	if e.Status == "" {
		e.Status = StatusScheduled
	}
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO events
		(slug, title, summary, body, starts_at, ends_at, venue, organiser, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		e.Slug, e.Title, e.Summary, e.Body, e.StartsAt.UTC(), e.EndsAt.UTC(), e.Venue, e.Organiser, e.Status, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("events: create %q: %w", e.Slug, err)
	}
	for _, placeID := range e.PlaceIDs {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO event_places (event_id, place_id) VALUES ($1, $2)`, id, placeID); err != nil {
			return 0, fmt.Errorf("events: create %q place: %w", e.Slug, err)
		}
	}
	return id, nil
}
