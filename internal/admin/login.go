package admin

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/web"
)

type loginData struct {
	Email  string
	Next   string
	Errors formErrors
}

func (h *handlers) loginForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	next := safeNext(r.URL.Query().Get("next"))
	if u.ID != 0 {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	return h.render(w, r, http.StatusOK, "admin_login.html", "Sign in", u, nil, loginData{Next: next})
}

func (h *handlers) login(w http.ResponseWriter, r *http.Request, _ accounts.User) error {
	d := loginData{Email: strings.TrimSpace(r.PostFormValue("email")), Next: safeNext(r.PostFormValue("next"))}
	password := r.PostFormValue("password")
	if d.Email == "" {
		d.Errors.add("email", "Enter your email address")
	}
	if password == "" {
		d.Errors.add("password", "Enter your password")
	}
	if d.Errors.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_login.html", "Sign in", accounts.User{}, nil, d)
	}
	u, err := h.logins.Login(r.Context(), d.Email, password, web.ClientIP(r))
	switch {
	case errors.Is(err, accounts.ErrBadLogin), errors.Is(err, accounts.ErrThrottled):
		// One message for the whole form, linked to the email field: which
		// of the two was wrong is not said.
		d.Errors.add("email", err.Error())
		status := http.StatusUnprocessableEntity
		if errors.Is(err, accounts.ErrThrottled) {
			status = http.StatusTooManyRequests
		}
		return h.render(w, r, status, "admin_login.html", "Sign in", accounts.User{}, nil, d)
	case err != nil:
		return err
	}
	if u.TwoFactor {
		return h.startSecondFactor(w, r, u, d.Next)
	}
	if err := accounts.SignIn(r.Context(), h.sessions, u); err != nil {
		return err
	}
	if h.log != nil {
		h.log.Info("signed in", slog.Int64("user_id", u.ID))
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
	return nil
}

func (h *handlers) logout(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := accounts.Audit(r.Context(), h.db, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionLogout,
		Record: "user:" + itoa(u.ID)}); err != nil {
		return err
	}
	if err := h.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}
