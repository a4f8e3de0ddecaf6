package browsertest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/registrations"
)

// TestOrganiserCancelsAttendeeByKeyboard: an editor of Southwark, by
// keyboard alone, cancels the one person with a place at a full event from
// the admin's list of people registered, through its confirmation page;
// the person waiting then has the place. Each page is checked with axe.
func TestOrganiserCancelsAttendeeByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	var eventID, annID int64
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		place, err := places.NewStore(q).IDBySlug(ctx, "southwark")
		if err != nil {
			return err
		}
		if _, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: journeyEmail, Name: "Eddie Editor",
			Role: accounts.Editor, Places: []int64{place}, Password: journeyPassword}); err != nil {
			return err
		}
		start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
		if eventID, err = events.NewStore(q).Create(ctx, events.Event{Slug: "full-walk", Title: "Full walk", Summary: "A walk.",
			StartsAt: start, EndsAt: start.Add(time.Hour), Venue: "Burgess Park", PlaceIDs: []int64{place}}); err != nil {
			return err
		}
		st := registrations.DefaultSettings(eventID)
		st.Enabled, st.Capacity, st.WaitingList, st.Taken = true, 1, true, 1
		if err := registrations.NewStore(q).SaveSettings(ctx, st); err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, r := range []struct{ name, email, status string }{{"Ann Attendee", "ann@example.org", "confirmed"}, {"Bob Waiting", "bob@example.org", "waiting"}} {
			if _, err := q.ExecContext(ctx, `INSERT INTO registrations (event_id, name, email, status, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $5)`, eventID, r.name, r.email, r.status, now); err != nil {
				return err
			}
		}
		return q.QueryRowContext(ctx, `SELECT id FROM registrations WHERE email = 'ann@example.org'`).Scan(&annID)
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	list := fmt.Sprintf("/admin/events/%d/registration", eventID)
	cancel := fmt.Sprintf("%s/%d/cancel", list, annID)

	signInAs(j, base, journeyEmail)
	step("open the people registered", chromedp.Do(ctx, chromedp.Navigate(base+list)))
	checkAxe()
	step("tab to Cancel Ann's registration", tabTo(ctx, `a[href="`+cancel+`"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); loc != cancel {
		t.Fatalf("on %s, want the confirmation page", loc)
	}
	j.saidSo("the confirmation page", "Ann Attendee")
	checkAxe()
	j.tabOrder()
	step("tab to the button", tabTo(ctx, `main form button[type="submit"]`))
	step("confirm with Enter", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); loc != list {
		t.Fatalf("after confirming: on %s, want %s", loc, list)
	}
	j.saidSo("cancel Ann", "Bob Waiting was first on the waiting list, now has the place")
	checkAxe()
}
