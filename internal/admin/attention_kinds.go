package admin

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/attention"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/providers"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/upkeep"
)

// The kinds of record the admin home counts, each linked to the admin
// list that holds exactly the records counted. Each counter reads what its
// list reads, so the two agree.
var (
	_ = attention.Register("questions-awaiting-decision", questionsAwaitingDecision)
	_ = attention.Register("written-answers-due", writtenAnswersCount)
	_ = attention.Register("meeting-papers-due", meetingPapersDue)
	_ = attention.Register("draft-posts", postsIn("draft"))
	_ = attention.Register("scheduled-posts", postsIn("scheduled"))
	_ = attention.Register("failed-email", failedEmail)
	_ = attention.Register("format-requests", formatRequestsOpen)
	_ = attention.Register("provider-proposals", providerProposals)
)

// upkeepKinds are the directory's kinds that need the site's upkeep
// settings (how old a confirmation may be): residents' reports of
// problems, stale records and failing automatic checks.
func (h *handlers) upkeepKinds() []attention.Kind {
	if h.upkeep == nil {
		return nil
	}
	return []attention.Kind{
		{Name: "listing-reports", Counter: h.listingReports},
		{Name: "stale-listings", Counter: h.staleListings},
		{Name: "failing-checks", Counter: h.failingChecks},
	}
}

// formatRequestsOpen: the open requests for another format that u
// answers, due by the earliest due date among them.
func formatRequestsOpen(ctx context.Context, q db.Querier, u accounts.User, now time.Time) ([]attention.Item, error) {
	sc := formatScope(u)
	if !sc.Any() {
		return nil, nil
	}
	list, err := formats.NewStore(q).List(ctx, sc, formats.New, formats.InHand)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	it := attention.Item{Label: plural(len(list), "request for another format is open", "requests for another format are open"),
		Count: len(list), Href: formats.QueueURL}
	it.Due, _ = time.ParseInLocation(dateLayout, list[0].DueOn, london.Location)
	late := 0
	for _, r := range list {
		if r.Overdue(now) {
			late++
		}
	}
	it.Detail = "The first is " + list[0].Reference() + ", " + list[0].Asked()
	if late > 0 {
		it.Detail += "; " + strconv.Itoa(late) + " past the due date"
	}
	return []attention.Item{it}, nil
}

// providerProposals: for directory editors, the providers' proposals
// awaiting a decision, the oldest first.
func providerProposals(ctx context.Context, q db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.EditDirectory) {
		return nil, nil
	}
	list, err := providers.NewStore(q).Pending(ctx)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return []attention.Item{{Label: plural(len(list), "change proposed by a provider awaits a decision",
		"changes proposed by providers await a decision"), Count: len(list), Href: "/admin/directory/proposals"}}, nil
}

// listingReports: for directory editors, residents' reports of problems
// that are new or in hand.
func (h *handlers) listingReports(ctx context.Context, _ db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.EditDirectory) {
		return nil, nil
	}
	counts, err := h.upkeep.CountReports(ctx)
	if err != nil {
		return nil, err
	}
	n := counts[upkeep.New] + counts[upkeep.InHand]
	if n == 0 {
		return nil, nil
	}
	return []attention.Item{{Label: plural(n, "report of a problem with a listing is open", "reports of problems with listings are open"),
		Detail: strconv.Itoa(counts[upkeep.New]) + " new, " + strconv.Itoa(counts[upkeep.InHand]) + " in hand",
		Count:  n, Href: "/admin/directory/reports"}}, nil
}

// staleListings: for directory editors, the active records nobody has
// confirmed within the upkeep period.
func (h *handlers) staleListings(ctx context.Context, _ db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.EditDirectory) {
		return nil, nil
	}
	_, n, err := h.upkeep.Stale(ctx, 1, 1)
	if err != nil || n == 0 {
		return nil, err
	}
	return []attention.Item{{Label: plural(n, "listing is not confirmed", "listings are not confirmed") +
		" in " + strconv.Itoa(h.upkeep.StaleMonths()) + " months", Count: n, Href: "/admin/directory/stale"}}, nil
}

// failingChecks: for directory editors, the automatic checks of phone
// numbers, emails and websites that fail.
func (h *handlers) failingChecks(ctx context.Context, _ db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.EditDirectory) {
		return nil, nil
	}
	list, err := h.upkeep.Problems(ctx)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	flagged := 0
	for _, c := range list {
		if c.Flagged {
			flagged++
		}
	}
	it := attention.Item{Label: plural(len(list), "automatic check of a listing fails", "automatic checks of listings fail"),
		Count: len(list), Href: "/admin/directory/checks"}
	if flagged > 0 {
		it.Detail = strconv.Itoa(flagged) + " flagged for an editor to look at"
	}
	return []attention.Item{it}, nil
}

