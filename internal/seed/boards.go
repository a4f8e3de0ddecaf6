package seed

import (
	"context"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/london"
)

// The facts about the Strategic Board (its name, that it meets in public,
// that it is made up of representatives of the partnership's organisations
// and of the borough's communities, that residents may attend and ask
// questions, and its meeting of 22 May 2025) are from Partnership
// Southwark's public page on the South East London ICS website. Members
// are listed by the organisation or community they represent: the
// governance team adds their names, which are not invented here. The
// meeting to come and its agenda are sample content, for the
// pages to show a meeting that is still to come: it is set on the first
// Thursday at least six weeks after the installation is first started.

// SampleMeetingSlugPrefix begins the web address of the sample meeting
// to come (and of the board's real meetings).
const SampleMeetingSlugPrefix = "partnership-southwark-strategic-board-"

func strategicBoard(placeID int64) boards.Board {
	rule := boards.DefaultRule()
	rule.OutOfScope = "The board cannot answer questions about one person's care or treatment. " +
		"For those, contact the service concerned or its Patient Advice and Liaison Service (PALS)."
	member := func(represents string) boards.Member {
		return boards.Member{Name: "Representative of " + represents, Role: "Member", Represents: represents}
	}
	return boards.Board{
		PlaceID: placeID,
		Slug:    "strategic-board",
		Name:    "Partnership Southwark Strategic Board",
		Kind:    boards.KindBoard,
		Description: "The Strategic Board brings together representatives of the organisations in Partnership Southwark " +
			"and community representatives from across the borough. It meets in public: residents and community members " +
			"are welcome to attend, and to send the board questions before each meeting.",
		TermsOfReference: "## Purpose\n\nThe board leads the partnership's work to:\n\n" +
			"- better join up services and support\n- tackle the causes of inequality\n" +
			"- improve the health and wellbeing of Southwark residents\n\n" +
			"## Membership\n\nRepresentatives of the partnership's organisations (the NHS, the council, GP federations " +
			"and the voluntary sector) and community representatives from the borough.\n\n" +
			"## Meetings in public\n\nMeetings are held in public. Papers are published on each meeting's page before " +
			"the meeting, and minutes once the board has approved them at its next meeting. Residents may send questions " +
			"in advance, under the rule shown on this page.",
		Rule:            rule,
		RetentionMonths: boards.DefaultRetentionMonths,
		Members: []boards.Member{
			member("Southwark Council"),
			member("NHS South East London Integrated Care Board"),
			member("Guy's and St Thomas' NHS Foundation Trust"),
			member("King's College Hospital NHS Foundation Trust"),
			member("South London and Maudsley NHS Foundation Trust"),
			member("Southwark's GP federations"),
			member("Community Southwark"),
			member("Healthwatch Southwark"),
			{Name: "Community representatives", Role: "Members", Represents: "Southwark's communities"},
		},
	}
}

func loadStrategicBoard(ctx context.Context, q db.Querier) error {
	southwark, err := placeID(ctx, q, "southwark")
	if err != nil {
		return err
	}
	st := boards.NewStore(q)
	boardID, err := st.SaveBoard(ctx, strategicBoard(southwark))
	if err != nil {
		return err
	}
	// The meeting of 22 May 2025 is already an event; it becomes the
	// board's meeting, held.
	var may int64
	if err := q.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = $1`, "partnership-southwark-strategic-board-22-may-2025").Scan(&may); err != nil {
		return err
	}
	if _, err := st.CreateMeeting(ctx, boards.Meeting{BoardID: boardID, EventID: may, Status: boards.MeetingHeld,
		MinutesStatus: boards.MinutesNone}); err != nil {
		return err
	}
	day := london.In(time.Now()).AddDate(0, 0, 42)
	for day.Weekday() != time.Thursday {
		day = day.AddDate(0, 0, 1)
	}
	next := events.Event{
		Slug:  SampleMeetingSlugPrefix + strings.ToLower(day.Format("2-january-2006")),
		Title: "Partnership Southwark Strategic Board – " + day.Format("2 January 2006"),
		Summary: "The Partnership Southwark Strategic Board meets in public. Residents and community members " +
			"are welcome to attend and to send the board questions before the meeting.",
		Body:          "The board meets in public. Read the agenda and papers below, and send a question before the deadline.",
		StartsAt:      at(day.Year(), day.Month(), day.Day(), 13, 30),
		EndsAt:        at(day.Year(), day.Month(), day.Day(), 16, 30),
		Venue:         "Southwark Council, 160 Tooley Street",
		VenueAddress:  "160 Tooley Street, London",
		VenuePostcode: "SE1 2QH",
		Organiser:     "Partnership Southwark",
		PlaceIDs:      []int64{southwark},
	}
	eventID, err := events.NewStore(q).Create(ctx, next)
	if err != nil {
		return err
	}
	meetingID, err := st.CreateMeeting(ctx, boards.Meeting{BoardID: boardID, EventID: eventID, Status: boards.MeetingScheduled,
		MinutesStatus: boards.MinutesNone})
	if err != nil {
		return err
	}
	items := []boards.AgendaItem{
		{Number: 1, Title: "Welcome, introductions and apologies", Presenter: "Chair", StartsAt: "13:30"},
		{Number: 2, Title: "Declarations of interest", Presenter: "Chair", StartsAt: "13:35"},
		{Number: 3, Title: "Minutes of the previous meeting", Presenter: "Chair", StartsAt: "13:40"},
		{Number: 4, Title: "Questions from residents", Presenter: "Chair", StartsAt: "13:45",
			Description: "Answers to the questions residents sent before the meeting."},
		{Number: 5, Title: "Tackling inequality: progress report", StartsAt: "14:05",
			Description: "How the partnership's work to tackle the causes of inequality is going."},
		{Number: 6, Title: "Any other business", Presenter: "Chair", StartsAt: "16:20"},
	}
	for _, it := range items {
		id, err := st.AddAgendaItem(ctx, meetingID, it)
		if err != nil {
			return err
		}
		if it.Number == 5 {
			if _, err := st.AddPaper(ctx, boards.Paper{MeetingID: meetingID, AgendaItemID: id, Format: boards.PaperHTML,
				Title: "Tackling inequality: progress report (sample paper)",
				Body: "This sample paper shows how a paper written on the site appears to residents.\n\n" +
					"## Summary\n\nThe board is asked to note the progress of the partnership's work to tackle the " +
					"causes of inequality."}); err != nil {
				return err
			}
		}
	}
	return nil
}
