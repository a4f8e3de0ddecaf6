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
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/questions"
)

// TestResidentAsksByKeyboard finds the Strategic Board's next meeting from
// the board's page and sends it a question by keyboard alone, checking each
// page on the way with axe.
func TestResidentAsksByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	base := startSite(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
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

// TestGovernanceOfficerModeratesByKeyboard signs in as a governance
// officer, finds a resident's question in the moderation queue and accepts
// it, by keyboard alone, checking each admin page with axe.
func TestGovernanceOfficerModeratesByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	const email = "governance@example.org"
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		if _, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: email, Name: "Gita Governance",
			Role: accounts.GovernanceOfficer, Password: journeyPassword}); err != nil {
			return err
		}
		b, err := boards.NewStore(q).BoardBySlug(ctx, "southwark", "strategic-board")
		if err != nil {
			return err
		}
		ms, err := boards.NewStore(q).Meetings(ctx, b.ID)
		if err != nil {
			return err
		}
		st := questions.NewStore(q)
		ref, err := st.NextReference(ctx, 2026)
		if err != nil {
			return err
		}
		_, err = st.Insert(ctx, questions.Question{MeetingID: ms[len(ms)-1].ID, Reference: ref, Name: "Ada", Email: "ada@example.org",
			Body: "How will carers be supported?", PrivacyAccepted: true, SubmittedAt: time.Now()})
		return err
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	step("open the login page", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/login")))
	step("tab to the email", tabTo(ctx, "#email"))
	step("type the email", typeText(ctx, email))
	step("tab to the password", tabTo(ctx, "#password"))
	step("type the password", typeText(ctx, journeyPassword))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	step("tab to Residents' questions", tabTo(ctx, `main a[href="/admin/questions"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to the meeting", tabTo(ctx, `main td a[href^="/admin/questions?meeting="]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to the question", tabTo(ctx, `main td a[href^="/admin/questions/"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to the actions", tabTo(ctx, `input[name="action"]`))
	if id := activeID(ctx); id != "action-accepted" {
		t.Fatalf("the first action focused is #%s, want #action-accepted", id)
	}
	step("choose Accept", press(ctx, " "))
	step("tab to Save", tabTo(ctx, `main form[method="post"] button[type="submit"]:not(.nhsuk-button--secondary)`))
	step("save with Enter", pressAndLoad(ctx, kb.Enter))
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	step("read the page", err)
	if !strings.Contains(text, "is now Accepted") {
		t.Fatalf("after accepting: on %s, which says:\n%.600s", location(ctx), text)
	}
	checkAxe()
}
