package app

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
	ldn "github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/questions"
)

// waiting matches an item of "What needs you now" on the admin home.
var waiting = regexp.MustCompile(`<li class="jp-attention__item" data-kind="([a-z-]+)" data-count="(\d+)">\s*<a href="([^"]+)">`)

// records counts the rows of records on a list page.
func records(body string) int { return strings.Count(body, `data-record="`) }

// homeItem is an item of the admin home.
type homeItem struct {
	kind  string
	count int
	href  string
}

// homeItems reads the admin home's items, in order.
func homeItems(t *testing.T, b *browser) []homeItem {
	t.Helper()
	res := b.get("/admin/")
	if res.status != http.StatusOK {
		t.Fatalf("admin home: status %d", res.status)
	}
	var out []homeItem
	for _, m := range waiting.FindAllStringSubmatch(res.body, -1) {
		n, _ := strconv.Atoi(m[2])
		out = append(out, homeItem{m[1], n, strings.ReplaceAll(m[3], "&amp;", "&")})
	}
	if len(out) == 0 && !strings.Contains(res.body, "Nothing waits for you") {
		t.Errorf("the admin home lists nothing and does not say that nothing waits:\n%s", res.body)
	}
	return out
}

// addPost stores a post straight in the database: a draft, or published
// at the time given (scheduled when it is to come).
func (s *adminSite) addPost(slug string, draft bool, at time.Time, placeSlugs ...string) int64 {
	s.t.Helper()
	ctx := context.Background()
	p := news.Post{Kind: news.KindNews, Slug: slug, Title: "Post " + slug, Summary: "A post.", PublishedAt: at}
	if draft {
		p.Status = news.StatusDraft
	}
	for _, sl := range placeSlugs {
		p.PlaceIDs = append(p.PlaceIDs, s.placeID(sl))
	}
	var id int64
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		id, err = news.NewStore(q).Create(ctx, p)
		return err
	}); err != nil {
		s.t.Fatal(err)
	}
	return id
}

