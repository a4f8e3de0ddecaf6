package news

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/media"
)

// Store reads and writes posts.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

const postColumns = `p.id, p.kind, p.status, p.slug, p.title, p.summary, p.body, p.author, p.storyteller,
	p.pull_quote, p.pull_quote_by, p.hero_image, p.hero_alt, p.hero_caption, p.published_at, p.created_at, p.updated_at,
	COALESCE(p.lead_image_id, 0)`

// public is the condition for a post that residents may see; $1 is now.
const public = `p.status = 'published' AND p.published_at <= $1`

func scanPost(row db.Scanner) (Post, error) {
	var p Post
	err := row.Scan(&p.ID, &p.Kind, &p.Status, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Author, &p.Storyteller,
		&p.PullQuote, &p.PullQuoteBy, &p.Hero.Path, &p.Hero.Alt, &p.Hero.Caption, &p.PublishedAt, &p.CreatedAt, &p.UpdatedAt,
		&p.LeadImageID)
	return p, err
}

// BySlug returns the published post with the given slug, with its places
// and themes.
func (s *Store) BySlug(ctx context.Context, slug string) (Post, error) {
	p, err := scanPost(s.q.QueryRowContext(ctx, `SELECT `+postColumns+` FROM posts p WHERE `+public+` AND p.slug = $2`, db.Now(), slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Post{}, fmt.Errorf("news: post %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return Post{}, fmt.Errorf("news: post %q: %w", slug, err)
	}
	posts := []Post{p}
	if err := s.loadRelations(ctx, posts); err != nil {
		return Post{}, fmt.Errorf("news: post %q: %w", slug, err)
	}
	return posts[0], nil
}

// LatestForPlace returns the newest published posts for a place, including
// posts for the whole system (those with no place).
func (s *Store) LatestForPlace(ctx context.Context, placeID int64, limit int) ([]Post, error) {
	out, err := s.List(ctx, Filter{PlaceID: placeID}, limit, 0)
	if err != nil {
		return nil, fmt.Errorf("news: latest for place %d: %w", placeID, err)
	}
	return out, nil
}

// Filter narrows a listing of published posts. Zero fields do not filter.
type Filter struct {
	Kind Kind
	// PlaceID keeps the posts for that place and those for the whole
	// system, which concern every place.
	PlaceID int64
	ThemeID int64
}

// where returns the SQL condition for f, with arguments numbered after now
// ($1).
func (f Filter) where() (string, []any) {
	cond := []string{public}
	args := []any{db.Now()}
	next := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Kind != "" {
		cond = append(cond, "p.kind = "+next(string(f.Kind)))
	}
	if f.PlaceID != 0 {
		cond = append(cond, `(EXISTS (SELECT 1 FROM post_places pp WHERE pp.post_id = p.id AND pp.place_id = `+next(f.PlaceID)+`)
		       OR NOT EXISTS (SELECT 1 FROM post_places pp WHERE pp.post_id = p.id))`)
	}
	if f.ThemeID != 0 {
		cond = append(cond, `EXISTS (SELECT 1 FROM post_themes pt WHERE pt.post_id = p.id AND pt.theme_id = `+next(f.ThemeID)+`)`)
	}
	return strings.Join(cond, " AND "), args
}

// List returns the published posts that match f, newest first, with their
// places and themes.
func (s *Store) List(ctx context.Context, f Filter, limit, offset int) ([]Post, error) {
	where, args := f.where()
	args = append(args, limit, offset)
	out, err := db.QueryAll(ctx, s.q, scanPost, `SELECT `+postColumns+` FROM posts p WHERE `+where+`
		ORDER BY p.published_at DESC, p.id DESC LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err == nil {
		err = s.loadRelations(ctx, out)
	}
	if err != nil {
		return nil, fmt.Errorf("news: list: %w", err)
	}
	return out, nil
}

// Count returns how many published posts match f.
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	where, args := f.where()
	var n int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts p WHERE `+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("news: count: %w", err)
	}
	return n, nil
}

// Related returns up to limit other published posts that share a theme or
// a place with p: those sharing the most themes first, then places, then
// the newest.
func (s *Store) Related(ctx context.Context, p Post, limit int) ([]Post, error) {
	// The outer query reads the same columns from the scored subquery r.
	out, err := db.QueryAll(ctx, s.q, scanPost, `SELECT `+strings.ReplaceAll(postColumns, "p.", "r.")+` FROM (
		SELECT p.*,
			(SELECT COUNT(*) FROM post_themes a JOIN post_themes b ON b.theme_id = a.theme_id
				WHERE a.post_id = p.id AND b.post_id = $2) AS shared_themes,
			(SELECT COUNT(*) FROM post_places a JOIN post_places b ON b.place_id = a.place_id
				WHERE a.post_id = p.id AND b.post_id = $2) AS shared_places
		FROM posts p WHERE `+public+` AND p.id <> $2) r
		WHERE r.shared_themes + r.shared_places > 0
		ORDER BY r.shared_themes DESC, r.shared_places DESC, r.published_at DESC, r.id DESC
		LIMIT $3`, db.Now(), p.ID, limit)
	if err == nil {
		err = s.loadLeads(ctx, out)
	}
	if err != nil {
		return nil, fmt.Errorf("news: related to %q: %w", p.Slug, err)
	}
	return out, nil
}

// Published returns every published post, newest first, without places or
// themes: for the sitemap.
func (s *Store) Published(ctx context.Context) ([]Post, error) {
	out, err := db.QueryAll(ctx, s.q, scanPost, `SELECT `+postColumns+` FROM posts p WHERE `+public+`
		ORDER BY p.published_at DESC, p.id DESC`, db.Now())
	if err != nil {
		return nil, fmt.Errorf("news: published: %w", err)
	}
	return out, nil
}

// loadRelations fills in the places and themes of posts.
func (s *Store) loadRelations(ctx context.Context, posts []Post) error {
	if len(posts) == 0 {
		return nil
	}
	index := make(map[int64]int, len(posts))
	marks := make([]string, len(posts))
	args := make([]any, len(posts))
	for i, p := range posts {
		index[p.ID] = i
		marks[i] = "$" + strconv.Itoa(i+1)
		args[i] = p.ID
	}
	in := "(" + strings.Join(marks, ", ") + ")"
	if err := s.loadLeads(ctx, posts); err != nil {
		return err
	}
	rows, err := s.q.QueryContext(ctx, `SELECT pp.post_id, pl.id, pl.slug, pl.name, pl.partnership_name
		FROM post_places pp JOIN places pl ON pl.id = pp.place_id
		WHERE pp.post_id IN `+in+` ORDER BY pl.position, pl.name, pl.id`, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var postID int64
		var pl Place
		if err := rows.Scan(&postID, &pl.ID, &pl.Slug, &pl.Name, &pl.PartnershipName); err != nil {
			rows.Close()
			return err
		}
		posts[index[postID]].Places = append(posts[index[postID]].Places, pl)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.q.QueryContext(ctx, `SELECT pt.post_id, t.id, t.slug, t.name
		FROM post_themes pt JOIN themes t ON t.id = pt.theme_id
		WHERE pt.post_id IN `+in+` ORDER BY t.name, t.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var postID int64
		var t Theme
		if err := rows.Scan(&postID, &t.ID, &t.Slug, &t.Name); err != nil {
			return err
		}
		posts[index[postID]].Themes = append(posts[index[postID]].Themes, t)
	}
	return rows.Err()
}

// loadLeads fills in the lead images of posts from the media library.
func (s *Store) loadLeads(ctx context.Context, posts []Post) error {
	var ids []int64
	for _, p := range posts {
		if p.LeadImageID != 0 {
			ids = append(ids, p.LeadImageID)
		}
	}
	images, err := media.NewStore(s.q).Images(ctx, ids)
	if err != nil {
		return err
	}
	for i := range posts {
		if it, ok := images[posts[i].LeadImageID]; ok {
			posts[i].Lead = &it
		}
	}
	return nil
}

// Themes returns every theme, by name.
func (s *Store) Themes(ctx context.Context) ([]Theme, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, slug, name FROM themes ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("news: themes: %w", err)
	}
	defer rows.Close()
	var out []Theme
	for rows.Next() {
		var t Theme
		if err := rows.Scan(&t.ID, &t.Slug, &t.Name); err != nil {
			return nil, fmt.Errorf("news: themes: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: themes: %w", err)
	}
	return out, nil
}

// Places returns every place, in display order, for choosing one.
func (s *Store) Places(ctx context.Context) ([]Place, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, slug, name, partnership_name FROM places ORDER BY position, name, id`)
	if err != nil {
		return nil, fmt.Errorf("news: places: %w", err)
	}
	defer rows.Close()
	var out []Place
	for rows.Next() {
		var p Place
		if err := rows.Scan(&p.ID, &p.Slug, &p.Name, &p.PartnershipName); err != nil {
			return nil, fmt.Errorf("news: places: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("news: places: %w", err)
	}
	return out, nil
}

// SystemName returns the name of the system the deployment serves, which
// publishes the posts that belong to no single place.
func (s *Store) SystemName(ctx context.Context) (string, error) {
	var name string
	err := s.q.QueryRowContext(ctx, `SELECT name FROM systems ORDER BY id LIMIT 1`).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("news: system: %w", db.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("news: system: %w", err)
	}
	return name, nil
}

// SaveTheme adds a theme, or renames the theme with its slug, and returns
// its id.
func (s *Store) SaveTheme(ctx context.Context, t Theme) (int64, error) {
	if !slugPattern.MatchString(t.Slug) || strings.TrimSpace(t.Name) == "" {
		return 0, fmt.Errorf("news: save theme %q: %w: a theme needs a slug and a name", t.Slug, ErrInvalid)
	}
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO themes (slug, name) VALUES ($1, $2)
		ON CONFLICT (slug) DO UPDATE SET name = excluded.name RETURNING id`, t.Slug, t.Name).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("news: save theme %q: %w", t.Slug, err)
	}
	return id, nil
}

// Create adds a post and links it to its places and themes (which must
// exist). Run it in a transaction.
func (s *Store) Create(ctx context.Context, p Post) (int64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if p.Status == "" {
		p.Status = StatusPublished
	}
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO posts
		(kind, status, slug, title, summary, body, author, storyteller, pull_quote, pull_quote_by,
		 hero_image, hero_alt, hero_caption, published_at, created_at, updated_at, lead_image_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id`,
		p.Kind, p.Status, p.Slug, p.Title, p.Summary, p.Body, p.Author, p.Storyteller, p.PullQuote, p.PullQuoteBy,
		p.Hero.Path, p.Hero.Alt, p.Hero.Caption, p.PublishedAt.UTC(), now, p.leadImage()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("news: create %q: %w", p.Slug, err)
	}
	for _, placeID := range p.PlaceIDs {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO post_places (post_id, place_id) VALUES ($1, $2)`, id, placeID); err != nil {
			return 0, fmt.Errorf("news: create %q place: %w", p.Slug, err)
		}
	}
	slugs := make([]string, len(p.Themes))
	for i, t := range p.Themes {
		slugs[i] = t.Slug
	}
	if err := s.SetThemes(ctx, id, slugs); err != nil {
		return 0, err
	}
	return id, nil
}

// SetThemes replaces the themes of a post with those with the given slugs,
// which must exist.
func (s *Store) SetThemes(ctx context.Context, postID int64, slugs []string) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM post_themes WHERE post_id = $1`, postID); err != nil {
		return fmt.Errorf("news: set themes of post %d: %w", postID, err)
	}
	for _, slug := range slugs {
		res, err := s.q.ExecContext(ctx, `INSERT INTO post_themes (post_id, theme_id)
			SELECT $1, id FROM themes WHERE slug = $2 ON CONFLICT DO NOTHING`, postID, slug)
		if err != nil {
			return fmt.Errorf("news: set theme %q of post %d: %w", slug, postID, err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			var exists int
			if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM themes WHERE slug = $1`, slug).Scan(&exists); err != nil {
				return fmt.Errorf("news: set theme %q of post %d: %w", slug, postID, err)
			}
			if exists == 0 {
				return fmt.Errorf("news: set theme %q of post %d: %w", slug, postID, db.ErrNotFound)
			}
		}
	}
	return nil
}
