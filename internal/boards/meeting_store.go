package boards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

const meetingColumns = `m.id, m.board_id, m.event_id, m.status, m.livestream_url, m.recording_url, m.minutes,
	m.minutes_status, COALESCE(m.minutes_approved_by, 0), m.updated_at, e.slug, e.title, e.starts_at, e.ends_at, e.published,
	e.archived_at IS NOT NULL`

const meetingFrom = ` FROM meetings m JOIN events e ON e.id = m.event_id`

func scanMeeting(row db.Scanner) (Meeting, error) {
	var m Meeting
	var published bool
	err := row.Scan(&m.ID, &m.BoardID, &m.EventID, &m.Status, &m.LivestreamURL, &m.RecordingURL, &m.Minutes,
		&m.MinutesStatus, &m.MinutesApprovedBy, &m.UpdatedAt, &m.Slug, &m.Title, &m.StartsAt, &m.EndsAt, &published, &m.Archived)
	m.Draft = !published
	return m, err
}

func (s *Store) oneMeeting(ctx context.Context, what, where string, arg any) (Meeting, error) {
	m, err := scanMeeting(s.q.QueryRowContext(ctx, `SELECT `+meetingColumns+meetingFrom+` WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Meeting{}, fmt.Errorf("boards: %s: %w", what, db.ErrNotFound)
	}
	if err != nil {
		return Meeting{}, fmt.Errorf("boards: %s: %w", what, err)
	}
	return m, s.loadMeeting(ctx, &m)
}

// Meeting returns the meeting with id, with its agenda, papers and declarations.
func (s *Store) Meeting(ctx context.Context, id int64) (Meeting, error) {
	return s.oneMeeting(ctx, fmt.Sprintf("meeting %d", id), `m.id = $1`, id)
}

// MeetingByEvent returns the meeting that is the event eventID.
func (s *Store) MeetingByEvent(ctx context.Context, eventID int64) (Meeting, error) {
	return s.oneMeeting(ctx, fmt.Sprintf("meeting of event %d", eventID), `m.event_id = $1`, eventID)
}

// Meetings lists a board's meetings, earliest first, without details.
func (s *Store) Meetings(ctx context.Context, boardID int64) ([]Meeting, error) {
	out, err := db.QueryAll(ctx, s.q, scanMeeting, `SELECT `+meetingColumns+meetingFrom+` WHERE m.board_id = $1
		ORDER BY e.starts_at, m.id`, boardID)
	if err != nil {
		return nil, fmt.Errorf("boards: meetings: %w", err)
	}
	return out, nil
}

func (s *Store) loadMeeting(ctx context.Context, m *Meeting) error {
	var err error
	m.Items, err = db.QueryAll(ctx, s.q, func(r db.Scanner) (AgendaItem, error) {
		var a AgendaItem
		err := r.Scan(&a.ID, &a.Number, &a.Title, &a.Presenter, &a.StartsAt, &a.Description)
		return a, err
	}, `SELECT id, number, title, presenter, starts_at, description FROM agenda_items
		WHERE meeting_id = $1 ORDER BY number, id`, m.ID)
	if err != nil {
		return fmt.Errorf("boards: agenda: %w", err)
	}
	if m.Papers, err = s.papers(ctx, `p.meeting_id = $1`, m.ID); err != nil {
		return err
	}
	if err = s.alternatives(ctx, m.Papers); err != nil {
		return err
	}
	for i := range m.Papers {
		m.Papers[i].MeetingSlug = m.Slug
	}
	for _, p := range m.Papers {
		for i := range m.Items {
			if m.Items[i].ID == p.AgendaItemID {
				m.Items[i].Papers = append(m.Items[i].Papers, p)
			}
		}
	}
	m.Declarations, err = db.QueryAll(ctx, s.q, func(r db.Scanner) (Declaration, error) {
		var d Declaration
		err := r.Scan(&d.ID, &d.AgendaItemID, &d.MemberName, &d.Interest)
		return d, err
	}, `SELECT id, COALESCE(agenda_item_id, 0), member_name, interest FROM declarations
		WHERE meeting_id = $1 ORDER BY position, id`, m.ID)
	if err != nil {
		return fmt.Errorf("boards: declarations: %w", err)
	}
	return nil
}

// CreateMeeting adds a meeting of a board for an event already created in
// the same transaction, and returns its id.
func (s *Store) CreateMeeting(ctx context.Context, m Meeting) (int64, error) {
	if p := m.Validate(); len(p) > 0 {
		return 0, fmt.Errorf("boards: create meeting: %w: %v", ErrInvalid, p)
	}
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO meetings (board_id, event_id, status, livestream_url, recording_url,
		minutes, minutes_status, minutes_approved_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`, m.BoardID, m.EventID, m.Status, m.LivestreamURL,
		m.RecordingURL, m.Minutes, m.MinutesStatus, nullID(m.MinutesApprovedBy), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("boards: create meeting: %w", err)
	}
	return id, nil
}

// UpdateMeeting saves a meeting's own fields (not its event's).
func (s *Store) UpdateMeeting(ctx context.Context, m Meeting) error {
	if p := m.Validate(); len(p) > 0 {
		return fmt.Errorf("boards: update meeting %d: %w: %v", m.ID, ErrInvalid, p)
	}
	res, err := s.q.ExecContext(ctx, `UPDATE meetings SET status = $2, livestream_url = $3, recording_url = $4,
		minutes = $5, minutes_status = $6, minutes_approved_by = $7, updated_at = $8 WHERE id = $1`, m.ID, m.Status,
		m.LivestreamURL, m.RecordingURL, m.Minutes, m.MinutesStatus, nullID(m.MinutesApprovedBy), db.Now())
	if err != nil {
		return fmt.Errorf("boards: update meeting %d: %w", m.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("boards: update meeting %d: %w", m.ID, db.ErrNotFound)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Validate checks a meeting's own fields.
func (m Meeting) Validate() map[string]string {
	p := map[string]string{}
	if !m.Status.Valid() {
		p["status"] = "Choose the meeting's status"
	}
	switch m.MinutesStatus {
	case MinutesNone, MinutesDraft, MinutesApproved:
	default:
		p["minutes_status"] = "Choose the state of the minutes"
	}
	if m.MinutesStatus != MinutesNone && m.Minutes == "" {
		p["minutes"] = "Enter the minutes, or choose that there are none yet"
	}
	if m.MinutesStatus == MinutesApproved && m.MinutesApprovedBy == 0 {
		p["minutes_approved_by"] = "Choose the meeting that approved the minutes"
	}
	if m.MinutesApprovedBy != 0 && m.MinutesApprovedBy == m.ID {
		p["minutes_approved_by"] = "Minutes are approved at a later meeting, not the same one"
	}
	for key, u := range map[string]string{"livestream_url": m.LivestreamURL, "recording_url": m.RecordingURL} {
		if u != "" && !httpsURL(u) {
			p[key] = "Enter a full web address starting https://"
		}
	}
	return p
}

// AddAgendaItem adds an item to a meeting's agenda.
func (s *Store) AddAgendaItem(ctx context.Context, meetingID int64, a AgendaItem) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO agenda_items (meeting_id, number, title, presenter, starts_at, description)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, meetingID, a.Number, a.Title, a.Presenter, a.StartsAt, a.Description).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("boards: add agenda item: %w", err)
	}
	return id, nil
}

// ItemNumberTaken reports whether the meeting's agenda has an item numbered n.
func (s *Store) ItemNumberTaken(ctx context.Context, meetingID int64, n int) (bool, error) {
	var c int
	err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM agenda_items WHERE meeting_id = $1 AND number = $2`, meetingID, n).Scan(&c)
	if err != nil {
		return false, fmt.Errorf("boards: agenda number: %w", err)
	}
	return c > 0, nil
}

// RemoveAgendaItem deletes an item of a meeting's agenda; its papers stay,
// for the meeting as a whole.
func (s *Store) RemoveAgendaItem(ctx context.Context, meetingID, itemID int64) error {
	return s.remove(ctx, "agenda_items", meetingID, itemID)
}

// RemovePaper deletes a paper of a meeting.
func (s *Store) RemovePaper(ctx context.Context, meetingID, paperID int64) error {
	return s.remove(ctx, "papers", meetingID, paperID)
}

// RemoveDeclaration deletes a declaration made at a meeting.
func (s *Store) RemoveDeclaration(ctx context.Context, meetingID, id int64) error {
	return s.remove(ctx, "declarations", meetingID, id)
}

func (s *Store) remove(ctx context.Context, table string, meetingID, id int64) error {
	res, err := s.q.ExecContext(ctx, `DELETE FROM `+table+` WHERE id = $1 AND meeting_id = $2`, id, meetingID)
	if err != nil {
		return fmt.Errorf("boards: remove from %s: %w", table, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("boards: remove %d from %s: %w", id, table, db.ErrNotFound)
	}
	return nil
}

// AddPaper adds a paper to a meeting.
func (s *Store) AddPaper(ctx context.Context, p Paper) (int64, error) {
	now := db.Now()
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO papers (meeting_id, agenda_item_id, position, title, format, body,
		media_id, created_at, updated_at)
		VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM papers WHERE meeting_id = $1), $3, $4, $5, $6, $7, $7)
		RETURNING id`, p.MeetingID, nullID(p.AgendaItemID), p.Title, p.Format, p.Body, nullID(p.MediaID), now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("boards: add paper: %w", err)
	}
	return id, nil
}

