package boards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
)

// Alternative is a paper in another format, shown beside it: a PDF of the
// media library (Easy Read, large print) or a link (an audio recording, a
// BSL video, a translation hosted elsewhere).
type Alternative struct {
	ID      int64
	PaperID int64
	Format  formats.Format
	// Label says more for residents, such as the language: "Polish".
	Label   string
	MediaID int64
	URL     string
	// Of the PDF, filled in on reads.
	FileName    string
	FileBytes   int64
	Fingerprint string
}

// Href is where residents get the alternative.
func (a Alternative) Href() string {
	if a.MediaID != 0 {
		return "/media/" + a.Fingerprint + ".pdf"
	}
	return a.URL
}

// Name is the alternative as a link reads: "Easy Read" or "Another
// language: Polish".
func (a Alternative) Name() string {
	if a.Label != "" {
		return a.Format.Label() + ": " + a.Label
	}
	return a.Format.Label()
}

// TypeLabel says what the link leads to: "PDF, 240 KB" or "link".
func (a Alternative) TypeLabel() string {
	if a.MediaID != 0 {
		return "PDF, " + Paper{Format: PaperPDF, FileBytes: a.FileBytes}.Size()
	}
	return "link"
}

// AddAlternative adds another format to a paper of meeting meetingID.
func (s *Store) AddAlternative(ctx context.Context, meetingID int64, a Alternative) (int64, error) {
	var media any
	if a.MediaID != 0 {
		media = a.MediaID
	}
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO paper_alternatives (paper_id, format, label, media_id, url, position, created_at)
		SELECT p.id, $3, $4, $5, $6, (SELECT COALESCE(MAX(position), 0) + 1 FROM paper_alternatives WHERE paper_id = p.id), $7
		FROM papers p WHERE p.id = $1 AND p.meeting_id = $2 RETURNING id`,
		a.PaperID, meetingID, a.Format, a.Label, media, a.URL, db.Now()).Scan(&id)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, fmt.Errorf("boards: paper %d of meeting %d: %w", a.PaperID, meetingID, db.ErrNotFound)
		}
		return 0, fmt.Errorf("boards: add alternative: %w", err)
	}
	return id, nil
}

// RemoveAlternative deletes another format of a paper of meeting meetingID.
func (s *Store) RemoveAlternative(ctx context.Context, meetingID, id int64) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM paper_alternatives WHERE id = $1
		AND paper_id IN (SELECT id FROM papers WHERE meeting_id = $2)`, id, meetingID)
	if err != nil {
		return fmt.Errorf("boards: remove alternative: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("boards: alternative %d: %w", id, db.ErrNotFound)
	}
	return nil
}

// alternatives loads the other formats of the papers given, in order.
func (s *Store) alternatives(ctx context.Context, papers []Paper) error {
	if len(papers) == 0 {
		return nil
	}
	at := map[int64]int{}
	for i, p := range papers {
		at[p.ID] = i
	}
	list, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (Alternative, error) {
		var a Alternative
		err := r.Scan(&a.ID, &a.PaperID, &a.Format, &a.Label, &a.MediaID, &a.URL, &a.FileName, &a.FileBytes, &a.Fingerprint)
		return a, err
	}, `SELECT a.id, a.paper_id, a.format, a.label, COALESCE(a.media_id, 0), a.url, COALESCE(m.name, ''),
		COALESCE(m.bytes, 0), COALESCE(m.fingerprint, '')
		FROM paper_alternatives a JOIN papers p ON p.id = a.paper_id LEFT JOIN media m ON m.id = a.media_id
		WHERE p.meeting_id = $1 ORDER BY a.paper_id, a.position, a.id`, papers[0].MeetingID)
	if err != nil {
		return fmt.Errorf("boards: alternatives: %w", err)
	}
	for _, a := range list {
		if i, ok := at[a.PaperID]; ok {
			papers[i].Alternatives = append(papers[i].Alternatives, a)
		}
	}
	return nil
}

// FormatSources are the board pages residents can ask for in another
// format: each paper and each meeting's page, answered by the governance
// officers. Drafts are not found.
func FormatSources(s *Store) []formats.Source {
	return []formats.Source{
		{Kind: formats.Meeting, Pattern: "/events/{slug}", Find: func(ctx context.Context, r *http.Request) (formats.Target, error) {
			m, err := s.oneMeeting(ctx, "meeting "+strconv.Quote(r.PathValue("slug")), `e.slug = $1`, r.PathValue("slug"))
			if err != nil {
				return formats.Target{}, err
			}
			if m.Draft {
				return formats.Target{}, fmt.Errorf("boards: meeting %d is a draft: %w", m.ID, db.ErrNotFound)
			}
			return s.formatTarget(ctx, m, formats.Target{ID: m.ID, Title: m.Title, Path: m.Path()})
		}},
		{Kind: formats.Paper, Pattern: "/events/{slug}/papers/{id}", Find: func(ctx context.Context, r *http.Request) (formats.Target, error) {
			id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
			if err != nil {
				return formats.Target{}, fmt.Errorf("boards: paper %q: %w", r.PathValue("id"), db.ErrNotFound)
			}
			p, err := s.Paper(ctx, id)
			if err != nil {
				return formats.Target{}, err
			}
			m, err := s.Meeting(ctx, p.MeetingID)
			if err != nil {
				return formats.Target{}, err
			}
			if m.Draft || m.Slug != r.PathValue("slug") {
				return formats.Target{}, fmt.Errorf("boards: paper %d: %w", id, db.ErrNotFound)
			}
			return s.formatTarget(ctx, m, formats.Target{ID: p.ID, Title: p.Title, Path: "/events/" + m.Slug + "/papers/" + strconv.FormatInt(p.ID, 10)})
		}},
	}
}

func (s *Store) formatTarget(ctx context.Context, m Meeting, t formats.Target) (formats.Target, error) {
	b, err := s.Board(ctx, m.BoardID)
	if err != nil {
		return formats.Target{}, err
	}
	t.PlaceID, t.Team = b.PlaceID, "the governance team of the "+b.Name
	return t, nil
}
