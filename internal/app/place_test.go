package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"

	"golang.org/x/net/html"
)

func TestSouthwarkPlacePage(t *testing.T) {
	s := newTestSite(t)
	s.dropSampleMeeting()
	doc := s.page("/in-your-area/southwark")

	h1 := find(doc, tag("h1"))
	if len(h1) != 1 || textOf(h1[0]) != "Partnership Southwark" {
		t.Fatalf("want one h1 'Partnership Southwark', got %d", len(h1))
	}

	// The five sections come in the seed page's order.
	main := find(doc, tag("main"))[0]
	var order []string
	for _, h2 := range find(main, tag("h2")) {
		order = append(order, attr(h2, "id"))
	}
	if got := strings.Join(order, ","); got != "figures,partners,socials,feed,boards" {
		t.Errorf("h2 sections in order %q, want figures,partners,socials,feed,boards", got)
	}
	purpose := textOf(main)
	for _, aim := range []string{"better join up services and support", "tackle the causes of inequality",
		"improve the health and wellbeing of Southwark residents"} {
		if !strings.Contains(purpose, aim) {
			t.Errorf("aim %q missing", aim)
		}
	}
	if i, j := strings.Index(purpose, "tackle the causes of inequality"), strings.Index(purpose, "Southwark in figures"); i < 0 || i > j {
		t.Errorf("the aims should come before the figures")
	}

	// Figures: population typed in with its source; counts derived.
	figs := figures(t, doc)
	want := map[string]string{"Population": "319,610", "GP practices": "33", "Pharmacies": "57"}
	for label, value := range want {
		if figs[label] != value {
			t.Errorf("figure %q = %q, want %q", label, figs[label], value)
		}
	}
	figText := textOf(section(t, doc, "figures"))
	if !strings.Contains(figText, "Population: Partnership Southwark's page on the South East London ICS website, May 2025") {
		t.Errorf("population source not shown: %q", figText)
	}

	// Partners: at least eight real organisations, each an absolute link.
	partners := find(section(t, doc, "partners"), tag("a"))
	if len(partners) < 8 {
		t.Fatalf("want at least 8 partner links, got %d", len(partners))
	}
	seen := map[string]bool{}
	for _, a := range partners {
		u, err := url.Parse(attr(a, "href"))
		if err != nil || u.Scheme != "https" || u.Host == "" {
			t.Errorf("partner %q has link %q, want an https URL", textOf(a), attr(a, "href"))
		}
		seen[textOf(a)] = true
	}
	for _, name := range []string{"Southwark Council", "Guy's and St Thomas' NHS Foundation Trust",
		"King's College Hospital NHS Foundation Trust", "South London and Maudsley NHS Foundation Trust", "Community Southwark"} {
		if !seen[name] {
			t.Errorf("partner %q missing", name)
		}
	}
	if socials := find(section(t, doc, "socials"), tag("a")); len(socials) == 0 {
		t.Error("no social accounts shown")
	}

	// The feed: the three seeded items, newest first, with exact dates.
	cards := find(section(t, doc, "feed"), hasClass("nhsuk-card"))
	wantCards := []struct{ label, title, href, when string }{
		{"Event", "Partnership Southwark Strategic Board – 22 May 2025", "/events/partnership-southwark-strategic-board-22-may-2025", "22 May 2025, 1.30pm to 4.30pm"},
		{"Story", "Supporting patients to manage their lung conditions", "/news/supporting-patients-to-manage-their-lung-conditions", "27 March 2025"},
		{"News", "Celebrating success at the HSJ Awards 2024", "/news/celebrating-success-at-the-hsj-awards-2024", "22 November 2024"},
	}
	if len(cards) != len(wantCards) {
		t.Fatalf("want %d cards, got %d", len(wantCards), len(cards))
	}
	for i, w := range wantCards {
		c := cards[i]
		if got := textOf(find(c, hasClass("nhsuk-tag"))[0]); got != w.label {
			t.Errorf("card %d label %q, want %q", i, got, w.label)
		}
		link := find(c, hasClass("nhsuk-card__link"))[0]
		if textOf(link) != w.title || attr(link, "href") != w.href {
			t.Errorf("card %d links %q to %q, want %q to %q", i, textOf(link), attr(link, "href"), w.title, w.href)
		}
		if got := textOf(find(c, tag("time"))[0].Parent); got != w.when {
			t.Errorf("card %d date %q, want %q", i, got, w.when)
		}
		// Every card leads to a page that exists.
		if res, _ := s.get(w.href); res.StatusCode != http.StatusOK {
			t.Errorf("card %d: GET %s = %d", i, w.href, res.StatusCode)
		}
	}
}

