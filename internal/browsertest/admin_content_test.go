package browsertest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/places"
)

const directoryEmail = "directory@example.org"

// journey is a walk through the site in one tab, by keyboard.
type journey struct {
	t   *testing.T
	ctx context.Context
}

// step stops the test when what failed, saying where the focus was.
func (j journey) step(what string, err error) {
	j.t.Helper()
	if err != nil {
		j.t.Fatalf("%s (on %s, focus on #%s): %v", what, location(j.ctx), activeID(j.ctx), err)
	}
}

// axe checks the page with axe-core.
func (j journey) axe() {
	j.t.Helper()
	vs, err := runAxe(j.ctx)
	j.step("axe", err)
	for _, v := range vs {
		j.t.Errorf("axe on %s: %s", location(j.ctx), v)
	}
}

// follow tabs to a link or button and presses Enter on it, waiting for the
// page it loads.
func follow(ctx context.Context, selector string) error {
	if err := tabTo(ctx, selector); err != nil {
		return err
	}
	return pressAndLoad(ctx, kb.Enter)
}

func mainText(ctx context.Context) (string, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
}

func fieldValue(ctx context.Context, id string) string {
	v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById(%q).value`, id)))
	return v
}

// typeDate types an ISO date (2026-03-27) into the focused date input, in
// the order of the browser's locale, and checks the input took it.
func typeDate(ctx context.Context, id, iso string) error {
	order, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Intl.DateTimeFormat(navigator.language)
		.formatToParts(new Date(2001, 1, 3)).filter(p => ['day', 'month', 'year'].includes(p.type)).map(p => p.type).join(',')`))
	if err != nil {
		return err
	}
	parts := map[string]string{"year": iso[:4], "month": iso[5:7], "day": iso[8:10]}
	for _, p := range strings.Split(order, ",") {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(parts[p])); err != nil {
			return err
		}
	}
	if got := fieldValue(ctx, id); got != iso {
		return fmt.Errorf("typed %s into #%s (fields %s), which holds %q", iso, id, order, got)
	}
	return nil
}

// typeTime types a time (14:30) into the focused time input, on the
// browser's clock (12 or 24 hours), and checks the input took it.
func typeTime(ctx context.Context, id, clock string) error {
	cycle, err := chromedp.Run(ctx, chromedp.Evaluate[string](`new Intl.DateTimeFormat(navigator.language, {hour: 'numeric'}).resolvedOptions().hourCycle`))
	if err != nil {
		return err
	}
	keys := strings.ReplaceAll(clock, ":", "")
	if cycle == "h12" || cycle == "h11" {
		var h, m int
		fmt.Sscanf(clock, "%d:%d", &h, &m)
		ampm := "A"
		if h >= 12 {
			ampm = "P"
		}
		h12 := h % 12
		if h12 == 0 {
			h12 = 12
		}
		keys = fmt.Sprintf("%02d%02d%s", h12, m, ampm)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
		return err
	}
	if got := fieldValue(ctx, id); got != clock {
		return fmt.Errorf("typed %s into #%s (%s clock), which holds %q", clock, id, cycle, got)
	}
	return nil
}

