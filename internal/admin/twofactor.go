package admin

import (
	"errors"
	"log/slog"
	"net/http"
	"time"

	"rsc.io/qr"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

// Keys of the session values between a correct password and the code of a
// user with a second factor.
const (
	pendingUser  = "pending_user"
	pendingEpoch = "pending_epoch"
	pendingUntil = "pending_until"
	pendingNext  = "pending_next"
)

// codeLifetime is how long the code may be typed after the password.
const codeLifetime = 5 * time.Minute

// codeInput is the field for a second-factor code.
func codeInput(errs formErrors, hint string) Input {
	return Input{ID: "code", Label: "Code", Hint: hint, Type: "text", Autocomplete: "one-time-code", Width: "10",
		Error: errs.Field("code")}
}

type codeData struct {
	Errors formErrors
}

// Code is the code field as the templates draw it.
func (d codeData) Code() Input {
	return codeInput(d.Errors, "The 6-digit code your authenticator app shows now, or one of your recovery codes.")
}

// startSecondFactor remembers, in a session on a new token, that u typed
// the right password, and sends them to type their code.
func (h *handlers) startSecondFactor(w http.ResponseWriter, r *http.Request, u accounts.User, next string) error {
	ctx := r.Context()
	if err := h.sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.sessions.Put(ctx, pendingUser, u.ID)
	h.sessions.Put(ctx, pendingEpoch, u.Epoch)
	h.sessions.Put(ctx, pendingUntil, h.now().Add(codeLifetime).Unix())
	h.sessions.Put(ctx, pendingNext, next)
	http.Redirect(w, r, "/admin/login/code", http.StatusSeeOther)
	return nil
}

// pendingLogin returns the user who typed the right password and has yet
// to type their code; ok is false when there is none, or it is too late.
func (h *handlers) pendingLogin(r *http.Request) (accounts.User, bool, error) {
	ctx := r.Context()
	id := h.sessions.GetInt64(ctx, pendingUser)
	if id == 0 || h.now().Unix() > h.sessions.GetInt64(ctx, pendingUntil) {
		return accounts.User{}, false, nil
	}
	u, err := h.users.ByID(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return accounts.User{}, false, nil
	}
	if err != nil {
		return accounts.User{}, false, err
	}
	if u.Disabled || !u.TwoFactor || u.Epoch != h.sessions.GetInt64(ctx, pendingEpoch) {
		return accounts.User{}, false, nil
	}
	return u, true, nil
}

func (h *handlers) codeForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if u.ID != 0 {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return nil
	}
	if _, ok, err := h.pendingLogin(r); err != nil || !ok {
		return h.backToLogin(w, r, err)
	}
	return h.render(w, r, http.StatusOK, "admin_login_code.html", "Enter your code", u, nil, codeData{})
}

// backToLogin sends someone with no login under way to the login form.
func (h *handlers) backToLogin(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	return nil
}

