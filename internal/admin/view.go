package admin

import (
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/web"
)

// page is what every admin template receives: the signed-in user, a
// success message carried over a redirect, and the page's own data.
type page struct {
	User     accounts.User
	SignedIn bool
	Flash    string
	Data     any
}

// Can reports whether the signed-in user has a permission, for the shell's
// navigation.
func (p page) Can(perm string) bool { return p.SignedIn && p.User.Can(accounts.Permission(perm)) }

const flashKey = "flash"

// render writes an admin page. crumbs lead from the dashboard to the page.
func (h *handlers) render(w http.ResponseWriter, r *http.Request, status int, name, title string,
	u accounts.User, crumbs []web.Crumb, data any) error {
	p := page{User: u, SignedIn: u.ID != 0, Data: data}
	if p.SignedIn && r.Method == http.MethodGet {
		p.Flash = h.sessions.PopString(r.Context(), flashKey)
	}
	meta := web.Meta{Title: title, NoIndex: true, Forms: true, Breadcrumbs: crumbs}
	if p.SignedIn {
		meta.Header = web.Link{Label: "Editors' admin", Href: "/admin/"}
		meta.Admin = shell(r, u)
	}
	return h.site.Render(w, r, status, name, meta, p)
}

// redirect answers a successful POST: 303 to path, with a success message
// shown there.
func (h *handlers) redirect(w http.ResponseWriter, r *http.Request, path, flash string) error {
	if flash != "" {
		h.sessions.Put(r.Context(), flashKey, flash)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

var dashboardCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}}

// FieldError is a message about one field of a form; Field is the id of
// its input.
type FieldError struct {
	Field   string
	Message string
}

// formErrors collects the errors of a submitted form, in the order of its
// fields, for the error summary and the messages beside each field.
type formErrors struct {
	List []FieldError
}

func (e *formErrors) add(field, message string) {
	if e.Field(field) == nil {
		e.List = append(e.List, FieldError{Field: field, Message: message})
	}
}

// Field returns the error of the field with this id, or nil.
func (e formErrors) Field(id string) *FieldError {
	for i := range e.List {
		if e.List[i].Field == id {
			return &e.List[i]
		}
	}
	return nil
}

// Any reports whether the form has errors.
func (e formErrors) Any() bool { return len(e.List) > 0 }

// Input is one field of a form as the "admin-input" template draws it.
type Input struct {
	ID           string
	Label        string
	Value        string
	Hint         string
	Type         string // "text", "email", "url", "password", "textarea"
	Autocomplete string
	Width        string // an nhsuk-input--width-N class suffix, or ""
	Error        *FieldError
}

// Text returns a text input with its error, for the templates.
func (e formErrors) Text(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "text", Error: e.Field(id)}
}

// URL returns an input for a web address.
func (e formErrors) URL(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "url", Error: e.Field(id)}
}

// Number returns a narrow input for a whole number.
func (e formErrors) Number(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "number", Width: "10", Error: e.Field(id)}
}

// TextArea returns a multi-line input.
func (e formErrors) TextArea(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "textarea", Error: e.Field(id)}
}

// Password returns a password input; autocomplete is "current-password"
// or "new-password", for password managers.
func (e formErrors) Password(id, label, autocomplete, hint string) Input {
	return Input{ID: id, Label: label, Hint: hint, Type: "password", Autocomplete: autocomplete, Error: e.Field(id)}
}

// Email returns an email input.
func (e formErrors) Email(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "email", Autocomplete: "email", Error: e.Field(id)}
}

// Date returns a date input (YYYY-MM-DD).
func (e formErrors) Date(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "date", Error: e.Field(id)}
}

// Time returns a time-of-day input (HH:MM).
func (e formErrors) Time(id, label, value, hint string) Input {
	return Input{ID: id, Label: label, Value: value, Hint: hint, Type: "time", Error: e.Field(id)}
}

// Choice is a group of radios or checkboxes as the "admin-choice" template
// draws it. The first input's id is FirstID, which error messages link to.
type Choice struct {
	Name    string
	Type    string // "radio" or "checkbox"
	Legend  string
	Hint    string
	FirstID string
	Options []option
	Error   *FieldError
}

// Radios returns a radio group; its errors are on the id name-value of its
// first option.
func (e formErrors) Radios(name, legend, hint string, opts []option) Choice {
	c := Choice{Name: name, Type: "radio", Legend: legend, Hint: hint, Options: opts}
	if len(opts) > 0 {
		c.FirstID = name + "-" + opts[0].Value
	}
	c.Error = e.Field(c.FirstID)
	return c
}

// Checkboxes returns a group of checkboxes; its errors are on the id name,
// which its first checkbox has.
func (e formErrors) Checkboxes(name, legend, hint string, opts []option) Choice {
	return Choice{Name: name, Type: "checkbox", Legend: legend, Hint: hint, FirstID: name, Options: opts, Error: e.Field(name)}
}

// Select is a drop-down list as the "admin-select" template draws it.
type Select struct {
	ID      string
	Label   string
	Options []option
	Error   *FieldError
}

// Select returns a drop-down list with its error.
func (e formErrors) Select(id, label string, opts []option) Select {
	return Select{ID: id, Label: label, Options: opts, Error: e.Field(id)}
}

// Clock returns a narrow input for a time of day on the 24-hour clock.
func (e formErrors) Clock(id, label, value string) Input {
	return Input{ID: id, Label: label, Value: value, Type: "text", Width: "5", Error: e.Field(id)}
}

// RemoveBox is the checkbox that removes a row of a form, as the
// "admin-remove" template draws it.
type RemoveBox struct {
	ID      string
	Label   string
	Checked bool
}

// Remove returns the checkbox that removes a row.
func (e formErrors) Remove(id, label string, checked bool) RemoveBox {
	return RemoveBox{ID: id, Label: label, Checked: checked}
}
