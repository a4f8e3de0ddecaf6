package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
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
			for _, p := range version.Meeting.Papers {
				if p.Format != boards.PaperPDF || slices.ContainsFunc(c.Meeting.Papers, func(n boards.Paper) bool { return n.ID == p.ID }) {
					continue
				}
				if _, err := h.media.ByID(ctx, p.MediaID); errors.Is(err, db.ErrNotFound) {
					return "The PDF of the paper " + p.Title + " is no longer in the media library, so this version cannot be restored", nil
				} else if err != nil {
					return "", err
				}
			}
			_, err := h.saveMeeting(ctx, u, c.board, c.Meeting, c.Event, e, m, &version.Meeting, note)
			if errors.Is(err, errSlugTaken) {
				return "Another event now has this version's web address (" + version.Event.Slug + "), so it cannot be restored", nil
			}
			return "", err
		}}
}

// restoreParts makes the agenda, papers and declarations of the meeting
// cur those of version: parts both have are kept, the others are removed
// or added again (with new ids, and linked to the items as added again).
// Parts are never edited, only added and removed, so a part's id names
// its content.
func restoreParts(ctx context.Context, st *boards.Store, cur, version boards.Meeting) error {
	items := map[int64]int64{0: 0} // an item of version -> the item now
	for _, it := range cur.Items {
		if slices.ContainsFunc(version.Items, func(v boards.AgendaItem) bool { return v.ID == it.ID }) {
			items[it.ID] = it.ID
		} else if err := st.RemoveAgendaItem(ctx, cur.ID, it.ID); err != nil {
			return err
		}
	}
	for _, it := range version.Items {
		if _, ok := items[it.ID]; !ok {
			id, err := st.AddAgendaItem(ctx, cur.ID, it)
			if err != nil {
				return err
			}
			items[it.ID] = id
		}
	}
	err := restoreList(cur.Papers, version.Papers, func(p boards.Paper) (int64, int64) { return p.ID, p.AgendaItemID }, items,
		func(id int64) error { return st.RemovePaper(ctx, cur.ID, id) },
		func(p boards.Paper, item int64) error {
			p.MeetingID, p.AgendaItemID = cur.ID, item
			id, err := st.AddPaper(ctx, p)
			if err != nil {
				return err
			}
			for _, a := range p.Alternatives { // a paper put back comes with its other formats
				a.PaperID = id
				if _, err := st.AddAlternative(ctx, cur.ID, a); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	return restoreList(cur.Declarations, version.Declarations, func(d boards.Declaration) (int64, int64) { return d.ID, d.AgendaItemID }, items,
		func(id int64) error { return st.RemoveDeclaration(ctx, cur.ID, id) },
		func(d boards.Declaration, item int64) error {
			d.AgendaItemID = item
			_, err := st.AddDeclaration(ctx, cur.ID, d)
			return err
		})
}

// restoreList keeps the parts of cur that version has, linked to the same
// item; removes the others; and adds those of version it lacks. ids gives
// a part's id and item; items maps version's items to the items now.
func restoreList[T any](cur, version []T, ids func(T) (int64, int64), items map[int64]int64,
	remove func(int64) error, add func(T, int64) error) error {
	kept := map[int64]bool{}
	for _, p := range cur {
		id, item := ids(p)
		i := slices.IndexFunc(version, func(v T) bool { vid, _ := ids(v); return vid == id })
		if i >= 0 {
			if _, vItem := ids(version[i]); items[vItem] == item {
				kept[id] = true
				continue
			}
		}
		if err := remove(id); err != nil {
			return err
		}
	}
	for _, p := range version {
		if id, item := ids(p); !kept[id] {
			if err := add(p, items[item]); err != nil {
				return err
			}
		}
	}
	return nil
}
