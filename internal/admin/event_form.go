package admin

import (
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/events"
)

// eventForm is the event form as typed.
type eventForm struct {
	ID                 int64 // 0 for a new event
	Title              string
	Slug               string
	Summary            string
	Body               string
	StartDate          string
	StartTime          string
	EndDate            string
	EndTime            string
	AllDay             bool
	Attendance         string
	Venue              string
	VenueAddress       string
	VenuePostcode      string
	VenueAccessibility string
	OnlineURL          string
	Organiser          string
	Status             string
	StatusNote         string
	RepeatRule         string
	Publish            string // "draft" or "published"
	PlaceIDs           []int64
}

// eventFormData is what admin_event.html shows.
type eventFormData struct {
	Form        eventForm
	Errors      formErrors
	Places      []option
	Attendances []option
	Statuses    []option
	Publishes   []option
	Tools       recordTools
}

const eventPublished = "published"

func newEventForm(e events.Event) eventForm {
	f := eventForm{ID: e.ID, Title: e.Title, Slug: e.Slug, Summary: e.Summary, Body: e.Body, AllDay: e.AllDay,
		Attendance: string(e.Attendance), Venue: e.Venue, VenueAddress: e.VenueAddress, VenuePostcode: e.VenuePostcode,
		VenueAccessibility: e.VenueAccessibility, OnlineURL: e.OnlineURL, Organiser: e.Organiser, Status: string(e.Status),
		StatusNote: e.StatusNote, RepeatRule: e.RepeatRule, Publish: publishDraft, PlaceIDs: e.PlaceIDs}
	if !e.StartsAt.IsZero() {
		f.StartDate, f.EndDate = londonDate(e.StartsAt), londonDate(e.EndsAt)
		if !e.AllDay {
			f.StartTime, f.EndTime = londonTime(e.StartsAt), londonTime(e.EndsAt)
		}
	}
	if e.ID != 0 && !e.Draft {
		f.Publish = eventPublished
	}
	return f
}

func readEventForm(r *http.Request, id int64) eventForm {
	return eventForm{ID: id, Title: formValue(r, "title"), Slug: formValue(r, "slug"), Summary: formText(r, "summary"),
		Body: formText(r, "body"), StartDate: formValue(r, "start_date"), StartTime: formValue(r, "start_time"),
		EndDate: formValue(r, "end_date"), EndTime: formValue(r, "end_time"), AllDay: r.PostFormValue("all_day") == "yes",
		Attendance: formValue(r, "attendance"), Venue: formValue(r, "venue"), VenueAddress: formText(r, "venue_address"),
		VenuePostcode: formValue(r, "venue_postcode"), VenueAccessibility: formText(r, "venue_accessibility"),
		OnlineURL: formValue(r, "online_url"), Organiser: formValue(r, "organiser"), Status: formValue(r, "status"),
		StatusNote: formValue(r, "status_note"), RepeatRule: formValue(r, "repeat_rule"), Publish: formValue(r, "publish")}
}

// readTime reads one of the form's date and time pairs; an all-day event
// needs only the date, and starts at London midnight.
func (f eventForm) readTime(errs *formErrors, date, clock, dateID, timeID, what string) time.Time {
	if date == "" {
		errs.add(dateID, "Enter the date the event "+what)
		return time.Time{}
	}
	if f.AllDay {
		clock = "00:00"
	} else if clock == "" {
		errs.add(timeID, "Enter the time the event "+what+", like 14:30")
		return time.Time{}
	}
	t, wrong := parseLondon(date, clock)
	switch wrong {
	case "date":
		errs.add(dateID, "Enter the date the event "+what+" as a real date, like 2026-03-27")
	case "time":
		errs.add(timeID, "Enter the time the event "+what+" on the 24-hour clock, like 14:30")
	}
	return t
}

