package browsertest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/app/apptest"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/places"
)

const (
	journeyEmail    = "editor@example.org"
	journeyPassword = "a long and memorable passphrase"
)

// startSiteWithEditor runs the real server on a database holding an
// editor of Southwark.
func startSiteWithEditor(t *testing.T) string {
	t.Helper()
	return startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		id, err := places.NewStore(q).IDBySlug(ctx, "southwark")
		if err != nil {
			return err
		}
		_, err = accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: journeyEmail, Name: "Eddie Editor",
			Role: accounts.Editor, Places: []int64{id}, Password: journeyPassword})
		return err
	})
}

// startSiteWith runs the real server on a database that seed has added
// to, in one transaction, before the server starts.
func startSiteWith(t *testing.T, seed func(ctx context.Context, q db.Querier) error) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	cfg := apptest.Config(t, config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), BaseURL: "http://joinedup.test"})
	ctx := context.Background()
	d, err := app.Open(ctx, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	err = d.Tx(ctx, func(q db.Querier) error { return seed(ctx, q) })
	d.Close()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	addrc, errc := make(chan string, 1), make(chan error, 1)
	go func() { errc <- app.Serve(ctx, cfg, log, func(addr string) { addrc <- addr }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-errc:
		case <-time.After(20 * time.Second):
			t.Error("server did not stop within 20s")
		}
	})
	select {
	case addr := <-addrc:
		return "http://" + addr
	case err := <-errc:
		t.Fatalf("start server: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start within 30s")
	}
	return ""
}

// tabTo presses Tab until the focused element matches the CSS selector.
func tabTo(ctx context.Context, selector string) error {
	for range 200 {
		if err := press(ctx, kb.Tab); err != nil {
			return err
		}
		on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)))
		if err != nil {
			return err
		}
		if on {
			return nil
		}
	}
	return fmt.Errorf("Tab never reached %s", selector)
}

// typeText types s into the focused field, replacing what it held.
func typeText(ctx context.Context, s string) error {
	if err := chromedp.Do(ctx, chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl))); err != nil {
		return err
	}
	if err := press(ctx, kb.Backspace); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	return chromedp.Do(ctx, chromedp.KeyEvent(s))
}

// pressAndLoad presses key and waits for the page it loads.
func pressAndLoad(ctx context.Context, key string) error {
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := chromedp.Run(wait, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(key)))
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s loaded no page within 10s", key)
	}
	return err
}

func location(ctx context.Context) string {
	loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	return loc
}

func activeID(ctx context.Context) string {
	id, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement ? document.activeElement.id : ''`))
	return id
}

// TestEditorKeyboardJourney signs in and edits a place by keyboard alone,
// checking each admin page on the way with axe.
func TestEditorKeyboardJourney(t *testing.T) {
	execPath := requireChromium(t)
	base := startSiteWithEditor(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	step("open the login page", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login")))
	step("tab to the email", tabTo(ctx, "#email"))
	step("type the email", typeText(ctx, journeyEmail))
	step("tab to the password", tabTo(ctx, "#password"))
	step("type the password", typeText(ctx, journeyPassword))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); loc != "/admin/" {
		t.Fatalf("after signing in: on %s, want /admin/", loc)
	}
	checkAxe()

	step("tab to Edit places", tabTo(ctx, `main a[href="/admin/places"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to Edit Southwark", tabTo(ctx, `a[href="/admin/places/southwark"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()

	// A mistake first: the error summary takes the focus, and lists the
	// error as a link.
	step("tab to the name", tabTo(ctx, "#name"))
	step("clear the name", typeText(ctx, ""))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	time.Sleep(300 * time.Millisecond) // autofocus applies after the load event
	inSummary, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.activeElement && !!document.activeElement.closest('.nhsuk-error-summary')`))
	step("read the focus", err)
	if !inSummary {
		t.Fatalf("after a mistake, the focus is on #%s, not the error summary", activeID(ctx))
	}
	checkAxe()
	step("tab to the error's link", tabTo(ctx, `.nhsuk-error-summary a[href="#name"]`))
	step("tab on to the name", tabTo(ctx, "#name"))
	step("type the name", typeText(ctx, "Southwark"))
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('name').value`)); v != "Southwark" {
		t.Fatalf("typed Southwark into the name, which now holds %q", v)
	}
	step("tab to the population", tabTo(ctx, "#pop_value"))
	step("type the population", typeText(ctx, "320500"))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); loc != "/admin/places/southwark" {
		t.Fatalf("after saving: on %s", loc)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	step("read the page", err)
	if !strings.Contains(text, "have been saved") {
		t.Errorf("no success message after saving; the page says:\n%.600s", text)
	}
	step("open the public page", chromedp.Do(ctx, chromedp.Navigate(base+"/in-your-area/southwark")))
	text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	step("read the public page", err)
	if !strings.Contains(text, "320,500") {
		t.Error("the public page does not show the new population")
	}
}
