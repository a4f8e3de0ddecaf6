package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

// TestListingReportByKeyboard: a resident reports a problem with a
// service's listing from its page by keyboard alone; a directory editor
// finds the report in the queue and closes it as fixed, by keyboard too,
// and reads the stale records and the checks' findings. axe checks every
// page on the way.
func TestListingReportByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	const email = "directory@example.org"
	var serviceID string
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		if _, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: email, Name: "Dee Directory",
			Role: accounts.DirectoryEditor, Password: journeyPassword}); err != nil {
			return err
		}
		return q.QueryRowContext(ctx, `SELECT id FROM dir_services WHERE status = 'active' ORDER BY name, id LIMIT 1`).Scan(&serviceID)
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 120*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	step("open the service's page", chromedp.Do(ctx, chromedp.Navigate(base+"/directory/services/"+serviceID)))
	j.saidSo("the service's page", "Nobody has confirmed these details yet")
	step("tab to Report a problem", tabTo(ctx, `main a[href$="/report"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	opened := time.Now()
	checkAxe()
	step("tab to what is wrong", tabTo(ctx, "#kind"))
	step("choose the phone number", press(ctx, " "))
	step("tab to the details", tabTo(ctx, "#details"))
	step("type them", typeText(ctx, "The number rings out; the right one is 020 7946 0000."))
	step("tab to the email", tabTo(ctx, "#email"))
	step("type it", typeText(ctx, "ada@example.org"))
	step("tab to Send", tabTo(ctx, `main button[type="submit"]`))
	if wait := 4*time.Second - time.Since(opened); wait > 0 {
		time.Sleep(wait) // a person takes longer than the form's least time
	}
	step("send with Enter", pressAndLoad(ctx, kb.Enter))
	if !strings.HasSuffix(location(ctx), "/report/sent") {
		t.Fatalf("after sending: on %s", location(ctx))
	}
	j.saidSo("the confirmation", "Report sent")
	checkAxe()

	signInAs(j, base, email)
	step("open the directory", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/directory")))
	checkAxe()
	step("tab to the reports", tabTo(ctx, `main a[href="/admin/directory/reports"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to the report", tabTo(ctx, `main td a[href^="/admin/directory/reports/"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	j.saidSo("the report", "The number rings out")
	checkAxe()
	step("tab to the statuses", tabTo(ctx, `input[name="status"]`))
	if id := activeID(ctx); id != "status-new" {
		t.Fatalf("the first status focused is #%s, want #status-new", id)
	}
	step("move to In hand", press(ctx, kb.ArrowDown))
	step("move to Fixed", press(ctx, kb.ArrowDown))
	if id := activeID(ctx); id != "status-fixed" {
		t.Fatalf("after two arrows the focus is on #%s, want #status-fixed", id)
	}
	step("tab to the note", tabTo(ctx, "#note"))
	step("type it", typeText(ctx, "Thank you: we have corrected the number."))
	step("tab to Save", tabTo(ctx, `main form[method="post"] button[type="submit"]`))
	step("save with Enter", pressAndLoad(ctx, kb.Enter))
	j.saidSo("after closing", "We have emailed the resident who sent it")
	checkAxe()
	step("open the stale records", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/directory/stale")))
	j.saidSo("the stale records", "records are stale")
	checkAxe()
	step("open the checks' findings", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/directory/checks")))
	checkAxe()
	step("open the service in the admin", chromedp.Do(ctx, chromedp.Navigate(base+"/admin/directory/services/"+serviceID)))
	step("tab to Confirm", tabTo(ctx, `main form[action$="/confirm"] button`))
	step("confirm with Enter", pressAndLoad(ctx, kb.Enter))
	j.saidSo("after confirming", "is still correct")
	checkAxe()
}
