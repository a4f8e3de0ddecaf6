package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/registrations"
)

func TestBoardSubscriptionDoubleOptInAndOneClickUnsubscribe(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	b, err := boards.NewStore(s.db).BoardBySlug(ctx, "southwark", "strategic-board")
	if err != nil {
		t.Fatal(err)
	}
	v := s.visitor()
	form := v.get(b.Path() + "/subscribe")
	if form.status != http.StatusOK || !strings.Contains(form.body, `name="email"`) {
		t.Fatalf("subscribe form: %d", form.status)
	}
	if res := v.post(b.Path()+"/subscribe", url.Values{"email": {"nope"}}); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, `href="#email"`) {
		t.Errorf("bad address: %d", res.status)
	}
	for _, addr := range []string{"ivy@example.org", "jo@example.org"} {
		if res := v.post(b.Path()+"/subscribe", url.Values{"email": {addr}}); res.status != http.StatusOK || !strings.Contains(res.body, "Check your email") {
			t.Fatalf("subscribe %s: %d", addr, res.status)
		}
	}
	subs := s.Subscriptions()
	notify := func() int {
		var n int
		err := s.db.Tx(ctx, func(q db.Querier) error {
			var err error
			n, err = subs.NotifyPapersPublished(ctx, q, b.ID, registrations.Meeting{Title: "Strategic Board, March", Path: "/events/x", StartsAt: time.Now()})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := notify(); n != 0 {
		t.Errorf("unconfirmed subscribers were emailed: %d", n)
	}
	confirm := link(t, s.mailTo("ivy@example.org", "subscription-confirm")[0].Text, "/subscriptions/confirm")
	if page := v.get(confirm); !strings.Contains(page.body, "Confirm my subscription") {
		t.Fatalf("confirm page: %s", page.body)
	}
	if n := notify(); n != 0 {
		t.Errorf("opening the link confirmed the subscription")
	}
	if res := v.post("/subscriptions/confirm", queryForm(t, confirm)); !strings.Contains(res.body, "You are subscribed") {
		t.Fatalf("confirm: %d %s", res.status, res.body)
	}
	// The governance officer tells the subscribers, once.
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	officer := s.visitor().mustLogin("gov@example.org")
	ms, err := boards.NewStore(s.db).Meetings(ctx, b.ID)
	if err != nil || len(ms) == 0 {
		t.Fatalf("meetings: %v", err)
	}
	path := "/admin/meetings/" + itoa(ms[len(ms)-1].ID) + "/subscribers"
	if page := officer.get(path); !strings.Contains(page.body, "1 person has subscribed") {
		t.Errorf("subscribers page:\n%s", page.body)
	}
	for range 2 {
		if res := officer.post(path, nil); res.status != http.StatusSeeOther {
			t.Fatalf("notify: %d\n%s", res.status, res.body)
		}
	}
	if n := len(s.mailTo("ivy@example.org", "papers-published")); n != 1 {
		t.Fatalf("papers emails to ivy: %d, want 1", n)
	}
	if n := len(s.mailTo("jo@example.org", "papers-published")); n != 0 {
		t.Fatalf("papers emails to jo, who never confirmed: %d", n)
	}
	m := s.mailTo("ivy@example.org", "papers-published")[0]
	if m.Headers.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", m.Headers.Get("List-Unsubscribe-Post"))
	}
	header := strings.Trim(m.Headers.Get("List-Unsubscribe"), "<>")
	if !strings.HasPrefix(header, "https://joinedup.example/subscriptions/unsubscribe?") || !strings.Contains(m.Text, header) {
		t.Fatalf("List-Unsubscribe = %q", header)
	}
	// A mail program's one-click POST: the header's URL, the RFC 8058 body,
	// no cookie, no session.
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+strings.TrimPrefix(header, "https://joinedup.example"), strings.NewReader("List-Unsubscribe=One-Click"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", res.StatusCode)
	}
	if n := s.count(`SELECT COUNT(*) FROM board_subscriptions WHERE email = 'ivy@example.org'`); n != 0 {
		t.Errorf("subscription kept after unsubscribing")
	}
	if n := notify(); n != 0 {
		t.Errorf("emailed after unsubscribing: %d", n)
	}
	if res := v.get(strings.TrimPrefix(header, "https://joinedup.example")); res.status != http.StatusNotFound {
		t.Errorf("the used link: %d", res.status)
	}
}

// The first paper of a published meeting tells its board's confirmed
// subscribers, once, through the admin's own paper form.
func TestFirstPaperTellsSubscribers(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	_, meetingID := s.openMeeting("papers-out")
	m, err := boards.NewStore(s.db).Meeting(ctx, meetingID)
	if err != nil {
		t.Fatal(err)
	}
	b, err := boards.NewStore(s.db).Board(ctx, m.BoardID)
	if err != nil {
		t.Fatal(err)
	}
	subs := s.Subscriptions()
	for _, addr := range []string{"pat@example.org", "quin@example.org"} {
		if err := subs.Subscribe(ctx, b, addr); err != nil {
			t.Fatal(err)
		}
	}
	confirm := link(t, s.mailTo("pat@example.org", "subscription-confirm")[0].Text, "/subscriptions/confirm")
	if res := s.visitor().post("/subscriptions/confirm", queryForm(t, confirm)); res.status != http.StatusOK {
		t.Fatalf("confirm: %d", res.status)
	}
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	gov := s.visitor().mustLogin("gov@example.org")
	for _, title := range []string{"Agenda pack", "Finance report"} {
		res := gov.post("/admin/meetings/"+itoa(meetingID)+"/papers", url.Values{"paper_title": {title}, "paper_format": {"html"}, "paper_body": {"Text."}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("add paper %s: %d\n%s", title, res.status, res.body)
		}
	}
	got := s.mailTo("pat@example.org", "papers-published")
	if len(got) != 1 || !strings.Contains(got[0].Text, "/events/papers-out") || got[0].Headers.Get("List-Unsubscribe-Post") == "" {
		t.Errorf("papers emails to pat: %+v", got)
	}
	if n := len(s.mailTo("quin@example.org", "papers-published")); n != 0 {
		t.Errorf("quin never confirmed, yet got %d papers emails", n)
	}
}
