package places

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/schemaorg"
	"github.com/joinedup/joinedup/internal/web"
)

// Card is one item of a place's "News, stories and events" feed.
type Card struct {
	Label   string // "News", "Story", "Event"
	Status  string // an event's status when it is not going ahead as planned
	Title   string
	Summary string
	URL     string
	Date    time.Time
	End     time.Time
	IsEvent bool
	// Image is the card's image from the media library, or nil.
	Image *media.Item
}

// FeedFunc returns the newest cards for a place, from whichever domains
// publish them.
type FeedFunc func(ctx context.Context, placeID int64, limit int) ([]Card, error)

// ServiceCount is how many services of a kind are open in a place. Known is
// false when the directory holds no records of that kind for the place's
// area, so that it cannot say: the page then leaves the figure out rather
// than show 0.
type ServiceCount struct {
	Open  int
	Known bool
}

// CountsFunc returns the number of open GP practices and pharmacies held
// for a place.
type CountsFunc func(ctx context.Context, placeID int64) (gpPractices, pharmacies ServiceCount, err error)

// feedSize is how many cards a place page shows.
const feedSize = 6

// LinksFunc returns links a place page lists in a section of its own,
// such as the place's boards.
type LinksFunc func(ctx context.Context, placeID int64) ([]web.Link, error)

type handlers struct {
	site   *web.Site
	store  *Store
	feed   FeedFunc
	counts CountsFunc
	boards LinksFunc
	pages  []LinksFunc
}

// Mount registers the place routes: the system's home, the list of places,
// each place's page and the page about the data.
// boards, if not nil, lists the place's boards and other groups that meet
// in public; pages list more of the place's pages from other domains (such
// as access to GP practices and pharmacies), shown with its figures.
func Mount(site *web.Site, store *Store, feed FeedFunc, counts CountsFunc, boards LinksFunc, pages ...LinksFunc) {
	h := handlers{site: site, store: store, feed: feed, counts: counts, boards: boards, pages: pages}
	site.Get("/{$}", h.home)
	site.Get("/in-your-area/{$}", h.list)
	site.Get("/in-your-area", func(w http.ResponseWriter, r *http.Request) error {
		http.Redirect(w, r, "/in-your-area/", http.StatusMovedPermanently)
		return nil
	})
	site.Get("/in-your-area/{place}", h.place)
	site.Get("/about/data", h.aboutData)
	site.AddSitemapSource(h.sitemap)
}

type homePage struct {
	System System
	Places []Place
	// Organization describes the system as schema.org JSON-LD, on the home
	// page.
	Organization schemaorg.Organization
}

func (h handlers) home(w http.ResponseWriter, r *http.Request) error {
	sys, err := h.store.System(r.Context())
	if err != nil {
		return err
	}
	list, err := h.store.List(r.Context())
	if err != nil {
		return err
	}
	return h.site.Render(w, r, http.StatusOK, "home.html", web.Meta{
		Description: sys.Summary,
		Path:        "/",
	}, homePage{System: sys, Places: list,
		Organization: schemaorg.NewOrganization(sys.Name, h.site.Config().BaseURL+"/")})
}

func (h handlers) list(w http.ResponseWriter, r *http.Request) error {
	list, err := h.store.List(r.Context())
	if err != nil {
		return err
	}
	return h.site.Render(w, r, http.StatusOK, "places.html", web.Meta{
		Title:       "In your area",
		Description: "Find the health and care partnership for your borough.",
		Path:        "/in-your-area/",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
	}, homePage{Places: list})
}

// FigureView is a key figure as the place page shows it.
type FigureView struct {
	Label     string
	Value     int64
	Source    string
	SourceURL string
}

type placePage struct {
	Place   Place
	Figures []FigureView
	Cards   []Card
	// Organization describes the partnership as schema.org JSON-LD.
	Organization schemaorg.Organization
	// HasGPPractices and HasPharmacies are true when the directory lists
	// open services of that kind in the place, so the page links to their
	// search.
	HasGPPractices, HasPharmacies bool
	// Boards link to the place's boards that meet in public.
	Boards []web.Link
	// Pages link to more pages about the place, from other domains.
	Pages []web.Link
}

func (h handlers) place(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, err := h.store.BySlug(ctx, r.PathValue("place"))
	if err != nil {
		return err
	}
	page := placePage{Place: p}
	var socials []string
	for _, so := range p.Socials {
		socials = append(socials, so.URL)
	}
	page.Organization = schemaorg.NewOrganization(p.DisplayName(), h.site.Config().BaseURL+"/in-your-area/"+p.Slug, socials...)
	for _, f := range p.Figures {
		src := f.SourceName
		if f.AsOf != "" {
			src += ", " + f.AsOf
		}
		page.Figures = append(page.Figures, FigureView{Label: f.Label, Value: f.Value, Source: src, SourceURL: f.SourceURL})
	}
	gp, pharmacies, err := h.counts(ctx, p.ID)
	if err != nil {
		return err
	}
	if gp.Known {
		page.Figures = append(page.Figures, FigureView{Label: "GP practices", Value: int64(gp.Open),
			Source: "open GP practices in our directory, from NHS Organisation Data Service records"})
	}
	if pharmacies.Known {
		page.Figures = append(page.Figures, FigureView{Label: "Pharmacies", Value: int64(pharmacies.Open),
			Source: "open pharmacies in our directory, from NHS Organisation Data Service records"})
	}
	page.HasGPPractices, page.HasPharmacies = gp.Open > 0, pharmacies.Open > 0
	if page.Cards, err = h.feed(ctx, p.ID, feedSize); err != nil {
		return err
	}
	if h.boards != nil {
		if page.Boards, err = h.boards(ctx, p.ID); err != nil {
			return err
		}
	}
	for _, more := range h.pages {
		links, err := more(ctx, p.ID)
		if err != nil {
			return err
		}
		page.Pages = append(page.Pages, links...)
	}
	return h.site.Render(w, r, http.StatusOK, "place.html", web.Meta{
		Title:       p.DisplayName(),
		Description: p.Summary,
		Path:        "/in-your-area/" + p.Slug,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "In your area", Href: "/in-your-area/"}},
		Header:      web.Link{Label: p.DisplayName(), Href: "/in-your-area/" + p.Slug},
		Alternates: []web.Alternate{{Type: "application/atom+xml", Title: "News and stories in " + p.Name + " (Atom feed)",
			Href: "/feeds/news.xml?place=" + p.Slug}},
	}, page)
}

// SortCards orders cards newest first, as the place page shows them.
func SortCards(cards []Card) {
	sort.SliceStable(cards, func(i, j int) bool { return cards[i].Date.After(cards[j].Date) })
}

type placeFigure struct {
	Place string
	Figure
}

func (h handlers) aboutData(w http.ResponseWriter, r *http.Request) error {
	figures, err := h.store.AllFigures(r.Context())
	if err != nil {
		return err
	}
	return h.site.Render(w, r, http.StatusOK, "about_data.html", web.Meta{
		Title:       "About this data",
		Description: "Where the figures and records on this site come from, and their licences.",
		Path:        "/about/data",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}},
	}, struct{ Figures []placeFigure }{figures})
}
