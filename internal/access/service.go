package access

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/geography"
	"github.com/joinedup/joinedup/internal/places"
)

// ErrNoSuchService is returned for a what-if naming no active GP practice
// or pharmacy.
var ErrNoSuchService = errors.New("no active GP practice or pharmacy has that code")

// Service computes the figures from the directory and the areas.
type Service struct {
	d      *db.DB
	dir    *directory.Store
	places *places.Store
	geo    geography.Cache

	mu   sync.Mutex
	snap *snapshot
	// lsoaOf remembers the LSOA found for each postcode's position, so a
	// new snapshot tests only the postcodes that are new or have moved.
	lsoaOf map[string]lsoaMemo
}

// NewService returns a Service on the database d.
func NewService(d *db.DB) *Service {
	return &Service{d: d, dir: directory.NewStore(d), places: places.NewStore(d), lsoaOf: map[string]lsoaMemo{}}
}

type lsoaMemo struct {
	at   directory.Point
	code string // the postcode file's LSOA
	ix   *geography.Index
	lsoa int
}

// snapshot is the directory's postcodes as of one write generation of the
// database, each geographic one with its LSOA and share of its
// population.
type snapshot struct {
	gen        uint64
	ix         *geography.Index
	all        []directory.PostcodePoint
	byPostcode map[string]int        // into all
	byArea     map[string][]postcode // geographic postcodes by local authority
}

// snapshot returns the postcodes of the database's current generation:
// the directory changes them only through writes, which move it.
func (s *Service) snapshot(ctx context.Context) (*snapshot, error) {
	ix, err := s.geo.Index(ctx, s.d)
	if err != nil {
		return nil, err
	}
	gen := s.d.Generation()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snap != nil && s.snap.gen == gen && s.snap.ix == ix {
		return s.snap, nil
	}
	all, err := s.dir.AccessPostcodes(ctx)
	if err != nil {
		return nil, err
	}
	sn := &snapshot{gen: gen, ix: ix, all: all, byPostcode: make(map[string]int, len(all)), byArea: map[string][]postcode{}}
	counts := make([]int, len(ix.LSOAs))
	geo := make([]postcode, 0, len(all))
	for i := range all {
		p := &all[i]
		sn.byPostcode[p.Postcode] = i
		if !Geographic(*p) {
			continue
		}
		pc := postcode{PostcodePoint: p, lsoa: s.lsoaFor(ix, p)}
		if pc.lsoa >= 0 {
			counts[pc.lsoa]++
		}
		geo = append(geo, pc)
	}
	for _, pc := range geo {
		if pc.lsoa >= 0 {
			pc.share = float64(ix.LSOAs[pc.lsoa].Population) / float64(counts[pc.lsoa])
		}
		sn.byArea[pc.AreaCode] = append(sn.byArea[pc.AreaCode], pc)
	}
	s.snap = sn
	return sn, nil
}

// lsoaFor is the postcode's LSOA: the one the postcode file gives, else
// the one whose boundary holds its point, else the nearest.
func (s *Service) lsoaFor(ix *geography.Index, p *directory.PostcodePoint) int {
	if m, ok := s.lsoaOf[p.Postcode]; ok && m.ix == ix && m.at == p.Point && m.code == p.LSOACode {
		return m.lsoa
	}
	i, ok := -1, false
	if p.LSOACode != "" {
		i, ok = ix.LSOAByCode(p.LSOACode)
	}
	if !ok {
		i = ix.LSOAAt(geography.Point{Lat: p.Lat, Lon: p.Lon})
	}
	s.lsoaOf[p.Postcode] = lsoaMemo{at: p.Point, code: p.LSOACode, ix: ix, lsoa: i}
	return i
}

// services reads the active GP practices and pharmacies, with the ward of
// each one's postcode.
func (s *Service) services(ctx context.Context, sn *snapshot) ([]Point, error) {
	aps, err := s.dir.AccessPoints(ctx, termIDs[:]...)
	if err != nil {
		return nil, err
	}
	out := make([]Point, len(aps))
	for i, ap := range aps {
		out[i] = Point{AccessPoint: ap}
		if ap.TermID == termIDs[GPPractice] {
			out[i].Kind = GPPractice
		}
		if j, ok := sn.byPostcode[ap.Postcode]; ok {
			out[i].WardCode = sn.all[j].WardCode
		}
	}
	return out, nil
}

// nearestOf indexes the positions of the services of each kind, leaving
// out those for which skip is true, and returns the services in the order
// of the indexes' positions.
func nearestOf(pts []Point, skip func(Point) bool) ([kinds]*nearest, [kinds][]Point) {
	var pos [kinds][]directory.Point
	var of [kinds][]Point
	for _, p := range pts {
		if skip == nil || !skip(p) {
			pos[p.Kind] = append(pos[p.Kind], p.Point)
			of[p.Kind] = append(of[p.Kind], p)
		}
	}
	var out [kinds]*nearest
	for k := range kinds {
		out[k] = newNearest(pos[k])
	}
	return out, of
}

