package admin

import (
	"errors"
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

type resetData struct {
	Token  string
	Errors formErrors
}

func (h *handlers) resetForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	token := r.URL.Query().Get("token")
	if _, err := accounts.CheckLinkToken(r.Context(), h.db, accounts.PurposeReset, token, h.now()); err != nil {
		if errors.Is(err, accounts.ErrBadToken) {
			return badLink()
		}
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_reset.html", "Choose a new password", u, nil, resetData{Token: token})
}

func (h *handlers) reset(w http.ResponseWriter, r *http.Request, _ accounts.User) error {
	d := resetData{Token: r.PostFormValue("token")}
	uid, err := accounts.CheckLinkToken(r.Context(), h.db, accounts.PurposeReset, d.Token, h.now())
	if errors.Is(err, accounts.ErrBadToken) {
		return badLink()
	}
	if err != nil {
		return err
	}
	u, err := h.users.ByID(r.Context(), uid)
	if err != nil {
		return err
	}
	password := r.PostFormValue("password")
	checkNewPassword(&d.Errors, password, r.PostFormValue("confirm"), u.Email)
	if d.Errors.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_reset.html", "Choose a new password", accounts.User{}, nil, d)
	}
	err = h.db.Tx(r.Context(), func(q db.Querier) error {
		if _, err := accounts.UseLinkToken(r.Context(), q, accounts.PurposeReset, d.Token, h.now()); err != nil {
			return err
		}
		if err := accounts.NewStore(q).SetPassword(r.Context(), u.ID, password, ""); err != nil {
			return err
		}
		return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionPasswordReset,
			Record: "user:" + itoa(u.ID)})
	})
	if errors.Is(err, accounts.ErrBadToken) {
		return badLink()
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}
