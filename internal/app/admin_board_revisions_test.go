package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	ldn "github.com/joinedup/joinedup/internal/london"
)

// boardFields is the board form of a Southwark board, with fields
// replaced by pairs of name and value.
func boardFields(slug string, pairs ...string) url.Values {
	f := url.Values{"place": {"southwark"}, "name": {"Health and care committee"}, "slug": {slug}, "kind": {"committee"},
		"description": {"The committee meets in public."}, "accepts": {"yes"}, "deadline_days": {"5"}, "deadline_kind": {"working"},
		"deadline_time": {"12:00"}, "max_chars": {"1000"}, "per_person": {"2"}, "answer_working_days": {"20"},
		"retention_months": {"12"}, "members": {"Ada Obi | Chair | Southwark Council"}}
	for i := 0; i+1 < len(pairs); i += 2 {
		f.Set(pairs[i], pairs[i+1])
	}
	return f
}

// refusedToOthers checks that an editor and a directory editor can neither
// see a record's versions, restore one, nor download the record, and that
// a reviewer reads the versions but cannot restore one.
func refusedToOthers(t *testing.T, s *adminSite, edit, version string) {
	t.Helper()
	for _, email := range []string{"ed@example.org", "dir@example.org"} {
		b := s.visitor().mustLogin(email)
		for _, r := range []response{b.get(edit + "/revisions"), b.get(version), b.post(version+"/restore", nil), b.post(edit+"/export", nil)} {
			if r.status != http.StatusForbidden {
				t.Errorf("%s on %s's versions: status %d, want 403", email, edit, r.status)
			}
		}
	}
	// The reviewer reads the versions and changes nothing.
	rev := s.visitor().mustLogin("rev@example.org")
	for _, r := range []response{rev.get(edit + "/revisions"), rev.get(version)} {
		if r.status != http.StatusOK {
			t.Errorf("the reviewer reading %s's versions: status %d, want 200", edit, r.status)
		}
	}
	if r := rev.post(version+"/restore", nil); r.status != http.StatusForbidden {
		t.Errorf("the reviewer restoring a version of %s: status %d, want 403", edit, r.status)
	}
}

func addOtherRoles(s *adminSite) {
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	s.addUser("rev@example.org", accounts.Reviewer)
}

// exported downloads a record's JSON and checks it and its audit entry.
func exported(t *testing.T, s *adminSite, b *browser, edit, kind string) string {
	t.Helper()
	res := b.post(edit+"/export", nil)
	var doc struct {
		Kind string `json:"kind"`
	}
	if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Disposition"), `attachment; filename="`+kind+"-") ||
		json.Unmarshal([]byte(res.body), &doc) != nil || doc.Kind != kind {
		t.Fatalf("%s export: status %d, disposition %q\n%s", edit, res.status, res.header.Get("Content-Disposition"), res.body)
	}
	id := edit[strings.LastIndex(edit, "/")+1:]
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND record = $2 AND actor = $3`,
		kind+"_exported", kind+":"+id, "gov@example.org"); n != 1 {
		t.Errorf("%s export: %d audit entries, want 1", edit, n)
	}
	return res.body
}