// Paper returns a paper by id.
func (s *Store) Paper(ctx context.Context, id int64) (Paper, error) {
	ps, err := s.papers(ctx, `p.id = $1`, id)
	if err != nil {
		return Paper{}, err
	}
	if len(ps) == 0 {
		return Paper{}, fmt.Errorf("boards: paper %d: %w", id, db.ErrNotFound)
	}
	return ps[0], nil
}

func (s *Store) papers(ctx context.Context, where string, arg any) ([]Paper, error) {
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (Paper, error) {
		var p Paper
		err := r.Scan(&p.ID, &p.MeetingID, &p.AgendaItemID, &p.Position, &p.Title, &p.Format, &p.Body,
			&p.MediaID, &p.CreatedAt, &p.FileName, &p.FileBytes, &p.Fingerprint)
		return p, err
	}, `SELECT p.id, p.meeting_id, COALESCE(p.agenda_item_id, 0), p.position, p.title,
		p.format, p.body, COALESCE(p.media_id, 0), p.created_at, COALESCE(m.name, ''), COALESCE(m.bytes, 0),
		COALESCE(m.fingerprint, '')
		FROM papers p LEFT JOIN media m ON m.id = p.media_id WHERE `+where+` ORDER BY p.position, p.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("boards: papers: %w", err)
	}
	return out, nil
}

// AddDeclaration records a declaration of interest made at a meeting.
func (s *Store) AddDeclaration(ctx context.Context, meetingID int64, d Declaration) (int64, error) {
	var id int64
	err := s.q.QueryRowContext(ctx, `INSERT INTO declarations (meeting_id, agenda_item_id, member_name, interest, position)
		VALUES ($1, $2, $3, $4, (SELECT COALESCE(MAX(position), 0) + 1 FROM declarations WHERE meeting_id = $1))
		RETURNING id`, meetingID, nullID(d.AgendaItemID), d.MemberName, d.Interest).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("boards: add declaration: %w", err)
	}
	return id, nil
}

// RetentionOfEvent is how many months after event id its board keeps
// residents' details, and false when the event is no board's meeting.
func (s *Store) RetentionOfEvent(ctx context.Context, eventID int64) (int, bool, error) {
	var months int
	err := s.q.QueryRowContext(ctx, `SELECT b.retention_months FROM meetings m JOIN boards b ON b.id = m.board_id
		WHERE m.event_id = $1`, eventID).Scan(&months)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("boards: retention of event %d: %w", eventID, err)
	}
	return Board{RetentionMonths: months}.Retention(), true, nil
}
