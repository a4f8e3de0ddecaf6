package browsertest

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

// TestResidentAsksForEasyReadByKeyboard finds a paper of the Strategic
// Board's next meeting and asks for it in Easy Read by keyboard alone;
// then a governance officer, also by keyboard, finds the request in the
// queue with its due date and takes it in hand. Each page is checked
// with axe.
func TestResidentAsksForEasyReadByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	const email = "governance@example.org"
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		_, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: email, Name: "Gita Governance",
			Role: accounts.GovernanceOfficer, Password: journeyPassword})
		return err
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 120*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	step("open the board's page", chromedp.Do(ctx, chromedp.Navigate(base+"/in-your-area/southwark/boards/strategic-board")))
	step("tab to the next meeting", tabTo(ctx, `#upcoming ~ ul a, section[aria-labelledby="upcoming"] a`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to Ask for this paper in another format", tabTo(ctx, `main a[href*="/papers/"][href$="/another-format"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	opened := time.Now()
	if loc := location(ctx); !strings.HasSuffix(loc, "/another-format") {
		t.Fatalf("on %s, want the request form", loc)
	}
	checkAxe()
	step("tab to the formats", tabTo(ctx, `input[name="format"]`))
	if id := activeID(ctx); id != "format-easy-read" {
		t.Fatalf("the first format focused is #%s, want #format-easy-read", id)
	}
	step("choose Easy Read", press(ctx, " "))
	step("tab to the email", tabTo(ctx, "#email"))
	step("type the email", typeText(ctx, "ada@example.org"))
	step("tab to Send", tabTo(ctx, `main button[type="submit"]`))
	// The form refuses what is sent within seconds of opening it.
	if wait := 4*time.Second - time.Since(opened); wait > 0 {
		time.Sleep(wait)
	}
	step("send with Enter", pressAndLoad(ctx, kb.Enter))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	step("read the page", err)
	refs := regexp.MustCompile(`Your reference is (F-\d{5})`).FindStringSubmatch(text)
	if !strings.HasSuffix(location(ctx), "/another-format/sent") || refs == nil || !strings.Contains(text, "Easy Read") ||
		!strings.Contains(text, "governance team") {
		t.Fatalf("after sending: on %s, which says:\n%.600s", location(ctx), text)
	}
	checkAxe()

	step("open the login page", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login")))
	step("tab to the email", tabTo(ctx, "#email"))
	step("type the email", typeText(ctx, email))
	step("tab to the password", tabTo(ctx, "#password"))
	step("type the password", typeText(ctx, journeyPassword))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	step("tab to Requests for other formats", tabTo(ctx, `main a[href="/admin/format-requests"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main table').innerText`))
	step("read the queue", err)
	if !strings.Contains(text, refs[1]) || !regexp.MustCompile(`(Monday|Tuesday|Wednesday|Thursday|Friday) \d+ \w+ \d{4}`).MatchString(text) {
		t.Fatalf("the queue lacks %s with a due date:\n%.600s", refs[1], text)
	}
	step("tab to the request", tabTo(ctx, `main td a[href^="/admin/format-requests/"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to the statuses", tabTo(ctx, `input[name="status"]`))
	if id := activeID(ctx); id != "status-in_hand" {
		t.Fatalf("the first status focused is #%s, want #status-in_hand", id)
	}
	step("choose In hand", press(ctx, " "))
	step("tab to Save", tabTo(ctx, `main form[method="post"] button[type="submit"]`))
	step("save with Enter", pressAndLoad(ctx, kb.Enter))
	text, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	step("read the page", err)
	if !strings.Contains(text, refs[1]+" is now In hand") || !strings.Contains(text, "emailed the resident") {
		t.Fatalf("after saving: on %s, which says:\n%.600s", location(ctx), text)
	}
	checkAxe()
}
