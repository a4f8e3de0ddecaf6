package admin

import (
	"cmp"
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/places"
)

// papersDueWithin is how far ahead the admin home looks for meetings whose
// papers residents cannot read yet.
const papersDueWithin = 14 * 24 * time.Hour

type meetingRow struct {
	Meeting boards.Meeting
	Board   boards.Board
	Papers  int
	// Public reports that residents can read the papers.
	Public bool
}

// meetingStatuses are the meeting list's status filter; "papers-due" is
// the scheduled meetings of the next 14 days whose papers are not public.
var meetingStatuses = []option{{Value: "papers-due", Label: "Next 14 days, papers not published"},
	{Value: "scheduled", Label: "Scheduled"}, {Value: "postponed", Label: "Postponed"},
	{Value: "cancelled", Label: "Cancelled"}, {Value: "held", Label: "Held"}}

var meetingColumns = []sortable[meetingRow]{
	{"date", "Date", func(a, b meetingRow) int { return a.Meeting.StartsAt.Compare(b.Meeting.StartsAt) }, false},
	{"title", "Meeting", func(a, b meetingRow) int {
		return cmp.Compare(strings.ToLower(a.Meeting.Title), strings.ToLower(b.Meeting.Title))
	}, false},
	{"board", "Board", func(a, b meetingRow) int { return cmp.Compare(a.Board.Name, b.Board.Name) }, false},
	{"status", "Status", func(a, b meetingRow) int { return cmp.Compare(a.Meeting.Status, b.Meeting.Status) }, false},
	{"papers", "Papers", func(a, b meetingRow) int { return cmp.Compare(a.Papers, b.Papers) }, false},
}

// papersDue reports whether a meeting is scheduled in the next 14 days and
// residents cannot read its papers yet.
func (row meetingRow) papersDue(now time.Time) bool {
	return row.Meeting.Status == boards.MeetingScheduled && !row.Public &&
		!row.Meeting.StartsAt.Before(now) && row.Meeting.StartsAt.Before(now.Add(papersDueWithin))
}

// meetingRows lists every board's meetings of the query's place and
// status, earliest first. The list and the admin home's count of meetings
// whose papers are due both read it.
func meetingRows(ctx context.Context, q db.Querier, now time.Time, lq listQuery) ([]meetingRow, []places.Place, error) {
	st := boards.NewStore(q)
	list, err := st.AllMeetings(ctx)
	if err != nil {
		return nil, nil, err
	}
	bs, err := st.Boards(ctx, 0)
	if err != nil {
		return nil, nil, err
	}
	papers, err := st.PaperCounts(ctx)
	if err != nil {
		return nil, nil, err
	}
	placeList, err := places.NewStore(q).List(ctx)
	if err != nil {
		return nil, nil, err
	}
	board := map[int64]boards.Board{}
	for _, b := range bs {
		board[b.ID] = b
	}
	var rows []meetingRow
	for _, m := range list {
		b := board[m.BoardID]
		row := meetingRow{Meeting: m, Board: b, Papers: papers[m.ID], Public: m.PapersPublic(papers[m.ID])}
		if lq.Place != "" && lq.Place != b.PlaceSlug {
			continue
		}
		switch lq.Status {
		case "":
		case "papers-due":
			if !row.papersDue(now) {
				continue
			}
		default:
			if string(m.Status) != lq.Status {
				continue
			}
		}
		rows = append(rows, row)
	}
	return rows, placeList, nil
}

func (h *handlers) meetingList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	lq, err := readListQuery(r, meetingColumns, "date", meetingStatuses)
	if err != nil {
		return err
	}
	rows, placeList, err := meetingRows(r.Context(), h.db, h.now(), lq)
	if err != nil {
		return err
	}
	shown, lv := sortAndPage("/admin/meetings", lq, rows, meetingColumns, placeList, u, meetingStatuses)
	lv.Places = slicesWithout(lv.Places, "whole") // every board belongs to a place
	return h.render(w, r, http.StatusOK, "admin_meetings.html", "Meetings", u, boardsCrumbs, struct {
		Meetings []meetingRow
		List     listView
	}{shown, lv})
}

// slicesWithout drops the option with this value.
func slicesWithout(opts []option, value string) []option {
	var out []option
	for _, o := range opts {
		if o.Value != value {
			out = append(out, o)
		}
	}
	return out
}
