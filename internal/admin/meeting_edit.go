package admin

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/web"
)

// A meeting is an event of its board's place: the meeting form edits the
// event's title, times and venue together with the meeting's own status,
// links and minutes, so governance officers need no rights over events.

// meetingForm is the meeting form as typed.
type meetingForm struct {
	ID            int64
	BoardID       int64
	Title         string
	Slug          string
	Summary       string
	Body          string
	Date          string
	StartTime     string
	EndTime       string
	Attendance    string
	Venue         string
	VenueAddress  string
	VenuePostcode string
	OnlineURL     string
	Publish       string
	Status        string
	LivestreamURL string
	RecordingURL  string
	Minutes       string
	MinutesStatus string
	ApprovedBy    string
}

func newMeetingForm(b boards.Board, m boards.Meeting, e events.Event) meetingForm {
	f := meetingForm{ID: m.ID, BoardID: b.ID, Title: e.Title, Slug: e.Slug, Summary: e.Summary, Body: e.Body,
		Attendance: string(e.Attendance), Venue: e.Venue, VenueAddress: e.VenueAddress, VenuePostcode: e.VenuePostcode,
		OnlineURL: e.OnlineURL, Publish: publishDraft, Status: string(m.Status), LivestreamURL: m.LivestreamURL,
		RecordingURL: m.RecordingURL, Minutes: m.Minutes, MinutesStatus: string(m.MinutesStatus)}
	if !e.StartsAt.IsZero() {
		f.Date, f.StartTime, f.EndTime = londonDate(e.StartsAt), londonTime(e.StartsAt), londonTime(e.EndsAt)
	}
	if e.ID != 0 && !e.Draft {
		f.Publish = eventPublished
	}
	if m.MinutesApprovedBy != 0 {
		f.ApprovedBy = itoa(m.MinutesApprovedBy)
	}
	return f
}

func readMeetingForm(r *http.Request, id, boardID int64) meetingForm {
	return meetingForm{ID: id, BoardID: boardID, Title: formValue(r, "title"), Slug: formValue(r, "slug"),
		Summary: formText(r, "summary"), Body: formText(r, "body"), Date: formValue(r, "date"),
		StartTime: formValue(r, "start_time"), EndTime: formValue(r, "end_time"), Attendance: formValue(r, "attendance"),
		Venue: formValue(r, "venue"), VenueAddress: formText(r, "venue_address"), VenuePostcode: formValue(r, "venue_postcode"),
		OnlineURL: formValue(r, "online_url"), Publish: formValue(r, "publish"), Status: formValue(r, "status"),
		LivestreamURL: formValue(r, "livestream_url"), RecordingURL: formValue(r, "recording_url"),
		Minutes: formText(r, "minutes"), MinutesStatus: formValue(r, "minutes_status"), ApprovedBy: formValue(r, "approved_by")}
}

// eventStatus is the status the meeting's event takes, so listings and
// calendars show a cancelled or postponed meeting as such.
func eventStatus(s boards.MeetingStatus) events.Status {
	switch s {
	case boards.MeetingCancelled:
		return events.StatusCancelled
	case boards.MeetingPostponed:
		return events.StatusPostponed
	}
	return events.StatusScheduled
}

