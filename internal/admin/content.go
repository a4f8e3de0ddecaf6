package admin

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

// Posts and events need accounts.EditContent, which the router checks. The
// router's place check only reads a {place} in the path, and a post or an
// event names its places in its record instead, so the handlers check them:
// canEditPlaces for the record as stored, and readPlaces for the places
// chosen on the form.

// canEditPlaces reports whether u may change a post or event linked to the
// places placeIDs. An editor limited to some places may change only records
// all of whose places are theirs; a record with no place concerns the whole
// system, which only editors of every place (and administrators) may change.
func canEditPlaces(u accounts.User, placeIDs []int64) bool {
	if !u.Can(accounts.EditContent) {
		return false
	}
	if len(placeIDs) == 0 {
		return u.CanEditPlace(0)
	}
	for _, id := range placeIDs {
		if !u.CanEditPlace(id) {
			return false
		}
	}
	return true
}

// limited reports whether u is an editor limited to some places.
func limited(u accounts.User) bool { return u.Role == accounts.Editor && len(u.Places) > 0 }

// placeOptions are the places u may choose on a post or event form, with
// those in chosen ticked; for a reader who edits no content (a
// reviewer), every place, so that they see the record's.
func placeOptions(u accounts.User, list []places.Place, chosen []int64) []option {
	var out []option
	for _, p := range list {
		if u.CanEditPlace(p.ID) || !u.Can(accounts.EditContent) {
			out = append(out, option{Value: p.Slug, Label: p.Name, Checked: slices.Contains(chosen, p.ID)})
		}
	}
	return out
}

// readPlaces reads the places ticked on a form, keeping only real places.
// A place u may not edit is an error on the field, as is choosing none when
// u is limited to some places.
func readPlaces(r *http.Request, u accounts.User, list []places.Place, errs *formErrors, field string) []int64 {
	chosen := r.PostForm["places"]
	var ids []int64
	for _, p := range list {
		if !slices.Contains(chosen, p.Slug) {
			continue
		}
		if !u.CanEditPlace(p.ID) {
			errs.add(field, "You can only choose the places your account may change")
			continue
		}
		ids = append(ids, p.ID)
	}
	if len(ids) == 0 && limited(u) {
		errs.add(field, "Choose at least one place")
	}
	return ids
}

// idFromPath reads the {id} of a post or event route.
func idFromPath(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.NotFound("")
	}
	return id, nil
}

// formValue reads a one-line field, trimmed.
func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

// formText reads a multi-line field, trimmed, with Unix line endings.
func formText(r *http.Request, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n"))
}

// The layouts of the date and time inputs.
const (
	dateLayout = "2006-01-02"
	timeLayout = "15:04"
)

// londonDate and londonTime fill date and time inputs from t.
func londonDate(t time.Time) string { return london.In(t).Format(dateLayout) }
func londonTime(t time.Time) string { return london.In(t).Format(timeLayout) }

// parseLondon reads a date and a time of day typed in Europe/London.
// It reports which of the two is wrong ("date" or "time"), or "".
func parseLondon(date, clock string) (time.Time, string) {
	d, err := time.ParseInLocation(dateLayout, date, london.Location)
	if err != nil {
		return time.Time{}, "date"
	}
	c, err := time.Parse(timeLayout, clock)
	if err != nil {
		return time.Time{}, "time"
	}
	return time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, london.Location), ""
}

// errSlugTaken reports, from inside a save, that another record took the
// slug after the form was checked.
var errSlugTaken = errors.New("slug taken")

// contentStore is what saving a post or an event needs of its store.
type contentStore[T any] interface {
	SlugTaken(ctx context.Context, slug string, exceptID int64) (bool, error)
	Create(ctx context.Context, record T) (int64, error)
	Update(ctx context.Context, record T) error
	ByID(ctx context.Context, id int64) (T, error)
}

// saveContent creates (beforeID 0) or updates a post or an event in one
// write transaction and returns its id. Holding the one writer, it checks
// the slug again, so a slug taken since the form was checked is reported as
// errSlugTaken rather than failing on the UNIQUE constraint; and it writes
// the audit row with the record before and after, and the new revision
// (with note, which may be empty). kind is "post" or "event".
func saveContent[T any](ctx context.Context, d *db.DB, open func(db.Querier) contentStore[T], u accounts.User,
	kind, slug string, beforeID int64, before, after T, note string) (int64, error) {
	id := beforeID
	err := d.Tx(ctx, func(q db.Querier) error {
		store := open(q)
		if taken, err := store.SlugTaken(ctx, slug, beforeID); err != nil || taken {
			return cmp.Or(err, errSlugTaken)
		}
		action := kind + "_updated"
		var b any = before
		if beforeID == 0 {
			action, b = kind+"_created", nil
			var err error
			if id, err = store.Create(ctx, after); err != nil {
				return err
			}
		} else if err := store.Update(ctx, after); err != nil {
			return err
		}
		saved, err := store.ByID(ctx, id)
		if err != nil {
			return err
		}
		return recordChange(ctx, q, u, kind, itoa(id), action, b, saved, note)
	})
	return id, err
}
