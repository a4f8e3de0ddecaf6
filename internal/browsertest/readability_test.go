package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/readability"
)

// TestReadingAgeAsEditorsType: the reading age panel of the post form
// measures the body again as the editor types (readability.js asking
// POST /admin/readability), shows the figure the server gives on saving,
// says the new figure to screen readers, and passes axe before and after.
func TestReadingAgeAsEditorsType(t *testing.T) {
	execPath := requireChromium(t)
	base := startSiteWithEditor(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 120*time.Second)
	j := journey{t: t, ctx: ctx}
	typeInto := func(id, text string) {
		t.Helper()
		j.step("tab to #"+id, tabTo(ctx, "#"+id))
		j.step("type into #"+id, typeText(ctx, text))
	}
	j.step("open the login page", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login")))
	typeInto("email", journeyEmail)
	typeInto("password", journeyPassword)
	j.step("sign in with Enter", pressAndLoad(ctx, kb.Enter))
	j.step("add a post", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/posts/new")))
	age := func() string {
		v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
			`(document.querySelector('#readability [data-readability-age]') || {getAttribute: () => 'none'}).getAttribute('data-readability-age')`))
		return v
	}
	if got := age(); got != "" {
		t.Fatalf("an empty form's panel shows age %q, want none yet", got)
	}
	j.axe()

	body := "The partnership will facilitate community engagement regarding additional mental health services. " +
		"Residents who wish to participate in the consultation should complete the questionnaire and return it " +
		"to the engagement team at the town hall before the closing date in March."
	want := readability.Measure(body).AgeLabel()
	typeInto("body", body)
	var got string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if got = age(); got == want {
			break
		}
	}
	if got != want {
		t.Fatalf("after typing, the panel shows reading age %q, want the server's %q", got, want)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('readability').innerText`))
	j.step("read the panel", err)
	for _, w := range []string{"Reading age " + want, "sentence is over 25 words", "“facilitate”: try “help, make easier”",
		"Flesch-Kincaid grade level", "Reading age now " + want + "."} {
		if !strings.Contains(text, w) {
			t.Errorf("the panel does not say %q; it says:\n%s", w, text)
		}
	}
	j.axe()
}
