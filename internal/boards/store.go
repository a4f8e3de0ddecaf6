package boards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Store reads and writes boards and meetings.
type Store struct {
	q db.Querier
}

// NewStore returns a Store that runs its SQL on q.
func NewStore(q db.Querier) *Store { return &Store{q: q} }

// ErrInvalid is returned when a record fails validation.
var ErrInvalid = errors.New("boards: invalid")

const boardColumns = `b.id, b.place_id, p.slug, p.name, b.slug, b.name, b.kind, b.description, b.terms_of_reference,
	b.position, b.accepts_questions, b.deadline_kind, b.deadline_days, b.deadline_time, b.max_question_chars,
	b.questions_per_person, b.out_of_scope, b.after_deadline, b.contact_email, b.answer_working_days,
	b.retention_months, b.updated_at, b.archived_at IS NOT NULL`

func scanBoard(row db.Scanner) (Board, error) {
	var b Board
	r := &b.Rule
	err := row.Scan(&b.ID, &b.PlaceID, &b.PlaceSlug, &b.PlaceName, &b.Slug, &b.Name, &b.Kind, &b.Description,
		&b.TermsOfReference, &b.Position, &r.Accepts, &r.Kind, &r.Days, &r.Time, &r.MaxChars, &r.PerPerson,
		&r.OutOfScope, &r.AfterDeadline, &r.ContactEmail, &r.AnswerWorkingDays, &b.RetentionMonths, &b.UpdatedAt, &b.Archived)
	return b, err
}

const boardFrom = ` FROM boards b JOIN places p ON p.id = b.place_id`

