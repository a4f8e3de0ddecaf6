package registrations

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/joinedup/joinedup/internal/privacy"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

type privacyPage struct {
	// Lede and Body are the notice's words as administrators last saved
	// them (privacy.NoticeStore).
	Lede string
	Body template.HTML
	// Updated is when they were saved; zero for the notice as shipped.
	Updated time.Time
	// Held is what the site keeps about residents and for how long: one
	// line per holding of the privacy registry.
	Held []privacy.Line
}

func (h handlers) privacy(w http.ResponseWriter, r *http.Request) error {
	n, err := privacy.NewNoticeStore(h.svc.DB).Notice(r.Context())
	if err != nil {
		return err
	}
	return h.site.Render(w, r, http.StatusOK, "privacy.html", web.Meta{
		Title:       "Privacy notice",
		Description: "What personal data we collect when you register for an event, ask a board a question or subscribe to updates, why, how long we keep it, and your rights.",
		Path:        "/privacy",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
	}, privacyPage{Lede: n.Lede, Body: text.Markdown(n.Body), Updated: n.UpdatedAt, Held: h.svc.Privacy.Notice()})
}

var privacyMeta = web.Meta{Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Privacy notice", Href: "/privacy"}}}

// linkedAddress checks the signed erasure link and returns its address.
func (h handlers) linkedAddress(r *http.Request, v url.Values) (string, error) {
	bad := web.NotFound("This link to delete your details does not work. Check that you copied all of it from the email.")
	email, ok := decodeAddress(v.Get("a"))
	if !ok {
		return "", bad
	}
	ok, err := h.svc.Signer.Check(r.Context(), "erase", email, v.Get("t"))
	if err != nil {
		return "", err
	}
	if !ok {
		return "", bad
	}
	return email, nil
}

func (h handlers) eraseForm(w http.ResponseWriter, r *http.Request) error {
	email, err := h.linkedAddress(r, r.URL.Query())
	if err != nil {
		return err
	}
	return h.message(w, r, http.StatusOK, privacyMeta, messagePage{
		Heading: "Delete your details",
		Paragraphs: []string{
			"This deletes everything we keep about " + email + ": your name, email address and access needs from event registrations, your name, email address and organisation from questions you asked a board, your email subscriptions, and the emails we sent you.",
			"Any places you have at events still to come will be cancelled and offered to the next person waiting. Questions that were published stay on the meeting pages, from “a resident”.",
			"You cannot undo this. We will send one last email to confirm.",
		},
		Action: "/privacy/erase", Button: "Delete my details", Warning: true,
		Hidden: []hidden{{"a", r.URL.Query().Get("a")}, {"t", r.URL.Query().Get("t")}},
		Download: web.Link{Label: "Download a copy of the details we hold about you (JSON)",
			Href: "/privacy/export?" + url.Values{"a": {r.URL.Query().Get("a")}, "t": {r.URL.Query().Get("t")}}.Encode()},
		Back: web.Link{Label: "Read the privacy notice", Href: "/privacy"},
	})
}

// export downloads, for the owner of the signed link's address, what
// every holding of the privacy registry keeps about it.
func (h handlers) export(w http.ResponseWriter, r *http.Request) error {
	email, err := h.linkedAddress(r, r.URL.Query())
	if err != nil {
		return err
	}
	data, err := h.svc.Privacy.Export(r.Context(), email)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(data, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", `attachment; filename="my-details.json"`)
	web.WriteBody(w, r, http.StatusOK, "application/json", append(body, '\n'))
	return nil
}

func (h handlers) erase(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	email, err := h.linkedAddress(r, r.PostForm)
	if err != nil {
		return err
	}
	if err := h.svc.EraseAddress(r.Context(), email); err != nil {
		return err
	}
	return h.message(w, r, http.StatusOK, privacyMeta, messagePage{
		Heading:    "Your details have been deleted",
		Paragraphs: []string{"We have deleted your details and sent you one last email to confirm."},
		Back:       web.Link{Label: "Go to the home page", Href: "/"},
	})
}
