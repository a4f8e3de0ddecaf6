package browsertest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/questions"
)

// awaitingCount reads the admin home's count of questions awaiting a
// decision (0 when the item is not there).
func awaitingCount(ctx context.Context) (int, error) {
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
  const it = document.querySelector('main .jp-attention__item[data-kind="questions-awaiting-decision"]');
  return it ? it.dataset.count : '0';
})()`))
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(s)
}

// TestGovernanceOfficerWorksFromAdminHome: a governance officer starts at
// the admin home, follows "questions awaiting a decision", accepts one by
// keyboard alone, and comes back by the admin's navigation to a count one
// lower.
func TestGovernanceOfficerWorksFromAdminHome(t *testing.T) {
	execPath := requireChromium(t)
	const email = "officer@example.org"
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		if _, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: email, Name: "Olu Officer",
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
		for _, body := range []string{"How will carers be supported?", "When does the clinic open?", "Who runs the new service?"} {
			ref, err := st.NextReference(ctx, 2026)
			if err != nil {
				return err
			}
			if _, err := st.Insert(ctx, questions.Question{MeetingID: ms[len(ms)-1].ID, Reference: ref, Name: "Ada",
				Email: "ada@example.org", Body: body, PrivacyAccepted: true, SubmittedAt: time.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	signInAs(j, base, email)
	j.axe()
	j.saidSo("the admin home", "What needs you now")
	before, err := awaitingCount(ctx)
	j.step("read the count", err)
	if before != 3 {
		t.Fatalf("the admin home counts %d questions awaiting a decision, want 3", before)
	}
	j.step("tab to the questions awaiting a decision", tabTo(ctx, `main .jp-attention__item[data-kind="questions-awaiting-decision"] a`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	j.axe()
	j.saidSo("the list of questions received", "Received (3)")
	j.step("tab to the first question", tabTo(ctx, `main td a[href^="/admin/questions/"]`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	j.axe()
	j.step("tab to the actions", tabTo(ctx, `input[name="action"]`))
	if id := activeID(ctx); id != "action-accepted" {
		t.Fatalf("the first action focused is #%s, want #action-accepted", id)
	}
	j.step("choose Accept", press(ctx, " "))
	j.step("tab to Save", tabTo(ctx, `main form[method="post"] button[type="submit"]:not(.nhsuk-button--secondary)`))
	j.step("save with Enter", pressAndLoad(ctx, kb.Enter))
	j.saidSo("after accepting", "is now Accepted")
	j.step("tab to Admin home in the navigation", tabTo(ctx, `nav[aria-label="Admin sections"] a[href="/admin/"]`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	after, err := awaitingCount(ctx)
	j.step("read the count again", err)
	if after != before-1 {
		t.Errorf("after accepting one, the admin home counts %d questions awaiting a decision, want %d", after, before-1)
	}
	current, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('nav[aria-label="Admin sections"] [aria-current]') || {}).textContent || ''`))
	j.step("read the current section", err)
	if current != "Admin home" {
		t.Errorf("the navigation marks %q as current on the admin home", current)
	}
	j.axe()
	// At 320 CSS px the navigation, search and list fold onto more lines:
	// nothing scrolls sideways, with scripts or without.
	o, err := checkReflow(ctx, narrow)
	j.step("measure the admin home at 320 px", err)
	if !o.ok() {
		t.Errorf("the admin home at %s: %s", narrow.name, o)
	}
}
