package app

import (
	"net/http"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/registrations"
)

// An organiser cancels an attendee from the admin: after a confirmation
// page, the first person waiting is booked and emailed as when a resident
// cancels, the person cancelled is emailed, and the audit log says who did
// it. A second try changes nothing.
func TestOrganiserCancelsAttendee(t *testing.T) {
	s := newAdminSite(t)
	e := s.registrationEvent("full-walk", 1, true)
	other := s.registrationEvent("other-walk", 5, false)
	for _, who := range []string{"first", "second", "third"} {
		if res := s.visitor().post("/events/full-walk/register", registrationForm(who, who+"@example.org")); res.status != http.StatusSeeOther {
			t.Fatalf("%s: %d", who, res.status)
		}
	}
	if res := s.visitor().post("/events/other-walk/register", registrationForm("Olu", "olu@example.org")); res.status != http.StatusSeeOther {
		t.Fatalf("other: %d", res.status)
	}
	ids := map[string]int64{}
	for _, ev := range []int64{e.ID, other.ID} {
		list, err := registrations.NewStore(s.db).ForEvent(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range list {
			ids[r.Email] = r.ID
		}
	}
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	ed := s.visitor().mustLogin("ed@example.org")
	base := "/admin/events/" + itoa(e.ID) + "/registration"

	list := ed.get(base)
	cancelLink := base + "/" + itoa(ids["first@example.org"]) + "/cancel"
	if !strings.Contains(list.body, `href="`+cancelLink+`"`) {
		t.Fatalf("the attendee list does not link to %s:\n%s", cancelLink, list.body)
	}
	confirm := ed.get(cancelLink)
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "first@example.org") ||
		!strings.Contains(confirm.body, `action="`+cancelLink+`" method="post"`) {
		t.Fatalf("confirmation page: %d\n%s", confirm.status, confirm.body)
	}
	if got := s.statuses(e.ID); got["first@example.org"] != registrations.Confirmed {
		t.Fatalf("the confirmation page cancelled already: %v", got)
	}
	// A registration to another event through this event's path is not found.
	if res := ed.post(base+"/"+itoa(ids["olu@example.org"])+"/cancel", nil); res.status != http.StatusNotFound {
		t.Errorf("cancelling another event's registration: %d, want 404", res.status)
	}
	res := ed.post(cancelLink, nil)
	if res.status != http.StatusSeeOther || res.location != base {
		t.Fatalf("cancel: %d to %q", res.status, res.location)
	}
	if after := ed.get(base); !strings.Contains(after.body, "second was first on the waiting list") {
		t.Errorf("the flash does not name who got the place:\n%s", after.body)
	}
	got := s.statuses(e.ID)
	if got["first@example.org"] != registrations.Cancelled || got["second@example.org"] != registrations.Confirmed ||
		got["third@example.org"] != registrations.Waiting {
		t.Errorf("after: %v", got)
	}
	if st := s.statuses(other.ID); st["olu@example.org"] != registrations.Confirmed {
		t.Errorf("the other event's registration changed: %v", st)
	}
	promoted := s.mailTo("second@example.org", "registration-promoted")
	if len(promoted) != 1 || promoted[0].Attachments["full-walk.ics"] == "" {
		t.Errorf("promotion email: %+v", promoted)
	}
	cancelled := s.mailTo("first@example.org", "registration-cancelled")
	if len(cancelled) != 1 || !strings.Contains(cancelled[0].Text, "have cancelled your place") ||
		strings.Contains(cancelled[0].Text, "/register/cancel") {
		t.Errorf("cancellation email: %+v", cancelled)
	}
	if n := len(s.mailTo("third@example.org", "registration-promoted")); n != 0 {
		t.Errorf("third was emailed a place")
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'registration_cancelled' AND record = $1 AND actor = 'ed@example.org'`,
		"registration:"+itoa(ids["first@example.org"])); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	// Again: refused, nothing more sent.
	if again := ed.post(cancelLink, nil); again.status != http.StatusConflict || !strings.Contains(again.body, "already cancelled") {
		t.Errorf("cancelling twice: %d", again.status)
	}
	if n := len(s.mailTo("first@example.org", "registration-cancelled")) + len(s.mailTo("third@example.org", "")); n != 2 {
		t.Errorf("%d emails after the second try, want 2 (the cancellation and third's waiting-list email)", n)
	}
	// Someone waiting is taken off the list; nobody is promoted.
	if res := ed.post(base+"/"+itoa(ids["third@example.org"])+"/cancel", nil); res.status != http.StatusSeeOther {
		t.Fatalf("cancel the waiting: %d", res.status)
	}
	if w := s.mailTo("third@example.org", "registration-cancelled"); len(w) != 1 || !strings.Contains(w[0].Text, "waiting list") {
		t.Errorf("waiting cancellation email: %+v", w)
	}
	if got := s.statuses(e.ID); got["second@example.org"] != registrations.Confirmed || got["third@example.org"] != registrations.Cancelled {
		t.Errorf("after cancelling the waiting: %v", got)
	}
}