func TestAdminBoardRevisions(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	addOtherRoles(s)
	gov := s.visitor().mustLogin("gov@example.org")
	res := gov.post("/admin/boards", boardFields("health-committee"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("create: status %d\n%s", res.status, res.body)
	}
	edit := res.location
	res = gov.post(edit, boardFields("health-committee", "name", "Care committee", "members", "Ada Obi | Chair | Southwark Council\nBen Ng | Member | GPs"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("update: status %d\n%s", res.status, res.body)
	}
	page := gov.get(edit)
	if !strings.Contains(page.body, `href="`+edit+`/revisions"`) || !strings.Contains(page.body, `action="`+edit+`/export"`) {
		t.Error("the board's edit page does not offer its versions and download")
	}
	links := revisionLinks(t, gov.get(edit+"/revisions").body)
	if len(links) != 2 {
		t.Fatalf("%d versions, want 2", len(links))
	}
	first := links[1]
	view := gov.get(first)
	for _, want := range []string{"Health and care committee", "Care committee", "Ben Ng", "Restore this version"} {
		if !strings.Contains(view.body, want) {
			t.Errorf("the first version's page lacks %q", want)
		}
	}
	refusedToOthers(t, s, edit, first)
	if _, body := s.get("/in-your-area/southwark/boards/health-committee"); !strings.Contains(body, "Care committee") {
		t.Error("a refused restore changed the board")
	}

	res = gov.post(first+"/restore", nil)
	if res.status != http.StatusSeeOther || res.location != edit {
		t.Fatalf("restore: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	_, body := s.get("/in-your-area/southwark/boards/health-committee")
	if !strings.Contains(body, "Health and care committee") || strings.Contains(body, "Ben Ng") {
		t.Error("after the restore, the public page does not show the first version with its members")
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'board_updated' AND record = $1`,
		"board:"+strings.TrimPrefix(edit, "/admin/boards/")); n != 2 {
		t.Errorf("%d audit entries of the update and the restore, want 2", n)
	}
	if n := len(revisionLinks(t, gov.get(edit+"/revisions").body)); n != 3 {
		t.Errorf("after the restore: %d versions, want 3", n)
	}

	// A version whose web address another board of the place has taken.
	gov.post(edit, boardFields("care-committee"))
	gov.post("/admin/boards", boardFields("health-committee", "name", "The newcomer"))
	links = revisionLinks(t, gov.get(edit+"/revisions").body)
	res = gov.post(links[len(links)-1]+"/restore", nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Another board of this place now has") {
		t.Errorf("restoring a taken address: status %d, want 422 with the reason\n%s", res.status, res.body)
	}

	out := exported(t, s, gov, edit, "board")
	if !strings.Contains(out, `"Name": "Ada Obi"`) || !strings.Contains(out, `"MaxChars": 1000`) {
		t.Errorf("the board's download lacks its members or question rule:\n%s", out)
	}
}

func TestAdminMeetingRevisions(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	addOtherRoles(s)
	gov := s.visitor().mustLogin("gov@example.org")
	_, meetingID, _ := s.strategicBoardQuestion()
	edit := "/admin/meetings/" + strconv.FormatInt(meetingID, 10)
	form := url.Values{"title": {"Board in public"}, "slug": {"board-in-public"}, "summary": {"The board meets."},
		"date": {ldn.In(s.clock.Now().AddDate(0, 0, 30)).Format("2006-01-02")}, "start_time": {"10:00"}, "end_time": {"12:00"},
		"attendance": {"in_person"}, "venue": {"Tooley Street"}, "status": {"scheduled"}, "publish": {"published"}}
	if res := gov.post(edit, form); res.status != http.StatusSeeOther {
		t.Fatalf("first save: status %d\n%s", res.status, res.body)
	}
	if res := gov.post(edit+"/items", url.Values{"item_number": {"7"}, "item_title": {"Budget"}}); res.status != http.StatusSeeOther {
		t.Fatalf("adding an item: status %d\n%s", res.status, res.body)
	}
	seeded := s.meetingNow(meetingID)
	item := strconv.FormatInt(budgetItem(seeded), 10)
	if res := gov.post(edit+"/declarations", url.Values{"decl_member": {"Ada Obi"}, "decl_item": {item}, "decl_interest": {"Trustee of a bidder"}}); res.status != http.StatusSeeOther {
		t.Fatalf("adding a declaration: status %d\n%s", res.status, res.body)
	}
	form.Set("venue", "Town hall")
	form.Set("status", "postponed")
	if res := gov.post(edit, form); res.status != http.StatusSeeOther {
		t.Fatalf("second save: status %d\n%s", res.status, res.body)
	}
	page := gov.get(edit)
	if !strings.Contains(page.body, `href="`+edit+`/revisions"`) || !strings.Contains(page.body, `action="`+edit+`/export"`) {
		t.Error("the meeting's edit page does not offer its versions and download")
	}
	// The seeded meeting as it was, the two saves, the item and the
	// declaration.
	links := revisionLinks(t, gov.get(edit+"/revisions").body)
	if len(links) != 5 {
		t.Fatalf("%d versions, want 5", len(links))
	}
	first, declared := links[3], links[1]
	view := gov.get(first)
	for _, want := range []string{"Tooley Street", "Town hall", "Restore this version"} {
		if !strings.Contains(view.body, want) {
			t.Errorf("the first save's version page lacks %q", want)
		}
	}
	refusedToOthers(t, s, edit, first)

	res := gov.post(first+"/restore", nil)
	if res.status != http.StatusSeeOther || res.location != edit {
		t.Fatalf("restore: status %d, location %q\n%s", res.status, res.location, res.body)
	}
	_, body := s.get("/events/board-in-public")
	if !strings.Contains(body, "Tooley Street") || strings.Contains(body, "Town hall") || strings.Contains(body, "Postponed") {
		t.Error("after the restore, the public page does not show the first version")
	}
	if m := s.meetingNow(meetingID); budgetItem(m) != 0 || len(m.Items) != len(seeded.Items)-1 || len(m.Declarations) != 0 {
		t.Errorf("after restoring a version without the item and the declaration: %d agenda items, %d declarations", len(m.Items), len(m.Declarations))
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'meeting_updated' AND record = $1`, "meeting:"+strconv.FormatInt(meetingID, 10)); n != 3 {
		t.Errorf("%d audit entries of the two saves and the restore, want 3", n)
	}

	// Restoring the version with the item and the declaration adds them
	// again, the declaration linked to the item as added again.
	if res := gov.post(declared+"/restore", nil); res.status != http.StatusSeeOther {
		t.Fatalf("restoring the declared version: status %d\n%s", res.status, res.body)
	}
	m := s.meetingNow(meetingID)
	if len(m.Items) != len(seeded.Items) || budgetItem(m) == 0 || len(m.Declarations) != 1 || m.Declarations[0].AgendaItemID != budgetItem(m) ||
		m.Declarations[0].Interest != "Trustee of a bidder" {
		t.Errorf("after restoring the declared version: %+v", m)
	}

	// A version whose web address another event has taken since.
	form.Set("slug", "board-moved")
	gov.post(edit, form)
	s.meeting("board-in-public", s.clock.Now().AddDate(0, 0, 40), nil)
	res = gov.post(first+"/restore", nil)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Another event now has this version") {
		t.Errorf("restoring a taken address: status %d, want 422 with the reason\n%s", res.status, res.body)
	}

	// The download holds the meeting, its event and agenda, and nothing
	// a resident sent.
	out := exported(t, s, gov, edit, "meeting")
	if !strings.Contains(out, `"Title": "Budget"`) || !strings.Contains(out, `"Venue": "Town hall"`) {
		t.Errorf("the meeting's download lacks its agenda or event:\n%s", out)
	}
	for _, private := range []string{"eve@example.org", `"Eve"`, "Southwark question"} {
		if strings.Contains(out, private) {
			t.Errorf("the meeting's download holds a resident's %q", private)
		}
	}
}

// meetingNow reads a meeting as stored.
func (s *adminSite) meetingNow(id int64) boards.Meeting {
	s.t.Helper()
	m, err := boards.NewStore(s.db).Meeting(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return m
}

// budgetItem is the id of the agenda item "Budget" of m, or 0.
func budgetItem(m boards.Meeting) int64 {
	for _, it := range m.Items {
		if it.Title == "Budget" {
			return it.ID
		}
	}
	return 0
}