// event checks the form and returns the event it describes, built on
// before (the stored event, whose cancelled dates and themes it keeps).
func (f eventForm) event(before events.Event, placeErrs formErrors) (events.Event, formErrors) {
	var errs formErrors
	e := before
	e.Title, e.Slug, e.Summary, e.Body, e.AllDay = f.Title, f.Slug, f.Summary, f.Body, f.AllDay
	e.Attendance, e.Venue, e.VenueAddress, e.VenuePostcode = events.Attendance(f.Attendance), f.Venue, f.VenueAddress, f.VenuePostcode
	e.VenueAccessibility, e.OnlineURL, e.Organiser = f.VenueAccessibility, f.OnlineURL, f.Organiser
	e.Status, e.StatusNote, e.RepeatRule, e.PlaceIDs = events.Status(f.Status), f.StatusNote, f.RepeatRule, f.PlaceIDs
	e.Draft = f.Publish != eventPublished
	// events.Event.Validate has the last word; its keys are mapped to the
	// form's fields, in the order of the form.
	e.StartsAt, e.EndsAt = time.Time{}, time.Time{}
	var timeErrs formErrors
	start := f.readTime(&timeErrs, f.StartDate, f.StartTime, "start_date", "start_time", "starts")
	end := f.readTime(&timeErrs, f.EndDate, f.EndTime, "end_date", "end_time", "ends")
	if !timeErrs.Any() {
		e.StartsAt, e.EndsAt = start, end
	}
	problems := e.Validate()
	add := func(key, field string) {
		if msg, ok := problems[key]; ok {
			errs.add(field, msg)
		}
	}
	add("title", "title")
	checkLength(&errs, "title", f.Title, "The title", 200)
	add("slug", "slug")
	checkLength(&errs, "slug", f.Slug, "The web address", 100)
	checkLength(&errs, "summary", f.Summary, "The summary", 400)
	checkLength(&errs, "body", f.Body, "The description", 50000)
	for _, fe := range timeErrs.List {
		errs.add(fe.Field, fe.Message)
	}
	if !timeErrs.Any() {
		if msg, ok := problems["ends_at"]; ok {
			errs.add("end_date", msg)
		}
	}
	if f.Attendance == "" {
		errs.add("attendance-in_person", "Choose how people attend")
	}
	add("attendance", "attendance-in_person")
	checkLength(&errs, "venue", f.Venue, "The venue", 200)
	if f.Venue == "" && (f.Attendance == string(events.InPerson) || f.Attendance == string(events.Hybrid)) {
		errs.add("venue", "Enter the venue of an event people attend in person")
	}
	checkLength(&errs, "venue_address", f.VenueAddress, "The address", 500)
	checkLength(&errs, "venue_postcode", f.VenuePostcode, "The postcode", 10)
	checkLength(&errs, "venue_accessibility", f.VenueAccessibility, "The accessibility information", 1000)
	add("online_url", "online_url")
	if f.OnlineURL == "" && f.Attendance == string(events.Online) {
		errs.add("online_url", "Enter the joining link of an online event")
	}
	checkLength(&errs, "organiser", f.Organiser, "The organiser", 200)
	if f.Status == "" {
		errs.add("status-scheduled", "Choose the event's status")
	}
	add("status", "status-scheduled")
	checkLength(&errs, "status_note", f.StatusNote, "The status note", 300)
	add("repeat_rule", "repeat_rule")
	for _, fe := range placeErrs.List {
		errs.add(fe.Field, fe.Message)
	}
	if f.Publish != publishDraft && f.Publish != eventPublished {
		errs.add("publish-draft", "Choose whether to save a draft or publish the event")
	}
	return e, errs
}

func (h *handlers) eventFormData(r *http.Request, u accounts.User, f eventForm, errs formErrors) (eventFormData, error) {
	d := eventFormData{Form: f, Errors: errs}
	if f.ID != 0 {
		edit := "/admin/events/" + itoa(f.ID)
		d.Tools = recordTools{Edit: edit, Noun: "event", Preview: edit + "/preview"}
	}
	list, err := h.places.List(r.Context())
	if err != nil {
		return d, err
	}
	d.Places = placeOptions(u, list, f.PlaceIDs)
	for _, a := range []events.Attendance{events.InPerson, events.Online, events.Hybrid} {
		d.Attendances = append(d.Attendances, option{Value: string(a), Label: a.Label(), Checked: f.Attendance == string(a)})
	}
	for _, s := range []events.Status{events.StatusScheduled, events.StatusCancelled, events.StatusPostponed, events.StatusMovedOnline} {
		label := s.Label()
		if label == "" {
			label = "Going ahead as planned"
		}
		d.Statuses = append(d.Statuses, option{Value: string(s), Label: label, Checked: f.Status == string(s)})
	}
	d.Publishes = []option{{Value: publishDraft, Label: "Save as a draft (residents cannot see it)", Checked: f.Publish == publishDraft},
		{Value: eventPublished, Label: "Published", Checked: f.Publish == eventPublished}}
	return d, nil
}
