package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes posts.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

const postColumns = `p.id, p.kind, p.slug, p.title, p.summary, p.body, p.author, p.pull_quote, p.pull_quote_by, p.published_at`

func scanPost(row interface{ Scan(...any) error }) (Post, error) {
	var p Post
	err := row.Scan(&p.ID, &p.Kind, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Author, &p.PullQuote, &p.PullQuoteBy, &p.PublishedAt)
	return p, err
}

// BySlug returns the published post with the given slug.
func (s *Store) BySlug(ctx context.Context, slug string) (Post, error) {
	p, err := scanPost(s.q.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts p WHERE p.slug = $1 AND p.published_at <= $2`, slug, db.Now()))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, fmt.Errorf("news: post %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return Post{}, fmt.Errorf("news: post %q: %w", slug, err)
	}
	return p, nil
}

// LatestForPlace returns the newest published posts for a place, including
// posts for the whole system (those with no place).
func (s *Store) LatestForPlace(ctx context.Context, placeID int64, limit int) ([]Post, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT `+postColumns+` FROM posts p
		WHERE p.published_at <= $1
		  AND (EXISTS (SELECT 1 FROM post_places pp WHERE pp.post_id = p.id AND pp.place_id = $2)
		       OR NOT EXISTS (SELECT 1 FROM post_places pp WHERE pp.post_id = p.id))
		ORDER BY p.published_at DESC, p.id DESC LIMIT $3`, db.Now(), placeID, limit)
	if err != nil {
		return nil, fmt.Errorf("news: latest for place %d: %w", placeID, err)
	}
	defer rows.Close()
	var out []Post
	for rows.Next() {
		p, err := scanPost(rows)
		if err != nil {
			return nil, fmt.Errorf("news: latest for place %d: %w", placeID, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: latest for place %d: %w", placeID, err)
	}
	return out, nil
}

// Create adds a post and links it to its places. Run it in a transaction.
func (s *Store) Create(ctx context.Context, p Post) (int64, error) {
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO posts
		(kind, slug, title, summary, body, author, pull_quote, pull_quote_by, published_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
		p.Kind, p.Slug, p.Title, p.Summary, p.Body, p.Author, p.PullQuote, p.PullQuoteBy, p.PublishedAt.UTC(), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("news: create %q: %w", p.Slug, err)
	}
	for _, placeID := range p.PlaceIDs {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO post_places (post_id, place_id) VALUES ($1, $2)`, id, placeID); err != nil {
			return 0, fmt.Errorf("news: create %q place: %w", p.Slug, err)
		}
	}
	return id, nil
}

// Date is when the post was published, for cards and listings.
func (p Post) Date() time.Time { return p.PublishedAt }
