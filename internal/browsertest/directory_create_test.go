package browsertest

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

var createdService = regexp.MustCompile(`^/admin/directory/services/([0-9a-f-]{36})$`)

// TestDirectoryEditorCreatesServiceByKeyboard: a directory editor, by
// keyboard alone, adds an organisation, then a service it provides; the
// service is then in the residents' search and the Open Referral API.
// Each page is checked with axe.
func TestDirectoryEditorCreatesServiceByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	base := startSiteWith(t, func(ctx context.Context, q db.Querier) error {
		_, err := accounts.NewStore(q).Create(ctx, accounts.NewUser{Email: journeyEmail, Name: "Dee Directory",
			Role: accounts.DirectoryEditor, Password: journeyPassword})
		return err
	})
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 120*time.Second)
	j := journey{t: t, ctx: ctx}
	signInAs(j, base, journeyEmail)

	j.step("tab to the Directory section", tabTo(ctx, `nav[aria-label="Admin sections"] a[href="/admin/directory"]`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	j.step("tab to Organisations", tabTo(ctx, `main a[href="/admin/directory/organizations"]`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	j.step("tab to Add an organisation", tabTo(ctx, `main a[href="/admin/directory/organizations/new"]`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	j.axe()
	j.step("tab to the name", tabTo(ctx, "#name"))
	j.step("type the name", typeText(ctx, "Peckham Neighbours"))
	j.step("tab to the description", tabTo(ctx, "#description"))
	j.step("type the description", typeText(ctx, "Volunteers who run clubs for older people."))
	j.step("tab to Save", tabTo(ctx, `main form[method="post"] button[type="submit"]`))
	j.step("save with Enter", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); !strings.HasPrefix(loc, "/admin/directory/organizations/") || strings.HasSuffix(loc, "/new") {
		t.Fatalf("after saving the organisation: on %s", loc)
	}
	j.saidSo("the organisation's page", "Peckham Neighbours")
	j.axe()

	j.step("tab to Add a service", tabTo(ctx, `main a[href^="/admin/directory/services/new?organization="]`))
	j.step("follow it", pressAndLoad(ctx, kb.Enter))
	j.axe()
	j.step("tab to the name", tabTo(ctx, "#name"))
	j.step("type the name", typeText(ctx, "Peckham Lunch Club"))
	j.step("tab to the description", tabTo(ctx, "#description"))
	j.step("type the description", typeText(ctx, "A hot lunch and company for older people, every weekday."))
	j.step("tab to the first status", tabTo(ctx, `input[name="status"]`))
	j.step("choose it", press(ctx, " "))
	j.step("tab to Save", tabTo(ctx, `main form[method="post"] button[type="submit"]:not(.nhsuk-button--secondary)`))
	j.step("save with Enter", pressAndLoad(ctx, kb.Enter))
	m := createdService.FindStringSubmatch(location(ctx))
	if m == nil {
		t.Fatalf("after saving the service: on %s", location(ctx))
	}
	j.axe()

	get := func(path string) string {
		t.Helper()
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(body)
	}
	if search := get("/directory?q=peckham+lunch"); !strings.Contains(search, "/directory/services/"+m[1]) {
		t.Error("the residents' search does not find the new service")
	}
	if api := get("/api/oruk/services/" + m[1]); !strings.Contains(api, `"name":"Peckham Lunch Club"`) {
		t.Errorf("the Open Referral API lacks the new service:\n%s", api)
	}
}
