package events

import (
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/testenv"
)

func TestCalendarReadsBackIndependently(t *testing.T) {
	updated := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	evs := []Event{
		{ID: 7, Slug: "board", Title: "Strategic Board, in public; May", Summary: "Questions welcome.",
			StartsAt: local(2025, 5, 22, 13, 30).UTC(), EndsAt: local(2025, 5, 22, 16, 30).UTC(),
			Venue: "Tooley Street", VenuePostcode: "SE1 2QH", Status: StatusScheduled, Sequence: 3, UpdatedAt: updated},
		{ID: 8, Slug: "drop-in", Title: "Weekly drop-in", StartsAt: local(2025, 10, 14, 10, 0).UTC(), EndsAt: local(2025, 10, 14, 12, 0).UTC(),
			RepeatRule: "FREQ=WEEKLY;BYDAY=TU;UNTIL=20251231", Cancellations: []string{"2025-10-28"}, Status: StatusScheduled, UpdatedAt: updated},
		{ID: 9, Slug: "fair", Title: "Health fair", StartsAt: local(2025, 7, 5, 0, 0).UTC(), EndsAt: local(2025, 7, 6, 0, 0).UTC(),
			AllDay: true, Status: StatusCancelled, StatusNote: "Called off because of the heat.", UpdatedAt: updated},
	}
	doc := Calendar(evs, CalendarInfo{Name: "Southwark events", URL: "https://ps.example/feeds/events.ics", BaseURL: "https://ps.example"})
	if !strings.Contains(doc, "\r\n") || strings.Contains(strings.ReplaceAll(doc, "\r\n", ""), "\n") {
		t.Error("lines must end in CRLF")
	}
	for _, line := range strings.Split(doc, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
	cal := testenv.ParseICal(t, doc)
	if cal.Name != "Southwark events" || len(cal.TZIDs) != 1 || cal.TZIDs[0] != "Europe/London" {
		t.Errorf("calendar name %q, time zones %v", cal.Name, cal.TZIDs)
	}
	if len(cal.Events) != 3 {
		t.Fatalf("%d events read back, want 3", len(cal.Events))
	}
	board, dropIn, fair := cal.Events[0], cal.Events[1], cal.Events[2]
	want := testenv.ICalEvent{UID: "event-7@ps.example", Summary: "Strategic Board, in public; May", Status: "CONFIRMED", Sequence: 3,
		Start: "2025-05-22T13:30:00+01:00", End: "2025-05-22T16:30:00+01:00", URL: "https://ps.example/events/board",
		Location: "Tooley Street, SE1 2QH"}
	if board.UID != want.UID || board.Summary != want.Summary || board.Status != want.Status || board.Sequence != want.Sequence ||
		board.Start != want.Start || board.End != want.End || board.URL != want.URL || board.Location != want.Location {
		t.Errorf("board meeting read back as %+v, want %+v", board, want)
	}
	if dropIn.RRule != "FREQ=WEEKLY;UNTIL=20251231T235959Z;BYDAY=TU" {
		t.Errorf("drop-in rule %q", dropIn.RRule)
	}
	if len(dropIn.ExDates) != 1 || dropIn.ExDates[0] != "2025-10-28T10:00:00+00:00" {
		t.Errorf("drop-in cancelled dates %v, want 10am GMT on 28 October", dropIn.ExDates)
	}
	if fair.Status != "CANCELLED" || fair.Summary != "Cancelled: Health fair" || fair.Start != "2025-07-05" || fair.End != "2025-07-07" {
		t.Errorf("cancelled all-day fair read back as %+v", fair)
	}
}
