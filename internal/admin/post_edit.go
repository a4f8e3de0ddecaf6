package admin

import (
	"errors"
	"net/http"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/web"
)

var postsCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Posts", Href: "/admin/posts"}}

// postByPath loads the post the route names and checks that u may change
// it (see canEditPlaces).
func (h *handlers) postByPath(r *http.Request, u accounts.User) (news.Post, error) {
	id, err := idFromPath(r)
	if err != nil {
		return news.Post{}, err
	}
	p, err := h.news.ByID(r.Context(), id)
	if err != nil {
		return news.Post{}, err
	}
	if !canEditPlaces(u, placesOf(p)) && !u.ReadOnly(r.Method, accounts.EditContent, accounts.ViewContent) {
		return news.Post{}, errForbidden
	}
	return p, nil
}

func (h *handlers) postNewForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	f := newPostForm(news.Post{Kind: news.KindNews})
	if limited(u) && len(u.Places) == 1 {
		f.PlaceIDs = u.Places
	}
	d, err := h.postFormData(r, u, f, formErrors{})
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_post.html", "Add a post", u, postsCrumbs, d)
}

func (h *handlers) postForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	p, err := h.postByPath(r, u)
	if err != nil {
		return err
	}
	d, err := h.postFormData(r, u, newPostForm(p), formErrors{})
	if err != nil {
		return err
	}
	if p.Status == news.StatusPublished && !p.PublishedAt.After(h.now()) {
		d.Tools.Public = p.URL()
	}
	return h.render(w, r, http.StatusOK, "admin_post.html", "Edit "+p.Title, u, postsCrumbs, d)
}

func (h *handlers) postCreate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	return h.postSave(w, r, u, news.Post{})
}

func (h *handlers) postUpdate(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	before, err := h.postByPath(r, u)
	if err != nil {
		return err
	}
	return h.postSave(w, r, u, before)
}

// postSave saves the submitted form over before (the zero Post for a new
// post).
func (h *handlers) postSave(w http.ResponseWriter, r *http.Request, u accounts.User, before news.Post) error {
	f, after, errs, err := h.readPost(r, u, before)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if errs.Field("slug") == nil {
		taken, err := h.news.SlugTaken(ctx, after.Slug, before.ID)
		if err != nil {
			return err
		}
		if taken {
			errs.add("slug", "Another post has this web address: choose a different one")
		}
	}
	again := func() error { return h.postFormAgain(w, r, u, before, f, errs, http.StatusUnprocessableEntity) }
	if errs.Any() {
		return again()
	}
	open := func(q db.Querier) contentStore[news.Post] { return news.NewStore(q) }
	after.ID, err = saveContent(ctx, h.db, open, u, "post", after.Slug, before.ID, before, after, "")
	if errors.Is(err, errSlugTaken) {
		errs.add("slug", "Another post has this web address: choose a different one")
		return again()
	}
	if err != nil {
		return err
	}
	msg := "The post " + after.Title + " has been saved as a draft. Residents cannot see it."
	if after.Status == news.StatusPublished {
		if after.PublishedAt.After(h.now()) {
			msg = "The post " + after.Title + " has been saved. It will be published on " +
				london.Date(after.PublishedAt) + " at " + london.Clock(after.PublishedAt) + "."
		} else {
			msg = "The post " + after.Title + " has been published."
		}
	}
	return h.redirect(w, r, "/admin/posts/"+itoa(after.ID), msg)
}

// readPost reads and checks the submitted post form over before (the zero
// Post for a new post), as saving and previewing do.
func (h *handlers) readPost(r *http.Request, u accounts.User, before news.Post) (postForm, news.Post, formErrors, error) {
	if err := r.ParseForm(); err != nil {
		return postForm{}, news.Post{}, formErrors{}, web.BadRequest("The form could not be read.")
	}
	ctx := r.Context()
	f := readPostForm(r, before.ID)
	themes, err := h.news.Themes(ctx)
	if err != nil {
		return f, news.Post{}, formErrors{}, err
	}
	list, err := h.places.List(ctx)
	if err != nil {
		return f, news.Post{}, formErrors{}, err
	}
	var placeErrs formErrors
	f.PlaceIDs = readPlaces(r, u, list, &placeErrs, "places")
	// Whole seconds, as stored times are, so "publish now" is public at once.
	after, errs := f.post(before, themes, placeErrs, h.now().UTC().Truncate(time.Second))
	if after.LeadImageID, err = h.readLeadImage(ctx, u, f.LeadImage, &errs); err != nil {
		return f, news.Post{}, formErrors{}, err
	}
	return f, after, errs, nil
}

// postFormAgain shows the post form once more, with the input kept and
// the errors.
func (h *handlers) postFormAgain(w http.ResponseWriter, r *http.Request, u accounts.User, before news.Post, f postForm,
	errs formErrors, status int) error {
	title := "Add a post"
	if before.ID != 0 {
		title = "Edit " + before.Title
	}
	d, err := h.postFormData(r, u, f, errs)
	if err != nil {
		return err
	}
	return h.render(w, r, status, "admin_post.html", title, u, postsCrumbs, d)
}
