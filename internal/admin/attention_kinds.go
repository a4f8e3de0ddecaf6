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
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/questions"
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
)

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
