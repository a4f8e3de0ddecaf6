package events

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/text"
	"github.com/joinedup/joinedup/internal/web"
)

// PlaceRef names a place, for filters.
type PlaceRef struct {
	ID         int64
	Slug, Name string
}

// Options are what the event pages need from outside the package.
type Options struct {
	// Places lists the places events can be filtered by.
	Places func(ctx context.Context) ([]PlaceRef, error)
	// Now is the clock; tests set it.
	Now func() time.Time
	// Registration, if set, returns what the event page shows about
	// registering for the event (drawn by the "event-registration"
	// template); db.ErrNotFound when the event takes no registrations.
	Registration func(ctx context.Context, eventID int64) (any, error)
	// Meeting returns what the event page shows of a board's meeting held
	// as this event (agenda, papers, questions), rendered by the template
	// "meeting-details"; db.ErrNotFound when the event is not a meeting.
	Meeting func(ctx context.Context, eventID int64) (any, error)
}

type handlers struct {
	site  *web.Site
	store *Store
	opt   Options
}

// perPage is how many events a listing shows.
const perPage = 10

// Mount registers the event pages and calendars.
func Mount(site *web.Site, store *Store, opt Options) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	h := handlers{site: site, store: store, opt: opt}
	site.Get("/events", h.list)
	site.Get("/events/{slug}", h.event)
	site.Get("/events/{slug}/calendar.ics", h.eventCalendar)
	site.Get("/feeds/events.ics", h.feed)
	site.AddSitemapSource(h.sitemap)
}

// listItem is an event as a listing shows it: at its next (or last) time.
type listItem struct {
	Event    Event
	When     Occurrence
	Repeats  string
	Calendar string
}

type listPage struct {
	Past       bool
	Place      PlaceRef
	Places     []PlaceRef
	Theme      Theme
	Themes     []Theme
	Items      []listItem
	Page       int
	Pages      int
	Total      int
	Pagination web.Pagination
	FeedURL    string
	OtherView  string
	FilterNote string
}

// themeFilter resolves ?theme=slug, like placeFilter.
func (h handlers) themeFilter(ctx context.Context, slug string) (Theme, error) {
	if slug == "" {
		return Theme{}, nil
	}
	th, err := h.store.Theme(ctx, slug)
	if errors.Is(err, db.ErrNotFound) {
		return Theme{}, web.NotFound("There is no theme called “" + slug + "”.")
	}
	return th, err
}

// placeFilter resolves ?place=slug; an unknown slug is the user's mistake,
// shown as a message rather than an error page.
func (h handlers) placeFilter(ctx context.Context, slug string) (PlaceRef, []PlaceRef, error) {
	var all []PlaceRef
	if h.opt.Places != nil {
		var err error
		if all, err = h.opt.Places(ctx); err != nil {
			return PlaceRef{}, nil, err
		}
	}
	if slug == "" {
		return PlaceRef{}, all, nil
	}
	for _, p := range all {
		if p.Slug == slug {
			return p, all, nil
		}
	}
	return PlaceRef{}, all, web.NotFound("There is no area called “" + slug + "”. Choose an area from the list.")
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	place, all, err := h.placeFilter(ctx, q.Get("place"))
	if err != nil {
		return err
	}
	theme, err := h.themeFilter(ctx, q.Get("theme"))
	if err != nil {
		return err
	}
	themes, err := h.store.ThemesInUse(ctx)
	if err != nil {
		return err
	}
	page := 1
	if p := q.Get("page"); p != "" {
		if page, err = strconv.Atoi(p); err != nil || page < 1 {
			return web.BadRequest("The page number must be a whole number from 1.")
		}
	}
	past := q.Get("view") == "past"
	evs, err := h.store.List(ctx, Filter{PlaceID: place.ID, ThemeSlug: theme.Slug})
	if err != nil {
		return err
	}
	now := h.opt.Now()
	var items []listItem
	for _, e := range evs {
		var o Occurrence
		var ok bool
		if past {
			if _, upcoming := e.Next(now); upcoming {
				continue
			}
			o, ok = e.Last(now)
		} else {
			o, ok = e.Next(now)
		}
		if !ok {
			continue
		}
		item := listItem{Event: e, When: o}
		if rule := e.Rule(); rule != nil {
			item.Repeats = rule.Describe()
		}
		items = append(items, item)
	}
	sort.SliceStable(items, func(i, j int) bool {
		if past {
			return items[i].When.Start.After(items[j].When.Start)
		}
		return items[i].When.Start.Before(items[j].When.Start)
	})
	lp := listPage{Past: past, Place: place, Places: all, Theme: theme, Themes: themes, Total: len(items), Page: page}
	lp.Pages = (len(items) + perPage - 1) / perPage
	if page > 1 && page > lp.Pages {
		return web.NotFound("There are only " + strconv.Itoa(max(lp.Pages, 1)) + " pages of events.")
	}
	lo, hi := (page-1)*perPage, min(page*perPage, len(items))
	if lo < hi {
		lp.Items = items[lo:hi]
	}
	link := func(view string, page int) string {
		v := make([]string, 0, 3)
		if view != "" {
			v = append(v, "view="+view)
		}
		if place.Slug != "" {
			v = append(v, "place="+place.Slug)
		}
		if theme.Slug != "" {
			v = append(v, "theme="+theme.Slug)
		}
		if page > 1 {
			v = append(v, "page="+strconv.Itoa(page))
		}
		s := "/events"
		for i, p := range v {
			if i == 0 {
				s += "?" + p
			} else {
				s += "&" + p
			}
		}
		return s
	}
	view := ""
	if past {
		view = "past"
		lp.OtherView = link("", 1)
	} else {
		lp.OtherView = link("past", 1)
	}
	lp.Pagination = web.Paginate(page, lp.Pages, func(n int) string { return link(view, n) })
	lp.FeedURL = feedURL(place.Slug, theme.Slug)
	title := "Events"
	if past {
		title = "Past events"
	}
	if place.Name != "" {
		title += " in " + place.Name
	}
	if theme.Name != "" {
		title += ": " + theme.Name
	}
	return h.site.Render(w, r, http.StatusOK, "events.html", web.Meta{
		Title:       title,
		Description: "Events, meetings held in public and drop-ins run by the health and care partnerships.",
		Path:        link(view, page),
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
		Forms:       true,
	}, lp)
}