func TestSeededItemPages(t *testing.T) {
	s := newTestSite(t)
	tests := []struct {
		path string
		want []string
	}{
		{"/events/partnership-southwark-strategic-board-22-may-2025",
			[]string{"Partnership Southwark Strategic Board – 22 May 2025", "Thursday 22 May 2025", "1.30pm to 4.30pm", "Partnership Southwark"}},
		{"/news/supporting-patients-to-manage-their-lung-conditions",
			[]string{"Supporting patients to manage their lung conditions", "27 March 2025", "“I’ve now spoken to the non-smoking team and hope to get over that with their help.”", "Ralf Nicholson, local resident"}},
		{"/news/celebrating-success-at-the-hsj-awards-2024",
			[]string{"Celebrating success at the HSJ Awards 2024", "22 November 2024"}},
		{"/", []string{"South East London", "Bexley", "Bromley", "Greenwich", "Lambeth", "Lewisham", "Southwark"}},
		{"/in-your-area/", []string{"Bexley Wellbeing Partnership", "One Bromley", "Healthier Greenwich Partnership", "Lambeth Together", "Lewisham Health and Care Partnership", "Partnership Southwark"}},
		{"/about/data", []string{"Open Government Licence v3.0", "Contains OS data © Crown copyright and database right 2025", "Southwark: 319,610",
			"The 35,072 postcodes of Bexley, Bromley, Greenwich, Lambeth, Lewisham and Southwark", "Patients Registered at a GP Practice",
			"Source: Office for National Statistics licensed under the Open Government Licence v3.0"}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			text := textOf(s.page(tt.path))
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s does not show %q", tt.path, w)
				}
			}
		})
	}
}

func TestPlacesListLinksEveryPlace(t *testing.T) {
	s := newTestSite(t)
	links := find(s.page("/in-your-area/"), hasClass("nhsuk-card__link"))
	if len(links) != 6 {
		t.Fatalf("want 6 places, got %d", len(links))
	}
	for _, a := range links {
		if res, _ := s.get(attr(a, "href")); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", attr(a, "href"), res.StatusCode)
		}
	}
}

func TestNotFound(t *testing.T) {
	s := newTestSite(t)
	for _, path := range []string{"/nowhere", "/in-your-area/atlantis", "/news/no-such-post", "/events/no-such-event", "/static/app.css"} {
		res, body := s.get(path)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
		}
		if path != "/static/app.css" && !strings.Contains(body, "Page not found") {
			t.Errorf("GET %s: 404 page not shown", path)
		}
	}
}

func TestHealthz(t *testing.T) {
	s := newTestSite(t)
	res, body := s.get("/healthz")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Fatalf("healthz = %d %s", res.StatusCode, body)
	}
	s.db.Close()
	if res, _ := s.get("/healthz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("healthz with the database closed = %d, want 503", res.StatusCode)
	}
}

// The GP practice and pharmacy figures are counts of active records, so
// they follow the records as soon as they change.
func TestFiguresAreDerivedFromRecords(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	southwark, err := places.NewStore(s.db).BySlug(ctx, "southwark")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		return saveODS(ctx, q, directory.ODSRecord{Code: "FTEST1", Name: "TEST PHARMACY", Postcode: "SE1 7EH", Status: "A"},
			directory.TermPharmacy, southwark.ID)
	}); err != nil {
		t.Fatal(err)
	}
	if got := figures(t, s.page("/in-your-area/southwark"))["Pharmacies"]; got != "58" {
		t.Errorf("after adding a pharmacy: %s, want 58", got)
	}
	// A record that closes is no longer counted.
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		if err := saveODS(ctx, q, directory.ODSRecord{Code: "FTEST1", Name: "TEST PHARMACY", Status: "C"}, directory.TermPharmacy, southwark.ID); err != nil {
			return err
		}
		return saveODS(ctx, q, directory.ODSRecord{Code: "G85138", Name: "ALBION STREET GROUP PRACTICE", Status: "C"}, directory.TermGPPractice, southwark.ID)
	}); err != nil {
		t.Fatal(err)
	}
	figs := figures(t, s.page("/in-your-area/southwark"))
	if figs["Pharmacies"] != "57" || figs["GP practices"] != "32" {
		t.Errorf("after closing one of each: %v, want 57 pharmacies and 32 GP practices", figs)
	}
}

