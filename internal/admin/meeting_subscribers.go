package admin

import (
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/registrations"
)

// subscribersData is what admin_meeting_subscribers.html shows.
type subscribersData struct {
	Board       boards.Board
	Meeting     boards.Meeting
	Notice      registrations.Notice
	Subscribers int
	Errors      formErrors
}

func (h *handlers) subscribersPage(w http.ResponseWriter, r *http.Request, u accounts.User, status int, errs formErrors) error {
	b, m, _, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	n, subscribers, err := h.registrations.Subscriptions().Notice(r.Context(), m.ID, b.ID)
	if err != nil {
		return err
	}
	d := subscribersData{Board: b, Meeting: m, Notice: n, Subscribers: subscribers, Errors: errs}
	return h.render(w, r, status, "admin_meeting_subscribers.html", "Tell subscribers about the papers of "+m.Title, u, meetingCrumbs(b), d)
}

func (h *handlers) meetingSubscribers(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.subscribersPage(w, r, u, http.StatusOK, formErrors{})
}

// meetingNotify emails the board's subscribers that the meeting's papers
// are published: once per meeting, however often it is pressed.
func (h *handlers) meetingNotify(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, _, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	if len(m.Papers) == 0 {
		var errs formErrors
		errs.add("notify", "Add the meeting's papers first: the email tells subscribers they are published")
		return h.subscribersPage(w, r, u, http.StatusUnprocessableEntity, errs)
	}
	ctx := r.Context()
	var sent bool
	var n int
	err = h.db.Tx(ctx, func(q db.Querier) error {
		var err error
		if sent, n, err = h.registrations.Subscriptions().NotifyOnce(ctx, q, m, u.Email); err != nil || !sent {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "papers_notified",
			Record: "meeting:" + itoa(m.ID), After: map[string]int{"recipients": n}})
	})
	if err != nil {
		return err
	}
	msg := "The subscribers of the " + b.Name + " were told about these papers before; nobody was emailed again."
	if sent {
		msg = strconv.Itoa(n) + " subscribers of the " + b.Name + " are being emailed that the papers are published."
	}
	return h.redirect(w, r, "/admin/meetings/"+itoa(m.ID)+"/subscribers", msg)
}