type eventPage struct {
	Event       Event
	When        Occurrence
	HasWhen     bool
	Repeats     string
	Upcoming    []Occurrence
	Link        JoiningLinkState
	Body        template.HTML // the markdown body, rendered and sanitised
	CalendarURL string
	GoogleURL   string
	OutlookURL  string
	JSONLD      map[string]any
	LinkSoon    JoiningLinkState
	LinkLive    JoiningLinkState
	LinkEnded   JoiningLinkState
	// Registration is the Registration hook's answer, or nil.
	Registration any
	// Meeting is the board meeting this event is, or nil (see Options.Meeting).
	Meeting any
}

func (h handlers) event(w http.ResponseWriter, r *http.Request) error {
	e, err := h.store.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return h.render(w, r, e, nil)
}

// Preview shows e, saved or not, on the public event page marked as a
// preview and not to be indexed, for the admin.
func Preview(site *web.Site, w http.ResponseWriter, r *http.Request, e Event, now time.Time, pv web.Preview) error {
	return handlers{site: site, opt: Options{Now: func() time.Time { return now }}}.render(w, r, e, &pv)
}

func (h handlers) render(w http.ResponseWriter, r *http.Request, e Event, preview *web.Preview) error {
	now := h.opt.Now()
	pageURL := h.site.Config().BaseURL + "/events/" + e.Slug
	p := eventPage{Event: e, Body: text.Markdown(e.Body), CalendarURL: "/events/" + e.Slug + "/calendar.ics",
		LinkSoon: LinkSoon, LinkLive: LinkLive, LinkEnded: LinkEnded}
	if p.When, p.HasWhen = e.Next(now); !p.HasWhen {
		p.When, p.HasWhen = e.Last(now)
	}
	if !p.HasWhen { // a repeating event whose first date is still to come
		p.When, p.HasWhen = Occurrence{Start: e.StartsAt, End: e.EndsAt}, true
	}
	if rule := e.Rule(); rule != nil {
		p.Repeats = rule.Describe()
		occ := e.Occurrences(now, now.AddDate(1, 0, 0))
		if len(occ) > 6 {
			occ = occ[:6]
		}
		p.Upcoming = occ
	}
	p.Link = e.JoiningLink(p.When, now)
	if h.opt.Registration != nil {
		reg, err := h.opt.Registration(r.Context(), e.ID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		p.Registration = reg
	}
	p.GoogleURL = GoogleCalendarURL(e, p.When, pageURL)
	p.OutlookURL = OutlookCalendarURL(e, p.When, pageURL)
	p.JSONLD = JSONLD(e, p.When, pageURL)
	if h.opt.Meeting != nil {
		m, err := h.opt.Meeting(r.Context(), e.ID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return err
		}
		p.Meeting = m
	}
	meta := web.Meta{
		Title:       e.Title,
		Description: e.Summary,
		Path:        "/events/" + e.Slug,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "Events", Href: "/events"}},
	}
	if preview != nil {
		meta.Path, meta.NoIndex, meta.Forms, meta.Preview = "", true, true, preview
	}
	return h.site.Render(w, r, http.StatusOK, "event.html", meta, p)
}

// feedURL is the path of the calendar feed for a filter.
func feedURL(place, theme string) string {
	q := url.Values{}
	if place != "" {
		q.Set("place", place)
	}
	if theme != "" {
		q.Set("theme", theme)
	}
	if len(q) == 0 {
		return "/feeds/events.ics"
	}
	return "/feeds/events.ics?" + q.Encode()
}

const calendarType = "text/calendar; charset=utf-8"

func (h handlers) eventCalendar(w http.ResponseWriter, r *http.Request) error {
	e, err := h.store.BySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	base := h.site.Config().BaseURL
	doc := Calendar([]Event{e}, CalendarInfo{Name: e.Title, URL: base + "/events/" + e.Slug + "/calendar.ics", BaseURL: base})
	w.Header().Set("Content-Disposition", `attachment; filename="`+e.Slug+`.ics"`)
	web.WriteBody(w, r, http.StatusOK, calendarType, []byte(doc))
	return nil
}

func (h handlers) feed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	place, _, err := h.placeFilter(ctx, r.URL.Query().Get("place"))
	if err != nil {
		return err
	}
	theme, err := h.themeFilter(ctx, r.URL.Query().Get("theme"))
	if err != nil {
		return err
	}
	evs, err := h.store.List(ctx, Filter{PlaceID: place.ID, ThemeSlug: theme.Slug})
	if err != nil {
		return err
	}
	base := h.site.Config().BaseURL
	name, self := "Health and care events", base+feedURL(place.Slug, theme.Slug)
	if place.Name != "" {
		name += " in " + place.Name
	}
	if theme.Name != "" {
		name += ": " + theme.Name
	}
	web.WriteBody(w, r, http.StatusOK, calendarType, []byte(Calendar(evs, CalendarInfo{Name: name, URL: self, BaseURL: base})))
	return nil
}
