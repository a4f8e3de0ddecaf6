package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// ByID returns the post with the given id whatever its status, with its
// places and themes: for the editors' admin.
func (s *Store) ByID(ctx context.Context, id int64) (Post, error) {
	p, err := scanPost(s.q.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts p WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, fmt.Errorf("news: post %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Post{}, fmt.Errorf("news: post %d: %w", id, err)
	}
	posts := []Post{p}
	if err := s.loadRelations(ctx, posts); err != nil {
		return Post{}, fmt.Errorf("news: post %d: %w", id, err)
	}
	return posts[0], nil
}

// All returns every post, drafts and scheduled ones included, newest
// first, with places and themes: for the editors' admin.
func (s *Store) All(ctx context.Context) ([]Post, error) {
	out, err := db.QueryAll(ctx, s.q, scanPost, `SELECT `+postColumns+` FROM posts p ORDER BY p.published_at DESC, p.id DESC`)
	if err == nil {
		err = s.loadRelations(ctx, out)
	}
	if err != nil {
		return nil, fmt.Errorf("news: all: %w", err)
	}
	return out, nil
}

// SlugTaken reports whether another post than the one with id exceptID
// (0 for a new post) has slug.
func (s *Store) SlugTaken(ctx context.Context, slug string, exceptID int64) (bool, error) {
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts WHERE slug = $1 AND id <> $2`, slug, exceptID).Scan(&n); err != nil {
		return false, fmt.Errorf("news: slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// Update saves changes to a post and replaces its places (PlaceIDs) and
// themes (by slug). Run it in a transaction.
func (s *Store) Update(ctx context.Context, p Post) error {
	if err := p.Validate(); err != nil {
		return err
	}
	if p.Status == "" {
		p.Status = StatusPublished
	}
	res, err := s.q.ExecContext(ctx, `UPDATE posts SET kind = $2, status = $3, slug = $4, title = $5, summary = $6,
			body = $7, author = $8, storyteller = $9, pull_quote = $10, pull_quote_by = $11, hero_image = $12,
			hero_alt = $13, hero_caption = $14, published_at = $15, updated_at = $16, lead_image_id = $17
		WHERE id = $1`,
		p.ID, p.Kind, p.Status, p.Slug, p.Title, p.Summary, p.Body, p.Author, p.Storyteller, p.PullQuote, p.PullQuoteBy,
		p.Hero.Path, p.Hero.Alt, p.Hero.Caption, p.PublishedAt.UTC(), db.Now(), p.leadImage())
	if err != nil {
		return fmt.Errorf("news: update %q: %w", p.Slug, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("news: update %d: %w", p.ID, db.ErrNotFound)
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM post_places WHERE post_id = $1`, p.ID); err != nil {
		return fmt.Errorf("news: update %q places: %w", p.Slug, err)
	}
	for _, placeID := range p.PlaceIDs {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO post_places (post_id, place_id) VALUES ($1, $2)`, p.ID, placeID); err != nil {
			return fmt.Errorf("news: update %q place: %w", p.Slug, err)
		}
	}
	slugs := make([]string, len(p.Themes))
	for i, t := range p.Themes {
		slugs[i] = t.Slug
	}
	return s.SetThemes(ctx, p.ID, slugs)
}