// meeting checks the form and returns the event and the meeting it
// describes, built on the stored ones.
func (f meetingForm) meeting(b boards.Board, e events.Event, m boards.Meeting) (events.Event, boards.Meeting, formErrors) {
	var errs formErrors
	e.Title, e.Slug, e.Summary, e.Body = f.Title, f.Slug, f.Summary, f.Body
	e.Attendance, e.Venue, e.VenueAddress, e.VenuePostcode, e.OnlineURL = events.Attendance(f.Attendance), f.Venue, f.VenueAddress, f.VenuePostcode, f.OnlineURL
	e.Draft = f.Publish != eventPublished
	e.Organiser = b.Name
	if e.ID == 0 {
		e.PlaceIDs = []int64{b.PlaceID}
	}
	m.BoardID, m.Status = b.ID, boards.MeetingStatus(f.Status)
	m.LivestreamURL, m.RecordingURL, m.Minutes, m.MinutesStatus = f.LivestreamURL, f.RecordingURL, f.Minutes, boards.MinutesStatus(f.MinutesStatus)
	if m.MinutesStatus == "" {
		m.MinutesStatus = boards.MinutesNone
	}
	m.MinutesApprovedBy, _ = strconv.ParseInt(f.ApprovedBy, 10, 64)
	e.Status = eventStatus(m.Status)
	e.StartsAt, e.EndsAt = time.Time{}, time.Time{}
	if f.Date == "" {
		errs.add("date", "Enter the date of the meeting")
	} else {
		start, wrong := parseLondon(f.Date, f.StartTime)
		end, wrongEnd := parseLondon(f.Date, f.EndTime)
		switch {
		case wrong == "date":
			errs.add("date", "Enter the date of the meeting as a real date, like 2027-01-28")
		case f.StartTime == "" || wrong == "time":
			errs.add("start_time", "Enter the time the meeting starts on the 24-hour clock, like 13:30")
		case f.EndTime == "" || wrongEnd == "time":
			errs.add("end_time", "Enter the time the meeting ends on the 24-hour clock, like 16:30")
		case !end.After(start):
			errs.add("end_time", "The meeting must end after it starts")
		default:
			e.StartsAt, e.EndsAt = start, end
		}
	}
	problems := e.Validate()
	add := func(p map[string]string, key, field string) {
		if msg, ok := p[key]; ok {
			errs.add(field, msg)
		}
	}
	add(problems, "title", "title")
	checkLength(&errs, "title", f.Title, "The title", 200)
	add(problems, "slug", "slug")
	checkLength(&errs, "slug", f.Slug, "The web address", 100)
	checkLength(&errs, "summary", f.Summary, "The summary", 400)
	checkLength(&errs, "body", f.Body, "The description", 50000)
	if f.Attendance == "" {
		errs.add("attendance-in_person", "Choose how people attend")
	}
	add(problems, "attendance", "attendance-in_person")
	if f.Venue == "" && (f.Attendance == string(events.InPerson) || f.Attendance == string(events.Hybrid)) {
		errs.add("venue", "Enter the venue of a meeting people attend in person")
	}
	checkLength(&errs, "venue", f.Venue, "The venue", 200)
	checkLength(&errs, "venue_address", f.VenueAddress, "The address", 500)
	checkLength(&errs, "venue_postcode", f.VenuePostcode, "The postcode", 10)
	add(problems, "online_url", "online_url")
	if f.OnlineURL == "" && f.Attendance == string(events.Online) {
		errs.add("online_url", "Enter the joining link of a meeting held online")
	}
	mp := m.Validate()
	add(mp, "status", "status-scheduled")
	add(mp, "livestream_url", "livestream_url")
	add(mp, "recording_url", "recording_url")
	add(mp, "minutes_status", "minutes_status-none")
	add(mp, "minutes", "minutes")
	checkLength(&errs, "minutes", f.Minutes, "The minutes", 100000)
	add(mp, "minutes_approved_by", "approved_by")
	if f.Publish != publishDraft && f.Publish != eventPublished {
		errs.add("publish-draft", "Choose whether to save a draft or publish the meeting")
	}
	return e, m, errs
}

type meetingFormData struct {
	Form          meetingForm
	Errors        formErrors
	Board         boards.Board
	Meeting       boards.Meeting
	Attendances   []option
	Statuses      []option
	MinutesStates []option
	Publishes     []option
	ApprovedBy    []option
	Tools         recordTools
	// The forms that add agenda items, papers and declarations.
	Item        agendaItemForm
	Paper       paperForm
	Declaration declarationForm
	Alternative alternativeForm
	// PDFs are the media library's PDFs, to choose a paper from.
	PDFs []media.Item
}

// ItemChoices are the meeting's agenda items for a select, with the one
// whose id is selected chosen.
func (d meetingFormData) ItemChoices(selected string) []option {
	out := []option{{Value: "", Label: "The whole meeting", Checked: selected == ""}}
	for _, it := range d.Meeting.Items {
		out = append(out, option{Value: itoa(it.ID), Label: it.Label(), Checked: selected == itoa(it.ID)})
	}
	return out
}

// PDFChoices are the media library's PDFs, newest first, for a select.
func (d meetingFormData) PDFChoices() []option {
	out := []option{{Value: "", Label: "Choose a PDF", Checked: d.Paper.Media == ""}}
	for _, it := range d.PDFs {
		out = append(out, option{Value: itoa(it.ID), Label: it.Name + " (" + it.Size() + ")", Checked: d.Paper.Media == itoa(it.ID)})
	}
	return out
}

