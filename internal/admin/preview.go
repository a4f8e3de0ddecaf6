package admin

import (
	"net/http"
	"slices"

	"github.com/joinedup/joinedup/internal/web"
)

// previewOf returns the banner of a preview of unsaved changes: the
// submitted form's fields, to be posted again to action ("Back to
// editing") or to save.
func previewOf(r *http.Request, message, action, save string) web.Preview {
	pv := web.Preview{Message: message, Action: action, Save: save}
	names := make([]string, 0, len(r.PostForm))
	for name := range r.PostForm {
		if name != previewBack {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		for _, v := range r.PostForm[name] {
			pv.Fields = append(pv.Fields, web.Field{Name: name, Value: v})
		}
	}
	return pv
}

// previewBack is the field of the preview's "Back to editing" button.
const previewBack = "preview_back"

// backToEditing reports whether the preview's "Back to editing" button
// sent the form.
func backToEditing(r *http.Request) bool { return r.PostFormValue(previewBack) == "yes" }

// previewAction is where a form's Preview button posts: the edit page's
// path (or the list's, for a new record) with /preview.
func previewAction(list string, id int64) string {
	if id == 0 {
		return list + "/preview"
	}
	return list + "/" + itoa(id) + "/preview"
}

// saveAction is where a form saves to.
func saveAction(list string, id int64) string {
	if id == 0 {
		return list
	}
	return list + "/" + itoa(id)
}

// noIndex tells search engines not to index a preview, should its address
// ever reach one.
func noIndex(w http.ResponseWriter) { w.Header().Set("X-Robots-Tag", "noindex") }
