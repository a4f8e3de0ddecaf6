package browsertest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/media/mediatest"
)

// signInAs signs email in on the login page by keyboard, with
// journeyPassword.
func signInAs(j journey, base, email string) {
	j.t.Helper()
	j.step("open the login page", chromedp.Do(j.ctx, chromedp.Navigate(base+"/admin/login")))
	j.step("tab to the email", tabTo(j.ctx, "#email"))
	j.step("type the email", typeText(j.ctx, email))
	j.step("tab to the password", tabTo(j.ctx, "#password"))
	j.step("type the password", typeText(j.ctx, journeyPassword))
	j.step("submit with Enter", pressAndLoad(j.ctx, kb.Enter))
	if loc := location(j.ctx); loc != "/admin/" {
		j.t.Fatalf("after signing in as %s: on %s, want /admin/", email, loc)
	}
}

// saidSo fails the test unless the page's main text holds want.
func (j journey) saidSo(what, want string) {
	j.t.Helper()
	text, err := mainText(j.ctx)
	j.step("read the page", err)
	if !strings.Contains(text, want) {
		j.t.Fatalf("%s: on %s, the page does not say %q; it says:\n%.800s", what, location(j.ctx), want, text)
	}
}

// tabOrder tabs through the whole page, which must reach every link and
// control in order with a visible focus, then loads the page afresh.
func (j journey) tabOrder() {
	j.t.Helper()
	loc := location(j.ctx)
	_, problems, err := checkTabOrder(j.ctx)
	j.step("tab through the page", err)
	for _, p := range problems {
		j.t.Errorf("keyboard on %s: %s", loc, p)
	}
	_, err = chromedp.Run(j.ctx, chromedp.Reload())
	j.step("reload the page", err)
}

// TestEditorFixesPartnerLinkByKeyboard: an editor of Southwark changes a
// partner's web address on the place form by keyboard alone, and the
// public place page links to the new address.
func TestEditorFixesPartnerLinkByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	base := startSiteWithEditor(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	const partner, newURL = "Community Southwark", "https://communitysouthwark.org/get-involved"

	signInAs(j, base, journeyEmail)
	step("go to the places", follow(ctx, `main a[href="/admin/places"]`))
	step("edit Southwark", follow(ctx, `a[href="/admin/places/southwark"]`))
	checkAxe()
	j.tabOrder()
	// The partner's row is found by its name, as a person reads it.
	row, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`([...document.querySelectorAll('input[id^="partner-"][id$="-name"]')].find(i => i.value === %q) || {id: ''}).id`, partner)))
	step("find the partner's row", err)
	if row == "" {
		t.Fatalf("the place form has no partner named %s", partner)
	}
	urlID := strings.TrimSuffix(row, "name") + "url"
	step("tab to the partner's web address", tabTo(ctx, "#"+urlID))
	step("type the new address", typeText(ctx, newURL))
	step("save", follow(ctx, `form[action="/admin/places/southwark"] button[type="submit"]`))
	if loc := location(ctx); loc != "/admin/places/southwark" {
		t.Fatalf("after saving: on %s", loc)
	}
	j.saidSo("change the partner's link", "have been saved")
	if v := fieldValue(ctx, urlID); v != newURL {
		t.Errorf("after saving, the partner's web address holds %q, want %q", v, newURL)
	}
	checkAxe()

	step("open the public page", chromedp.Do(ctx, chromedp.Navigate(base+"/in-your-area/southwark")))
	href, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`([...document.querySelectorAll('section[aria-labelledby="partners"] a')].find(a => a.textContent === %q) || {href: ''}).href`, partner)))
	step("read the partner's link", err)
	if href != newURL {
		t.Errorf("the public page links %s to %q, want %q", partner, href, newURL)
	}
}

