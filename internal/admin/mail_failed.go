package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/web"
)

// failedMailShown is how many failed emails the page lists, newest first.
const failedMailShown = 200

var mailCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Failed email", Href: "/admin/mail"}}

type failedMailData struct {
	Messages    []mail.FailedMessage
	Total       int
	Shown       int
	MaxAttempts int
}

// failedMail lists the emails given up on after their last try, with the
// last error, so that an administrator can tell the people concerned
// another way or fix the mail server's settings.
func (h *handlers) failedMail(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	list, total, err := mail.Failed(r.Context(), h.db, failedMailShown)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_mail.html", "Failed email", u, mailCrumbs[:1],
		failedMailData{Messages: list, Total: total, Shown: len(list), MaxAttempts: mail.MaxAttempts})
}