// distinct keeps the first position of each service of each kind, for
// counting services rather than locations.
func distinct(pts []Point) []Point {
	seen := map[string]bool{}
	var out []Point
	for _, p := range pts {
		key := p.ServiceID + "\x00" + p.TermID
		if !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

// PlaceView is a place's figures, and what they would be without one
// service when a what-if asks.
type PlaceView struct {
	Place  places.Place
	Wards  []WardFigures
	Totals Totals
	// Services are the GP practices and pharmacies listed in the place or
	// in its wards.
	Services []Point
	// Nearby are all services within the place's map.
	Nearby []Point
	LSOAs  []geography.LSOA // of the place's local authority

	// Without is the service a what-if takes away; Before are the figures
	// with it.
	Without      *Point
	Before       []WardFigures
	BeforeTotals Totals
}

// Place computes the figures of the place, taking away the service with
// the code without (an ODS code or a service id) when it is not "".
func (s *Service) Place(ctx context.Context, p places.Place, without string) (PlaceView, error) {
	sn, err := s.snapshot(ctx)
	if err != nil {
		return PlaceView{}, err
	}
	pts, err := s.services(ctx, sn)
	if err != nil {
		return PlaceView{}, err
	}
	wards := sn.ix.WardsIn(p.AreaCode)
	pcs := sn.byArea[p.AreaCode]
	v := PlaceView{Place: p}
	inPlace := map[string]bool{}
	for _, w := range wards {
		inPlace[w.Code] = true
	}
	box := geography.Shape(nil).Bounds()
	for _, w := range wards {
		box = box.Union(w.Shape.Bounds())
	}
	for _, pt := range distinct(pts) {
		if inPlace[pt.WardCode] || (p.ID != 0 && pt.PlaceID == p.ID) {
			v.Services = append(v.Services, pt)
		}
		if box.Contains(geography.Point{Lat: pt.Lat, Lon: pt.Lon}) {
			v.Nearby = append(v.Nearby, pt)
		}
	}
	for _, l := range sn.ix.LSOAs {
		if l.AreaCode == p.AreaCode {
			v.LSOAs = append(v.LSOAs, l)
		}
	}
	counted := distinct(pts)
	near, positions := nearestOf(pts, nil)
	d := measureAll(pcs, near)
	if without == "" {
		v.Wards, v.Totals = figures(wards, pcs, d.metres, sn.ix.LSOAs, counted)
		return v, nil
	}
	code := strings.TrimSpace(without)
	var gone *Point
	for i := range pts {
		if strings.EqualFold(pts[i].Code(), code) {
			gone = &pts[i]
			break
		}
	}
	if gone == nil {
		return PlaceView{}, fmt.Errorf("access: without %q: %w", code, ErrNoSuchService)
	}
	v.Without = gone
	v.Before, v.BeforeTotals = figures(wards, pcs, d.metres, sn.ix.LSOAs, counted)
	isGone := func(p Point) bool { return p.ServiceID == gone.ServiceID && p.Kind == gone.Kind }
	remaining := counted[:0:0]
	for _, c := range counted {
		if !isGone(c) {
			remaining = append(remaining, c)
		}
	}
	// Only the postcodes whose nearest was the service taken away move.
	k := gone.Kind
	after, _ := nearestOf(pts, isGone)
	moved := d.metres
	moved[k] = slices.Clone(d.metres[k])
	for i, j := range d.nearest[k] {
		if j >= 0 && isGone(positions[k][j]) {
			_, moved[k][i] = after[k].find(pcs[i].Point)
		}
	}
	v.Wards, v.Totals = figures(wards, pcs, moved, sn.ix.LSOAs, remaining)
	return v, nil
}

// PlaceTotals are one place's totals, for the system's comparison.
type PlaceTotals struct {
	Place  places.Place
	Wards  int
	Core20 int // wards
	Totals
}

// System computes every place's totals.
func (s *Service) System(ctx context.Context) ([]PlaceTotals, Totals, error) {
	list, err := s.places.List(ctx)
	if err != nil {
		return nil, Totals{}, err
	}
	sn, err := s.snapshot(ctx)
	if err != nil {
		return nil, Totals{}, err
	}
	pts, err := s.services(ctx, sn)
	if err != nil {
		return nil, Totals{}, err
	}
	near, _ := nearestOf(pts, nil)
	counted := distinct(pts)
	var out []PlaceTotals
	var allWards []geography.Ward
	var allPcs []postcode
	var allDist [kinds][]float64
	for _, p := range list {
		wards := sn.ix.WardsIn(p.AreaCode)
		if len(wards) == 0 {
			continue
		}
		pcs := sn.byArea[p.AreaCode]
		d := measureAll(pcs, near)
		allWards = append(allWards, wards...)
		allPcs = append(allPcs, pcs...)
		for k := range kinds {
			allDist[k] = append(allDist[k], d.metres[k]...)
		}
		wf, tot := figures(wards, pcs, d.metres, sn.ix.LSOAs, counted)
		pt := PlaceTotals{Place: p, Wards: len(wards), Totals: tot}
		for _, w := range wf {
			if w.Core20 {
				pt.Core20++
			}
		}
		out = append(out, pt)
	}
	_, all := figures(allWards, allPcs, allDist, sn.ix.LSOAs, counted)
	return out, all, nil
}
