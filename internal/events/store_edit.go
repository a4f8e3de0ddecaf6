package events

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// ByID returns the event with the given id, drafts included, with its
// places, cancelled dates and themes: for the editors' admin.
func (s *Store) ByID(ctx context.Context, id int64) (Event, error) {
	e, err := scanEvent(s.q.QueryRowContext(ctx, `SELECT `+eventColumns+` FROM events e WHERE e.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, fmt.Errorf("events: event %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Event{}, fmt.Errorf("events: event %d: %w", id, err)
	}
	if err := s.loadDetails(ctx, []*Event{&e}); err != nil {
		return Event{}, err
	}
	return e, nil
}

// All returns every event, drafts included, latest start first, with
// their places: for the editors' admin.
func (s *Store) All(ctx context.Context) ([]Event, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+eventColumns+` FROM events e ORDER BY e.starts_at DESC, e.id DESC`)
	if err != nil {
		return nil, fmt.Errorf("events: all: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("events: all: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events: all: %w", err)
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

// SlugTaken reports whether another event than the one with id exceptID
// (0 for a new event) has slug.
func (s *Store) SlugTaken(ctx context.Context, slug string, exceptID int64) (bool, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM events WHERE slug = $1 AND id <> $2`, slug, exceptID).Scan(&n); err != nil {
		return false, fmt.Errorf("events: slug %q: %w", slug, err)
	}
	return n > 0, nil
}
