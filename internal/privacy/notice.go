package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/db"
)

// Notice is the wording of the privacy notice that administrators edit.
// The page adds, from the registry, what is held and for how long, so
// that those lines always say what the code does.
type Notice struct {
	// Lede is the opening paragraph, plain text.
	Lede string
	// Body is the rest of the notice, markdown: who runs the site, why
	// the data is used, who sees it, residents' rights.
	Body string
	// UpdatedAt is when it was last saved; zero for the notice as shipped.
	UpdatedAt time.Time
}

// The longest lede and body a notice may have.
const (
	MaxNoticeLede = 600
	MaxNoticeBody = 20000
)

// Validate returns a message for each field of n that is wrong, keyed by
// field name ("lede", "body").
func (n Notice) Validate() map[string]string {
	problems := map[string]string{}
	switch l := utf8.RuneCountInString(n.Lede); {
	case strings.TrimSpace(n.Lede) == "":
		problems["lede"] = "Enter the opening paragraph of the notice"
	case l > MaxNoticeLede:
		problems["lede"] = fmt.Sprintf("The opening paragraph must be %d characters or fewer (it has %d)", MaxNoticeLede, l)
	}
	switch l := utf8.RuneCountInString(n.Body); {
	case strings.TrimSpace(n.Body) == "":
		problems["body"] = "Enter the text of the notice"
	case l > MaxNoticeBody:
		problems["body"] = fmt.Sprintf("The text must be %d characters or fewer (it has %d)", MaxNoticeBody, l)
	}
	return problems
}

// NoticeStore reads and saves the privacy notice.
type NoticeStore struct{ q db.Querier }

// NewNoticeStore returns a NoticeStore that runs its SQL on q.
func NewNoticeStore(q db.Querier) *NoticeStore { return &NoticeStore{q: q} }

// Notice returns the notice as last saved, or DefaultNotice when it has
// never been saved.
func (s *NoticeStore) Notice(ctx context.Context) (Notice, error) {
	var n Notice
	err := s.q.QueryRowContext(ctx, `SELECT lede, body, updated_at FROM privacy_notice WHERE id = 1`).Scan(&n.Lede, &n.Body, &n.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultNotice, nil
	}
	if err != nil {
		return Notice{}, fmt.Errorf("privacy: notice: %w", err)
	}
	n.UpdatedAt = n.UpdatedAt.UTC()
	return n, nil
}

// Save saves n as the notice, at now.
func (s *NoticeStore) Save(ctx context.Context, n Notice, now time.Time) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO privacy_notice (id, lede, body, updated_at) VALUES (1, $1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET lede = excluded.lede, body = excluded.body, updated_at = excluded.updated_at`,
		n.Lede, n.Body, now.UTC())
	if err != nil {
		return fmt.Errorf("privacy: save notice: %w", err)
	}
	return nil
}

// DefaultNotice is the notice the site ships with, until an administrator
// edits it.
var DefaultNotice = Notice{
	Lede: "This notice explains what we do with your details when you register for an event, ask a board a question or sign up for emails about a board. It is written for residents: if anything is unclear, ask us.",
	Body: `## Who we are

This website is run by the health and care partnerships of South East London, such as Partnership Southwark. The partnership that runs the event, or the board you write to, decides what happens to your details: in data protection law it is the “controller”. To contact it about your details, reply to any email we sent you, or write to the organiser named on the event or board page.

We do not use tracking cookies or advertising, and we do not sell or share your details for marketing.

## Why we use it

- To run the event: to hold your place, send your confirmation and a reminder, offer your place to someone else if you cancel, and arrange any access needs.
- To answer your question and publish the question and answer, as public boards do.
- To email you when a board publishes its meeting papers, until you unsubscribe.

We do this as part of the public tasks of the NHS and local councils (UK GDPR article 6(1)(e)). Access needs can say something about your health, so we keep them only with your explicit consent (article 9(2)(a)), and you can withdraw it by cancelling your registration or asking us to delete your details.

## Who sees it

Only the staff who run the event or the board. Organisers can download the list of people coming, with access needs only for people who agreed to share them. Every download is recorded. We send email through our email provider, which may only use it to deliver our messages.

If you ask a question and agree to have your name published, your name appears with your question on the meeting page. Otherwise the question appears from “a resident”.

## Your rights

You have the right to see the details we hold about you, to have them corrected, to have them deleted, to object to how we use them and to have their use restricted.

**To have your details deleted now**, use the link “To have your details deleted now” at the end of the emails we send about questions, event registrations and board papers. It deletes everything we hold for that email address straight away, including your questions to boards, and cancels any places you have at events still to come. The same page lets you download a copy of everything we hold about you first.

For anything else, contact the organiser as described under “Who we are”. If you are not happy with our answer, you can complain to the Information Commissioner’s Office at [ico.org.uk/make-a-complaint](https://ico.org.uk/make-a-complaint/) or on 0303 123 1113.
`,
}
