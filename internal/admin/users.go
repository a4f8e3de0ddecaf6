package admin

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

var usersCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Accounts", Href: "/admin/users"}}

type userRow struct {
	User   accounts.User
	Places string
}

func (h *handlers) userList(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	users, err := h.users.List(r.Context())
	if err != nil {
		return err
	}
	names, err := h.placeNames(r)
	if err != nil {
		return err
	}
	rows := make([]userRow, len(users))
	for i, x := range users {
		rows[i] = userRow{User: x, Places: placesLabel(x, names)}
	}
	return h.render(w, r, http.StatusOK, "admin_users.html", "Accounts", u, dashboardCrumbs, struct{ Users []userRow }{rows})
}

func (h *handlers) placeNames(r *http.Request) (map[int64]string, error) {
	list, err := h.places.List(r.Context())
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(list))
	for _, p := range list {
		out[p.ID] = p.Name
	}
	return out, nil
}

func placesLabel(u accounts.User, names map[int64]string) string {
	if u.Role != accounts.Editor {
		return ""
	}
	if len(u.Places) == 0 {
		return "All places"
	}
	var ns []string
	for _, id := range u.Places {
		ns = append(ns, names[id])
	}
	slices.Sort(ns)
	return strings.Join(ns, ", ")
}

// option is a choice of a radio or checkbox group.
type option struct {
	Value   string
	Label   string
	Checked bool
}

type userFormData struct {
	New      bool
	ID       int64
	Email    string
	Name     string
	Disabled bool
	// TwoFactor reports whether the user has a second factor, which an
	// administrator may turn off.
	TwoFactor bool
	Roles     []option
	Places    []option
	Errors    formErrors
}

func (h *handlers) userFormData(r *http.Request, role accounts.Role, places []int64) (userFormData, error) {
	var d userFormData
	for _, ro := range accounts.Roles {
		d.Roles = append(d.Roles, option{Value: string(ro), Label: ro.Label(), Checked: ro == role})
	}
	list, err := h.places.List(r.Context())
	if err != nil {
		return d, err
	}
	for _, p := range list {
		d.Places = append(d.Places, option{Value: p.Slug, Label: p.Name, Checked: slices.Contains(places, p.ID)})
	}
	return d, nil
}

func (h *handlers) userNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	d, err := h.userFormData(r, accounts.Editor, nil)
	if err != nil {
		return err
	}
	d.New = true
	return h.render(w, r, http.StatusOK, "admin_user.html", "Add an account", u, usersCrumbs, d)
}

// parseRoleAndPlaces reads the role and places of the user form.
func (h *handlers) parseRoleAndPlaces(r *http.Request, errs *formErrors) (accounts.Role, []int64, error) {
	role := accounts.Role(r.PostFormValue("role"))
	if !slices.Contains(accounts.Roles, role) {
		errs.add("role-"+string(accounts.Roles[0]), "Choose a role")
	}
	list, err := h.places.List(r.Context())
	if err != nil {
		return role, nil, err
	}
	chosen := r.PostForm["places"]
	var ids []int64
	for _, p := range list {
		if slices.Contains(chosen, p.Slug) {
			ids = append(ids, p.ID)
		}
	}
	return role, ids, nil
}

func (h *handlers) userCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	var errs formErrors
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	role, placeIDs, err := h.parseRoleAndPlaces(r, &errs)
	if err != nil {
		return err
	}
	email, name := strings.TrimSpace(r.PostFormValue("email")), strings.TrimSpace(r.PostFormValue("name"))
	if _, err := accounts.NormalizeEmail(email); err != nil {
		errs.add("email", err.Error())
	}
	if name == "" {
		errs.add("name", "Enter the person's name")
	}
	password := r.PostFormValue("password")
	checkNewPassword(&errs, password, r.PostFormValue("confirm"), email)
	var created accounts.User
	if !errs.Any() {
		err = h.db.Tx(r.Context(), func(q db.Querier) error {
			var err error
			created, err = accounts.NewStore(q).Create(r.Context(), accounts.NewUser{Email: email, Name: name, Role: role,
				Places: placeIDs, Password: password})
			if err != nil {
				return err
			}
			return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionUserCreated,
				Record: "user:" + itoa(created.ID), After: created.Record()})
		})
		if errors.Is(err, accounts.ErrEmailTaken) {
			errs.add("email", err.Error())
		} else if err != nil {
			return err
		}
	}
	if errs.Any() {
		d, err := h.userFormData(r, role, placeIDs)
		if err != nil {
			return err
		}
		d.New, d.Email, d.Name, d.Errors = true, email, name, errs
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_user.html", "Add an account", u, usersCrumbs, d)
	}
	return h.redirect(w, r, "/admin/users", "The account for "+created.Email+" has been added.")
}

func (h *handlers) userByPath(r *http.Request) (accounts.User, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return accounts.User{}, web.NotFound("")
	}
	return h.users.ByID(r.Context(), id)
}

func (h *handlers) userEditForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	x, err := h.userByPath(r)
	if err != nil {
		return err
	}
	d, err := h.userFormData(r, x.Role, x.Places)
	if err != nil {
		return err
	}
	d.ID, d.Email, d.Name, d.Disabled, d.TwoFactor = x.ID, x.Email, x.Name, x.Disabled, x.TwoFactor
	return h.render(w, r, http.StatusOK, "admin_user.html", "Change "+x.Email, u, usersCrumbs, d)
}

func (h *handlers) userUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	x, err := h.userByPath(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	var errs formErrors
	role, placeIDs, err := h.parseRoleAndPlaces(r, &errs)
	if err != nil {
		return err
	}
	after := x
	after.Name, after.Role, after.Places = strings.TrimSpace(r.PostFormValue("name")), role, placeIDs
	after.Disabled = r.PostFormValue("disabled") == "yes"
	if role != accounts.Editor {
		after.Places = nil
	}
	if after.Name == "" {
		errs.add("name", "Enter the person's name")
	}
	if x.ID == u.ID && (after.Disabled || role != accounts.Administrator) {
		// Otherwise the last administrator could lock everyone out.
		errs.add("role-"+string(accounts.Roles[0]), "You cannot remove your own administrator role or disable your own account")
	}
	if errs.Any() {
		d, err := h.userFormData(r, role, placeIDs)
		if err != nil {
			return err
		}
		d.ID, d.Email, d.Name, d.Disabled, d.Errors = x.ID, x.Email, after.Name, after.Disabled, errs
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_user.html", "Change "+x.Email, u, usersCrumbs, d)
	}
	err = h.db.Tx(r.Context(), func(q db.Querier) error {
		if err := accounts.NewStore(q).Update(r.Context(), after); err != nil {
			return err
		}
		return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: accounts.ActionUserUpdated,
			Record: "user:" + itoa(x.ID), Before: x.Record(), After: after.Record()})
	})
	if err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/users", "The account for "+x.Email+" has been changed.")
}