// TestAdminHomeCountsMatchTheirLists: for each role, and editors of one
// place and of another, every count on the admin home is the number of
// records in the list it links to, and each sees only their kinds.
func TestAdminHomeCountsMatchTheirLists(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	now := s.clock.Now()
	// Posts: drafts and scheduled posts of Southwark, Lewisham and the
	// whole system, and a published one that waits for nobody.
	s.addPost("sw-draft-1", true, now, "southwark")
	s.addPost("sw-draft-2", true, now, "southwark")
	s.addPost("lew-draft", true, now, "lewisham")
	s.addPost("all-draft", true, now)
	s.addPost("sw-later", false, now.Add(72*time.Hour), "southwark")
	s.addPost("lew-later", false, now.Add(24*time.Hour), "lewisham")
	s.addPost("sw-out", false, now.Add(-time.Hour), "southwark")
	// Questions: two received for the meeting to come, one to be answered
	// in writing and not answered yet.
	_, meetingID, _ := s.strategicBoardQuestion()
	s.strategicBoardQuestion()
	_, _, written := s.strategicBoardQuestion()
	due := ldn.In(now).AddDate(0, 0, 3).Format("2006-01-02")
	if _, err := s.db.ExecContext(ctx, `UPDATE questions SET status = $1, answer_due_on = $2 WHERE id = $3`,
		questions.AnsweredInWriting, due, written); err != nil {
		t.Fatal(err)
	}
	// A meeting in five days, published, with no papers.
	s.addUser("setup@example.org", accounts.GovernanceOfficer)
	setup := s.visitor().mustLogin("setup@example.org")
	var boardID int64
	if err := s.db.QueryRowContext(ctx, `SELECT board_id FROM meetings WHERE id = $1`, meetingID).Scan(&boardID); err != nil {
		t.Fatal(err)
	}
	res := setup.post("/admin/boards/"+strconv.FormatInt(boardID, 10)+"/meetings", url.Values{"title": {"Soon meeting"},
		"slug": {"soon-meeting"}, "summary": {"The board meets."}, "date": {ldn.In(now).AddDate(0, 0, 5).Format("2006-01-02")},
		"start_time": {"13:30"}, "end_time": {"16:30"}, "attendance": {"in_person"}, "venue": {"Tooley Street"},
		"status": {"scheduled"}, "publish": {"published"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("adding a meeting: status %d\n%s", res.status, res.body)
	}
	// A failed email.
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		_, err := outbox(s.cfg).Enqueue(ctx, q, mail.Message{Kind: "question-accepted", To: "gone@example.org", Subject: "Accepted", Text: "Hello"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	at := now.UTC()
	for range mail.MaxAttempts + 3 {
		if _, err := (mail.Delivery{DB: s.db, Sender: refusing{}, From: "x@joinedup.example", Now: func() time.Time { return at }}).Run(ctx); err != nil {
			t.Fatal(err)
		}
		at = at.Add(7 * time.Hour)
	}

	// Requests for another format: one for a paper (governance officers'),
	// one for a Southwark post (its editors'), one already answered.
	m, err := boards.NewStore(s.db).Meeting(ctx, meetingID)
	if err != nil || len(m.Papers) == 0 {
		t.Fatalf("the meeting to come has no paper: %v", err)
	}
	s.formatRequest(m.Papers[0].ID, "paper@example.org")
	swPost := s.addPost("sw-formats", false, now.Add(-2*time.Hour), "southwark")
	sent := s.formatRequest(m.Papers[0].ID, "answered@example.org")
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		if _, err := formats.NewStore(q).Insert(ctx, formats.Request{Kind: formats.Post, TargetID: swPost,
			PlaceID: s.placeID("southwark"), Title: "Post sw-formats", Path: "/news/sw-formats", Format: formats.LargePrint,
			Email: "post@example.org", DueOn: "2030-01-10", SubmittedAt: now}); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `UPDATE format_requests SET status = 'sent' WHERE id = $1`, sent)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// The directory: every record confirmed but two, a resident's report,
	// a provider's proposal, and one failing check beside one that passes.
	var svcIDs []string
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM dir_services WHERE status = 'active' ORDER BY id LIMIT 3`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		svcIDs = append(svcIDs, id)
	}
	rows.Close()
	if len(svcIDs) < 3 {
		t.Fatalf("the seed has %d active services, want 3", len(svcIDs))
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE dir_services SET confirmed_at = $1`, now.UTC()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE dir_services SET confirmed_at = NULL WHERE id IN ($1, $2)`, svcIDs[0], svcIDs[1]); err != nil {
		t.Fatal(err)
	}
	s.listingReport(svcIDs[2], "reporter@example.org")
	s.proposalFor(svcIDs[2], s.addProvider("their.provider@example.org", s.organizationOf(svcIDs[2])), "Renamed by its provider")
	for _, c := range []struct {
		target string
		ok     bool
	}{{"020 0000 0000", false}, {"020 7525 5000", true}} {
		if _, err := s.db.ExecContext(ctx, `INSERT INTO listing_checks (service_id, kind, target, ok, detail, failures, flagged, checked_at)
			VALUES ($1, 'phone', $2, $3, 'test', $4, $5, $6)`, svcIDs[2], c.target, c.ok, map[bool]int{false: 1}[c.ok], !c.ok, now.UTC()); err != nil {
			t.Fatal(err)
		}
	}
	type want map[string]int // kind → count; -1: any count above 0
	directoryKinds := want{"listing-reports": 1, "provider-proposals": 1, "stale-listings": 2, "failing-checks": 1}
	adminKinds := want{"questions-awaiting-decision": -1, "written-answers-due": 1, "meeting-papers-due": -1, "draft-posts": 4,
		"scheduled-posts": 2, "failed-email": 1, "format-requests": 2}
	maps.Copy(adminKinds, directoryKinds)
	for _, c := range []struct {
		actor string
		role  accounts.Role
		place string
		want  want
	}{
		{adminUser, accounts.Administrator, "", adminKinds},
		{editorSE, accounts.Editor, "southwark", want{"draft-posts": 2, "scheduled-posts": 1, "format-requests": 1}},
		{editorLew, accounts.Editor, "lewisham", want{"draft-posts": 1, "scheduled-posts": 1}},
		{editorAll, accounts.Editor, "", want{"draft-posts": 4, "scheduled-posts": 2, "format-requests": 1}},
		{governance, accounts.GovernanceOfficer, "", want{"questions-awaiting-decision": -1, "written-answers-due": 1,
			"meeting-papers-due": -1, "format-requests": 1}},
		{dirEditor, accounts.DirectoryEditor, "", directoryKinds},
		{reviewer, accounts.Reviewer, "", want{}},
	} {
		email := strings.ReplaceAll(c.actor, " ", ".") + "@example.org"
		if c.place != "" {
			s.addUser(email, c.role, c.place)
		} else {
			s.addUser(email, c.role)
		}
		b := s.visitor().mustLogin(email)
		items := homeItems(t, b)
		for kind, n := range c.want {
			i := slices.IndexFunc(items, func(it homeItem) bool { return it.kind == kind })
			if i < 0 {
				t.Errorf("%s: the admin home lacks %s", c.actor, kind)
				continue
			}
			if n >= 0 && items[i].count != n {
				t.Errorf("%s: %s counts %d, want %d", c.actor, kind, items[i].count, n)
			}
		}
		for _, it := range items {
			kind := it.kind
			if _, ok := c.want[kind]; !ok {
				t.Errorf("%s: the admin home shows %s (%d), which is not theirs", c.actor, kind, it.count)
			}
			list := b.get(it.href)
			if list.status != http.StatusOK {
				t.Errorf("%s: %s links to %s, status %d", c.actor, kind, it.href, list.status)
				continue
			}
			if got := records(list.body); got != it.count {
				t.Errorf("%s: %s counts %d, but its list %s holds %d", c.actor, kind, it.count, it.href, got)
			}
		}
		// Awaiting a decision: one item for each meeting, the two questions
		// to the meeting to come counted there.
		if _, ok := c.want["questions-awaiting-decision"]; ok {
			var n int
			if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions WHERE status = 'received'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			home := b.get("/admin/").body
			sum := 0
			for _, m := range waiting.FindAllStringSubmatch(home, -1) {
				if m[1] == "questions-awaiting-decision" {
					k, _ := strconv.Atoi(m[2])
					sum += k
				}
			}
			if sum != n || n < 2 {
				t.Errorf("%s: questions awaiting a decision sum to %d, want %d (at least 2)", c.actor, sum, n)
			}
			if !strings.Contains(home, "due in 3 working days") && !strings.Contains(home, "due on ") {
				t.Errorf("%s: the written answer's due date is not in words:\n%s", c.actor, home)
			}
		}
		if len(c.want) == 0 && !strings.Contains(b.get("/admin/").body, "Nothing waits for you") {
			t.Errorf("%s: the admin home does not say that nothing waits", c.actor)
		}
	}
}