func (s *Store) oneBoard(ctx context.Context, what, where string, args ...any) (Board, error) {
	b, err := scanBoard(s.q.QueryRowContext(ctx, `SELECT `+boardColumns+boardFrom+` WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return Board{}, fmt.Errorf("boards: %s: %w", what, db.ErrNotFound)
	}
	if err != nil {
		return Board{}, fmt.Errorf("boards: %s: %w", what, err)
	}
	if b.Members, err = s.members(ctx, b.ID); err != nil {
		return Board{}, err
	}
	return b, nil
}

// Board returns the board with id, with its members.
func (s *Store) Board(ctx context.Context, id int64) (Board, error) {
	return s.oneBoard(ctx, fmt.Sprintf("board %d", id), `b.id = $1`, id)
}

// BoardBySlug returns a place's board, with its members, for its public
// pages: an archived board is not found.
func (s *Store) BoardBySlug(ctx context.Context, placeSlug, slug string) (Board, error) {
	return s.oneBoard(ctx, fmt.Sprintf("board %s/%s", placeSlug, slug), `p.slug = $1 AND b.slug = $2 AND b.archived_at IS NULL`, placeSlug, slug)
}

// Boards lists the boards of a place (every board for placeID 0) that are
// not archived, in their order, without members.
func (s *Store) Boards(ctx context.Context, placeID int64) ([]Board, error) {
	return s.boards(ctx, placeID, `b.archived_at IS NULL`)
}

// AllBoards lists the boards of a place (every board for placeID 0),
// archived ones too, for the admin.
func (s *Store) AllBoards(ctx context.Context, placeID int64) ([]Board, error) {
	return s.boards(ctx, placeID, `TRUE`)
}

// SetArchived archives the board with id, or with archived false brings
// it back. It does not touch its meetings (see the admin, which archives
// their events with it).
func (s *Store) SetArchived(ctx context.Context, id int64, archived bool, now time.Time) error {
	var at any
	if archived {
		at = now.UTC()
	}
	if _, err := s.q.ExecContext(ctx, `UPDATE boards SET archived_at = $2, updated_at = $3 WHERE id = $1`, id, at, now.UTC()); err != nil {
		return fmt.Errorf("boards: archive %d: %w", id, err)
	}
	return nil
}

func (s *Store) boards(ctx context.Context, placeID int64, cond string) ([]Board, error) {
	out, err := db.QueryAll(ctx, s.q, scanBoard, `SELECT `+boardColumns+boardFrom+`
		WHERE ($1 = 0 OR b.place_id = $1) AND `+cond+` ORDER BY p.position, b.position, b.name, b.id`, placeID)
	if err != nil {
		return nil, fmt.Errorf("boards: list: %w", err)
	}
	return out, nil
}

func (s *Store) members(ctx context.Context, boardID int64) ([]Member, error) {
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (Member, error) {
		var m Member
		err := r.Scan(&m.ID, &m.Name, &m.Role, &m.Represents)
		return m, err
	}, `SELECT id, name, role, represents FROM board_members WHERE board_id = $1 ORDER BY position, id`, boardID)
	if err != nil {
		return nil, fmt.Errorf("boards: members: %w", err)
	}
	return out, nil
}

// SlugTaken reports whether another board of the place than exceptID has slug.
func (s *Store) SlugTaken(ctx context.Context, placeID int64, slug string, exceptID int64) (bool, error) {
	var n int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM boards WHERE place_id = $1 AND slug = $2 AND id <> $3`,
		placeID, slug, exceptID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("boards: slug %q: %w", slug, err)
	}
	return n > 0, nil
}

// SaveBoard creates (ID 0) or updates a board with its members, and returns
// its id. Run it in a transaction.
func (s *Store) SaveBoard(ctx context.Context, b Board) (int64, error) {
	if p := b.Validate(); len(p) > 0 {
		return 0, fmt.Errorf("boards: save %q: %w: %v", b.Slug, ErrInvalid, p)
	}
	if b.RetentionMonths == 0 {
		b.RetentionMonths = DefaultRetentionMonths
	}
	now, r := db.Now(), b.Rule
	args := []any{b.PlaceID, b.Slug, b.Name, b.Kind, b.Description, b.TermsOfReference, b.Position, r.Accepts, r.Kind,
		r.Days, r.Time, r.MaxChars, r.PerPerson, r.OutOfScope, r.AfterDeadline, r.ContactEmail, r.AnswerWorkingDays,
		b.RetentionMonths, now}
	if b.ID == 0 {
		err := s.q.QueryRowContext(ctx, `INSERT INTO boards (place_id, slug, name, kind, description, terms_of_reference,
			position, accepts_questions, deadline_kind, deadline_days, deadline_time, max_question_chars,
			questions_per_person, out_of_scope, after_deadline, contact_email, answer_working_days, retention_months,
			created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id`,
			args...).Scan(&b.ID)
		if err != nil {
			return 0, fmt.Errorf("boards: create %q: %w", b.Slug, err)
		}
	} else {
		res, err := s.q.ExecContext(ctx, `UPDATE boards SET place_id = $1, slug = $2, name = $3, kind = $4,
			description = $5, terms_of_reference = $6, position = $7, accepts_questions = $8, deadline_kind = $9,
			deadline_days = $10, deadline_time = $11, max_question_chars = $12, questions_per_person = $13,
			out_of_scope = $14, after_deadline = $15, contact_email = $16, answer_working_days = $17,
			retention_months = $18, updated_at = $19 WHERE id = $20`, append(args, b.ID)...)
		if err != nil {
			return 0, fmt.Errorf("boards: update %q: %w", b.Slug, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, fmt.Errorf("boards: update %d: %w", b.ID, db.ErrNotFound)
		}
	}
	return b.ID, s.SetMembers(ctx, b.ID, b.Members)
}

// SetMembers replaces a board's members with members, in their order.
func (s *Store) SetMembers(ctx context.Context, boardID int64, members []Member) error {
	if _, err := s.q.ExecContext(ctx, `DELETE FROM board_members WHERE board_id = $1`, boardID); err != nil {
		return fmt.Errorf("boards: members: %w", err)
	}
	for i, m := range members {
		if _, err := s.q.ExecContext(ctx, `INSERT INTO board_members (board_id, position, name, role, represents)
			VALUES ($1, $2, $3, $4, $5)`, boardID, i+1, m.Name, m.Role, m.Represents); err != nil {
			return fmt.Errorf("boards: member: %w", err)
		}
	}
	return nil
}

// Validate checks a board and returns a message per field that is wrong.
func (b Board) Validate() map[string]string {
	p := b.Rule.Validate()
	if b.Name == "" {
		p["name"] = "Enter the board's name"
	}
	if b.Slug == "" || len(b.Slug) > 100 || strings.Trim(b.Slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		p["slug"] = "Enter a web address made of lower-case letters, numbers and hyphens"
	}
	if !b.Kind.Valid() {
		p["kind"] = "Choose what kind of group it is"
	}
	if b.PlaceID == 0 {
		p["place"] = "Choose the board's place"
	}
	if b.RetentionMonths < 0 || b.RetentionMonths > 120 {
		p["retention_months"] = "Enter a number of months from 1 to 120"
	}
	return p
}
