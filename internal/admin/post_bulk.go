package admin

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/web"
)

// bulkChange is one post a bulk action would change, or leaves as it is.
type bulkChange struct {
	Post  news.Post
	State string
	// Changes reports that the action changes the post.
	Changes bool
}

type bulkData struct {
	Action string // "publish" or "unpublish"
	Verb   string // "Publish" or "Unpublish"
	Posts  []bulkChange
	Count  int // how many change
	Errors formErrors
}

// postBulk publishes or unpublishes the chosen posts: first it shows what
// would change and asks to confirm; with confirm=yes it changes them all in
// one transaction, each with its audit entry and version, or none.
func (h *handlers) postBulk(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	action := formValue(r, "action")
	d := bulkData{Action: action}
	switch action {
	case "publish":
		d.Verb = "Publish"
	case "unpublish":
		d.Verb = "Unpublish"
	default:
		d.Errors.add("action", "Choose whether to publish or unpublish the posts")
	}
	var ids []int64
	for _, s := range r.Form["post"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 1 {
			return web.BadRequest("A chosen post is not a post's number.")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		d.Errors.add("post", "Choose at least one post")
	}
	ctx := r.Context()
	now := h.now().UTC().Truncate(time.Second)
	for _, id := range ids {
		p, err := h.news.ByID(ctx, id)
		if errors.Is(err, db.ErrNotFound) {
			return web.NotFound("One of the chosen posts no longer exists.")
		}
		if err != nil {
			return err
		}
		if !canEditPlaces(u, placesOf(p)) {
			return errForbidden
		}
		c := bulkChange{Post: p, State: postState(p, now)}
		c.Changes = action == "publish" && c.State != "Published" || action == "unpublish" && c.State != "Draft"
		if c.Changes {
			d.Count++
		}
		d.Posts = append(d.Posts, c)
	}
	if d.Errors.Any() {
		// The list again, as it was, with the posts chosen still ticked.
		rows, placeList, err := postRows(ctx, h.db, u, h.now(), listQuery{Sort: "date", Desc: true})
		if err != nil {
			return err
		}
		lq := listQuery{Sort: "date", Desc: true, Page: 1}
		shown, lv := sortAndPage("/admin/posts", lq, rows, postColumns, placeList, u, postStatuses)
		chosen := map[int64]bool{}
		for _, id := range ids {
			chosen[id] = true
		}
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_posts.html", "Posts", u, dashboardCrumbs,
			postListData{Posts: shown, List: lv, Bulk: true, Errors: d.Errors, Chosen: chosen})
	}
	if formValue(r, "confirm") != "yes" {
		return h.render(w, r, http.StatusOK, "admin_posts_bulk.html", d.Verb+" posts", u, postsCrumbs, d)
	}
	err := h.db.Tx(ctx, func(q db.Querier) error {
		st := news.NewStore(q)
		for _, c := range d.Posts {
			if !c.Changes {
				continue
			}
			before, err := st.ByID(ctx, c.Post.ID)
			if err != nil {
				return err
			}
			after := before
			after.PlaceIDs = placesOf(before)
			if action == "publish" {
				after.Status, after.PublishedAt = news.StatusPublished, now
			} else {
				after.Status = news.StatusDraft
			}
			if err := st.Update(ctx, after); err != nil {
				return err
			}
			saved, err := st.ByID(ctx, after.ID)
			if err != nil {
				return err
			}
			if err := recordChange(ctx, q, u, "post", itoa(after.ID), "post_updated", before, saved, "bulk "+action); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	msg := plural(d.Count, "post has", "posts have") + " been published."
	if action == "unpublish" {
		msg = plural(d.Count, "post has", "posts have") + " been unpublished: residents cannot see them."
	}
	return h.redirect(w, r, "/admin/posts", msg)
}

// postState is "Draft", "Scheduled" or "Published", as the post list says.
func postState(p news.Post, now time.Time) string {
	switch {
	case p.Status == news.StatusDraft:
		return "Draft"
	case p.PublishedAt.After(now):
		return "Scheduled"
	}
	return "Published"
}
