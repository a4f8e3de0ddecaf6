// Package revisions keeps every saved version of the records editors change
// in the admin (places, posts, events, directory services, and any kind
// added later), so that they can see who changed what and restore an
// earlier version. A revision holds the whole record as JSON; Compare reads
// two versions field by field.
package revisions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Revision is one saved version of a record.
type Revision struct {
	ID       int64
	Kind     string // "post", "event", "place", "service", ...
	RecordID string
	At       time.Time
	UserID   int64 // 0 when the account is gone
	Author   string
	Note     string
	Data     []byte // the record as JSON
}

// Store reads and writes revisions.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q (the database or a
// transaction).
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// maxNote bounds a revision's note.
const maxNote = 500

// Record saves record as a new revision of kind/recordID. Run it in the
// transaction of the change it records.
func (s *Store) Record(ctx context.Context, kind, recordID string, userID int64, author, note string, record any) (int64, error) {
	data, err := json.Marshal(record)
	if err != nil {
		return 0, fmt.Errorf("revisions: encode %s %s: %w", kind, recordID, err)
	}
	if len(note) > maxNote {
		note = note[:maxNote]
	}
	var uid any
	if userID != 0 {
		uid = userID
	}
	var id int64
	err = s.q.QueryRowContext(ctx, `INSERT INTO revisions (kind, record_id, at, user_id, author, note, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		kind, recordID, db.Now(), uid, author, note, string(data)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("revisions: record %s %s: %w", kind, recordID, err)
	}
	return id, nil
}

const columns = `id, kind, record_id, at, user_id, author, note, data`

func scan(row db.Scanner) (Revision, error) {
	var r Revision
	var uid sql.NullInt64
	var data string
	if err := row.Scan(&r.ID, &r.Kind, &r.RecordID, &r.At, &uid, &r.Author, &r.Note, &data); err != nil {
		return Revision{}, err
	}
	r.UserID, r.Data, r.At = uid.Int64, []byte(data), r.At.UTC()
	return r, nil
}

// Any reports whether kind/recordID has a revision.
func (s *Store) Any(ctx context.Context, kind, recordID string) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM revisions WHERE kind = $1 AND record_id = $2`, kind, recordID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("revisions: %s %s: %w", kind, recordID, err)
	}
	return n > 0, nil
}

// List returns the revisions of a record, newest first.
func (s *Store) List(ctx context.Context, kind, recordID string) ([]Revision, error) {
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM revisions
		WHERE kind = $1 AND record_id = $2 ORDER BY id DESC`, kind, recordID)
	if err != nil {
		return nil, fmt.Errorf("revisions: list %s %s: %w", kind, recordID, err)
	}
	return out, nil
}

// Page returns page (from 1) of the revisions of a record, newest first,
// perPage to a page, and how many there are in all.
func (s *Store) Page(ctx context.Context, kind, recordID string, page, perPage int) ([]Revision, int, error) {
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM revisions WHERE kind = $1 AND record_id = $2`, kind, recordID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("revisions: count %s %s: %w", kind, recordID, err)
	}
	out, err := db.QueryAll(ctx, s.q, scan, `SELECT `+columns+` FROM revisions
		WHERE kind = $1 AND record_id = $2 ORDER BY id DESC LIMIT $3 OFFSET $4`, kind, recordID, perPage, (page-1)*perPage)
	if err != nil {
		return nil, 0, fmt.Errorf("revisions: page %s %s: %w", kind, recordID, err)
	}
	return out, total, nil
}

// LatestID returns the id of the newest revision of a record, or 0 when
// it has none.
func (s *Store) LatestID(ctx context.Context, kind, recordID string) (int64, error) {
	var id sql.NullInt64
	err := s.q.QueryRowContext(ctx, `SELECT MAX(id) FROM revisions WHERE kind = $1 AND record_id = $2`, kind, recordID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("revisions: latest %s %s: %w", kind, recordID, err)
	}
	return id.Int64, nil
}

// Get returns revision id of kind/recordID, or db.ErrNotFound: a revision
// is only found through the record it belongs to, so a route's check of
// the record covers its revisions.
func (s *Store) Get(ctx context.Context, kind, recordID string, id int64) (Revision, error) {
	r, err := scan(s.q.QueryRowContext(ctx, `SELECT `+columns+` FROM revisions
		WHERE id = $1 AND kind = $2 AND record_id = $3`, id, kind, recordID))
	if errors.Is(err, sql.ErrNoRows) {
		return Revision{}, fmt.Errorf("revisions: %s %s revision %d: %w", kind, recordID, id, db.ErrNotFound)
	}
	if err != nil {
		return Revision{}, fmt.Errorf("revisions: %s %s revision %d: %w", kind, recordID, id, err)
	}
	return r, nil
}
