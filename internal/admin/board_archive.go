package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
)

// Boards and meetings are archived instead of deleted: they stay in the
// admin with their versions, papers and questions, and leave every public
// page. A meeting is an event, which the events domain archives; a board
// archives its meetings with it, and brings back, when unarchived, only
// those it archived.

func (h *handlers) boardArchive(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.setBoardArchived(w, r, u, true)
}

func (h *handlers) boardUnarchive(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.setBoardArchived(w, r, u, false)
}

func (h *handlers) setBoardArchived(w http.ResponseWriter, r *http.Request, u accounts.User, archive bool) error {
	b, err := h.boardByPath(r)
	if err != nil {
		return err
	}
	if b.Archived == archive { // pressed twice: nothing to do
		return h.redirect(w, r, "/admin/boards/"+itoa(b.ID), archivedMessage("board", b.Name, archive, true))
	}
	ctx := r.Context()
	now := h.now().UTC()
	err = h.db.Tx(ctx, func(q db.Querier) error {
		st, es := boards.NewStore(q), events.NewStore(q)
		if err := st.SetArchived(ctx, b.ID, archive, now); err != nil {
			return err
		}
		ms, err := st.Meetings(ctx, b.ID)
		if err != nil {
			return err
		}
		var changed []int64
		for _, m := range ms {
			with, err := es.ArchivedWith(ctx, m.EventID)
			if err != nil {
				return err
			}
			switch {
			case archive && with == "":
				err = es.SetArchived(ctx, m.EventID, "board", now)
			case !archive && with == "board":
				err = es.SetArchived(ctx, m.EventID, "", now)
			default:
				continue // archived on its own: it stays so
			}
			if err != nil {
				return err
			}
			changed = append(changed, m.ID)
		}
		action := "board_archived"
		if !archive {
			action = "board_unarchived"
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: action, Record: "board:" + itoa(b.ID),
			Before: map[string]bool{"archived": b.Archived}, After: map[string]any{"archived": archive, "meetings": changed}})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/boards/"+itoa(b.ID), archivedMessage("board", b.Name, archive, false))
}

func (h *handlers) meetingArchive(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.setMeetingArchived(w, r, u, true)
}

func (h *handlers) meetingUnarchive(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.setMeetingArchived(w, r, u, false)
}

func (h *handlers) setMeetingArchived(w http.ResponseWriter, r *http.Request, u accounts.User, archive bool) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	back := "/admin/meetings/" + itoa(m.ID)
	if m.Archived == archive {
		return h.redirect(w, r, back, archivedMessage("meeting", e.Title, archive, true))
	}
	if !archive && b.Archived {
		return h.redirect(w, r, back, "The "+b.Name+" is archived, so its meetings are too: unarchive the board first.")
	}
	ctx := r.Context()
	err = h.db.Tx(ctx, func(q db.Querier) error {
		with, action := "event", "meeting_archived"
		if !archive {
			with, action = "", "meeting_unarchived"
		}
		if err := events.NewStore(q).SetArchived(ctx, m.EventID, with, h.now()); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: action, Record: "meeting:" + itoa(m.ID),
			Before: map[string]bool{"archived": m.Archived}, After: map[string]bool{"archived": archive}})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, back, archivedMessage("meeting", e.Title, archive, false))
}

// archivedMessage is the flash after archiving or unarchiving.
func archivedMessage(noun, name string, archived, already bool) string {
	switch {
	case already && archived:
		return "The " + noun + " " + name + " was already archived."
	case already:
		return "The " + noun + " " + name + " was not archived."
	case archived && noun == "board":
		return "The board " + name + " and its meetings have been archived: residents no longer see them. Their papers, questions and versions are kept here."
	case archived:
		return "The meeting " + name + " has been archived: residents no longer see it. Its papers, questions and versions are kept here."
	case noun == "board":
		return "The board " + name + " and the meetings archived with it are public again."
	}
	return "The meeting " + name + " is public again."
}
