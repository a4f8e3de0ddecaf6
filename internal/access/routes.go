package access

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/web"
)

type handlers struct {
	site *web.Site
	svc  *Service
}

// Mount registers the access pages: each place's, with its CSV and JSON,
// and the comparison of the system's places.
func Mount(site *web.Site, svc *Service) {
	h := handlers{site: site, svc: svc}
	site.Get("/in-your-area/access", h.system)
	site.Get("/in-your-area/{place}/access", h.page)
	site.Get("/in-your-area/{place}/access.csv", h.csv)
	site.Get("/in-your-area/{place}/access.json", h.json)
}

// Path is the access page of the place with the slug.
func Path(slug string) string { return "/in-your-area/" + slug + "/access" }

// PlaceLinks links a place page to its access page, when the areas of its
// borough are held.
func (s *Service) PlaceLinks(ctx context.Context, placeID int64) ([]web.Link, error) {
	p, ok, err := s.placeByID(ctx, placeID)
	if err != nil || !ok {
		return nil, err
	}
	return []web.Link{{Label: "How near is a GP practice or pharmacy? Access and deprivation in " + p.Name + ", ward by ward", Href: Path(p.Slug)}}, nil
}

// ServiceLinks links an active GP practice's or pharmacy's directory page
// to what its closure would change in its place.
func (s *Service) ServiceLinks(ctx context.Context, svc directory.Service) ([]web.Link, error) {
	if svc.Status != directory.StatusActive || svc.PlaceID == 0 {
		return nil, nil
	}
	kind := Kind(-1)
	for _, t := range svc.TermIDs {
		for k := range kinds {
			if t == termIDs[k] {
				kind = k
			}
		}
	}
	for _, t := range svc.Terms {
		for k := range kinds {
			if t.ID == termIDs[k] {
				kind = k
			}
		}
	}
	if kind < 0 {
		return nil, nil
	}
	p, ok, err := s.placeByID(ctx, svc.PlaceID)
	if err != nil || !ok {
		return nil, err
	}
	code := svc.ID
	if svc.Organization != nil && svc.Organization.ODSCode != "" {
		code = svc.Organization.ODSCode
	}
	return []web.Link{{Label: "What if this " + kind.Label() + " closed? Access to " + kind.Plural() + " in " + p.Name,
		Href: Path(p.Slug) + "?without=" + url.QueryEscape(code)}}, nil
}

// placeByID finds a place whose borough's areas are held.
func (s *Service) placeByID(ctx context.Context, id int64) (places.Place, bool, error) {
	list, err := s.places.List(ctx)
	if err != nil {
		return places.Place{}, false, err
	}
	ix, err := s.geo.Index(ctx, s.d)
	if err != nil {
		return places.Place{}, false, err
	}
	for _, p := range list {
		if p.ID == id {
			return p, p.AreaCode != "" && len(ix.WardsIn(p.AreaCode)) > 0, nil
		}
	}
	return places.Place{}, false, nil
}

// view reads the place named in the path and computes its figures, with
// the what-if the query asks for.
func (h handlers) view(r *http.Request) (PlaceView, error) {
	p, err := h.svc.places.BySlug(r.Context(), r.PathValue("place"))
	if err != nil {
		return PlaceView{}, err
	}
	v, err := h.svc.Place(r.Context(), p, r.URL.Query().Get("without"))
	if errors.Is(err, ErrNoSuchService) {
		return PlaceView{}, web.NotFound("No open GP practice or pharmacy in the directory has the code “" +
			r.URL.Query().Get("without") + "”. Check the ODS code, or choose one from the list on the access page.")
	}
	if err != nil {
		return PlaceView{}, err
	}
	if len(v.Wards) == 0 {
		return PlaceView{}, web.NotFound("We do not hold the wards of " + p.Name + ", so cannot show access there.")
	}
	return v, nil
}

// columns are the CSV's, in order.
var columns = []string{"ward_code", "ward_name", "postcodes", "population", "pharmacies", "gp_practices",
	"median_metres_to_pharmacy", "median_metres_to_gp", "share_beyond_1km_pharmacy", "share_beyond_1km_gp",
	"people_beyond_1km_pharmacy", "people_beyond_1km_gp", "imd_score", "most_deprived_20pc_share"}

