package admin

import (
	"errors"
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

type passwordData struct {
	Errors formErrors
}

var accountCrumbs = dashboardCrumbs

func (h *handlers) passwordForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.render(w, r, http.StatusOK, "admin_password.html", "Change your password", u, accountCrumbs, passwordData{})
}

// checkNewPassword adds the errors of a new password and its confirmation
// to errs, under the fields "password" and "confirm".
func checkNewPassword(errs *formErrors, password, confirm, email string) {
	if password == "" {
		errs.add("password", "Enter a new password")
	} else if err := accounts.CheckNewPassword(password, email); err != nil {
		errs.add("password", err.Error())
	}
	if confirm != password {
		errs.add("confirm", "Enter the same password again")
	}
}

func (h *handlers) changePassword(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	var d passwordData
	current, password, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	if current == "" {
		d.Errors.add("current", "Enter your current password")
	} else if err := h.logins.Verify(r.Context(), u.Email, current, web.ClientIP(r)); err != nil {
		// The same check, with the same back-off, as the login form, so
		// the form cannot be used to guess a stolen session's password.
		switch {
		case errors.Is(err, accounts.ErrThrottled):
			d.Errors.add("current", err.Error())
		case errors.Is(err, accounts.ErrBadLogin):
			d.Errors.add("current", "Your current password is not correct")
		default:
			return err
		}
	}
	checkNewPassword(&d.Errors, password, confirm, u.Email)
	if d.Errors.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_password.html", "Change your password", u, accountCrumbs, d)
	}
	token := h.sessions.Token(r.Context())
	err := h.db.Tx(r.Context(), func(q db.Querier) error {
		if err := accounts.NewStore(q).SetPassword(r.Context(), u.ID, password, token); err != nil {
			return err
		}
		return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email,
			Action: accounts.ActionPasswordChanged, Record: "user:" + itoa(u.ID)})
	})
	if err != nil {
		return err
	}
	if err := h.keepSignedIn(r, u.ID); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/", "Your password has been changed. You have been signed out everywhere else.")
}

// keepSignedIn keeps the current session after a change that ended the
// user's other sessions.
func (h *handlers) keepSignedIn(r *http.Request, userID int64) error {
	u, err := h.users.ByID(r.Context(), userID)
	if err != nil {
		return err
	}
	if err := h.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	accounts.KeepSignedIn(r.Context(), h.sessions, u)
	return nil
}

type sessionsData struct {
	Count int
}

func (h *handlers) sessionsPage(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	n, err := h.users.CountSessions(r.Context(), u.ID, h.now().UnixNano())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_sessions.html", "Your sessions", u, accountCrumbs, sessionsData{Count: n})
}

func (h *handlers) logoutEverywhere(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	err := h.db.Tx(r.Context(), func(q db.Querier) error {
		if err := accounts.NewStore(q).EndSessions(r.Context(), u.ID, ""); err != nil {
			return err
		}
		return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email,
			Action: accounts.ActionLogoutAll, Record: "user:" + itoa(u.ID)})
	})
	if err != nil {
		return err
	}
	if err := h.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

// badLink is the page for a setup or reset link that no longer works.
func badLink() error {
	return &web.StatusError{Status: http.StatusNotFound, Message: accounts.ErrBadToken.Error() +
		". Ask an administrator for a new one."}
}