// plural is n and the noun, with an s when n is not 1.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// questionsAwaitingDecision: one item for each meeting with questions
// received and not yet accepted, answered or declined, due by the meeting.
func questionsAwaitingDecision(ctx context.Context, q db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.ManageBoards) {
		return nil, nil
	}
	counts, err := questions.NewStore(q).CountByMeeting(ctx, questions.Received)
	if err != nil {
		return nil, err
	}
	st := boards.NewStore(q)
	ids := slices.Sorted(maps.Keys(counts))
	var out []attention.Item
	for _, id := range ids {
		n := counts[id]
		m, err := st.Meeting(ctx, id)
		if err != nil {
			return nil, err
		}
		b, err := st.Board(ctx, m.BoardID)
		if err != nil {
			return nil, err
		}
		out = append(out, attention.Item{
			Label:  plural(n, "question awaits a decision", "questions await a decision"),
			Detail: m.Title + " (" + b.Name + ", " + b.PlaceName + "), meeting on " + london.LongDate(m.StartsAt),
			Count:  n, Due: m.StartsAt,
			Href: "/admin/questions?meeting=" + itoa(id) + "&status=" + string(questions.Received),
		})
	}
	return out, nil
}

// writtenAnswersCount: the written answers still to give, due by the
// earliest due date among them.
func writtenAnswersCount(ctx context.Context, q db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.ManageBoards) {
		return nil, nil
	}
	list, err := writtenAnswersDue(ctx, q)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return []attention.Item{{Label: plural(len(list), "written answer is due", "written answers are due"),
		Detail: "The first is for " + list[0].Question.Reference, Count: len(list), Due: list[0].Due,
		Href: "/admin/questions?due=written"}}, nil
}

// meetingPapersDue: scheduled meetings of the next 14 days whose papers
// residents cannot read yet, due by the first of them.
func meetingPapersDue(ctx context.Context, q db.Querier, u accounts.User, now time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.ManageBoards) {
		return nil, nil
	}
	rows, _, err := meetingRows(ctx, q, now, listQuery{Status: "papers-due"})
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	first := rows[0]
	return []attention.Item{{Label: plural(len(rows), "meeting in the next 14 days has no published papers",
		"meetings in the next 14 days have no published papers"),
		Detail: "The first is " + first.Meeting.Title + " on " + london.LongDate(first.Meeting.StartsAt),
		Count:  len(rows), Due: first.Meeting.StartsAt, Href: "/admin/meetings?status=papers-due"}}, nil
}

// postsIn counts the posts in a state ("draft" or "scheduled") of the
// places u may write for.
func postsIn(state string) attention.Counter {
	return func(ctx context.Context, q db.Querier, u accounts.User, now time.Time) ([]attention.Item, error) {
		if !u.Can(accounts.EditContent) {
			return nil, nil
		}
		rows, _, err := postRows(ctx, q, u, now, listQuery{Status: state})
		if err != nil || len(rows) == 0 {
			return nil, err
		}
		it := attention.Item{Count: len(rows), Href: "/admin/posts?status=" + state}
		if state == "draft" {
			it.Label = plural(len(rows), "post is a draft", "posts are drafts")
		} else {
			it.Label = plural(len(rows), "post is scheduled", "posts are scheduled")
			next := rows[0].Post.PublishedAt
			for _, r := range rows {
				if r.Post.PublishedAt.Before(next) {
					next = r.Post.PublishedAt
				}
			}
			it.Detail = "The next is published on " + london.LongDate(next) + " at " + london.Clock(next)
		}
		return []attention.Item{it}, nil
	}
}

// failedEmail: for administrators, the emails given up on.
func failedEmail(ctx context.Context, q db.Querier, u accounts.User, _ time.Time) ([]attention.Item, error) {
	if !u.Can(accounts.ManageAccounts) {
		return nil, nil
	}
	_, n, err := mail.Failed(ctx, q, 0)
	if err != nil || n == 0 {
		return nil, err
	}
	return []attention.Item{{Label: plural(n, "email could not be sent", "emails could not be sent"),
		Detail: "Tell the people concerned another way, or fix the mail settings", Count: n, Href: "/admin/mail"}}, nil
}
