package admin

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/questions"
)

// searchShown is how many records of each kind the admin search lists.
const searchShown = 20

// questionRef is a question's reference typed whole, as residents quote it.
var questionRef = regexp.MustCompile(`(?i)^q-\d{4}-\d{4,}$`)

// searchHit is one record the admin search found.
type searchHit struct {
	Label, Href, Detail string
}

// searchGroup is the records of one kind the search found.
type searchGroup struct {
	Kind string
	Hits []searchHit
	// More reports that more matched than are shown.
	More bool
}

type searchData struct {
	Query  string
	Groups []searchGroup
	Error  string
	Errors formErrors
	Total  int
}

// words splits a query into the words every match must hold.
func words(q string) []string { return strings.Fields(strings.ToLower(q)) }

// holdsAll reports whether every word is in one of texts, ignoring case.
func holdsAll(ws []string, texts ...string) bool {
	joined := strings.ToLower(strings.Join(texts, "\n"))
	for _, w := range ws {
		if !strings.Contains(joined, w) {
			return false
		}
	}
	return true
}

// adminSearch finds records of every kind the user may read, of the places
// they may use: by words, or a question's reference typed exactly, which
// opens the question at once.
func (h *handlers) adminSearch(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	ctx := r.Context()
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := searchData{Query: q}
	render := func(status int) error {
		for _, g := range d.Groups {
			d.Total += len(g.Hits)
		}
		title := "Find a record"
		if q != "" {
			title = "Records matching " + q
		}
		return h.render(w, r, status, "admin_search.html", title, u, dashboardCrumbs, d)
	}
	switch {
	case q == "":
		return render(http.StatusOK)
	case utf8.RuneCountInString(q) > 200:
		d.Error = "Enter at most 200 characters"
		d.Errors.add("search-q", d.Error)
		return render(http.StatusUnprocessableEntity)
	}
	if questionRef.MatchString(q) && u.Can(accounts.ManageBoards) {
		qu, err := questions.NewStore(h.db).ByReference(ctx, q)
		if err == nil {
			http.Redirect(w, r, "/admin/questions/"+itoa(qu.ID), http.StatusSeeOther)
			return nil
		}
		if !isNotFound(err) {
			return err
		}
	}
	ws := words(q)
	add := func(kind string, hits []searchHit) {
		if len(hits) == 0 {
			return
		}
		g := searchGroup{Kind: kind, Hits: hits}
		if len(hits) > searchShown {
			g.Hits, g.More = hits[:searchShown], true
		}
		d.Groups = append(d.Groups, g)
	}
	if u.Can(accounts.ViewContent) {
		rows, _, err := postRows(ctx, h.db, u, h.now(), listQuery{})
		if err != nil {
			return err
		}
		var hits []searchHit
		for _, row := range rows {
			if holdsAll(ws, row.Post.Title, row.Post.Summary, row.Post.Slug) {
				hits = append(hits, searchHit{row.Post.Title, "/admin/posts/" + itoa(row.Post.ID), row.State + ", " + row.Places})
			}
		}
		add("Posts", hits)
		all, err := h.events.All(ctx)
		if err != nil {
			return err
		}
		hits = nil
		for _, e := range all {
			if !canEditPlaces(u, e.PlaceIDs) && !u.ReadOnly(http.MethodGet, accounts.EditContent, accounts.ViewContent) {
				continue
			}
			if holdsAll(ws, e.Title, e.Summary, e.Slug) {
				hits = append(hits, searchHit{e.Title, "/admin/events/" + itoa(e.ID), "Starts " + london.Date(e.StartsAt)})
			}
		}
		add("Events", hits)
	}
	if u.Can(accounts.ViewBoards) {
		rows, _, err := meetingRows(ctx, h.db, h.now(), listQuery{})
		if err != nil {
			return err
		}
		var hits []searchHit
		for _, row := range rows {
			if holdsAll(ws, row.Meeting.Title, row.Board.Name, row.Meeting.Slug) {
				hits = append(hits, searchHit{row.Meeting.Title, "/admin/meetings/" + itoa(row.Meeting.ID),
					row.Board.Name + ", " + london.Date(row.Meeting.StartsAt)})
			}
		}
		add("Meetings", hits)
	}
	if u.Can(accounts.ManageBoards) {
		list, err := questions.NewStore(h.db).Find(ctx, ws, searchShown+1)
		if err != nil {
			return err
		}
		var hits []searchHit
		for _, qu := range list {
			hits = append(hits, searchHit{qu.Reference, "/admin/questions/" + itoa(qu.ID), qu.Status.Label()})
		}
		add("Residents' questions", hits)
	}
	if u.Can(accounts.ViewDirectory) {
		list, _, err := h.directory.ListServices(ctx, q, 1, searchShown+1)
		if err != nil {
			return err
		}
		var hits []searchHit
		for _, s := range list {
			hits = append(hits, searchHit{s.Name, "/admin/directory/services/" + url.PathEscape(s.ID), s.Organization})
		}
		add("Services", hits)
		orgs, err := h.directory.FindOrganizations(ctx, ws, searchShown+1)
		if err != nil {
			return err
		}
		hits = nil
		for _, o := range orgs {
			hits = append(hits, searchHit{o.Name, "/admin/directory?q=" + url.QueryEscape(o.Name), "Its services in the directory"})
		}
		add("Organisations", hits)
	}
	if u.Can(accounts.ViewMedia) {
		list, err := h.media.List(ctx, media.Filter{Places: mediaPlaces(u)})
		if err != nil {
			return err
		}
		var hits []searchHit
		for _, it := range list {
			if holdsAll(ws, it.Name, it.Alt) {
				hits = append(hits, searchHit{it.Name, "/admin/media/" + itoa(it.ID), string(it.Kind)})
			}
		}
		add("Media", hits)
	}
	if u.Can(accounts.ManageAccounts) {
		list, err := h.users.List(ctx)
		if err != nil {
			return err
		}
		var hits []searchHit
		for _, a := range list {
			if holdsAll(ws, a.Name, a.Email) {
				hits = append(hits, searchHit{a.DisplayName(), "/admin/users/" + itoa(a.ID), a.Email + ", " + a.Role.Label()})
			}
		}
		add("Accounts", hits)
	}
	return render(http.StatusOK)
}

func isNotFound(err error) bool { return err != nil && errors.Is(err, db.ErrNotFound) }