// PaperFormats are the choices of how a paper is published.
func (d meetingFormData) PaperFormats() []option {
	return []option{{Value: string(boards.PaperHTML), Label: "Written here (a web page)", Checked: d.Paper.Format == string(boards.PaperHTML)},
		{Value: string(boards.PaperPDF), Label: "A PDF from the media library", Checked: d.Paper.Format == string(boards.PaperPDF)}}
}

func (h *handlers) meetingFormData(r *http.Request, b boards.Board, m boards.Meeting, f meetingForm, errs formErrors) (meetingFormData, error) {
	d := meetingFormData{Form: f, Errors: errs, Board: b, Meeting: m}
	for _, a := range []events.Attendance{events.InPerson, events.Online, events.Hybrid} {
		d.Attendances = append(d.Attendances, option{Value: string(a), Label: a.Label(), Checked: f.Attendance == string(a)})
	}
	for _, s := range boards.MeetingStatuses {
		d.Statuses = append(d.Statuses, option{Value: string(s), Label: s.Label(), Checked: f.Status == string(s)})
	}
	for _, s := range []struct {
		v boards.MinutesStatus
		l string
	}{{boards.MinutesNone, "No minutes yet"}, {boards.MinutesDraft, "Draft (not shown to residents)"},
		{boards.MinutesApproved, "Approved (published on the meeting's page)"}} {
		d.MinutesStates = append(d.MinutesStates, option{Value: string(s.v), Label: s.l, Checked: f.MinutesStatus == string(s.v)})
	}
	d.Publishes = []option{{Value: publishDraft, Label: "Save as a draft (residents cannot see it)", Checked: f.Publish == publishDraft},
		{Value: eventPublished, Label: "Published", Checked: f.Publish == eventPublished}}
	d.ApprovedBy = []option{{Value: "", Label: "Not yet approved", Checked: f.ApprovedBy == ""}}
	if f.ID != 0 {
		all, err := h.boards.Meetings(r.Context(), b.ID)
		if err != nil {
			return d, err
		}
		for _, other := range all {
			if other.ID != m.ID && other.StartsAt.After(m.StartsAt) {
				d.ApprovedBy = append(d.ApprovedBy, option{Value: itoa(other.ID), Label: other.Title, Checked: f.ApprovedBy == itoa(other.ID)})
			}
		}
		d.Tools = recordTools{Edit: "/admin/meetings/" + itoa(m.ID), Noun: "meeting", Public: m.Path()}
		if m.Archived {
			d.Tools.Public = ""
		}
		if d.PDFs, err = h.media.List(r.Context(), media.Filter{Kind: media.KindPDF}); err != nil {
			return d, err
		}
	}
	return d, nil
}

// meetingByPath loads the meeting the route's {id} names, with its board
// and event.
func (h *handlers) meetingByPath(r *http.Request) (boards.Board, boards.Meeting, events.Event, error) {
	id, err := idFromPath(r)
	if err != nil {
		return boards.Board{}, boards.Meeting{}, events.Event{}, err
	}
	m, err := h.boards.Meeting(r.Context(), id)
	if err != nil {
		return boards.Board{}, boards.Meeting{}, events.Event{}, err
	}
	b, err := h.boards.Board(r.Context(), m.BoardID)
	if err != nil {
		return boards.Board{}, boards.Meeting{}, events.Event{}, err
	}
	e, err := h.events.ByID(r.Context(), m.EventID)
	return b, m, e, err
}

func meetingCrumbs(b boards.Board) []web.Crumb {
	return append(append([]web.Crumb{}, boardsCrumbs...), web.Crumb{Label: b.Name, Href: "/admin/boards/" + itoa(b.ID)})
}

func (h *handlers) meetingNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, err := h.boardByPath(r)
	if err != nil {
		return err
	}
	m := boards.Meeting{Status: boards.MeetingScheduled, MinutesStatus: boards.MinutesNone}
	f := newMeetingForm(b, m, events.Event{Attendance: events.InPerson, Title: b.Name})
	d, err := h.meetingFormData(r, b, m, f, formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_meeting.html", "Add a meeting of "+b.Name, u, meetingCrumbs(b), d)
}

func (h *handlers) meetingForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	d, err := h.meetingFormData(r, b, m, newMeetingForm(b, m, e), formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_meeting.html", "Edit "+e.Title, u, meetingCrumbs(b), d)
}

