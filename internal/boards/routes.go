package boards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

// Options are what the board pages need from outside the package.
type Options struct {
	// Now is the clock; tests set it.
	Now func() time.Time
}

type handlers struct {
	site  *web.Site
	store *Store
	opt   Options
}

// Mount registers the boards' pages and their papers.
func Mount(site *web.Site, store *Store, opt Options) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	h := handlers{site: site, store: store, opt: opt}
	site.Get("/in-your-area/{place}/boards", h.list)
	site.Get("/in-your-area/{place}/boards/{slug}", h.board)
	site.Get("/events/{slug}/papers/{id}", h.paper)
	site.AddSitemapSource(h.sitemap)
}

// PlaceLinks lists a place's boards as links, for the place page.
func (s *Store) PlaceLinks(ctx context.Context, placeID int64) ([]web.Link, error) {
	list, err := s.Boards(ctx, placeID)
	if err != nil {
		return nil, err
	}
	out := make([]web.Link, 0, len(list)+1)
	for _, b := range list {
		out = append(out, web.Link{Label: b.Name, Href: b.Path()})
	}
	return out, nil
}

type listPage struct {
	PlaceName string
	Boards    []Board
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	placeID, placeName, err := h.store.place(ctx, r.PathValue("place"))
	if err != nil {
		return err
	}
	list, err := h.store.Boards(ctx, placeID)
	if err != nil {
		return err
	}
	place := r.PathValue("place")
	return h.site.Render(w, r, http.StatusOK, "boards.html", web.Meta{
		Title:       "Boards and meetings in public in " + placeName,
		Description: "The boards and groups of " + placeName + " that meet in public: their members, meetings, papers and residents' questions.",
		Path:        "/in-your-area/" + place + "/boards",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "In your area", Href: "/in-your-area/"},
			{Label: placeName, Href: "/in-your-area/" + place}},
	}, listPage{PlaceName: placeName, Boards: list})
}

type boardPage struct {
	Board       Board
	Description template.HTML
	Terms       template.HTML
	Upcoming    []Meeting
	Past        []Meeting
	Deadline    string
	// NextDeadline says the deadline for questions to the next meeting,
	// or is "" when no meeting is taking questions.
	NextDeadline string
}

func (h handlers) board(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	b, err := h.store.BoardBySlug(ctx, r.PathValue("place"), r.PathValue("slug"))
	if err != nil {
		return err
	}
	all, err := h.store.Meetings(ctx, b.ID)
	if err != nil {
		return err
	}
	p := boardPage{Board: b, Description: text.Markdown(b.Description), Terms: text.Markdown(b.TermsOfReference),
		Deadline: b.Rule.Describe()}
	now := h.opt.Now()
	for _, m := range all {
		if m.Draft || m.Archived {
			continue
		}
		if m.EndsAt.After(now) {
			p.Upcoming = append(p.Upcoming, m)
		} else {
			p.Past = append([]Meeting{m}, p.Past...)
		}
	}
	for _, m := range p.Upcoming {
		if m.Status == MeetingScheduled && b.Rule.Open(m.StartsAt, now) {
			p.NextDeadline = "Questions for the meeting on " + london.LongDate(m.StartsAt) + " must arrive by " + DeadlineText(b.Rule.Deadline(m.StartsAt)) + " (UK time)."
			break
		}
	}
	return h.site.Render(w, r, http.StatusOK, "board.html", web.Meta{
		Title:       b.Name,
		Description: "Meetings, members and terms of reference of " + b.Name + ".",
		Path:        b.Path(),
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "In your area", Href: "/in-your-area/"},
			{Label: b.PlaceName, Href: "/in-your-area/" + b.PlaceSlug}, {Label: "Boards", Href: "/in-your-area/" + b.PlaceSlug + "/boards"}},
	}, p)
}

type paperPage struct {
	Paper   Paper
	Meeting Meeting
	Body    template.HTML
}

func (h handlers) paper(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return web.NotFound("")
	}
	p, err := h.store.Paper(ctx, id)
	if err != nil {
		return err
	}
	m, err := h.store.Meeting(ctx, p.MeetingID)
	if err != nil {
		return err
	}
	if m.Draft || m.Archived || m.Slug != r.PathValue("slug") {
		return web.NotFound("")
	}
	papers := []Paper{p}
	if err := h.store.alternatives(ctx, papers); err != nil {
		return err
	}
	p = papers[0]
	if p.Format == PaperPDF { // the media library serves it
		http.Redirect(w, r, p.URL(m.Slug), http.StatusFound)
		return nil
	}
	return h.site.Render(w, r, http.StatusOK, "paper.html", web.Meta{
		Title:       p.Title,
		Description: "A paper for " + m.Title + ".",
		Path:        "/events/" + m.Slug + "/papers/" + strconv.FormatInt(p.ID, 10),
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Events", Href: "/events"}, {Label: m.Title, Href: m.Path()}},
	}, paperPage{Paper: p, Meeting: m, Body: text.Markdown(p.Body)})
}

func (h handlers) sitemap(ctx context.Context) ([]web.SitemapURL, error) {
	list, err := h.store.Boards(ctx, 0)
	if err != nil {
		return nil, err
	}
	var out []web.SitemapURL
	for _, b := range list {
		out = append(out, web.SitemapURL{Path: b.Path(), LastMod: b.UpdatedAt})
	}
	return out, nil
}

// place returns the id and name of the place with slug.
func (s *Store) place(ctx context.Context, slug string) (int64, string, error) {
	var id int64
	var name string
	err := s.q.QueryRowContext(ctx, `SELECT id, name FROM places WHERE slug = $1`, slug).Scan(&id, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("boards: place %q: %w", slug, db.ErrNotFound)
	}
	if err != nil {
		return 0, "", fmt.Errorf("boards: place %q: %w", slug, err)
	}
	return id, name, nil
}
