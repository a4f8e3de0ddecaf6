package app

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
)

// publicTraces lists where the public site shows a path: the pages and
// feeds a board or meeting appears in.
func (s *adminSite) publicTraces(path string) []string {
	s.t.Helper()
	var out []string
	for _, page := range []string{"/events", "/feeds/events.ics", "/sitemap.xml", "/in-your-area/southwark", "/in-your-area/southwark/boards",
		"/in-your-area/southwark/boards/strategic-board", "/search?q=strategic+board"} {
		res := s.visitor().get(page)
		if res.status != http.StatusOK && res.status != http.StatusNotFound {
			s.t.Fatalf("%s: %d", page, res.status)
		}
		if strings.Contains(res.body, path) {
			out = append(out, page)
		}
	}
	return out
}

// Boards and meetings are archived instead of deleted: gone from every
// public list, feed, calendar, sitemap and search, their pages not found,
// kept in the admin with their papers and versions; unarchiving brings
// them back, and a board brings back only the meetings archived with it.
func TestArchiveBoardsAndMeetings(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	s.addUser("rev@example.org", accounts.Reviewer)
	gov := s.visitor().mustLogin("gov@example.org")
	boardID, meetingID, _ := s.strategicBoardQuestion()
	ctx := context.Background()
	st := boards.NewStore(s.db)
	m, err := st.Meeting(ctx, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := st.Meetings(ctx, boardID)
	if err != nil || len(ms) < 2 {
		t.Fatalf("meetings: %v %v", ms, err)
	}
	other := ms[0] // the board's other meeting
	meetingPath, otherPath, boardPath := "/events/"+m.Slug, "/events/"+other.Slug, "/in-your-area/southwark/boards/strategic-board"
	if len(m.Papers) == 0 {
		t.Fatal("the seeded meeting has no paper")
	}
	paperPath := meetingPath + "/papers/" + itoa(m.Papers[0].ID)
	if got := s.publicTraces(meetingPath); len(got) < 4 {
		t.Fatalf("before archiving, the meeting shows only on %v", got)
	}
	if s.status(meetingPath) != http.StatusOK || s.status(boardPath) != http.StatusOK {
		t.Fatal("the meeting or board page is not there to start with")
	}

	// The reviewer may not archive.
	rev := s.visitor().mustLogin("rev@example.org")
	if res := rev.post("/admin/meetings/"+itoa(meetingID)+"/archive", nil); res.status != http.StatusForbidden {
		t.Errorf("a reviewer archiving: %d", res.status)
	}
	if page := rev.get("/admin/meetings/" + itoa(meetingID)); strings.Contains(page.body, "/archive\"") {
		t.Errorf("the reviewer is offered the archive button")
	}

	adminMeeting := "/admin/meetings/" + itoa(meetingID)
	if res := gov.post(adminMeeting+"/archive", nil); res.status != http.StatusSeeOther || res.location != adminMeeting {
		t.Fatalf("archive the meeting: %d %q", res.status, res.location)
	}
	if got := s.publicTraces(meetingPath); len(got) != 0 {
		t.Errorf("an archived meeting still shows on %v", got)
	}
	for _, p := range []string{meetingPath, paperPath, meetingPath + "/questions", meetingPath + "/calendar.ics"} {
		if code := s.status(p); code != http.StatusNotFound {
			t.Errorf("%s of an archived meeting: %d, want 404", p, code)
		}
	}
	if s.status(otherPath) != http.StatusOK || s.status(boardPath) != http.StatusOK {
		t.Errorf("archiving one meeting took away the board or its other meeting")
	}
	page := gov.get(adminMeeting)
	if page.status != http.StatusOK || !strings.Contains(page.body, "This meeting is archived") || !strings.Contains(page.body, m.Papers[0].Title) ||
		!strings.Contains(page.body, `action="`+adminMeeting+`/unarchive"`) {
		t.Errorf("the admin's page of an archived meeting:\n%s", page.body)
	}
	if res := gov.get(adminMeeting + "/revisions"); res.status != http.StatusOK {
		t.Errorf("versions of an archived meeting: %d", res.status)
	}
	if list := gov.get("/admin/boards"); !strings.Contains(list.body, ", archived") {
		t.Errorf("the admin's board list does not mark the archived meeting")
	}

	// Archiving the board takes its other meeting with it; unarchiving the
	// board brings back that one only.
	adminBoard := "/admin/boards/" + itoa(boardID)
	if res := gov.post(adminBoard+"/archive", nil); res.status != http.StatusSeeOther {
		t.Fatalf("archive the board: %d", res.status)
	}
	if got := s.publicTraces(boardPath); len(got) != 0 {
		t.Errorf("an archived board still shows on %v", got)
	}
	for _, p := range []string{boardPath, otherPath, boardPath + "/subscribe"} {
		if code := s.status(p); code != http.StatusNotFound {
			t.Errorf("%s of an archived board: %d, want 404", p, code)
		}
	}
	if res := gov.post(adminMeeting+"/unarchive", nil); res.status != http.StatusSeeOther {
		t.Fatalf("unarchive the meeting of an archived board: %d", res.status)
	}
	if page := gov.get(adminMeeting); !strings.Contains(page.body, "unarchive the board first") {
		t.Errorf("unarchiving a meeting of an archived board does not say why it cannot")
	}
	if page := gov.get(adminBoard); !strings.Contains(page.body, "This board is archived") {
		t.Errorf("the admin's board page does not say it is archived")
	}
	if res := gov.post(adminBoard+"/unarchive", nil); res.status != http.StatusSeeOther {
		t.Fatalf("unarchive the board: %d", res.status)
	}
	if s.status(boardPath) != http.StatusOK || s.status(otherPath) != http.StatusOK {
		t.Errorf("unarchiving the board did not bring back it and its meeting")
	}
	if s.status(meetingPath) != http.StatusNotFound {
		t.Errorf("unarchiving the board brought back the meeting archived on its own")
	}
	if res := gov.post(adminMeeting+"/unarchive", nil); res.status != http.StatusSeeOther {
		t.Fatalf("unarchive the meeting: %d", res.status)
	}
	if got := s.publicTraces(meetingPath); len(got) < 4 || s.status(paperPath) != http.StatusOK {
		t.Errorf("after unarchiving, the meeting shows only on %v", got)
	}
	for action, want := range map[string]int{"meeting_archived": 1, "meeting_unarchived": 1, "board_archived": 1, "board_unarchived": 1} {
		if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND actor = 'gov@example.org'`, action); n != want {
			t.Errorf("%d audit entries %s, want %d", n, action, want)
		}
	}
}
