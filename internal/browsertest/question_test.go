package browsertest

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestResidentAsksByKeyboard finds the Strategic Board's next meeting from
// the board's page and sends it a question by keyboard alone, checking each
// page on the way with axe.
func TestResidentAsksByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	base := startSite(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	step, checkAxe := journey(t, ctx)
	step("open the board's page", chromedp.Do(ctx, chromedp.Navigate(base+"/in-your-area/southwark/boards/strategic-board")))
	checkAxe()
	step("tab to the next meeting", tabTo(ctx, `#upcoming ~ ul a, section[aria-labelledby="upcoming"] a`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to Ask the board a question", tabTo(ctx, `a[href$="/questions"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	opened := time.Now()
	if loc := location(ctx); !strings.HasSuffix(loc, "/questions") {
		t.Fatalf("on %s, want the question form", loc)
	}
	checkAxe()
	for _, f := range []struct{ id, text string }{
		{"#name", "Ada Lovelace"},
		{"#email", "ada@example.org"},
		{"#question", "How will the partnership help carers this winter?"},
	} {
		step("tab to "+f.id, tabTo(ctx, f.id))
		step("type into "+f.id, typeText(ctx, f.text))
	}
	step("tab to the consent", tabTo(ctx, `input[name="publish"]`))
	step("choose publish my name", press(ctx, " "))
	step("tab to the privacy notice", tabTo(ctx, "#privacy"))
	step("tick it", press(ctx, " "))
	step("tab to Send", tabTo(ctx, `main button[type="submit"]`))
	// The form refuses what is sent within seconds of opening it, as
	// robots do; a person typing takes longer than that.
	if wait := 4*time.Second - time.Since(opened); wait > 0 {
		time.Sleep(wait)
	}
	step("send with Enter", pressAndLoad(ctx, kb.Enter))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	step("read the page", err)
	if !strings.HasSuffix(location(ctx), "/questions/sent") || !regexp.MustCompile(`Your reference is Q-\d{4}-\d{4}`).MatchString(text) {
		t.Fatalf("after sending: on %s, which says:\n%.600s", location(ctx), text)
	}
	checkAxe()
}
