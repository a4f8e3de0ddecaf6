package registrations

import (
	"errors"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

// mountSubscriptions registers the pages of board subscriptions.
func (h handlers) mountSubscriptions() {
	h.site.GetUncached("/in-your-area/{place}/boards/{slug}/subscribe", h.subscribeForm)
	h.site.Post("/in-your-area/{place}/boards/{slug}/subscribe", h.subscribe)
	h.site.GetUncached("/subscriptions/confirm", h.confirmForm)
	h.site.Post("/subscriptions/confirm", h.confirm)
	h.site.GetUncached("/subscriptions/unsubscribe", h.unsubscribeForm)
	// One-click unsubscribe (RFC 8058): mail programs POST here, with the
	// link's own query and no cookie or session.
	h.site.Post("/subscriptions/unsubscribe", h.unsubscribe)
}

type subscribePage struct {
	Board  boards.Board
	Email  string
	Errors []fieldError
}

func (h handlers) board(r *http.Request) (boards.Board, error) {
	return boards.NewStore(h.svc.DB).BoardBySlug(r.Context(), r.PathValue("place"), r.PathValue("slug"))
}

func (h handlers) boardMeta(b boards.Board, title string) web.Meta {
	return web.Meta{Title: title, Path: b.Path() + "/subscribe", NoIndex: true, Forms: true,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: b.PlaceName, Href: "/in-your-area/" + b.PlaceSlug},
			{Label: b.Name, Href: b.Path()}}}
}

func (h handlers) renderSubscribe(w http.ResponseWriter, r *http.Request, status int, p subscribePage) error {
	title := "Get an email when the " + p.Board.Name + " publishes papers"
	if len(p.Errors) > 0 {
		title = "Error: " + title
	}
	return h.site.Render(w, r, status, "subscribe.html", h.boardMeta(p.Board, title), p)
}

func (h handlers) subscribeForm(w http.ResponseWriter, r *http.Request) error {
	b, err := h.board(r)
	if err != nil {
		return err
	}
	return h.renderSubscribe(w, r, http.StatusOK, subscribePage{Board: b})
}

func (h handlers) subscribe(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	b, err := h.board(r)
	if err != nil {
		return err
	}
	p := subscribePage{Board: b, Email: strings.TrimSpace(r.PostFormValue("email"))}
	sent := messagePage{Heading: "Check your email", Paragraphs: []string{
		"We have sent an email to the address you gave. Open the link in it to confirm: until then, we send you nothing else.",
		"If it has not arrived in a few minutes, check your spam or junk folder."},
		Back: web.Link{Label: "Back to the " + b.Name, Href: b.Path()}}
	if r.PostFormValue("website") != "" { // the honeypot
		return h.message(w, r, http.StatusOK, h.boardMeta(b, ""), sent)
	}
	switch {
	case p.Email == "":
		p.Errors = []fieldError{{"email", "Enter your email address"}}
	case len(p.Email) > maxEmail || !validEmail(p.Email):
		p.Errors = []fieldError{{"email", "Enter an email address in the correct format, like name@example.com"}}
	}
	if err := h.allowed(r, "subscribe", strings.ToLower(p.Email)); err != nil {
		return err
	}
	if len(p.Errors) > 0 {
		return h.renderSubscribe(w, r, http.StatusUnprocessableEntity, p)
	}
	if err := h.svc.Subscriptions().Subscribe(r.Context(), b, p.Email); err != nil {
		return err
	}
	return h.message(w, r, http.StatusOK, h.boardMeta(b, ""), sent)
}

var errSubscriptionLink = web.NotFound("This link does not work: the subscription may have ended already, or the link is incomplete. Check that you copied all of it from the email.")

// linkedSubscription checks the signed link in the query or form.
func (h handlers) linkedSubscription(r *http.Request, purpose string) (Subscription, error) {
	sub, err := h.svc.Subscriptions().checked(r.Context(), purpose, r.FormValue("s"), r.FormValue("t"))
	if errors.Is(err, db.ErrNotFound) {
		return Subscription{}, errSubscriptionLink
	}
	return sub, err
}

var subscriptionMeta = web.Meta{Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}}}

func (h handlers) confirmForm(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.linkedSubscription(r, "subscribe")
	if err != nil {
		return err
	}
	if sub.Confirmed {
		return h.subscribed(w, r, sub)
	}
	return h.message(w, r, http.StatusOK, subscriptionMeta, messagePage{
		Heading:    "Confirm your subscription to the " + sub.BoardName,
		Paragraphs: []string{"We will email " + sub.Email + " each time the " + sub.BoardName + " publishes the papers for a meeting. You can unsubscribe with one click from any of those emails."},
		Action:     "/subscriptions/confirm", Button: "Confirm my subscription",
		Hidden: []hidden{{"s", r.FormValue("s")}, {"t", r.FormValue("t")}},
		Back:   web.Link{Label: "Back to the " + sub.BoardName, Href: sub.BoardPath}})
}

func (h handlers) subscribed(w http.ResponseWriter, r *http.Request, sub Subscription) error {
	return h.message(w, r, http.StatusOK, subscriptionMeta, messagePage{
		Heading:    "You are subscribed to the " + sub.BoardName,
		Paragraphs: []string{"We will email you when the " + sub.BoardName + " publishes the papers for a meeting."},
		Back:       web.Link{Label: "Back to the " + sub.BoardName, Href: sub.BoardPath}})
}

func (h handlers) confirm(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.linkedSubscription(r, "subscribe")
	if err != nil {
		return err
	}
	if err := h.svc.Subscriptions().Confirm(r.Context(), sub.ID); err != nil {
		return err
	}
	return h.subscribed(w, r, sub)
}

func (h handlers) unsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.linkedSubscription(r, "unsubscribe")
	if err != nil {
		return err
	}
	return h.message(w, r, http.StatusOK, subscriptionMeta, messagePage{
		Heading:    "Unsubscribe from the " + sub.BoardName + "?",
		Paragraphs: []string{"We will stop emailing " + sub.Email + " about the " + sub.BoardName + "'s papers."},
		Action:     "/subscriptions/unsubscribe", Button: "Unsubscribe",
		Hidden: []hidden{{"s", r.FormValue("s")}, {"t", r.FormValue("t")}},
		Back:   web.Link{Label: "Back to the " + sub.BoardName, Href: sub.BoardPath}})
}

func (h handlers) unsubscribe(w http.ResponseWriter, r *http.Request) error {
	sub, err := h.linkedSubscription(r, "unsubscribe")
	if err != nil {
		return err
	}
	if err := h.svc.Subscriptions().Unsubscribe(r.Context(), sub.ID); err != nil {
		return err
	}
	return h.message(w, r, http.StatusOK, subscriptionMeta, messagePage{
		Heading:    "You have unsubscribed",
		Paragraphs: []string{"We will not email you about the " + sub.BoardName + "'s papers any more, and we have deleted your subscription."},
		Back:       web.Link{Label: "Back to the " + sub.BoardName, Href: sub.BoardPath}})
}
