package media

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes the library's records.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q (the database or a
// transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// ErrDuplicate refuses a file that is already in the library.
var ErrDuplicate = errors.New("This file is already in the media library")

const columns = `id, fingerprint, kind, name, alt, decorative, format, width, height, widths, bytes,
	COALESCE(uploaded_by, 0), created_at, updated_at`

func scan(row db.Scanner) (Item, error) {
	var it Item
	var widths string
	err := row.Scan(&it.ID, &it.Fingerprint, &it.Kind, &it.Name, &it.Alt, &it.Decorative, &it.Format, &it.Width, &it.Height,
		&widths, &it.Bytes, &it.UploadedBy, &it.CreatedAt, &it.UpdatedAt)
	if err != nil {
		return Item{}, err
	}
	for _, f := range strings.Split(widths, ",") {
		if w, err := strconv.Atoi(f); err == nil {
			it.Widths = append(it.Widths, w)
		}
	}
	return it, nil
}

// Create adds a prepared item, with its alt text, uploaded by userID, and
// returns its id. It answers ErrDuplicate, with the id of the item already
// there, for a file uploaded before.
func (s *Store) Create(ctx context.Context, it Item) (int64, error) {
	if id, err := s.idByFingerprint(ctx, it.Fingerprint); err == nil {
		return id, ErrDuplicate
	} else if !errors.Is(err, db.ErrNotFound) {
		return 0, err
	}
	widths := make([]string, len(it.Widths))
	for i, w := range it.Widths {
		widths[i] = strconv.Itoa(w)
	}
	var by any
	if it.UploadedBy != 0 {
		by = it.UploadedBy
	}
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO media (fingerprint, kind, name, alt, decorative, format, width, height,
			widths, bytes, uploaded_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		it.Fingerprint, it.Kind, it.Name, it.Alt, it.Decorative, it.Format, it.Width, it.Height,
		strings.Join(widths, ","), it.Bytes, by, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("media: create %s: %w", it.Fingerprint, err)
	}
	return id, nil
}

func (s *Store) idByFingerprint(ctx context.Context, fp string) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `SELECT id FROM media WHERE fingerprint = $1`, fp).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("media: %s: %w", fp, db.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("media: %s: %w", fp, err)
	}
	return id, nil
}

// ByID returns the item with this id, with its places.
func (s *Store) ByID(ctx context.Context, id int64) (Item, error) {
	it, err := scan(s.q.QueryRowContext(ctx, `SELECT `+columns+` FROM media WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("media: item %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Item{}, fmt.Errorf("media: item %d: %w", id, err)
	}
	items := []Item{it}
	if err := s.loadPlaces(ctx, items); err != nil {
		return Item{}, err
	}
	return items[0], nil
}

// LoadPlaces fills in the places of items, in one query.
func (s *Store) LoadPlaces(ctx context.Context, items []Item) error { return s.loadPlaces(ctx, items) }

func (s *Store) loadPlaces(ctx context.Context, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	at := make(map[int64]int, len(items))
	args := make([]any, len(items))
	marks := make([]string, len(items))
	for i, it := range items {
		at[it.ID], args[i], marks[i] = i, it.ID, "$"+strconv.Itoa(i+1)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT media_id, place_id FROM media_places WHERE media_id IN (`+strings.Join(marks, ", ")+`)
		ORDER BY media_id, place_id`, args...)
	if err != nil {
		return fmt.Errorf("media: places: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, place int64
		if err := rows.Scan(&id, &place); err != nil {
			return fmt.Errorf("media: places: %w", err)
		}
		items[at[id]].PlaceIDs = append(items[at[id]].PlaceIDs, place)
	}
	return rows.Err()
}

// SetPlaces limits the item to places (none: every place).
func (s *Store) SetPlaces(ctx context.Context, id int64, places []int64) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM media_places WHERE media_id = $1`, id); err != nil {
		return fmt.Errorf("media: places of %d: %w", id, err)
	}
	for _, p := range places {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO media_places (media_id, place_id) VALUES ($1, $2)`, id, p); err != nil {
			return fmt.Errorf("media: places of %d: %w", id, err)
		}
	}
	return nil
}

// Filter selects items of the library.
type Filter struct {
	Kind Kind // "" for every kind
	// Places, when not nil, keeps the items for any of these places and
	// those for every place: what an editor limited to them may use.
	Places []int64
}

// where is f as SQL conditions on media m, with its arguments from $1.
func (f Filter) where() (string, []any) {
	cond := `($1 = '' OR m.kind = $1)`
	args := []any{string(f.Kind)}
	if f.Places != nil {
		marks := []string{"0"} // no place has id 0: an editor of no place sees items for every place only
		for _, p := range f.Places {
			args = append(args, p)
			marks = append(marks, "$"+strconv.Itoa(len(args)))
		}
		cond += ` AND (NOT EXISTS (SELECT 1 FROM media_places mp WHERE mp.media_id = m.id)
			OR EXISTS (SELECT 1 FROM media_places mp WHERE mp.media_id = m.id AND mp.place_id IN (` + strings.Join(marks, ", ") + `)))`
	}
	return cond, args
}

