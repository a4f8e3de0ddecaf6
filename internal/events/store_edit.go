package events

import (
	"context"
	"fmt"
)

// ByID returns the event with the given id, drafts included, with its
// places, cancelled dates and themes: for the editors' admin.
func (s *Store) ByID(ctx context.Context, id int64) (Event, error) {
	return s.one(ctx, fmt.Sprintf("event %d", id), `SELECT `+eventColumns+` FROM events e WHERE e.id = $1`, id)
}

// All returns every event, drafts included, latest start first, with
// their places: for the editors' admin.
func (s *Store) All(ctx context.Context) ([]Event, error) {
	return s.many(ctx, "all", true, `SELECT `+eventColumns+` FROM events e ORDER BY e.starts_at DESC, e.id DESC`)
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