func (h *handlers) meetingCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, err := h.boardByPath(r)
	if err != nil {
		return err
	}
	return h.meetingSave(w, r, u, b, boards.Meeting{}, events.Event{})
}

func (h *handlers) meetingUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	b, m, e, err := h.meetingByPath(r)
	if err != nil {
		return err
	}
	return h.meetingSave(w, r, u, b, m, e)
}

// meetingSave saves the meeting form: for a new meeting it creates the
// event, then the meeting, in one transaction with the audit entry.
func (h *handlers) meetingSave(w http.ResponseWriter, r *http.Request, u accounts.User, b boards.Board, before boards.Meeting, beforeEvent events.Event) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	f := readMeetingForm(r, before.ID, b.ID)
	e, m, errs := f.meeting(b, beforeEvent, before)
	title := "Add a meeting of " + b.Name
	if before.ID != 0 {
		title = "Edit " + beforeEvent.Title
	}
	again := func() error {
		d, err := h.meetingFormData(r, b, before, f, errs)
		if err != nil {
			return err
		}
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_meeting.html", title, u, meetingCrumbs(b), d)
	}
	if errs.Any() {
		return again()
	}
	m, err := h.saveMeeting(ctx, u, b, before, beforeEvent, e, m, nil, "")
	if errors.Is(err, errSlugTaken) {
		errs.add("slug", "Another event has this web address: choose a different one")
		return again()
	}
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/meetings/"+itoa(m.ID), "The meeting "+m.Title+" has been saved.")
}

// meetingVersion is a meeting as its revisions and JSON export hold it:
// the meeting with its agenda, papers and declarations, and its event.
// Residents' questions are not part of it.
type meetingVersion struct {
	Meeting boards.Meeting `json:"meeting"`
	Event   events.Event   `json:"event"`
}

// loadMeetingVersion reads the meeting id and its event through q.
func loadMeetingVersion(ctx context.Context, q db.Querier, id int64) (meetingVersion, error) {
	m, err := boards.NewStore(q).Meeting(ctx, id)
	if err != nil {
		return meetingVersion{}, err
	}
	e, err := events.NewStore(q).ByID(ctx, m.EventID)
	return meetingVersion{Meeting: m, Event: e}, err
}

// saveMeeting saves the event e and the meeting m of board b over the
// stored before and beforeEvent (zero for a new meeting), in one
// transaction with the audit entry and the meeting's revision (with note,
// which may be empty). When restoring, parts is the version whose agenda,
// papers and declarations the meeting takes. It returns the meeting as
// saved, or errSlugTaken.
func (h *handlers) saveMeeting(ctx context.Context, u accounts.User, b boards.Board, before boards.Meeting, beforeEvent events.Event,
	e events.Event, m boards.Meeting, parts *boards.Meeting, note string) (boards.Meeting, error) {
	var saved meetingVersion
	err := h.db.Tx(ctx, func(q db.Querier) error {
		es, st := events.NewStore(q), boards.NewStore(q)
		if taken, err := es.SlugTaken(ctx, e.Slug, e.ID); err != nil || taken {
			if err == nil {
				err = errSlugTaken
			}
			return err
		}
		m := m
		action := "meeting_updated"
		var prior any
		if before.ID == 0 {
			action = "meeting_created"
			var err error
			if m.EventID, err = es.Create(ctx, e); err != nil {
				return err
			}
			if m.ID, err = st.CreateMeeting(ctx, m); err != nil {
				return err
			}
		} else {
			prior = meetingVersion{Meeting: before, Event: beforeEvent}
			if err := es.Update(ctx, e); err != nil {
				return err
			}
			if err := st.UpdateMeeting(ctx, m); err != nil {
				return err
			}
			if parts != nil {
				if err := restoreParts(ctx, st, before, *parts); err != nil {
					return err
				}
			}
		}
		var err error
		if saved, err = loadMeetingVersion(ctx, q, m.ID); err != nil {
			return err
		}
		if before.ID != 0 && before.Draft && !saved.Meeting.Draft && len(saved.Meeting.Papers) > 0 {
			if err := h.papersPublished(ctx, q, b.ID, saved.Meeting); err != nil {
				return err
			}
		}
		return recordChange(ctx, q, u, "meeting", itoa(m.ID), action, prior, saved, note)
	})
	return saved.Meeting, err
}
