package admin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

// versioned is a kind of record with revisions, as the revision pages,
// restoring and the JSON export need it. Boards, meetings and other
// records add theirs the same way.
type versioned struct {
	kind string // the revisions' kind and the audit record's prefix: "post"
	noun string // "post"
	// list is the admin list of such records, for the breadcrumbs.
	list web.Crumb
	// load returns the record the route names as it is now, after
	// checking that u may edit it (403 otherwise).
	load func(r *http.Request, u accounts.User) (current, error)
	// restore saves data (a revision's JSON) over cur as the record's new
	// version, with note. It returns a message for the user, and no
	// error, when that version cannot be saved as it is now.
	restore func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error)
}

// current is a record as it is now.
type current struct {
	ID     string // its id in revisions and the audit log
	Title  string
	Edit   string // its edit page
	Record any
}

// crumbs lead from the dashboard to a record's edit page.
func (v versioned) crumbs(cur current) []web.Crumb {
	return []web.Crumb{{Label: "Admin", Href: "/admin/"}, v.list, {Label: cur.Title, Href: cur.Edit}}
}

// msgNotYourPlaces is what restoring says of a version linked to places
// the user may not change.
const msgNotYourPlaces = "This version is linked to places your account may not change, so you cannot restore it"

// restorePlaces keeps the ids of places that still exist and reports
// whether u may edit a record linked to them.
func (h *handlers) restorePlaces(ctx context.Context, u accounts.User, ids []int64) ([]int64, bool, error) {
	list, err := h.places.List(ctx)
	if err != nil {
		return nil, false, err
	}
	var kept []int64
	for _, id := range ids {
		if slices.ContainsFunc(list, func(p places.Place) bool { return p.ID == id }) {
			kept = append(kept, id)
		}
	}
	return kept, canEditPlaces(u, kept), nil
}

// restoreContent saves version, an earlier version of a post or an event,
// over before through saveContent. The version's places (those still
// there) must all be u's; setIDs gives version its id and those places.
// A web address another record has taken since is reported to the user.
func restoreContent[T any](ctx context.Context, h *handlers, u accounts.User, kind string, open func(db.Querier) contentStore[T],
	beforeID int64, before, version T, placeIDs []int64, slug, note string, setIDs func(*T, []int64)) (string, error) {
	ids, ok, err := h.restorePlaces(ctx, u, placeIDs)
	if err != nil || !ok {
		return msgNotYourPlaces, err
	}
	setIDs(&version, ids)
	_, err = saveContent(ctx, h.db, open, u, kind, slug, beforeID, before, version, note)
	if errors.Is(err, errSlugTaken) {
		return "Another " + kind + " now has this version's web address (" + slug + "), so it cannot be restored", nil
	}
	return "", err
}

func (h *handlers) postVersions() versioned {
	return versioned{kind: "post", noun: "post", list: web.Crumb{Label: "Posts", Href: "/admin/posts"},
		load: func(r *http.Request, u accounts.User) (current, error) {
			p, err := h.postByPath(r, u)
			return current{ID: itoa(p.ID), Title: p.Title, Edit: "/admin/posts/" + itoa(p.ID), Record: p}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			before := cur.Record.(news.Post)
			var p news.Post
			if err := json.Unmarshal(data, &p); err != nil {
				return "", err
			}
			// The checks of the edit form, on the version as the form
			// would show it: its themes and lead image must still exist.
			themes, err := h.news.Themes(ctx)
			if err != nil {
				return "", err
			}
			f := newPostForm(p)
			_, errs := f.post(p, themes, formErrors{}, h.now().UTC().Truncate(time.Second))
			if _, err := h.readLeadImage(ctx, u, f.LeadImage, &errs); err != nil {
				return "", err
			}
			if errs.Any() {
				return cannotRestore(errs), nil
			}
			open := func(q db.Querier) contentStore[news.Post] { return news.NewStore(q) }
			return restoreContent(ctx, h, u, "post", open, before.ID, before, p, placesOf(p), p.Slug, note, func(p *news.Post, ids []int64) {
				p.ID, p.PlaceIDs, p.Places = before.ID, ids, nil
			})
		}}
}

func (h *handlers) eventVersions() versioned {
	return versioned{kind: "event", noun: "event", list: web.Crumb{Label: "Events", Href: "/admin/events"},
		load: func(r *http.Request, u accounts.User) (current, error) {
			e, err := h.eventByPath(r, u)
			return current{ID: itoa(e.ID), Title: e.Title, Edit: "/admin/events/" + itoa(e.ID), Record: e}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			before := cur.Record.(events.Event)
			var e events.Event
			if err := json.Unmarshal(data, &e); err != nil {
				return "", err
			}
			// The checks of the edit form, on the version as the form
			// would show it.
			if _, errs := newEventForm(e).event(e, formErrors{}); errs.Any() {
				return cannotRestore(errs), nil
			}
			open := func(q db.Querier) contentStore[events.Event] { return events.NewStore(q) }
			return restoreContent(ctx, h, u, "event", open, before.ID, before, e, e.PlaceIDs, e.Slug, note, func(e *events.Event, ids []int64) {
				e.ID, e.PlaceIDs = before.ID, ids
			})
		}}
}

func (h *handlers) placeVersions() versioned {
	return versioned{kind: "place", noun: "place", list: web.Crumb{Label: "Places", Href: "/admin/places"},
		load: func(r *http.Request, u accounts.User) (current, error) {
			p, err := h.placeByPath(r, u)
			return current{ID: p.Slug, Title: p.Name, Edit: "/admin/places/" + p.Slug, Record: p}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			var p places.Place
			if err := json.Unmarshal(data, &p); err != nil {
				return "", err
			}
			// The checks of the edit form, on the version as the form
			// would show it.
			before := cur.Record.(places.Place)
			if _, errs := newPlaceForm(p).place(before.ID); errs.Any() {
				return cannotRestore(errs), nil
			}
			return "", h.savePlace(ctx, u, before, p, note)
		}}
}
