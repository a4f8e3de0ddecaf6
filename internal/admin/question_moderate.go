package admin

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/bankholiday"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

var questionsCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Residents' questions", Href: "/admin/questions"}}

type queueMeeting struct {
	Board   boards.Board
	Meeting boards.Meeting
	Counts  map[questions.Status]int
	Total   int
}

type queueFilter struct {
	Label, Href string
	Current     bool
}

type queuePage struct {
	Meetings []queueMeeting
	// With a meeting chosen:
	Chosen    *queueMeeting
	Filters   []queueFilter
	Questions []questions.Question
	Statuses  []questions.Status
	// Hidden: the user reads questions without the residents' names and
	// email addresses (a reviewer).
	Hidden bool
	// Written, with ?due=written: the written answers still to give, the
	// earliest due first, with their meetings.
	Written     []writtenDue
	WrittenMode bool
}

// withoutContact returns q without the resident's name and email address,
// for users who read questions but do not moderate them.
func withoutContact(q questions.Question) questions.Question {
	q.Name, q.Email = "", ""
	return q
}

// writtenDue is a question whose written answer is still to come.
type writtenDue struct {
	Question questions.Question
	Meeting  boards.Meeting
	Due      time.Time
}

// writtenAnswersDue lists the written answers still to give. The list and
// the admin home's count both read it.
func writtenAnswersDue(ctx context.Context, q db.Querier) ([]writtenDue, error) {
	list, err := questions.NewStore(q).WrittenAnswersDue(ctx)
	if err != nil {
		return nil, err
	}
	st := boards.NewStore(q)
	out := make([]writtenDue, 0, len(list))
	meetings := map[int64]boards.Meeting{}
	for _, qu := range list {
		m, ok := meetings[qu.MeetingID]
		if !ok {
			if m, err = st.Meeting(ctx, qu.MeetingID); err != nil {
				return nil, err
			}
			meetings[qu.MeetingID] = m
		}
		due, _ := time.ParseInLocation(dateLayout, qu.AnswerDueOn, london.Location)
		out = append(out, writtenDue{Question: qu, Meeting: m, Due: due})
	}
	return out, nil
}

// questionQueue lists the meetings with their questions by status, and
// the questions of one meeting (?meeting=id), of one status (?status=).
func (h *handlers) questionQueue(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	ctx := r.Context()
	qs := questions.NewStore(h.db)
	list, err := h.boards.AllBoards(ctx, 0)
	if err != nil {
		return err
	}
	chosenID, _ := strconv.ParseInt(r.URL.Query().Get("meeting"), 10, 64)
	status := questions.Status(r.URL.Query().Get("status"))
	if status != "" && !status.Valid() {
		return web.BadRequest("There is no question status called “" + string(status) + "”.")
	}
	p := queuePage{Statuses: questions.Statuses}
	if due := r.URL.Query().Get("due"); due != "" {
		if due != "written" || chosenID != 0 || status != "" {
			return web.BadRequest("The list of answers due is ?due=written, on its own.")
		}
		if p.Written, err = writtenAnswersDue(ctx, h.db); err != nil {
			return err
		}
		p.WrittenMode = true
		return h.render(w, r, http.StatusOK, "admin_questions.html", "Written answers due", u, questionsCrumbs, p)
	}
	for _, b := range list {
		ms, err := h.boards.Meetings(ctx, b.ID)
		if err != nil {
			return err
		}
		for i := len(ms) - 1; i >= 0; i-- {
			counts, err := qs.Counts(ctx, ms[i].ID)
			if err != nil {
				return err
			}
			qm := queueMeeting{Board: b, Meeting: ms[i], Counts: counts}
			for _, n := range counts {
				qm.Total += n
			}
			p.Meetings = append(p.Meetings, qm)
			if ms[i].ID == chosenID {
				p.Chosen = &p.Meetings[len(p.Meetings)-1]
			}
		}
	}
	title := "Residents' questions"
	if chosenID != 0 {
		if p.Chosen == nil {
			return web.NotFound("There is no meeting with that number.")
		}
		chosen := *p.Chosen
		p.Chosen = &chosen
		base := "/admin/questions?meeting=" + itoa(chosenID)
		p.Filters = append(p.Filters, queueFilter{Label: "All (" + strconv.Itoa(chosen.Total) + ")", Href: base, Current: status == ""})
		for _, s := range questions.Statuses {
			p.Filters = append(p.Filters, queueFilter{Label: s.Label() + " (" + strconv.Itoa(chosen.Counts[s]) + ")",
				Href: base + "&status=" + string(s), Current: status == s})
		}
		if p.Questions, err = qs.ForMeeting(ctx, chosenID, status); err != nil {
			return err
		}
		if p.Hidden = !u.Can(accounts.ManageBoards); p.Hidden {
			for i := range p.Questions {
				p.Questions[i] = withoutContact(p.Questions[i])
			}
		}
		title = "Questions for " + chosen.Meeting.Title
	}
	return h.render(w, r, http.StatusOK, "admin_questions.html", title, u, questionsCrumbs, p)
}

