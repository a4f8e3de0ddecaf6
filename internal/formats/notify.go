package formats

import (
	"context"
	"fmt"
	"net/mail"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	outbox "github.com/joinedup/joinedup/internal/mail"
)

// Mailer writes the emails a resident gets about a request and queues
// them, in the transaction of the change they tell of.
type Mailer struct {
	Outbox  outbox.Outbox
	BaseURL string
	// EraseURL, if set, gives the signed link with which the resident can
	// have everything held for their address deleted at once.
	EraseURL func(ctx context.Context, email string) (string, error)
}

func recipient(r Request) string {
	return (&mail.Address{Name: r.Name, Address: r.Email}).String()
}

func greeting(r Request) string {
	if r.Name != "" {
		return "Dear " + r.Name + ",\n\n"
	}
	return "Hello,\n\n"
}

func (m Mailer) footer(ctx context.Context, b *strings.Builder, r Request) (string, error) {
	fmt.Fprintf(b, "\nWhat you asked for: %s\n%s\n", r.Title, m.BaseURL+r.Path)
	fmt.Fprintf(b, "\nWe keep your email address and what you told us until %d months after your request is closed "+
		"(at most %d months after you made it), then delete them. Our privacy notice: %s/privacy\n",
		RetentionMonths, MaxRetentionMonths, m.BaseURL)
	if m.EraseURL != nil {
		u, err := m.EraseURL(ctx, r.Email)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(b, "To have your details deleted now: %s\n", u)
	}
	return b.String(), nil
}

// Received queues the email that confirms a request arrived, with its
// reference and due date.
func (m Mailer) Received(ctx context.Context, q db.Querier, r Request) error {
	var b strings.Builder
	b.WriteString(greeting(r))
	fmt.Fprintf(&b, "Thank you for asking for \"%s\" in another format. We have received your request.\n\n", r.Title)
	fmt.Fprintf(&b, "Your reference: %s\nYou asked for: %s\n", r.Reference(), r.Asked())
	if r.Details != "" {
		fmt.Fprintf(&b, "You told us:\n%s\n", r.Details)
	}
	fmt.Fprintf(&b, "\nWe aim to send it to you by %s. We will email you when we start work on it, and again when "+
		"we send it, or if we cannot provide it, with the reason.\n", r.Due())
	text, err := m.footer(ctx, &b, r)
	if err != nil {
		return err
	}
	_, err = m.Outbox.Enqueue(ctx, q, outbox.Message{Kind: "format-request-received", To: recipient(r), Ref: Ref(r.ID),
		Subject: "Your request for another format: reference " + r.Reference(), Text: text})
	return err
}

// StatusChanged queues the email that tells the resident their request
// moved to a new status, with the team's message.
func (m Mailer) StatusChanged(ctx context.Context, q db.Querier, r Request) error {
	var b strings.Builder
	b.WriteString(greeting(r))
	fmt.Fprintf(&b, "This is about your request %s for \"%s\" in %s.\n\n", r.Reference(), r.Title, r.Asked())
	subject := "Your request " + r.Reference() + ": "
	switch r.Status {
	case InHand:
		subject += "we are working on it"
		fmt.Fprintf(&b, "We have started work on it, and aim to send it to you by %s.\n", r.Due())
	case Sent:
		subject += "sent"
		b.WriteString("We have sent you what you asked for.\n")
	case CannotProvide:
		subject += "we cannot provide it"
		b.WriteString("We are sorry: we cannot provide what you asked for.\n")
	default:
		subject += strings.ToLower(r.Status.Label())
		fmt.Fprintf(&b, "Its status is now: %s.\n", r.Status.Label())
	}
	if r.Reason != "" {
		fmt.Fprintf(&b, "\nA message from the team:\n%s\n", r.Reason)
	}
	text, err := m.footer(ctx, &b, r)
	if err != nil {
		return err
	}
	_, err = m.Outbox.Enqueue(ctx, q, outbox.Message{Kind: "format-request-" + string(r.Status), To: recipient(r), Ref: Ref(r.ID),
		Subject: subject, Text: text})
	return err
}

// TellTeam queues, for each staff address in team, the email that tells
// of a new request and when it is due. It names what was asked for and
// links to the request in the admin; the resident's details stay there.
func (m Mailer) TellTeam(ctx context.Context, q db.Querier, r Request, team []string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "A resident has asked for \"%s\" (%s) in another format: %s.\n\n", r.Title, strings.ToLower(r.Kind.Label()), r.Asked())
	fmt.Fprintf(&b, "Reference: %s\nDue by: %s\n\nThe request: %s/admin/format-requests/%d\nThe page: %s\n",
		r.Reference(), r.Due(), m.BaseURL, r.ID, m.BaseURL+r.Path)
	for _, to := range team {
		if _, err := m.Outbox.Enqueue(ctx, q, outbox.Message{Kind: "format-request-team", To: to, Ref: Ref(r.ID),
			Subject: "Request for another format " + r.Reference() + ", due " + r.Due(), Text: b.String()}); err != nil {
			return err
		}
	}
	return nil
}