func intCell(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

func floatCell(p *float64) string {
	if p == nil {
		return ""
	}
	return strconv.FormatFloat(*p, 'f', -1, 64)
}

func (w WardFigures) record() []string {
	return []string{w.WardCode, w.WardName, strconv.Itoa(w.Postcodes), strconv.Itoa(w.Population),
		strconv.Itoa(w.Pharmacies), strconv.Itoa(w.GPPractices), intCell(w.MedianMetresToPharmacy), intCell(w.MedianMetresToGP),
		floatCell(w.ShareBeyond1kmPharmacy), floatCell(w.ShareBeyond1kmGP), strconv.Itoa(w.PeopleBeyond1kmPharmacy),
		strconv.Itoa(w.PeopleBeyond1kmGP), floatCell(w.IMDScore), floatCell(w.MostDeprived20pcShare)}
}

func (h handlers) csv(w http.ResponseWriter, r *http.Request) error {
	v, err := h.view(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(columns)
	for _, wf := range v.Wards {
		_ = cw.Write(wf.record())
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	web.WriteBody(w, r, http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	return nil
}

// jsonDoc is the JSON form of a place's figures.
type jsonDoc struct {
	Place       string         `json:"place"`
	PlaceName   string         `json:"place_name"`
	AreaCode    string         `json:"area_code"`
	Without     *jsonService   `json:"without,omitempty"`
	Definitions []string       `json:"definitions"`
	Wards       []WardFigures  `json:"wards"`
	Services    []jsonService  `json:"services"`
	Sources     []string       `json:"sources"`
	Totals      map[string]any `json:"totals"`
}

type jsonService struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Kind      string  `json:"kind"`
	WardCode  string  `json:"ward_code"`
	Postcode  string  `json:"postcode"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

func serviceJSON(p Point) jsonService {
	return jsonService{Code: p.Code(), Name: p.Name, Kind: p.Kind.Label(), WardCode: p.WardCode, Postcode: p.Postcode,
		Latitude: p.Lat, Longitude: p.Lon}
}

func totalsJSON(t Totals) map[string]any {
	return map[string]any{"postcodes": t.Postcodes, "population": t.Population,
		"pharmacies": t.Services[Pharmacy], "gp_practices": t.Services[GPPractice],
		"median_metres_to_pharmacy": t.Median[Pharmacy], "median_metres_to_gp": t.Median[GPPractice],
		"share_beyond_1km_pharmacy": t.Share[Pharmacy], "share_beyond_1km_gp": t.Share[GPPractice],
		"postcodes_beyond_1km_pharmacy": t.BeyondPostcodes[Pharmacy], "postcodes_beyond_1km_gp": t.BeyondPostcodes[GPPractice],
		"people_beyond_1km_pharmacy": t.BeyondPeople[Pharmacy], "people_beyond_1km_gp": t.BeyondPeople[GPPractice],
		"imd_score": t.IMDScore, "most_deprived_20pc_share": t.Core20Share}
}

func (h handlers) json(w http.ResponseWriter, r *http.Request) error {
	v, err := h.view(r)
	if err != nil {
		return err
	}
	doc := jsonDoc{Place: v.Place.Slug, PlaceName: v.Place.Name, AreaCode: v.Place.AreaCode, Definitions: Definitions,
		Wards: v.Wards, Sources: Sources, Totals: totalsJSON(v.Totals), Services: []jsonService{}}
	if v.Without != nil {
		s := serviceJSON(*v.Without)
		doc.Without = &s
	}
	for _, s := range v.Services {
		doc.Services = append(doc.Services, serviceJSON(s))
	}
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	web.WriteBody(w, r, http.StatusOK, "application/json", append(body, '\n'))
	return nil
}

// measureOption is a choice of the ward map's form.
type measureOption struct {
	Key, Label string
	Selected   bool
}

// change is what a what-if changes in one ward.
type change struct {
	WardName                      string
	PostcodesBefore, PostcodesNow int64
	PeopleBefore, PeopleNow       int64
}

type accessPage struct {
	View     PlaceView
	Kinds    []Kind
	Measures []measureOption
	Measure  string
	WardMap  Chart
	LSOAMap  Chart
	Scatters []Chart
	// Without is the what-if's code, for the form and the downloads.
	Without    string
	Query      string // "?without=..." or ""
	Changes    []change
	Pharmacies []Point
	GPs        []Point
	Definition []string
	Sources    []string
	Rows       []wardRow
	Total      totalsRow
	// Before is the place's totals with the service a what-if takes away.
	Before totalsRow
	Kind   Kind // of the service taken away
	// What the what-if changes for its kind, across the place.
	KindLabel, KindPlural     string
	BeyondBefore, BeyondNow   int64
	PeopleBefore, PeopleNow   int64
	MorePostcodes, MorePeople int64
	WithoutWard               string
}

func (h handlers) page(w http.ResponseWriter, r *http.Request) error {
	v, err := h.view(r)
	if err != nil {
		return err
	}
	key := r.URL.Query().Get("measure")
	if key == "" {
		key = measures[0].Key
		if v.Without != nil && v.Without.Kind == GPPractice {
			key = "share_beyond_1km_gp"
		}
	}
	m, ok := measureByKey(key)
	if !ok {
		return web.BadRequest("The map cannot be shaded by “" + key + "”. Choose a measure from the list.")
	}
	pg := accessPage{View: v, Kinds: []Kind{Pharmacy, GPPractice}, Measure: m.Key, Definition: Definitions, Sources: Sources}
	for _, o := range measures {
		pg.Measures = append(pg.Measures, measureOption{Key: o.Key, Label: o.Label, Selected: o.Key == m.Key})
	}
	for _, wf := range v.Wards {
		pg.Rows = append(pg.Rows, rowOf(wf))
	}
	pg.Total = totalsRowOf(v.Place.Name, "", v.Totals)
	pg.WardMap = wardMap(v, m)
	pg.LSOAMap = lsoaMap(v)
	pg.Scatters = []Chart{scatter(v, Pharmacy), scatter(v, GPPractice)}
	title := "Access to GP practices and pharmacies in " + v.Place.Name
	path := Path(v.Place.Slug)
	if v.Without != nil {
		pg.Without = v.Without.Code()
		pg.Query = "?without=" + url.QueryEscape(pg.Without)
		k := v.Without.Kind
		pg.Kind = k
		pg.Before = totalsRowOf(v.Place.Name, "", v.BeforeTotals)
		pg.KindLabel, pg.KindPlural = k.Label(), k.Plural()
		pg.BeyondBefore, pg.BeyondNow = int64(v.BeforeTotals.BeyondPostcodes[k]), int64(v.Totals.BeyondPostcodes[k])
		pg.PeopleBefore, pg.PeopleNow = int64(v.BeforeTotals.BeyondPeople[k]), int64(v.Totals.BeyondPeople[k])
		pg.MorePostcodes, pg.MorePeople = pg.BeyondNow-pg.BeyondBefore, pg.PeopleNow-pg.PeopleBefore
		for _, wf := range v.Wards {
			if wf.WardCode == v.Without.WardCode {
				pg.WithoutWard = wf.WardName
			}
		}
		pg.Scatters = []Chart{scatter(v, k)}
		for i, after := range v.Wards {
			before := v.Before[i]
			if before.BeyondPostcodes(k) != after.BeyondPostcodes(k) {
				pg.Changes = append(pg.Changes, change{WardName: after.WardName,
					PostcodesBefore: int64(before.BeyondPostcodes(k)), PostcodesNow: int64(after.BeyondPostcodes(k)),
					PeopleBefore: int64(before.People(k)), PeopleNow: int64(after.People(k))})
			}
		}
		title = "What if " + v.Without.Name + " closed? Access in " + v.Place.Name
	}
	for _, s := range v.Services {
		if s.Kind == Pharmacy {
			pg.Pharmacies = append(pg.Pharmacies, s)
		} else {
			pg.GPs = append(pg.GPs, s)
		}
	}
	byName := func(a, b Point) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	}
	slices.SortFunc(pg.Pharmacies, byName)
	slices.SortFunc(pg.GPs, byName)
	return h.site.Render(w, r, http.StatusOK, "access.html", web.Meta{
		Title:       title,
		Description: "How far each ward's postcodes are from the nearest GP practice and pharmacy in " + v.Place.Name + ", against deprivation (IMD 2019).",
		Path:        path,
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "In your area", Href: "/in-your-area/"},
			{Label: v.Place.DisplayName(), Href: "/in-your-area/" + v.Place.Slug}},
		Header:  web.Link{Label: v.Place.DisplayName(), Href: "/in-your-area/" + v.Place.Slug},
		Forms:   true,
		NoIndex: v.Without != nil,
	}, pg)
}

type systemPage struct {
	Rows    []totalsRow
	AllRow  totalsRow
	Places  []PlaceTotals
	All     Totals
	Kinds   []Kind
	Chart   Chart
	Sources []string
}

func (h handlers) system(w http.ResponseWriter, r *http.Request) error {
	list, all, err := h.svc.System(r.Context())
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return web.NotFound("We do not hold the wards of any place yet.")
	}
	return h.site.Render(w, r, http.StatusOK, "access_system.html", web.Meta{
		Title:       "Access to GP practices and pharmacies across South East London",
		Description: "The six places compared: how many people live more than 1 km from a pharmacy or GP practice, and how deprived their neighbourhoods are.",
		Path:        "/in-your-area/access",
		Breadcrumbs: []web.Crumb{{Label: "Home", Href: "/"}, {Label: "In your area", Href: "/in-your-area/"}},
	}, systemPage{Rows: systemRows(list), AllRow: totalsRowOf("All six places", "", all), Places: list, All: all, Kinds: []Kind{Pharmacy, GPPractice}, Chart: barChart(list), Sources: Sources})
}

// wardRow is a ward's figures as the page's table writes them.
type wardRow struct {
	Code, Name               string
	Postcodes, Population    int64
	Pharmacies, GPs          int64
	MedianPharmacy, MedianGP string
	SharePharmacy, ShareGP   string
	PeoplePharmacy, PeopleGP int64
	BeyondPharmacy, BeyondGP int64
	IMD, Core20Share         string
	Core20                   bool
}

func optMetres(p *int) string {
	if p == nil {
		return "no figure"
	}
	return strconv.Itoa(*p) + " m"
}

func optPercent(p *float64) string {
	if p == nil {
		return "no figure"
	}
	return strconv.FormatFloat(*p*100, 'f', 1, 64) + "%"
}

func optScore(p *float64) string {
	if p == nil {
		return "no figure"
	}
	return strconv.FormatFloat(*p, 'f', 1, 64)
}

func rowOf(w WardFigures) wardRow {
	return wardRow{Code: w.WardCode, Name: w.WardName, Postcodes: int64(w.Postcodes), Population: int64(w.Population),
		Pharmacies: int64(w.Pharmacies), GPs: int64(w.GPPractices),
		MedianPharmacy: optMetres(w.MedianMetresToPharmacy), MedianGP: optMetres(w.MedianMetresToGP),
		SharePharmacy: optPercent(w.ShareBeyond1kmPharmacy), ShareGP: optPercent(w.ShareBeyond1kmGP),
		PeoplePharmacy: int64(w.PeopleBeyond1kmPharmacy), PeopleGP: int64(w.PeopleBeyond1kmGP),
		BeyondPharmacy: int64(w.beyondPostcodes[Pharmacy]), BeyondGP: int64(w.beyondPostcodes[GPPractice]),
		IMD: optScore(w.IMDScore), Core20Share: optPercent(w.MostDeprived20pcShare), Core20: w.Core20}
}

// totalsRow is a place's totals as the pages write them.
type totalsRow struct {
	Name, Href                         string
	Wards, Core20                      int64
	Postcodes, Population              int64
	Pharmacies, GPs                    int64
	MedianPharmacy, MedianGP           string
	SharePharmacy, ShareGP             string
	PeoplePharmacy, PeopleGP           int64
	BeyondPharmacy, BeyondGP           int64
	PeopleSharePharmacy, PeopleShareGP string
	IMD, Core20Share                   string
}

func totalsRowOf(name, href string, t Totals) totalsRow {
	peopleShare := func(n int) string {
		if t.Population == 0 {
			return "no figure"
		}
		return optPercent(ptr(float64(n) / float64(t.Population)))
	}
	return totalsRow{Name: name, Href: href, Postcodes: int64(t.Postcodes), Population: int64(t.Population),
		Pharmacies: int64(t.Services[Pharmacy]), GPs: int64(t.Services[GPPractice]),
		MedianPharmacy: optMetres(t.Median[Pharmacy]), MedianGP: optMetres(t.Median[GPPractice]),
		SharePharmacy: optPercent(t.Share[Pharmacy]), ShareGP: optPercent(t.Share[GPPractice]),
		PeoplePharmacy: int64(t.BeyondPeople[Pharmacy]), PeopleGP: int64(t.BeyondPeople[GPPractice]),
		BeyondPharmacy: int64(t.BeyondPostcodes[Pharmacy]), BeyondGP: int64(t.BeyondPostcodes[GPPractice]),
		PeopleSharePharmacy: peopleShare(t.BeyondPeople[Pharmacy]), PeopleShareGP: peopleShare(t.BeyondPeople[GPPractice]),
		IMD: optScore(t.IMDScore), Core20Share: optPercent(t.Core20Share)}
}

func systemRows(list []PlaceTotals) []totalsRow {
	out := make([]totalsRow, len(list))
	for i, p := range list {
		out[i] = totalsRowOf(p.Place.Name, Path(p.Place.Slug), p.Totals)
		out[i].Wards, out[i].Core20 = int64(p.Wards), int64(p.Core20)
	}
	return out
}