// moderationForm is the moderation form as typed.
type moderationForm struct {
	Action string
	Answer string
	DueOn  string
	Reason string
	From   string
}

type questionPage struct {
	Question questions.Question
	Meeting  boards.Meeting
	Board    boards.Board
	Item     string
	Body     []string
	Form     moderationForm
	Errors   formErrors
	Actions  []option
	Tools    recordTools
	// Hidden: the page leaves out the resident's name and email address
	// and the forms that change the question (a reviewer reads it).
	Hidden bool
	// Answer is the question's answer as the meeting's page shows it.
	Answer template.HTML
}

func (h *handlers) questionByPath(r *http.Request) (questions.Question, boards.Meeting, boards.Board, error) {
	id, err := idFromPath(r)
	if err != nil {
		return questions.Question{}, boards.Meeting{}, boards.Board{}, err
	}
	q, err := questions.NewStore(h.db).ByID(r.Context(), id)
	if err != nil {
		return questions.Question{}, boards.Meeting{}, boards.Board{}, err
	}
	m, err := h.boards.Meeting(r.Context(), q.MeetingID)
	if err != nil {
		return questions.Question{}, boards.Meeting{}, boards.Board{}, err
	}
	b, err := h.boards.Board(r.Context(), m.BoardID)
	return q, m, b, err
}

func (h *handlers) questionPage(q questions.Question, m boards.Meeting, b boards.Board, f moderationForm, errs formErrors) questionPage {
	p := questionPage{Question: q, Meeting: m, Board: b, Form: f, Errors: errs, Body: text.Paragraphs(q.Body), Answer: text.Markdown(q.Answer),
		Tools: recordTools{Edit: "/admin/questions/" + itoa(q.ID), Noun: "question"}}
	for _, it := range m.Items {
		if it.ID == q.AgendaItemID {
			p.Item = it.Label()
		}
	}
	for _, a := range []struct {
		s     questions.Status
		label string
	}{{questions.Accepted, "Accept it for the meeting"}, {questions.AnsweredAtMeeting, "Answered at the meeting"},
		{questions.AnsweredInWriting, "Answer in writing (give the due date, and the answer when you have it)"},
		{questions.Declined, "Decline it, with the reason"}} {
		p.Actions = append(p.Actions, option{Value: string(a.s), Label: a.label, Checked: f.Action == string(a.s)})
	}
	return p
}

func (h *handlers) questionForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	q, m, b, err := h.questionByPath(r)
	if err != nil {
		return err
	}
	f := moderationForm{Answer: q.Answer, DueOn: q.AnswerDueOn, Reason: q.DeclineReason, From: string(q.Status)}
	if f.DueOn == "" {
		f.DueOn = bankholiday.AddWorkingDays(london.In(h.now()), b.Rule.AnswerWorkingDays).Format(dateLayout)
	}
	p := h.questionPage(q, m, b, f, formErrors{})
	if p.Hidden = !u.Can(accounts.ManageBoards); p.Hidden {
		p.Question = withoutContact(q)
	}
	return h.render(w, r, http.StatusOK, "admin_question.html", "Question "+q.Reference, u, questionsCrumbs, p)
}