// Page returns page (from 1) of the items f selects, newest first, perPage
// to a page, with their places, and how many f selects in all.
func (s *Store) Page(ctx context.Context, f Filter, page, perPage int) ([]Item, int, error) {
	cond, args := f.where()
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM media m WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("media: count: %w", err)
	}
	n := len(args)
	args = append(args, perPage, (page-1)*perPage)
	out, err := db.QueryAll(ctx, s.q, scan, fmt.Sprintf(`SELECT `+mColumns+` FROM media m WHERE `+cond+`
		ORDER BY m.created_at DESC, m.id DESC LIMIT $%d OFFSET $%d`, n+1, n+2), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("media: page: %w", err)
	}
	return out, total, s.loadPlaces(ctx, out)
}

// mColumns are columns, on media m.
const mColumns = `m.id, m.fingerprint, m.kind, m.name, m.alt, m.decorative, m.format, m.width, m.height, m.widths, m.bytes,
	COALESCE(m.uploaded_by, 0), m.created_at, m.updated_at`

// ByFingerprint returns the item whose files are named from fp.
func (s *Store) ByFingerprint(ctx context.Context, fp string) (Item, error) {
	it, err := scan(s.q.QueryRowContext(ctx, `SELECT `+columns+` FROM media WHERE fingerprint = $1`, fp))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, fmt.Errorf("media: %s: %w", fp, db.ErrNotFound)
	}
	if err != nil {
		return Item{}, fmt.Errorf("media: %s: %w", fp, err)
	}
	return it, nil
}

// List returns every item f selects, newest first, with their places: the
// choices of a form (a post's lead image, a meeting's PDF papers).
func (s *Store) List(ctx context.Context, f Filter) ([]Item, error) {
	cond, args := f.where()
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+mColumns+` FROM media m WHERE `+cond+`
		ORDER BY m.created_at DESC, m.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("media: list: %w", err)
	}
	return out, s.loadPlaces(ctx, out)
}

// Images returns the images with these ids, by id; ids not found (or not
// images) are left out.
func (s *Store) Images(ctx context.Context, ids []int64) (map[int64]Item, error) {
	out := map[int64]Item{}
	if len(ids) == 0 {
		return out, nil
	}
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i] = "$" + strconv.Itoa(i+1)
		args[i] = id
	}
	items, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM media WHERE kind = 'image' AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("media: images: %w", err)
	}
	for _, it := range items {
		out[it.ID] = it
	}
	return out, nil
}

// SetAlt changes an item's alt text and whether an image is decorative.
func (s *Store) SetAlt(ctx context.Context, id int64, alt string, decorative bool) error {
	res, err := s.q.ExecContext(ctx, `UPDATE media SET alt = $1, decorative = $2, updated_at = $3 WHERE id = $4`,
		alt, decorative, db.Now(), id)
	if err != nil {
		return fmt.Errorf("media: set alt of %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("media: set alt of %d: %w", id, db.ErrNotFound)
	}
	return nil
}

// Use is a record that shows an item.
type Use struct {
	Label string // "Post: Walk for health"
	Href  string // its admin page
}

// Uses lists the records that show the item. An item in use is not
// deleted: a page would lose its image.
func (s *Store) Uses(ctx context.Context, id int64) ([]Use, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT id, title FROM posts WHERE lead_image_id = $1 ORDER BY title`, id)
	if err != nil {
		return nil, fmt.Errorf("media: uses of %d: %w", id, err)
	}
	defer rows.Close()
	var out []Use
	for rows.Next() {
		var postID int64
		var title string
		if err := rows.Scan(&postID, &title); err != nil {
			return nil, fmt.Errorf("media: uses of %d: %w", id, err)
		}
		out = append(out, Use{Label: "Post: " + title, Href: "/admin/posts/" + strconv.FormatInt(postID, 10)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("media: uses of %d: %w", id, err)
	}
	// Board papers that are this PDF, or have it as another format.
	rows, err = s.q.QueryContext(ctx, `SELECT p.meeting_id, p.title FROM papers p WHERE p.media_id = $1
		OR p.id IN (SELECT paper_id FROM paper_alternatives WHERE media_id = $1) ORDER BY p.title`, id)
	if err != nil {
		return nil, fmt.Errorf("media: uses of %d: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var meetingID int64
		var title string
		if err := rows.Scan(&meetingID, &title); err != nil {
			return nil, fmt.Errorf("media: uses of %d: %w", id, err)
		}
		out = append(out, Use{Label: "Meeting paper: " + title, Href: "/admin/meetings/" + strconv.FormatInt(meetingID, 10)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("media: uses of %d: %w", id, err)
	}
	return out, nil
}

// ErrInUse refuses to delete an item that a record shows.
var ErrInUse = errors.New("This file is in use. Remove it from the pages that show it, then delete it")

// Delete removes an item's record when nothing uses it, and answers
// ErrInUse otherwise. The caller deletes its files once the transaction
// has committed.
func (s *Store) Delete(ctx context.Context, id int64) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM media WHERE id = $1
		AND NOT EXISTS (SELECT 1 FROM posts WHERE lead_image_id = $1)
		AND NOT EXISTS (SELECT 1 FROM papers WHERE media_id = $1)
		AND NOT EXISTS (SELECT 1 FROM paper_alternatives WHERE media_id = $1)`, id)
	if err != nil {
		return fmt.Errorf("media: delete %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.ByID(ctx, id); err != nil {
			return err
		}
		return ErrInUse
	}
	return nil
}