// A second place shows only its own figures, partners and items.
func TestSecondPlaceShowsOnlyItsOwnContent(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	err := s.db.Tx(ctx, func(q db.Querier) error {
		ps := places.NewStore(q)
		sys, err := ps.System(ctx)
		if err != nil {
			return err
		}
		id, err := ps.Create(ctx, places.Place{SystemID: sys.ID, Slug: "testham", Name: "Testham", PartnershipName: "Testham Together",
			Figures:  []places.Figure{{Key: "population", Label: "Population", Value: 1234, SourceName: "Test census", AsOf: "2024"}},
			Partners: []places.Partner{{Name: "Testham Council", URL: "https://testham.example"}},
		}, 99)
		if err != nil {
			return err
		}
		for _, code := range []string{"TGP1", "TGP2"} {
			if err := saveODS(ctx, q, directory.ODSRecord{Code: code, Name: "TESTHAM SURGERY " + code, Status: "A"}, directory.TermGPPractice, id); err != nil {
				return err
			}
		}
		if _, err := news.NewStore(q).Create(ctx, news.Post{Kind: news.KindNews, Slug: "testham-opens", Title: "Testham hub opens",
			PublishedAt: time.Now().Add(-time.Hour), PlaceIDs: []int64{id}}); err != nil {
			return err
		}
		_, err = events.NewStore(q).Create(ctx, events.Event{Slug: "testham-fair", Title: "Testham health fair",
			StartsAt: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC), EndsAt: time.Date(2025, 6, 1, 11, 0, 0, 0, time.UTC), PlaceIDs: []int64{id}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	doc := s.page("/in-your-area/testham")
	figs := figures(t, doc)
	// The directory holds no pharmacy for Testham: no figure, rather than
	// a 0 it cannot vouch for.
	if _, shown := figs["Pharmacies"]; figs["Population"] != "1,234" || figs["GP practices"] != "2" || shown {
		t.Errorf("Testham figures = %v, want its population and 2 GP practices, and no pharmacy figure", figs)
	}
	if n := len(find(doc, func(n *html.Node) bool {
		return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/directory")
	})); n != 1 {
		t.Errorf("the Testham page has %d links to the directory, want 1 (its GP practices)", n)
	}
	if got := textOf(section(t, doc, "partners")); strings.Contains(got, "Southwark") || !strings.Contains(got, "Testham Council") {
		t.Errorf("Testham partners = %q", got)
	}
	feed := textOf(section(t, doc, "feed"))
	if !strings.Contains(feed, "Testham hub opens") || !strings.Contains(feed, "Testham health fair") || strings.Contains(feed, "Southwark") {
		t.Errorf("Testham feed = %q", feed)
	}
	// And Southwark's page does not pick up Testham's items.
	sw := textOf(s.page("/in-your-area/southwark"))
	if strings.Contains(sw, "Testham") {
		t.Error("Southwark page shows Testham content")
	}
	if figures(t, s.page("/in-your-area/southwark"))["GP practices"] != "33" {
		t.Error("Southwark's GP practice count changed")
	}
}

// The key figures and the feed are the same whether served from the page
// cache or freshly rendered; this checks the cache keeps nothing stale
// across an edit made through a store.
func TestEditShowsAtOnce(t *testing.T) {
	s := newTestSite(t)
	ctx := context.Background()
	_ = s.page("/in-your-area/southwark") // fill the cache
	sw, err := places.NewStore(s.db).BySlug(ctx, "southwark")
	if err != nil {
		t.Fatal(err)
	}
	if err := places.NewStore(s.db).SetFigure(ctx, sw.ID, places.Figure{Key: "population", Label: "Population", Value: 320001,
		SourceName: "ONS mid-year estimate", AsOf: "mid-2024"}); err != nil {
		t.Fatal(err)
	}
	doc := s.page("/in-your-area/southwark")
	if got := figures(t, doc)["Population"]; got != "320,001" {
		t.Errorf("population after edit = %s, want 320,001", got)
	}
	if !strings.Contains(textOf(doc), "ONS mid-year estimate, mid-2024") {
		t.Error("new population source not shown")
	}
}

// saveODS stores an ODS record as the seed does.
func saveODS(ctx context.Context, q db.Querier, r directory.ODSRecord, term directory.TaxonomyTerm, placeID int64) error {
	org, svc := r.Graph(term, placeID, db.Now())
	st := directory.NewStore(q)
	if err := st.SaveOrganization(ctx, org); err != nil {
		return err
	}
	_, err := st.SaveService(ctx, svc)
	return err
}
