package boards

import (
	"context"
	"fmt"

	"github.com/joinedup/joinedup/internal/db"
)

// AllMeetings lists every board's meetings, earliest first, without
// details.
func (s *Store) AllMeetings(ctx context.Context) ([]Meeting, error) {
	out, err := db.QueryAll(ctx, s.q, scanMeeting, `SELECT `+meetingColumns+meetingFrom+` ORDER BY e.starts_at, m.id`)
	if err != nil {
		return nil, fmt.Errorf("boards: all meetings: %w", err)
	}
	return out, nil
}

// PaperCounts returns how many papers each meeting with papers has.
func (s *Store) PaperCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.q.QueryContext(ctx, `SELECT meeting_id, COUNT(*) FROM papers GROUP BY meeting_id`)
	if err != nil {
		return nil, fmt.Errorf("boards: paper counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("boards: paper counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// PapersPublic reports whether residents can read a meeting's papers: it
// is published and has at least one, papers being the count of them.
func (m Meeting) PapersPublic(papers int) bool { return !m.Draft && papers > 0 }
