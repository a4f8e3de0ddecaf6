package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
)

// Boards and meetings are restored by filling their forms with the
// version and saving them as the forms do, so the same checks apply.

// cannotRestore is what restoring says of a version the form's checks
// refuse as things are now.
func cannotRestore(errs formErrors) string {
	return "This version cannot be saved as things are now: " + errs.List[0].Message
}

func (h *handlers) boardVersions() versioned {
	return versioned{kind: "board", noun: "board", list: boardsCrumbs[1],
		load: func(r *http.Request, _ accounts.User) (current, error) {
			b, err := h.boardByPath(r)
			return current{ID: itoa(b.ID), Title: b.Name, Edit: "/admin/boards/" + itoa(b.ID), Record: b}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			before := cur.Record.(boards.Board)
			var version boards.Board
			if err := json.Unmarshal(data, &version); err != nil {
				return "", err
			}
			version.ID = before.ID
			list, err := h.places.List(ctx)
			if err != nil {
				return "", err
			}
			var placeID int64
			for _, p := range list {
				if p.ID == version.PlaceID {
					placeID = p.ID
				}
			}
			if placeID == 0 {
				return "The place of this version is no longer on the site, so it cannot be restored", nil
			}
			after, errs := newBoardForm(version).board(placeID, "place")
			if errs.Any() {
				return cannotRestore(errs), nil
			}
			_, err = h.saveBoard(ctx, u, before, after, note)
			if errors.Is(err, errBoardSlugTaken) {
				return "Another board of this place now has this version's web address (" + version.Slug + "), so it cannot be restored", nil
			}
			return "", err
		}}
}

// meetingCurrent is a meeting as restoring needs it: with its board.
type meetingCurrent struct {
	board boards.Board
	meetingVersion
}

// MarshalJSON exports the meeting and its event, not the board.
func (c meetingCurrent) MarshalJSON() ([]byte, error) { return json.Marshal(c.meetingVersion) }

func (h *handlers) meetingVersions() versioned {
	return versioned{kind: "meeting", noun: "meeting", list: boardsCrumbs[1],
		load: func(r *http.Request, _ accounts.User) (current, error) {
			b, m, e, err := h.meetingByPath(r)
			return current{ID: itoa(m.ID), Title: e.Title, Edit: "/admin/meetings/" + itoa(m.ID),
				Record: meetingCurrent{board: b, meetingVersion: meetingVersion{Meeting: m, Event: e}}}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			c := cur.Record.(meetingCurrent)
			var version meetingVersion
			if err := json.Unmarshal(data, &version); err != nil {
				return "", err
			}
			version.Meeting.ID = c.Meeting.ID
			f := newMeetingForm(c.board, version.Meeting, version.Event)
			e, m, errs := f.meeting(c.board, c.Event, c.Meeting)
			if errs.Any() {
				return cannotRestore(errs), nil
			}
			_, err := h.saveMeeting(ctx, u, c.board, c.Meeting, c.Event, e, m, note)
			if errors.Is(err, errSlugTaken) {
				return "Another event now has this version's web address (" + version.Event.Slug + "), so it cannot be restored", nil
			}
			return "", err
		}}
}