// questionModerate moves a question on: accepted, answered at the meeting,
// answered in writing (due date, then the answer) or declined (reason),
// and emails the resident, in one transaction with the audit entry.
func (h *handlers) questionModerate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	q, m, b, err := h.questionByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := moderationForm{Action: formValue(r, "action"), Answer: formText(r, "answer"), DueOn: formValue(r, "due_on"),
		Reason: formText(r, "reason"), From: formValue(r, "from")}
	var errs formErrors
	after := q
	after.Status = questions.Status(f.Action)
	switch after.Status {
	case questions.Accepted:
	case questions.AnsweredAtMeeting:
		if f.Answer == "" {
			errs.add("answer", "Enter the answer given at the meeting")
		}
		after.Answer, after.AnswerDueOn = f.Answer, ""
	case questions.AnsweredInWriting:
		if _, err := time.Parse(dateLayout, f.DueOn); err != nil {
			errs.add("due_on", "Enter the date the written answer is due, like 2027-02-25")
		}
		after.Answer, after.AnswerDueOn = f.Answer, f.DueOn
	case questions.Declined:
		if f.Reason == "" {
			errs.add("reason", "Enter the reason the board cannot take the question; the resident will see it")
		}
		after.DeclineReason = f.Reason
	default:
		errs.add("action-accepted", "Choose what to do with the question")
	}
	checkLength(&errs, "answer", f.Answer, "The answer", 20000)
	checkLength(&errs, "reason", f.Reason, "The reason", 2000)
	if !questions.Status(f.From).Valid() {
		f.From = string(q.Status)
	}
	if !errs.Any() && after.Status == q.Status && after.Answer == q.Answer && after.AnswerDueOn == q.AnswerDueOn &&
		after.DeclineReason == q.DeclineReason {
		errs.add("action-accepted", "The question is already "+q.Status.Label()+" with these details: change something or go back")
	}
	again := func(status int) error {
		return h.render(w, r, status, "admin_question.html", "Question "+q.Reference, u, questionsCrumbs,
			h.questionPage(q, m, b, f, errs))
	}
	if errs.Any() {
		return again(http.StatusUnprocessableEntity)
	}
	err = h.db.Tx(r.Context(), func(tx db.Querier) error {
		if err := questions.NewStore(tx).SetStatus(r.Context(), after, questions.Status(f.From), h.now()); err != nil {
			return err
		}
		if err := accounts.Audit(r.Context(), tx, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "question_" + string(after.Status),
			Record: "question:" + itoa(q.ID), Before: moderationRecord(q), After: moderationRecord(after)}); err != nil {
			return err
		}
		if q.Erased {
			return nil // nobody left to tell
		}
		return h.mailer.StatusChanged(r.Context(), tx, after, b, m)
	})
	if errors.Is(err, questions.ErrStale) {
		fresh, err := questions.NewStore(h.db).ByID(r.Context(), q.ID)
		if err != nil {
			return err
		}
		q, f.From = fresh, string(fresh.Status)
		errs.add("action-accepted", "Someone else changed this question while you were looking at it; it is now "+
			fresh.Status.Label()+". Check it, then choose again.")
		return again(http.StatusConflict)
	}
	if err != nil {
		return err
	}
	told := " We have emailed the resident."
	if q.Erased {
		told = " No email went: the resident's details have been erased."
	}
	return h.redirect(w, r, "/admin/questions?meeting="+itoa(m.ID), "Question "+q.Reference+" is now "+after.Status.Label()+"."+told)
}

// moderationRecord is a question as the audit log keeps it: its state,
// without the resident's name and email.
func moderationRecord(q questions.Question) map[string]string {
	return map[string]string{"reference": q.Reference, "status": string(q.Status), "answer": q.Answer,
		"answer_due_on": q.AnswerDueOn, "decline_reason": q.DeclineReason}
}
