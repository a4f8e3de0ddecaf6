package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/privacy"
)

var privacyRevisionLink = regexp.MustCompile(`href="/admin/privacy/revisions/\d+`)

// An administrator edits the privacy notice in the admin: the public page
// shows the new words (and still the registry's lists), a form with
// errors keeps what was typed, each save is a version, and an earlier
// version can be restored.
func TestAdminEditsPrivacyNotice(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("rev@example.org", accounts.Reviewer)
	boss := s.visitor().mustLogin("boss@example.org")

	public := s.visitor().get("/privacy")
	if !strings.Contains(public.body, "Who we are") || !strings.Contains(public.body, "What we collect") {
		t.Fatalf("the notice as shipped:\n%s", public.body)
	}
	form := boss.get("/admin/privacy")
	if form.status != http.StatusOK || !strings.Contains(form.body, "## Who we are") {
		t.Fatalf("the admin's notice form: %d\n%s", form.status, form.body)
	}

	// Errors keep the input and change nothing.
	bad := boss.post("/admin/privacy", url.Values{"lede": {""}, "body": {"## Kept <words>"}})
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, "Enter the opening paragraph") ||
		!strings.Contains(bad.body, "## Kept &lt;words&gt;") || !strings.Contains(bad.body, `href="#lede"`) {
		t.Errorf("a notice without its opening paragraph: %d\n%s", bad.status, bad.body)
	}
	long := boss.post("/admin/privacy", url.Values{"lede": {"Short."}, "body": {strings.Repeat("x", privacy.MaxNoticeBody+1)}})
	if long.status != http.StatusUnprocessableEntity || !strings.Contains(long.body, "characters or fewer") {
		t.Errorf("a notice too long: %d", long.status)
	}
	if n := s.count(`SELECT COUNT(*) FROM privacy_notice`); n != 0 {
		t.Errorf("a refused save stored the notice")
	}

	body := "## Who runs this site\n\nThe Southwark partnership, at <script>alert(1)</script> our office.\n\n## Your rights\n\nAsk us."
	res := boss.post("/admin/privacy", url.Values{"lede": {"How we look after your details."}, "body": {body}})
	if res.status != http.StatusSeeOther || res.location != "/admin/privacy" {
		t.Fatalf("save: %d %q\n%s", res.status, res.location, res.body)
	}
	public = s.visitor().get("/privacy")
	for _, want := range []string{"How we look after your details.", "<h2>Who runs this site</h2>", "What we collect", "How long we keep it", "Last updated"} {
		if !strings.Contains(public.body, want) {
			t.Errorf("the public notice lacks %q", want)
		}
	}
	if strings.Contains(public.body, "<script>alert") || strings.Contains(public.body, "Who we are") {
		t.Errorf("the public notice shows a script or the old words:\n%s", public.body)
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'privacy_notice_updated'`); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}

	// Two versions: the notice as shipped and as saved; restoring the
	// first brings the old words back.
	list := boss.get("/admin/privacy/revisions")
	links := privacyRevisionLink.FindAllString(list.body, -1)
	if len(links) != 2 {
		t.Fatalf("%d versions, want 2:\n%s", len(links), list.body)
	}
	if res := boss.post(strings.TrimPrefix(links[len(links)-1], `href="`)+"/restore", nil); res.status != http.StatusSeeOther {
		t.Fatalf("restore: %d", res.status)
	}
	if page := s.visitor().get("/privacy"); !strings.Contains(page.body, "Who we are") {
		t.Errorf("the restored notice is not on the public page")
	}

	// The reviewer reads it and its versions, and may not save.
	rev := s.visitor().mustLogin("rev@example.org")
	if page := rev.get("/admin/privacy"); page.status != http.StatusOK || strings.Contains(page.body, "Save the privacy notice") {
		t.Errorf("the reviewer's notice page: %d, with a save button?", page.status)
	}
	if res := rev.post("/admin/privacy", url.Values{"lede": {"Mine."}, "body": {"Mine."}}); res.status != http.StatusForbidden {
		t.Errorf("a reviewer saving the notice: %d", res.status)
	}
}

// The reviewer reads residents' questions without their names and email
// addresses, and the audit log, and changes nothing.
func TestReviewerReadsQuestionsWithoutContactDetails(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("rev@example.org", accounts.Reviewer)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	_, meetingID, questionID := s.strategicBoardQuestion()
	rev := s.visitor().mustLogin("rev@example.org")
	gov := s.visitor().mustLogin("gov@example.org")
	for _, path := range []string{"/admin/questions?meeting=" + itoa(meetingID), "/admin/questions/" + itoa(questionID)} {
		mine := gov.get(path)
		if !strings.Contains(mine.body, ">Eve<") && !strings.Contains(mine.body, "Eve<br>") {
			t.Fatalf("the governance officer does not see the questioner on %s", path)
		}
		page := rev.get(path)
		if page.status != http.StatusOK || !strings.Contains(page.body, "A resident") {
			t.Errorf("%s as reviewer: %d\n%s", path, page.status, page.body)
		}
		if strings.Contains(page.body, ">Eve<") || strings.Contains(page.body, "Eve<br>") || strings.Contains(page.body, "eve@example.org") {
			t.Errorf("%s shows the reviewer the resident's name or email", path)
		}
	}
	q := rev.get("/admin/questions/" + itoa(questionID))
	if !strings.Contains(q.body, "Is the Southwark question answered?") || strings.Contains(q.body, "Save and email the resident") ||
		strings.Contains(q.body, "/export") {
		t.Errorf("the reviewer's question page:\n%s", q.body)
	}
	if res := rev.post("/admin/questions/"+itoa(questionID), url.Values{"action": {"accepted"}, "from": {"received"}}); res.status != http.StatusForbidden {
		t.Errorf("a reviewer moderating: %d", res.status)
	}
	if res := rev.post("/admin/questions/"+itoa(questionID)+"/export", nil); res.status != http.StatusForbidden {
		t.Errorf("a reviewer exporting a question: %d", res.status)
	}
	if audit := rev.get("/admin/audit"); audit.status != http.StatusOK || !strings.Contains(audit.body, "gov@example.org") {
		t.Errorf("the reviewer's audit log: %d", audit.status)
	}
}