func (h *handlers) code(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if u.ID != 0 {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return nil
	}
	pending, ok, err := h.pendingLogin(r)
	if err != nil || !ok {
		return h.backToLogin(w, r, err)
	}
	var d codeData
	code := formValue(r, "code")
	if code == "" {
		d.Errors.add("code", "Enter the code from your authenticator app")
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_login_code.html", "Enter your code", u, nil, d)
	}
	err = h.logins.SecondFactor(r.Context(), h.totp, pending, code, web.ClientIP(r))
	switch {
	case errors.Is(err, accounts.ErrBadCode), errors.Is(err, accounts.ErrThrottled):
		d.Errors.add("code", err.Error())
		status := http.StatusUnprocessableEntity
		if errors.Is(err, accounts.ErrThrottled) {
			status = http.StatusTooManyRequests
		}
		return h.render(w, r, status, "admin_login_code.html", "Enter your code", u, nil, d)
	case err != nil:
		return err
	}
	next := safeNext(h.sessions.GetString(r.Context(), pendingNext))
	for _, k := range []string{pendingUser, pendingEpoch, pendingUntil, pendingNext} {
		h.sessions.Remove(r.Context(), k)
	}
	if err := accounts.SignIn(r.Context(), h.sessions, pending); err != nil {
		return err
	}
	if h.log != nil {
		h.log.Info("signed in", slog.Int64("user_id", pending.ID), slog.Bool("second_factor", true))
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// twoFactorData is what admin_two_factor.html shows.
type twoFactorData struct {
	Enabled bool
	// For setting up: the secret as text and as an otpauth:// address.
	Secret string
	URI    string
	// QRSize is the QR code image's width and height, in pixels.
	QRSize int
	// For turning off: how many recovery codes are left.
	CodesLeft int
	// Codes are the new recovery codes, shown once, just after set-up.
	Codes  []string
	Errors formErrors
}

// Code is the code field as the templates draw it.
func (d twoFactorData) Code() Input {
	if d.Enabled {
		return codeInput(d.Errors, "The 6-digit code your app shows now, or a recovery code.")
	}
	return codeInput(d.Errors, "The 6-digit code your app shows after you have added the account.")
}

// URIParts splits the set-up address into pieces that the page may wrap
// between, as a long address without spaces would not fit a phone.
func (d twoFactorData) URIParts() []string {
	var out []string
	for s := d.URI; s != ""; {
		n := min(len(s), 24)
		out, s = append(out, s[:n]), s[n:]
	}
	return out
}

// Password is the password field for turning the second factor off.
func (d twoFactorData) Password() Input {
	return d.Errors.Password("password", "Your password", "current-password", "")
}

const twoFactorTitle = "Two-factor authentication"

func (h *handlers) twoFactorData(r *http.Request, u accounts.User, errs formErrors) (twoFactorData, error) {
	d := twoFactorData{Errors: errs}
	secret, enabled, err := h.totp.Pending(r.Context(), u.ID)
	if err != nil {
		return d, err
	}
	d.Enabled = enabled
	if enabled {
		d.CodesLeft, err = h.totp.RecoveryCodesLeft(r.Context(), u.ID)
		return d, err
	}
	d.Secret, d.URI = accounts.SecretText(secret), accounts.TOTPURI(h.site.Config().SiteName, u.Email, secret)
	c, err := qrCode(d.URI)
	if err != nil {
		return d, err
	}
	d.QRSize = c.Image().Bounds().Dx()
	return d, nil
}

// qrCode encodes uri, with a 4-module quiet zone, 4 pixels a module.
func qrCode(uri string) (*qr.Code, error) {
	c, err := qr.Encode(uri, qr.M)
	if err != nil {
		return nil, err
	}
	c.Scale = 4
	return c, nil
}

func (h *handlers) twoFactorPage(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	d, err := h.twoFactorData(r, u, formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_two_factor.html", twoFactorTitle, u, accountCrumbs, d)
}

// twoFactorQR draws the otpauth:// address of the secret being set up as
// a QR code, for the app to scan.
func (h *handlers) twoFactorQR(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	d, err := h.twoFactorData(r, u, formErrors{})
	if err != nil {
		return err
	}
	if d.Enabled {
		return web.NotFound("Two-factor authentication is already on.")
	}
	c, err := qrCode(d.URI)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(c.PNG())
	return err
}

// twoFactorEnable turns the second factor on when the code typed matches
// the secret being set up, and shows the recovery codes, once.
func (h *handlers) twoFactorEnable(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	var errs formErrors
	code := formValue(r, "code")
	var codes []string
	if code == "" {
		errs.add("code", "Enter the code from your authenticator app")
	} else {
		ctx := r.Context()
		err := h.db.Tx(ctx, func(q db.Querier) error {
			var err error
			if codes, err = h.totp.Enable(ctx, q, u.ID, code); err != nil {
				return err
			}
			return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionTwoFactorEnabled,
				Record: "user:" + itoa(u.ID)})
		})
		if errors.Is(err, accounts.ErrBadCode) {
			errs.add("code", "The code is not right: enter the code your app shows now, for this account")
		} else if err != nil {
			return err
		}
	}
	d, err := h.twoFactorData(r, u, errs)
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_two_factor.html", twoFactorTitle, u, accountCrumbs, d)
	}
	// Shown in answer to the POST, not after a redirect: the codes are
	// in no session and on no other page.
	d.Codes = codes
	return h.render(w, r, http.StatusOK, "admin_two_factor.html", twoFactorTitle, u, accountCrumbs, d)
}

// twoFactorDisable turns the second factor off, given the password and a
// code, so that a stolen session alone cannot.
func (h *handlers) twoFactorDisable(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	var errs formErrors
	password, code := r.PostFormValue("password"), formValue(r, "code")
	ctx := r.Context()
	if password == "" {
		errs.add("password", "Enter your password")
	} else if err := h.logins.Verify(ctx, u.Email, password, web.ClientIP(r)); err != nil {
		switch {
		case errors.Is(err, accounts.ErrThrottled):
			errs.add("password", err.Error())
		case errors.Is(err, accounts.ErrBadLogin):
			errs.add("password", "Your password is not correct")
		default:
			return err
		}
	}
	if code == "" {
		errs.add("code", "Enter the code from your authenticator app")
	} else if !errs.Any() {
		if err := h.logins.VerifyCode(ctx, h.totp, u, code, web.ClientIP(r)); err != nil {
			if !errors.Is(err, accounts.ErrBadCode) && !errors.Is(err, accounts.ErrThrottled) {
				return err
			}
			errs.add("code", err.Error())
		}
	}
	if errs.Any() {
		d, err := h.twoFactorData(r, u, errs)
		if err != nil {
			return err
		}
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_two_factor.html", twoFactorTitle, u, accountCrumbs, d)
	}
	err := h.db.Tx(ctx, func(q db.Querier) error {
		if err := accounts.ResetTwoFactor(ctx, q, u.ID); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionTwoFactorDisabled,
			Record: "user:" + itoa(u.ID)})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/", "Two-factor authentication is off. You sign in with your password alone.")
}

// userResetTwoFactor turns off the second factor of another user, who has
// lost their phone and recovery codes.
func (h *handlers) userResetTwoFactor(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	x, err := h.userByPath(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	err = h.db.Tx(ctx, func(q db.Querier) error {
		if err := accounts.ResetTwoFactor(ctx, q, x.ID); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionTwoFactorReset,
			Record: "user:" + itoa(x.ID)})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/users/"+itoa(x.ID), "Two-factor authentication is off for "+x.Email+
		". They sign in with their password alone until they set it up again.")
}
