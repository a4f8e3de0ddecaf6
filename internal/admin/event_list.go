package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/events"
)

type eventRow struct {
	Event events.Event
	State string // "Draft" or "Published", and the event's status
}

func (h *handlers) eventList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	all, err := h.events.All(r.Context())
	if err != nil {
		return err
	}
	var rows []eventRow
	for _, e := range all {
		// An editor limited to places sees the events they may change.
		if !canEditPlaces(u, e.PlaceIDs) && !u.ReadOnly(r.Method, accounts.EditContent, accounts.ViewContent) {
			continue
		}
		row := eventRow{Event: e, State: "Published"}
		if e.Draft {
			row.State = "Draft"
		}
		if l := e.Status.Label(); l != "" {
			row.State += ", " + l
		}
		rows = append(rows, row)
	}
	byAge := sortByReadingAge(r, rows, eventRow.ReadingAge)
	return h.render(w, r, http.StatusOK, "admin_events.html", "Events", u, dashboardCrumbs, struct {
		Events []eventRow
		ByAge  bool
	}{rows, byAge})
}
