package boards_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/seed"
)

func openDB(t *testing.T) *db.DB {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t)
	if _, err := seed.Run(ctx, d, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	return d
}

// A board and a meeting round-trip through the store with their members,
// agenda, papers and declarations.
func TestBoardAndMeetingRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	var placeID int64
	if err := d.QueryRowContext(ctx, `SELECT id FROM places WHERE slug = 'lewisham'`).Scan(&placeID); err != nil {
		t.Fatal(err)
	}
	b := boards.Board{PlaceID: placeID, Slug: "test-board", Name: "Test board", Kind: boards.KindCommittee,
		Rule: boards.DefaultRule(), Members: []boards.Member{{Name: "A", Role: "Chair", Represents: "B"}, {Name: "C"}}}
	var meetingID int64
	err := d.Tx(ctx, func(q db.Querier) error {
		var err error
		if b.ID, err = boards.NewStore(q).SaveBoard(ctx, b); err != nil {
			return err
		}
		start := time.Date(2026, 3, 5, 14, 0, 0, 0, time.UTC)
		eventID, err := events.NewStore(q).Create(ctx, events.Event{Slug: "test-board-meeting", Title: "Test board meeting",
			StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
		if err != nil {
			return err
		}
		st := boards.NewStore(q)
		if meetingID, err = st.CreateMeeting(ctx, boards.Meeting{BoardID: b.ID, EventID: eventID,
			Status: boards.MeetingScheduled, MinutesStatus: boards.MinutesNone}); err != nil {
			return err
		}
		item, err := st.AddAgendaItem(ctx, meetingID, boards.AgendaItem{Number: 1, Title: "Welcome", StartsAt: "14:00"})
		if err != nil {
			return err
		}
		if _, err := st.AddPaper(ctx, boards.Paper{MeetingID: meetingID, AgendaItemID: item, Title: "Report",
			Format: boards.PaperHTML, Body: "Text"}); err != nil {
			return err
		}
		_, err = st.AddDeclaration(ctx, meetingID, boards.Declaration{MemberName: "A", Interest: "Employed by B"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	st := boards.NewStore(d)
	got, err := st.BoardBySlug(ctx, "lewisham", "test-board")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Members) != 2 || got.Members[0].Role != "Chair" || got.Rule.Days != 6 || got.RetentionMonths != 12 {
		t.Errorf("board = %+v", got)
	}
	m, err := st.Meeting(ctx, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Items) != 1 || len(m.Items[0].Papers) != 1 || len(m.Declarations) != 1 || m.Slug != "test-board-meeting" {
		t.Errorf("meeting = %+v", m)
	}
}