// TestGovernanceOfficerPublishesPapersByKeyboard: a governance officer,
// by keyboard alone, uploads a PDF to the media library and adds two papers
// to the Strategic Board's meeting to come: one written here, for an agenda
// item, and the PDF, for the whole meeting. Both are listed on the public
// meeting page with their type and size, and the written paper's page
// opens from there. Choosing the file, which a person does in the
// system's file dialog, is done through DevTools.
func TestGovernanceOfficerPublishesPapersByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	const email = "governance@example.org"
	var meeting boards.Meeting
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		if _, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: email, Name: "Gita Governance",
			Role: accounts.GovernanceOfficer, Password: journeyPassword}); err != nil {
			return err
		}
		st := boards.NewStore(q)
		b, err := st.BoardBySlug(ctx, "southwark", "strategic-board")
		if err != nil {
			return err
		}
		ms, err := st.Meetings(ctx, b.ID)
		if err != nil {
			return err
		}
		meeting = ms[len(ms)-1]
		return nil
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 180*time.Second)
	j := journey{t: t, ctx: ctx}
	step, checkAxe := j.step, j.axe
	pdf := mediatest.PDF()
	pdfPath := filepath.Join(t.TempDir(), "finance-report.pdf")
	step("write the PDF", os.WriteFile(pdfPath, pdf, 0o600))
	const (
		written    = "Carers' strategy: update"
		writtenSay = "The board is asked to note the update."
		pdfTitle   = "Finance report, month 6"
	)
	admin := fmt.Sprintf("/admin/meetings/%d", meeting.ID)

	signInAs(j, base, email)
	// The PDF goes to the media library first.
	step("go to the media library", follow(ctx, `main a[href="/admin/media"]`))
	checkAxe()
	step("upload a file", follow(ctx, `a[href="/admin/media/new"]`))
	checkAxe()
	step("tab to the file", tabTo(ctx, "#file"))
	step("choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{pdfPath})))
	step("upload", follow(ctx, `main form button[type="submit"]`))
	if loc := location(ctx); !regexp.MustCompile(`^/admin/media/\d+$`).MatchString(loc) {
		text, _ := mainText(ctx)
		t.Fatalf("after uploading the PDF: on %s, saying:\n%.600s", loc, text)
	}
	checkAxe()

	step("back to the admin", follow(ctx, `nav a[href="/admin/"]`))
	step("go to the boards", follow(ctx, `main a[href="/admin/boards"]`))
	checkAxe()
	step("open the meeting", follow(ctx, `main a[href="`+admin+`"]`))
	checkAxe()
	j.tabOrder()

	// A mistake first: a paper with no title. The error summary takes the
	// focus and links to the field.
	step("tab to the format", tabTo(ctx, `input[name="paper_format"]`))
	step("choose Written here", press(ctx, " "))
	step("tab to the paper", tabTo(ctx, "#paper_body"))
	step("write the paper", typeText(ctx, "An untitled paper."))
	step("add the paper", follow(ctx, `form[action="`+admin+`/papers"] button[type="submit"]`))
	time.Sleep(300 * time.Millisecond) // autofocus applies after the load event
	inSummary, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.activeElement && !!document.activeElement.closest('.nhsuk-error-summary')`))
	step("read the focus", err)
	if !inSummary {
		t.Fatalf("after a paper with no title, the focus is on #%s, not the error summary", activeID(ctx))
	}
	checkAxe()
	if v := fieldValue(ctx, "paper_body"); v != "An untitled paper." {
		t.Errorf("after the mistake, the paper's text holds %q: the input was not kept", v)
	}
	step("tab to the error's link", tabTo(ctx, `.nhsuk-error-summary a[href="#paper_title"]`))

	// A paper written here, for agenda item 5.
	step("tab on to the paper's title", tabTo(ctx, "#paper_title"))
	step("type the title", typeText(ctx, written))
	step("tab to the agenda item", tabTo(ctx, "#paper_item"))
	for range 5 {
		step("move down the items", press(ctx, kb.ArrowDown))
	}
	item, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(s => s.options[s.selectedIndex].text)(document.getElementById('paper_item'))`))
	step("read the agenda item", err)
	if !strings.HasPrefix(item, "5") {
		t.Fatalf("five presses of the down arrow chose %q, want agenda item 5", item)
	}
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('paper_format-html').checked`)); !on {
		t.Fatal("after the mistake, Written here is no longer chosen")
	}
	step("tab to the paper", tabTo(ctx, "#paper_body"))
	step("write the paper", typeText(ctx, "## Summary\n\n"+writtenSay))
	step("add the paper", follow(ctx, `form[action="`+admin+`/papers"] button[type="submit"]`))
	j.saidSo("add the written paper", "has been added")
	checkAxe()

	// The PDF, for the whole meeting.
	step("tab to the paper's title", tabTo(ctx, "#paper_title"))
	step("type the title", typeText(ctx, pdfTitle))
	step("tab to the format", tabTo(ctx, `input[name="paper_format"]`))
	step("choose A PDF", press(ctx, kb.ArrowDown))
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('paper_format-pdf').checked`)); !on {
		t.Fatal("the down arrow did not choose A PDF")
	}
	step("tab to the PDF", tabTo(ctx, "#paper_media"))
	step("choose the PDF", press(ctx, kb.ArrowDown))
	step("add the paper", follow(ctx, `form[action="`+admin+`/papers"] button[type="submit"]`))
	j.saidSo("add the PDF paper", "has been added")
	checkAxe()

	// On the public meeting page, with their type and size.
	step("open the meeting's page", chromedp.Do(ctx, chromedp.Navigate(base+meeting.Path())))
	checkAxe()
	var papers []struct{ Title, Line, Href string }
	step("read the papers", evalJSON(ctx, `JSON.stringify([...document.querySelectorAll('main li')].filter(li => li.querySelector('a')).map(li =>
  ({title: li.querySelector('a').textContent, line: li.textContent, href: li.querySelector('a').getAttribute('href')})))`, &papers))
	want := map[string]*regexp.Regexp{
		written:  regexp.MustCompile(`\(Web page, \d+ bytes\)`),
		pdfTitle: regexp.MustCompile(regexp.QuoteMeta(fmt.Sprintf("(PDF, %s)", boards.Paper{Format: boards.PaperPDF, FileBytes: int64(len(pdf))}.Size()))),
	}
	hrefs := map[string]string{}
	for _, p := range papers {
		if re, ok := want[p.Title]; ok {
			if !re.MatchString(p.Line) {
				t.Errorf("the meeting page lists %q as %q, want its type and size matching %s", p.Title, p.Line, re)
			}
			hrefs[p.Title] = p.Href
		}
	}
	for title := range want {
		if hrefs[title] == "" {
			t.Fatalf("the meeting page does not list the paper %q; it lists %+v", title, papers)
		}
	}
	// The PDF is a download of the file uploaded.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`fetch(%q).then(r => r.text().then(b => r.status + ' ' + r.headers.get('content-type') + ' ' + b.length))`, hrefs[pdfTitle]), chromedp.EvalAwaitPromise))
	step("fetch the PDF", err)
	if wantPDF := fmt.Sprintf("200 application/pdf %d", len(pdf)); got != wantPDF {
		t.Errorf("the PDF paper's link gives %q, want %q", got, wantPDF)
	}
	// The written paper opens from the meeting page.
	step("follow the written paper", follow(ctx, `main a[href="`+hrefs[written]+`"]`))
	checkAxe()
	j.saidSo("open the written paper", written)
	j.saidSo("open the written paper", writtenSay)
}
