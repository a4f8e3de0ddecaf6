package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

type setupData struct {
	Token  string
	Email  string
	Name   string
	Errors formErrors
}

func (h *handlers) setupForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	token := r.URL.Query().Get("token")
	if err := accounts.CheckSetupToken(r.Context(), h.db, token, h.now()); err != nil {
		if errors.Is(err, accounts.ErrBadToken) {
			return badLink()
		}
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_setup.html", "Create the first administrator", u, nil, setupData{Token: token})
}

func (h *handlers) setup(w http.ResponseWriter, r *http.Request, _ accounts.User) error {
	d := setupData{Token: r.PostFormValue("token"), Email: strings.TrimSpace(r.PostFormValue("email")),
		Name: strings.TrimSpace(r.PostFormValue("name"))}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	if err := accounts.CheckSetupToken(r.Context(), h.db, d.Token, h.now()); err != nil {
		if errors.Is(err, accounts.ErrBadToken) {
			return badLink()
		}
		return err
	}
	email, err := accounts.NormalizeEmail(d.Email)
	if err != nil {
		d.Errors.add("email", err.Error())
	}
	if d.Name == "" {
		d.Errors.add("name", "Enter your name")
	}
	checkNewPassword(&d.Errors, password, confirm, email)
	if d.Errors.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_setup.html", "Create the first administrator",
			accounts.User{}, nil, d)
	}
	var u accounts.User
	err = h.db.Tx(r.Context(), func(q db.Querier) error {
		if err := accounts.UseSetupToken(r.Context(), q, d.Token, h.now()); err != nil {
			return err
		}
		var err error
		u, err = accounts.NewStore(q).Create(r.Context(), accounts.NewUser{Email: email, Name: d.Name,
			Role: accounts.Administrator, Password: password})
		if err != nil {
			return err
		}
		return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionUserCreated,
			Record: "user:" + itoa(u.ID), After: u.Record()})
	})
	if errors.Is(err, accounts.ErrBadToken) {
		return badLink()
	}
	if err != nil {
		return err
	}
	if err := accounts.SignIn(r.Context(), h.sessions, u); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/", "Your administrator account has been created, and you are signed in.")
}
