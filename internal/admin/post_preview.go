package admin

import (
	"net/http"
	"slices"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/web"
)

// postPreviewSaved shows a post as saved on its public page, marked as a
// preview: a draft or a scheduled post as residents will see it.
func (h *handlers) postPreviewSaved(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	p, err := h.postByPath(r, u)
	if err != nil {
		return err
	}
	msg := "This is the post as saved. It is a draft."
	switch {
	case p.Status == news.StatusPublished && p.PublishedAt.After(h.now()):
		msg = "This is the post as saved. It is scheduled to be published later."
	case p.Status == news.StatusPublished:
		msg = "This is the post as saved. It is published: residents see it at " + p.URL() + "."
	}
	noIndex(w)
	return news.Preview(h.site, h.news, w, r, p, web.Preview{Message: msg, Back: "/admin/posts/" + itoa(p.ID),
		ReadingAge: postPreviewReadingAge(p.Summary, p.Body, p.PullQuote), Shell: shell(r, u)})
}

func (h *handlers) postPreviewNew(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.postPreview(w, r, u, news.Post{})
}

func (h *handlers) postPreviewEdit(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.postByPath(r, u)
	if err != nil {
		return err
	}
	return h.postPreview(w, r, u, before)
}

// postPreview shows the submitted form, not saved, on the public post
// page, or the form again when it has errors or the editor goes back to it.
func (h *handlers) postPreview(w http.ResponseWriter, r *http.Request, u accounts.User, before news.Post) error {
	f, p, errs, err := h.readPost(r, u, before)
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.postFormAgain(w, r, u, before, f, errs, http.StatusUnprocessableEntity)
	}
	if backToEditing(r) {
		return h.postFormAgain(w, r, u, before, f, errs, http.StatusOK)
	}
	all, err := h.news.Places(r.Context())
	if err != nil {
		return err
	}
	for _, pl := range all {
		if slices.Contains(p.PlaceIDs, pl.ID) {
			p.Places = append(p.Places, pl)
		}
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt, p.UpdatedAt = p.PublishedAt, p.PublishedAt
	}
	pv := previewOf(r, "These changes are not saved yet.", previewAction("/admin/posts", before.ID), saveAction("/admin/posts", before.ID))
	pv.Shell = shell(r, u)
	pv.ReadingAge = postPreviewReadingAge(p.Summary, p.Body, p.PullQuote)
	noIndex(w)
	return news.Preview(h.site, h.news, w, r, p, pv)
}
