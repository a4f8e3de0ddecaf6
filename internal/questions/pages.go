package questions

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/secrets"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

// Options are what the question pages need from outside the package.
type Options struct {
	Mailer Mailer
	Limits Limits
	// Now is the clock; tests set it.
	Now func() time.Time
	// ClientIP finds the address a request came from, for the rate limit
	// per address; by default the connection's peer.
	ClientIP func(*http.Request) string
}

// Pages are the public question pages and the meeting part of event pages.
type Pages struct {
	d      *db.DB
	events *events.Store
	boards *boards.Store
	store  *Store
	opt    Options
	key    []byte
}

// New returns the question pages on d, loading (or making) the key that
// signs the form.
func New(ctx context.Context, d *db.DB, opt Options) (*Pages, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.ClientIP == nil {
		opt.ClientIP = web.ClientIP
	}
	if opt.Limits == (Limits{}) {
		opt.Limits = DefaultLimits
	}
	key, err := secrets.Load(ctx, d, secretName)
	if err != nil {
		return nil, err
	}
	return &Pages{d: d, events: events.NewStore(d), boards: boards.NewStore(d), store: NewStore(d), opt: opt, key: key}, nil
}

// Mount registers the question form and its thank-you page.
func (p *Pages) Mount(site *web.Site) {
	h := handlers{Pages: p, site: site}
	site.GetUncached("/events/{slug}/questions", h.form)
	site.Post("/events/{slug}/questions", h.submit)
	site.GetUncached("/events/{slug}/questions/sent", h.sent)
}

// meetingFor finds the published meeting whose event has slug, with its board.
func (p *Pages) meetingFor(ctx context.Context, slug string) (events.Event, boards.Meeting, boards.Board, error) {
	e, err := p.events.BySlug(ctx, slug)
	if err != nil {
		return events.Event{}, boards.Meeting{}, boards.Board{}, err
	}
	m, err := p.boards.MeetingByEvent(ctx, e.ID)
	if err != nil {
		return events.Event{}, boards.Meeting{}, boards.Board{}, err
	}
	b, err := p.boards.Board(ctx, m.BoardID)
	if err != nil {
		return events.Event{}, boards.Meeting{}, boards.Board{}, err
	}
	return e, m, b, nil
}

// closedReason says why a meeting takes no questions at now, or "" when
// it does.
func closedReason(b boards.Board, m boards.Meeting, now time.Time) string {
	switch {
	case !b.Rule.Accepts:
		return "The " + b.Name + " does not take questions in advance."
	case m.Status == boards.MeetingCancelled:
		return "This meeting has been cancelled, so it is not taking questions."
	case m.Status == boards.MeetingHeld || !m.EndsAt.After(now):
		return "This meeting has taken place, so it is no longer taking questions."
	case !b.Rule.Open(m.StartsAt, now):
		return "The deadline for questions to this meeting was " + boards.DeadlineText(b.Rule.Deadline(m.StartsAt)) + "."
	}
	return ""
}

// Details is the meeting part of an event's page: agenda, papers,
// declarations, minutes, links, and the published questions and answers.
type Details struct {
	Board        boards.Board
	Meeting      boards.Meeting
	Items        []itemView
	Papers       []boards.Paper // for the meeting as a whole
	Declarations []declarationView
	Minutes      template.HTML
	ApprovedBy   *boards.Meeting
	Questions    []publicQuestion
	// The question form: open, or closed with the reason and what to do.
	AskURL        string
	Closed        string
	Deadline      string
	AfterDeadline string
}

type itemView struct {
	boards.AgendaItem
	Body template.HTML
}

type declarationView struct {
	boards.Declaration
	Item string
}

type publicQuestion struct {
	AskedBy   string
	Body      []string
	Item      string
	Status    Status
	Answer    template.HTML
	DueOn     string
	Submitted time.Time
}

// Details returns the meeting part of the page of the event eventID, or
// db.ErrNotFound when the event is not a board's meeting.
func (p *Pages) Details(ctx context.Context, eventID int64) (any, error) {
	m, err := p.boards.MeetingByEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	b, err := p.boards.Board(ctx, m.BoardID)
	if err != nil {
		return nil, err
	}
	d := &Details{Board: b, Meeting: m, AskURL: m.Path() + "/questions"}
	items := map[int64]string{}
	for _, it := range m.Items {
		items[it.ID] = it.Label()
		d.Items = append(d.Items, itemView{AgendaItem: it, Body: text.Markdown(it.Description)})
	}
	for _, pa := range m.Papers {
		if pa.AgendaItemID == 0 {
			d.Papers = append(d.Papers, pa)
		}
	}
	for _, dc := range m.Declarations {
		d.Declarations = append(d.Declarations, declarationView{Declaration: dc, Item: items[dc.AgendaItemID]})
	}
	if m.MinutesStatus == boards.MinutesApproved {
		d.Minutes = text.Markdown(m.Minutes)
		if by, err := p.boards.Meeting(ctx, m.MinutesApprovedBy); err == nil && !by.Draft {
			d.ApprovedBy = &by
		} else if err != nil && !errors.Is(err, db.ErrNotFound) {
			return nil, err
		}
	}
	now := p.opt.Now()
	d.Closed = closedReason(b, m, now)
	d.Deadline = boards.DeadlineText(b.Rule.Deadline(m.StartsAt))
	d.AfterDeadline = afterDeadline(b, m, now)
	qs, err := p.store.Published(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	for _, q := range qs {
		pq := publicQuestion{AskedBy: q.AskedBy(), Body: text.Paragraphs(q.Body), Item: items[q.AgendaItemID],
			Status: q.Status, Answer: text.Markdown(q.Answer), Submitted: q.SubmittedAt}
		if q.Status == AnsweredInWriting && q.Answer == "" {
			pq.DueOn = dueDate(q.AnswerDueOn)
		}
		d.Questions = append(d.Questions, pq)
	}
	return d, nil
}

// afterDeadline says what a resident can do once questions to m are
// closed at now. The board's own text and the invitation to come and
// listen are for a meeting still to come; a meeting that has taken place
// or was cancelled points to the board's next meeting instead.
func afterDeadline(b boards.Board, m boards.Meeting, now time.Time) string {
	var s string
	switch {
	case m.Status == boards.MeetingCancelled || m.Status == boards.MeetingHeld || !m.EndsAt.After(now):
		s = "You can ask the " + b.Name + " a question at one of its meetings to come: each meeting's page says when questions open and close."
	case b.Rule.AfterDeadline != "":
		return b.Rule.AfterDeadline
	default:
		s = "The meeting is held in public: you are welcome to come and listen, and the chair may take questions from the floor if time allows."
	}
	if b.Rule.ContactEmail != "" {
		s += fmt.Sprintf(" You can also email your question to the governance team at %s, who will pass it on or tell you where to send it.", b.Rule.ContactEmail)
	}
	return s
}
