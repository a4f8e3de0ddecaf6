package questions

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	outbox "github.com/joinedup/joinedup/internal/mail"
)

// Mailer writes the emails a questioner gets and queues them.
type Mailer struct {
	Outbox  outbox.Outbox
	BaseURL string
	// EraseURL, if set, gives the signed link with which the resident can
	// have everything held for their address deleted at once.
	EraseURL func(ctx context.Context, email string) (string, error)
}

// recipient is the questioner as an address; names with odd characters
// are quoted by net/mail.
func recipient(q Question) string {
	return (&mail.Address{Name: q.Name, Address: q.Email}).String()
}

func (m Mailer) footer(ctx context.Context, b *strings.Builder, qu Question, board boards.Board, meeting boards.Meeting) (string, error) {
	fmt.Fprintf(b, "\nThe meeting: %s\n%s\n", meeting.Title, m.BaseURL+meeting.Path())
	if board.Rule.ContactEmail != "" {
		fmt.Fprintf(b, "\nIf you have a question about this email, write to %s and quote your reference.\n", board.Rule.ContactEmail)
	}
	fmt.Fprintf(b, "\nWe keep your name and email address for %d months after the meeting, then delete them. "+
		"Our privacy notice: %s/privacy\n", board.RetentionMonths, m.BaseURL)
	if m.EraseURL != nil {
		u, err := m.EraseURL(ctx, qu.Email)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(b, "To have your details deleted now: %s\n", u)
	}
	return b.String(), nil
}

// Confirm queues the email that confirms a question arrived.
func (m Mailer) Confirm(ctx context.Context, q db.Querier, qu Question, board boards.Board, meeting boards.Meeting) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\nThank you for your question to the %s. We have received it.\n\n", qu.Name, board.Name)
	fmt.Fprintf(&b, "Your reference: %s\n\nYour question:\n%s\n\n", qu.Reference, qu.Body)
	fmt.Fprintf(&b, "The meeting is on %s, %s.\n\n", london.LongDate(meeting.StartsAt), london.TimeRange(meeting.StartsAt, meeting.EndsAt))
	b.WriteString("What happens next: the board's governance team reads every question. We will email you when it is " +
		"accepted for the meeting, and again with the answer, or with the reason if the board cannot take it.\n")
	if qu.PublishName {
		b.WriteString("\nYou asked us to publish your name with your question and its answer on the meeting's page.\n")
	} else {
		b.WriteString("\nYour question and its answer will be published on the meeting's page as from \"a resident\", without your name.\n")
	}
	text, err := m.footer(ctx, &b, qu, board, meeting)
	if err != nil {
		return err
	}
	_, err = m.Outbox.Enqueue(ctx, q, outbox.Message{Kind: "question-received", To: recipient(qu), Ref: Ref(qu.ID),
		Subject: "Your question to the " + board.Name + ": reference " + qu.Reference, Text: text})
	return err
}

// StatusChanged queues the email that tells a questioner their question
// moved to a new status.
func (m Mailer) StatusChanged(ctx context.Context, q db.Querier, qu Question, board boards.Board, meeting boards.Meeting) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Dear %s,\n\nThis is about your question to the %s, reference %s:\n\n%s\n\n", qu.Name, board.Name, qu.Reference, qu.Body)
	subject := "Your question " + qu.Reference + ": "
	switch qu.Status {
	case Accepted:
		subject += "accepted"
		fmt.Fprintf(&b, "The board has accepted your question for its meeting on %s. It will be answered at the meeting "+
			"or in writing, and we will email you the answer.\n", london.LongDate(meeting.StartsAt))
	case AnsweredAtMeeting:
		subject += "answered"
		fmt.Fprintf(&b, "Your question was answered at the meeting. The answer:\n\n%s\n", qu.Answer)
	case AnsweredInWriting:
		subject += "answer in writing"
		if qu.Answer == "" {
			fmt.Fprintf(&b, "The board will answer your question in writing by %s.\n", dueDate(qu.AnswerDueOn))
		} else {
			fmt.Fprintf(&b, "The board has answered your question in writing:\n\n%s\n", qu.Answer)
		}
	case Declined:
		subject += "declined"
		fmt.Fprintf(&b, "The board cannot take your question. The reason:\n\n%s\n", qu.DeclineReason)
	default:
		subject += strings.ToLower(qu.Status.Label())
		fmt.Fprintf(&b, "Its status is now: %s.\n", qu.Status.Label())
	}
	text, err := m.footer(ctx, &b, qu, board, meeting)
	if err != nil {
		return err
	}
	_, err = m.Outbox.Enqueue(ctx, q, outbox.Message{Kind: "question-" + string(qu.Status), To: recipient(qu), Ref: Ref(qu.ID),
		Subject: subject, Text: text})
	return err
}

// dueDate formats a YYYY-MM-DD date as "Friday 24 December 2027".
func dueDate(day string) string {
	t, err := time.ParseInLocation("2006-01-02", day, london.Location)
	if err != nil {
		return day
	}
	return london.LongDate(t)
}