// TestEditorContentKeyboardJourney: an editor of Southwark, by keyboard
// alone, changes a place's figure, previews, creates and publishes a post, changes it and restores its first
// version, and adds an event; then a directory editor changes a service's
// opening hours. Each change is checked on the public page, and each admin
// page on the way with axe.
func TestEditorContentKeyboardJourney(t *testing.T) {
	execPath := requireChromium(t)
	var serviceID, serviceName string
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		id, err := places.NewStore(q).IDBySlug(ctx, "southwark")
		if err != nil {
			return err
		}
		users := accounts.NewStore(q)
		if _, err := users.Create(ctx, accounts.NewUser{Email: journeyEmail, Name: "Eddie Editor", Role: accounts.Editor,
			Places: []int64{id}, Password: journeyPassword}); err != nil {
			return err
		}
		if _, err := users.Create(ctx, accounts.NewUser{Email: directoryEmail, Name: "Dee Directory", Role: accounts.DirectoryEditor,
			Password: journeyPassword}); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT id, name FROM dir_services ORDER BY name, id LIMIT 1`).Scan(&serviceID, &serviceName)
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 180*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	typeInto := func(id, text string) {
		t.Helper()
		step("tab to #"+id, tabTo(ctx, "#"+id))
		step("type into #"+id, typeText(ctx, text))
	}
	saved := func(what string) {
		t.Helper()
		text, err := mainText(ctx)
		step("read the page", err)
		if !strings.Contains(text, "has been") && !strings.Contains(text, "have been saved") {
			t.Fatalf("%s: no success message; the page says:\n%.800s", what, text)
		}
	}
	public := func(path string, wants ...string) {
		t.Helper()
		tab := newTab(t, browser, 30*time.Second)
		if err := chromedp.Do(tab, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		text, err := mainText(tab)
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s does not show %q; it says:\n%.800s", path, want, text)
			}
		}
	}
	signIn := func(email string) {
		t.Helper()
		step("open the login page", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login")))
		typeInto("email", email)
		typeInto("password", journeyPassword)
		step("sign in with Enter", pressAndLoad(ctx, kb.Enter))
		if loc := location(ctx); loc != "/admin/" {
			t.Fatalf("after signing in as %s: on %s", email, loc)
		}
	}

	signIn(journeyEmail)

	// A place's figure.
	step("go to the places", follow(ctx, `main a[href="/admin/places"]`))
	step("edit Southwark", follow(ctx, `a[href="/admin/places/southwark"]`))
	typeInto("pop_value", "321000")
	step("save", follow(ctx, `form[action="/admin/places/southwark"] button`))
	saved("change the population")
	public("/in-your-area/southwark", "321,000")
	step("back to the admin", follow(ctx, `nav a[href="/admin/"]`))

	// A post, published at once.
	step("go to the posts", follow(ctx, `main a[href="/admin/posts"]`))
	checkAxe()
	step("add a post", follow(ctx, `main a[href="/admin/posts/new"]`))
	checkAxe()
	typeInto("title", "Walk for health")
	typeInto("slug", "walk-for-health")
	typeInto("summary", "A walk in the park every Tuesday.")
	typeInto("body", "Meet at the gate.")
	// A resident's story, told by its storyteller.
	step("tab to the kind of post", tabTo(ctx, "#kind-news"))
	step("choose a resident's story", press(ctx, kb.ArrowDown))
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('kind-story').checked`)); !on {
		t.Fatal("the arrow key did not choose a resident's story")
	}
	typeInto("storyteller", "Grace, who walks every Tuesday")
	// Previewed first, then back to the form with the input kept.
	step("preview", follow(ctx, `button[formaction="/admin/posts/preview"]`))
	checkAxe()
	text, err := mainText(ctx)
	step("read the preview", err)
	if !strings.Contains(text, "Residents cannot see this") || !strings.Contains(text, "Meet at the gate.") {
		t.Fatalf("the preview does not show the post as a preview:\n%.800s", text)
	}
	step("back to editing", follow(ctx, `button[name="preview_back"]`))
	if v := fieldValue(ctx, "title"); v != "Walk for health" {
		t.Fatalf("back from the preview, the title holds %q", v)
	}
	step("tab to the publication choice", tabTo(ctx, "#publish-draft"))
	step("choose Publish now", press(ctx, kb.ArrowDown))
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('publish-now').checked`)); !on {
		t.Fatal("the arrow key did not choose Publish now")
	}
	step("save", follow(ctx, `form[action="/admin/posts"] button:not([formaction])`))
	saved("publish a post")
	edit := location(ctx)
	public("/news/walk-for-health", "Walk for health", "Grace, who walks every Tuesday")

	// Changed, then the first version restored.
	typeInto("title", "Run for health")
	step("save the change", follow(ctx, `form[action="`+edit+`"] button:not([formaction])`))
	saved("change the post")
	public("/news/walk-for-health", "Run for health")
	step("open the versions", follow(ctx, `a[href="`+edit+`/revisions"]`))
	checkAxe()
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('main table a')].pop().getAttribute('href')`))
	step("find the first version", err)
	step("open the first version", follow(ctx, `main table a[href="`+first+`"]`))
	checkAxe()
	text, err = mainText(ctx)
	step("read the version", err)
	if !strings.Contains(text, "Walk for health") || !strings.Contains(text, "Run for health") {
		t.Errorf("the version's page does not compare the titles:\n%.800s", text)
	}
	step("restore it", follow(ctx, "#restore"))
	saved("restore the first version")
	public("/news/walk-for-health", "Walk for health")

	// An event.
	step("go to the events", follow(ctx, `nav a[href="/admin/events"]`))
	step("add an event", follow(ctx, `main a[href="/admin/events/new"]`))
	checkAxe()
	day := time.Now().AddDate(0, 0, 3).Format("2006-01-02")
	typeInto("title", "Tea and advice")
	typeInto("slug", "tea-and-advice")
	typeInto("summary", "Drop in for tea and advice.")
	step("tab to the start date", tabTo(ctx, "#start_date"))
	step("type the start date", typeDate(ctx, "start_date", day))
	step("tab to the start time", tabTo(ctx, "#start_time"))
	step("type the start time", typeTime(ctx, "start_time", "10:00"))
	step("tab to the end date", tabTo(ctx, "#end_date"))
	step("type the end date", typeDate(ctx, "end_date", day))
	step("tab to the end time", tabTo(ctx, "#end_time"))
	step("type the end time", typeTime(ctx, "end_time", "12:00"))
	typeInto("venue", "The community hall")
	step("tab to the publication choice", tabTo(ctx, "#publish-draft"))
	step("choose Published", press(ctx, kb.ArrowDown))
	step("save", follow(ctx, `form[action="/admin/events"] button:not([formaction])`))
	saved("add an event")
	public("/events/tea-and-advice", "Tea and advice", "The community hall")

	// The directory editor changes a service's opening hours.
	step("sign out", follow(ctx, `form[action="/admin/logout"] button`))
	signIn(directoryEmail)
	step("go to the directory", follow(ctx, `main a[href="/admin/directory"]`))
	checkAxe()
	typeInto("q", serviceName)
	step("search", pressAndLoad(ctx, kb.Enter))
	step("open the service", follow(ctx, `main table a[href="/admin/directory/services/`+serviceID+`"]`))
	checkAxe()
	for _, d := range []string{"MO", "TU", "WE", "TH", "FR"} {
		typeInto("hours-"+d+"-1-opens", "08:00")
		typeInto("hours-"+d+"-1-closes", "18:00")
	}
	step("save", follow(ctx, `form[action="/admin/directory/services/`+serviceID+`"] button`))
	saved("change the opening hours")
	public("/directory/services/"+serviceID, "Monday to Friday, 8am to 6pm")
}
