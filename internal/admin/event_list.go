package admin

import (
	"cmp"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/readability"
)

type eventRow struct {
	Event events.Event
	State string // "Draft" or "Published", and the event's status
	age   *readability.Result
}

// eventStatuses are the event list's status filter: public or not, and
// whether the event goes ahead.
var eventStatuses = []option{{Value: "draft", Label: "Draft"}, {Value: "published", Label: "Published"},
	{Value: "cancelled", Label: "Cancelled"}, {Value: "postponed", Label: "Postponed"}}

var eventColumns = []sortable[eventRow]{
	{"title", "Title", func(a, b eventRow) int {
		return cmp.Compare(strings.ToLower(a.Event.Title), strings.ToLower(b.Event.Title))
	}, false},
	{"status", "Status", func(a, b eventRow) int { return cmp.Compare(a.State, b.State) }, false},
	{"starts", "Starts", func(a, b eventRow) int { return a.Event.StartsAt.Compare(b.Event.StartsAt) }, true},
	{"reading-age", "Reading age", func(a, b eventRow) int { return compareReadingAge(a.ReadingAge(), b.ReadingAge()) }, true},
}

func (h *handlers) eventList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	lq, err := readListQuery(r, eventColumns, "starts", eventStatuses)
	if err != nil {
		return err
	}
	all, err := h.events.All(r.Context())
	if err != nil {
		return err
	}
	placeList, err := h.places.List(r.Context())
	if err != nil {
		return err
	}
	slugOf := map[int64]string{}
	for _, p := range placeList {
		slugOf[p.ID] = p.Slug
	}
	var rows []eventRow
	for _, e := range all {
		// An editor limited to places sees the events they may change.
		if !canEditPlaces(u, e.PlaceIDs) && !u.ReadOnly(r.Method, accounts.EditContent, accounts.ViewContent) {
			continue
		}
		if !lq.inPlace(e.PlaceIDs, slugOf) {
			continue
		}
		switch lq.Status {
		case "draft", "published":
			if e.Draft != (lq.Status == "draft") {
				continue
			}
		case "cancelled", "postponed":
			if string(e.Status) != lq.Status {
				continue
			}
		}
		row := eventRow{Event: e, State: "Published"}
		if e.Draft {
			row.State = "Draft"
		}
		if l := e.Status.Label(); l != "" {
			row.State += ", " + l
		}
		m := row.ReadingAge()
		row.age = &m
		rows = append(rows, row)
	}
	shown, lv := sortAndPage("/admin/events", lq, rows, eventColumns, placeList, u, eventStatuses)
	return h.render(w, r, http.StatusOK, "admin_events.html", "Events", u, dashboardCrumbs, struct {
		Events []eventRow
		List   listView
	}{shown, lv})
}
