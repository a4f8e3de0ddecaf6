package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/registrations"
)

// TestResidentRegistersByKeyboard registers for an event with the
// keyboard alone, from the event page, through a mistake, to the
// confirmation, checking each page with axe.
func TestResidentRegistersByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		start := time.Now().Add(72 * time.Hour).Truncate(time.Hour)
		id, err := events.NewStore(q).Create(ctx, events.Event{Slug: "keyboard-walk", Title: "Keyboard walk", Summary: "A walk.",
			StartsAt: start, EndsAt: start.Add(time.Hour), Venue: "Burgess Park"})
		if err != nil {
			return err
		}
		st := registrations.DefaultSettings(id)
		st.Enabled, st.Capacity = true, 20
		return registrations.NewStore(q).SaveSettings(ctx, st)
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	submit := func() {
		t.Helper()
		step("tab to the button", tabTo(ctx, `main button[type="submit"]`))
		step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	}
	mainText := func() string {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		step("read the page", err)
		return text
	}
	step("open the event", chromedp.Do(ctx, chromedp.Navigate(base+"/events/keyboard-walk")))
	checkAxe()
	step("tab to Register", tabTo(ctx, `a[href="/events/keyboard-walk/register"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); loc != "/events/keyboard-walk/register" {
		t.Fatalf("on %s, want the registration form", loc)
	}
	checkAxe()

	step("tab to the name", tabTo(ctx, "#name"))
	step("type the name", typeText(ctx, "Kay Board"))
	step("tab to the email", tabTo(ctx, "#email"))
	step("type the email", typeText(ctx, "kay@example.org"))
	step("tab to the access needs", tabTo(ctx, "#access_needs"))
	step("type the access needs", typeText(ctx, "A seat near the front"))
	// The mistake: no consent to keep the access needs, privacy not read.
	submit()
	time.Sleep(300 * time.Millisecond) // autofocus applies after the load event
	inSummary, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.activeElement && !!document.activeElement.closest('.nhsuk-error-summary')`))
	step("read the focus", err)
	if !inSummary {
		t.Fatalf("after a mistake, the focus is on #%s, not the error summary", activeID(ctx))
	}
	checkAxe()
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('name').value`)); v != "Kay Board" {
		t.Errorf("the form lost the name: %q", v)
	}
	step("tab to the consent", tabTo(ctx, "#access_consent"))
	step("tick it with Space", press(ctx, " "))
	step("tab to the privacy notice box", tabTo(ctx, "#privacy"))
	step("tick it with Space", press(ctx, " "))
	submit()
	if loc := location(ctx); loc != "/events/keyboard-walk/register/done" {
		t.Fatalf("after registering: on %s\n%s", loc, mainText())
	}
	if text := mainText(); !strings.Contains(text, "You have a place at Keyboard walk") {
		t.Errorf("the confirmation page says:\n%.600s", text)
	}
	checkAxe()
	step("open the event again", chromedp.Do(ctx, chromedp.Navigate(base+"/events/keyboard-walk")))
	if text := mainText(); !strings.Contains(text, "19 places are left of 20") {
		t.Errorf("the event page does not count the place taken:\n%.800s", text)
	}
}
