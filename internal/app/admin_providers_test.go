package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/directory"
)

// A directory editor invites a provider by email; the provider chooses a
// password from the link, signs in and proposes a change to one of their
// organisation's services. Nothing public changes until an editor
// approves it, and the provider is emailed the decision, approved or
// rejected with the reason.
func TestProviderProposesAndEditorDecides(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	svcID := s.someService()
	orgID := s.organizationOf(svcID)
	before, err := directory.NewStore(s.db).Service(ctx, svcID)
	if err != nil {
		t.Fatal(err)
	}
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")

	const email, password = "keeper@provider.example.org", "a provider's long passphrase"
	if res := ed.post("/admin/directory/organizations/"+orgID+"/providers", url.Values{"invite-email": {email}, "invite-name": {"Kim Keeper"}}); res.status != http.StatusSeeOther {
		t.Fatalf("inviting: status %d\n%s", res.status, errorSummary(res.body))
	}
	invites := s.mailTo(email, "provider-invited")
	if len(invites) != 1 {
		t.Fatalf("%d invitations sent, want 1", len(invites))
	}
	reset := link(t, invites[0].Text, "/admin/reset?token=")
	p := s.visitor()
	if res := p.get(reset); res.status != http.StatusOK {
		t.Fatalf("the invitation's link: status %d", res.status)
	}
	if res := p.post("/admin/reset", url.Values{"token": {strings.TrimPrefix(reset, "/admin/reset?token=")}, "password": {password},
		"confirm": {password}}); res.status != http.StatusSeeOther {
		t.Fatalf("choosing a password: status %d\n%s", res.status, errorSummary(res.body))
	}
	if res := p.login(email, password); res.status != http.StatusSeeOther {
		t.Fatalf("the provider signing in: status %d", res.status)
	}
	if home := p.get("/admin/provider"); home.status != http.StatusOK || !strings.Contains(home.body, before.Name) {
		t.Fatalf("the provider's home: status %d, lacks %q", home.status, before.Name)
	}

	propose := func(name string) {
		t.Helper()
		form := p.get("/admin/provider/services/" + svcID)
		if form.status != http.StatusOK {
			t.Fatalf("the provider's form: status %d", form.status)
		}
		v := formValues(t, form.body)
		v.Set("status", directory.StatusActive) // radios: formValues takes none
		v.Set("name", name)
		if res := p.post("/admin/provider/services/"+svcID, v); res.status != http.StatusSeeOther {
			i := strings.Index(res.body, "nhsuk-error-message")
			t.Fatalf("proposing: status %d\n%s", res.status, res.body[max(i, 0):min(len(res.body), max(i, 0)+400)])
		}
	}
	public := func() (page, api string) {
		return s.visitor().get("/directory/services/" + svcID).body, s.visitor().get("/api/oruk/services/" + svcID).body
	}
	latest := func() string {
		var id string
		if err := s.db.QueryRowContext(ctx, `SELECT MAX(id) FROM dir_proposals`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}

	// A proposal the editor rejects: the reason reaches the provider.
	propose("Wrongly renamed clinic")
	if page, api := public(); strings.Contains(page, "Wrongly renamed clinic") || strings.Contains(api, "Wrongly renamed clinic") {
		t.Fatal("a proposal is public before an editor decides")
	}
	rejected := latest()
	if res := ed.post("/admin/directory/proposals/"+rejected, url.Values{"decision": {"reject"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Enter the reason for rejecting it") {
		t.Errorf("rejecting without a reason: status %d", res.status)
	}
	if res := ed.post("/admin/directory/proposals/"+rejected, url.Values{"decision": {"reject"}, "reason": {"The practice kept its name."}}); res.status != http.StatusSeeOther {
		t.Fatalf("rejecting: status %d\n%s", res.status, errorSummary(res.body))
	}
	if got := s.mailTo(email, "proposal-rejected"); len(got) != 1 || !strings.Contains(got[0].Text, "The practice kept its name.") {
		t.Errorf("the rejection emails: %+v", got)
	}
	if page, _ := public(); strings.Contains(page, "Wrongly renamed clinic") || !strings.Contains(page, before.Name) {
		t.Error("a rejected proposal changed the public record")
	}

	// A proposal the editor approves: public on the page and in the API.
	propose("Renamed by its provider")
	approved := latest()
	if list := ed.get("/admin/directory/proposals"); !strings.Contains(list.body, "/admin/directory/proposals/"+approved) {
		t.Errorf("the editors' list lacks the pending proposal")
	}
	if page, api := public(); strings.Contains(page, "Renamed by its provider") || strings.Contains(api, "Renamed by its provider") {
		t.Fatal("a proposal is public before an editor approves it")
	}
	if res := ed.post("/admin/directory/proposals/"+approved, url.Values{"decision": {"approve"}}); res.status != http.StatusSeeOther {
		t.Fatalf("approving: status %d\n%s", res.status, errorSummary(res.body))
	}
	if got := s.mailTo(email, "proposal-approved"); len(got) != 1 {
		t.Errorf("%d approval emails, want 1", len(got))
	}
	if page, api := public(); !strings.Contains(page, "Renamed by its provider") || !strings.Contains(api, "Renamed by its provider") {
		t.Error("an approved proposal is not on the public page and in the API")
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'proposal_rejected'`); n != 1 {
		t.Errorf("%d rejections audited, want 1", n)
	}
	if res := ed.post("/admin/directory/proposals/"+approved, url.Values{"decision": {"reject"}, "reason": {"Too late."}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("deciding a proposal twice: status %d, want 422", res.status)
	}
}
