package access

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/geography"
)

// The pictures are typed data that the page's template writes as inline
// SVG: areas as paths, services as markers, with a title, a description
// and a legend, scaled to any width by their viewBox.

// Chart is one picture.
type Chart struct {
	ID            string // prefixes the ids of its title, description and pattern
	Title         string
	Desc          string
	Width, Height float64
	Areas         []Area
	Outline       string // path of the place's edge, drawn over the areas
	Markers       []Marker
	Lines         []Line
	Texts         []Text
	Dots          []Dot
	Legend        []LegendItem
}

// Area is a filled region, hatched with light or dark lines when Hatch is
// "light" or "dark".
type Area struct {
	D     string
	Fill  string
	Hatch string
}

// The hatchings: light lines for dark fills, dark lines for light fills.
const (
	lightHatch = "light"
	darkHatch  = "dark"
)

// Marker is a service on a map: a circle (pharmacy), a square (GP
// practice) or a cross (the service a what-if takes away), as path data.
type Marker struct {
	D     string
	Shape string
}

// markerPath draws a marker's shape at x, y.
func markerPath(shape string, x, y float64) string {
	f := func(v float64) string { return strconv.FormatFloat(round(v, 1), 'f', -1, 64) }
	switch shape {
	case "square":
		return "M" + f(x-4) + " " + f(y-4) + "h8v8h-8Z"
	case "cross":
		return "M" + f(x-7) + " " + f(y-7) + "L" + f(x+7) + " " + f(y+7) + "M" + f(x+7) + " " + f(y-7) + "L" + f(x-7) + " " + f(y+7)
	}
	return "M" + f(x-4.5) + " " + f(y) + "a4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0 -9 0Z"
}

// Line is an axis or a tick.
type Line struct{ X1, Y1, X2, Y2 float64 }

// Text is an axis label.
type Text struct {
	X, Y   float64
	Anchor string // start, middle, end
	Text   string
}

// Dot is a ward on the scatter: filled when it is a Core20 ward.
type Dot struct {
	X, Y, R float64
	Filled  bool
}

// LegendItem is a swatch (a colour, hatched or not, or a marker shape)
// and what it stands for.
type LegendItem struct {
	Fill   string
	Hatch  string
	Shape  string // "" for a colour swatch
	Filled bool   // for a dot
	Label  string
}

// sequential is five classes of viridis, light (low) to dark (high): the
// order stays clear in greyscale and to colour-blind readers.
var sequential = []string{"#fde725", "#5ec962", "#21918c", "#3b528b", "#440154"}

// deciles is viridis in ten steps, decile 1 (most deprived) darkest.
var deciles = []string{"#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"}

// projection maps degrees onto the picture: equirectangular, scaled by the
// cosine of the middle latitude so that east and west are not stretched.
type projection struct {
	box     geography.Box
	k, kx   float64
	w, h    float64
	padding float64
}

func newProjection(box geography.Box, width float64) projection {
	const pad = 8
	mid := (box.MinLat + box.MaxLat) / 2
	kx := math.Cos(mid * math.Pi / 180)
	spanX := (box.MaxLon - box.MinLon) * kx
	spanY := box.MaxLat - box.MinLat
	if spanX <= 0 || spanY <= 0 {
		spanX, spanY = 1, 1
	}
	k := (width - 2*pad) / spanX
	return projection{box: box, k: k, kx: kx, w: width, h: math.Ceil(spanY*k + 2*pad), padding: pad}
}

func (p projection) xy(pt geography.Point) (float64, float64) {
	return round((pt.Lon-p.box.MinLon)*p.kx*p.k+p.padding, 1), round((p.box.MaxLat-pt.Lat)*p.k+p.padding, 1)
}

// path writes a shape as SVG path data, leaving out points closer than
// half a unit to the last one kept (invisible at any size the page shows).
func (p projection) path(s geography.Shape) string {
	var b strings.Builder
	for _, poly := range s {
		for _, r := range poly {
			lx, ly := math.Inf(1), math.Inf(1)
			n := 0
			for i, pt := range r {
				x, y := p.xy(pt)
				if i > 0 && i < len(r)-1 && math.Abs(x-lx)+math.Abs(y-ly) < 0.5 {
					continue
				}
				if n == 0 {
					b.WriteByte('M')
				} else {
					b.WriteByte('L')
				}
				b.WriteString(strconv.FormatFloat(x, 'f', -1, 64))
				b.WriteByte(' ')
				b.WriteString(strconv.FormatFloat(y, 'f', -1, 64))
				lx, ly = x, y
				n++
			}
			b.WriteByte('Z')
		}
	}
	return b.String()
}

// measure is a ward figure a map can be shaded by.
type measure struct {
	Key, Label string
	value      func(WardFigures) *float64
	format     func(float64) string
}

func metres(v float64) string { return strconv.Itoa(int(math.Round(v))) + " m" }
func percent(v float64) string {
	return strconv.FormatFloat(v*100, 'f', 0, 64) + "%"
}
func score(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func intValue(p *int) *float64 {
	if p == nil {
		return nil
	}
	return ptr(float64(*p))
}

// measures are the choices of the ward map, the first the default.
var measures = []measure{
	{"share_beyond_1km_pharmacy", "Share of postcodes more than 1 km from a pharmacy", func(w WardFigures) *float64 { return w.ShareBeyond1kmPharmacy }, percent},
	{"share_beyond_1km_gp", "Share of postcodes more than 1 km from a GP practice", func(w WardFigures) *float64 { return w.ShareBeyond1kmGP }, percent},
	{"median_metres_to_pharmacy", "Median distance to the nearest pharmacy", func(w WardFigures) *float64 { return intValue(w.MedianMetresToPharmacy) }, metres},
	{"median_metres_to_gp", "Median distance to the nearest GP practice", func(w WardFigures) *float64 { return intValue(w.MedianMetresToGP) }, metres},
	{"imd_score", "Deprivation (IMD 2019 score, population-weighted)", func(w WardFigures) *float64 { return w.IMDScore }, score},
	{"most_deprived_20pc_share", "Share of people in England's most deprived 20% of areas", func(w WardFigures) *float64 { return w.MostDeprived20pcShare }, percent},
}

func measureByKey(key string) (measure, bool) {
	for _, m := range measures {
		if m.Key == key {
			return m, true
		}
	}
	return measure{}, false
}

// classes splits the values' range into five equal steps.
func classes(values []float64) (lo, step float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if math.IsInf(lo, 0) {
		return 0, 1
	}
	step = (hi - lo) / float64(len(sequential))
	if step == 0 {
		step = 1
	}
	return lo, step
}

func classOf(v, lo, step float64) int {
	c := int((v - lo) / step)
	return max(0, min(len(sequential)-1, c))
}

// noData is the fill of a ward without a figure: light grey, hatched.
const noData = "#d8dde0"

// wardMap shades the place's wards by m, with its services as markers.
func wardMap(v PlaceView, m measure) Chart {
	box := geography.Shape(nil).Bounds()
	for _, w := range v.Wards {
		box = box.Union(w.geo.Shape.Bounds())
	}
	pr := newProjection(box, 600)
	c := Chart{ID: "ward-map", Width: pr.w, Height: pr.h}
	var vals []float64
	for _, w := range v.Wards {
		if x := m.value(w); x != nil {
			vals = append(vals, *x)
		}
	}
	lo, step := classes(vals)
	for _, w := range v.Wards {
		a := Area{D: pr.path(w.geo.Shape), Fill: noData, Hatch: darkHatch}
		if x := m.value(w); x != nil {
			a = Area{D: a.D, Fill: sequential[classOf(*x, lo, step)]}
		}
		c.Areas = append(c.Areas, a)
	}
	for i, col := range sequential {
		from, to := lo+float64(i)*step, lo+float64(i+1)*step
		c.Legend = append(c.Legend, LegendItem{Fill: col, Label: m.format(from) + " to " + m.format(to)})
	}
	if len(vals) < len(v.Wards) {
		c.Legend = append(c.Legend, LegendItem{Fill: noData, Hatch: darkHatch, Label: "no figure"})
	}
	var pharmacies, gps int
	for _, s := range v.Nearby {
		if v.Without != nil && s.ServiceID == v.Without.ServiceID {
			continue
		}
		x, y := pr.xy(geography.Point{Lat: s.Lat, Lon: s.Lon})
		shape := "circle"
		if s.Kind == GPPractice {
			shape = "square"
			gps++
		} else {
			pharmacies++
		}
		c.Markers = append(c.Markers, Marker{D: markerPath(shape, x, y), Shape: shape})
	}
	c.Legend = append(c.Legend, LegendItem{Shape: "circle", Label: "pharmacy"}, LegendItem{Shape: "square", Label: "GP practice"})
	c.Title = "Map of " + v.Place.Name + "'s wards: " + strings.ToLower(m.Label[:1]) + m.Label[1:]
	c.Desc = fmt.Sprintf("%d wards of %s, each shaded by %s, in five equal steps from %s (lightest) to %s (darkest). "+
		"%d pharmacies (circles) and %d GP practices (squares) in and near the borough are marked.",
		len(v.Wards), v.Place.Name, strings.ToLower(m.Label[:1])+m.Label[1:], m.format(lo), m.format(lo+5*step), pharmacies, gps)
	if v.Without != nil {
		x, y := pr.xy(geography.Point{Lat: v.Without.Lat, Lon: v.Without.Lon})
		c.Markers = append(c.Markers, Marker{D: markerPath("cross", x, y), Shape: "cross"})
		c.Legend = append(c.Legend, LegendItem{Shape: "cross", Label: "the " + v.Without.Kind.Label() + " taken away"})
		c.Desc += " A cross marks " + v.Without.Name + ", taken away in this what-if; the shading shows the wards without it."
	}
	if hi := highest(v.Wards, m); hi != "" {
		c.Desc += " Highest: " + hi + "."
	}
	return c
}

// highest names the ward with the highest value of m and the value.
func highest(ws []WardFigures, m measure) string {
	best, name := math.Inf(-1), ""
	for _, w := range ws {
		if x := m.value(w); x != nil && *x > best {
			best, name = *x, w.WardName+" ("+m.format(*x)+")"
		}
	}
	return name
}

// lsoaMap shades the place's LSOAs by IMD 2019 decile, hatching the
// Core20 ones.
func lsoaMap(v PlaceView) Chart {
	box := geography.Shape(nil).Bounds()
	for _, l := range v.LSOAs {
		box = box.Union(l.Shape.Bounds())
	}
	pr := newProjection(box, 600)
	c := Chart{ID: "lsoa-map", Width: pr.w, Height: pr.h}
	counts := make([]int, 10)
	for _, l := range v.LSOAs {
		a := Area{D: pr.path(l.Shape), Fill: deciles[l.IMDDecile-1]}
		if l.Core20() {
			a.Hatch = lightHatch
		}
		c.Areas = append(c.Areas, a)
		counts[l.IMDDecile-1]++
	}
	for d, col := range deciles {
		label := fmt.Sprintf("decile %d (%d areas)", d+1, counts[d])
		switch d {
		case 0:
			label = fmt.Sprintf("decile 1, most deprived 10%% in England (%d areas)", counts[d])
		case 9:
			label = fmt.Sprintf("decile 10, least deprived 10%% (%d areas)", counts[d])
		}
		item := LegendItem{Fill: col, Label: label}
		if d < 2 {
			item.Hatch = lightHatch
		}
		c.Legend = append(c.Legend, item)
	}
	c.Title = "Map of " + v.Place.Name + "'s neighbourhoods (2011 LSOAs) by deprivation decile, IMD 2019"
	c.Desc = fmt.Sprintf("%d neighbourhoods (LSOAs) of %s shaded by their national IMD 2019 decile, darkest the most deprived. "+
		"%d of them are among England's most deprived 20%% (deciles 1 and 2, NHS England's Core20) and are also hatched.",
		len(v.LSOAs), v.Place.Name, counts[0]+counts[1])
	return c
}

// scatter plots each ward's deprivation against its share of postcodes
// beyond 1 km of k, each dot sized by population, Core20 wards filled.
func scatter(v PlaceView, k Kind) Chart {
	const w, h, left, right, top, bottom = 400.0, 300.0, 44.0, 12.0, 12.0, 40.0
	c := Chart{ID: "scatter-" + strconv.Itoa(int(k)), Width: w, Height: h}
	maxX, maxY, maxPop := 10.0, 0.1, 1
	for _, wf := range v.Wards {
		if wf.IMDScore != nil {
			maxX = math.Max(maxX, *wf.IMDScore)
		}
		if s := wf.Share(k); s != nil {
			maxY = math.Max(maxY, *s)
		}
		maxPop = max(maxPop, wf.Population)
	}
	maxX = math.Ceil(maxX/10) * 10
	maxY = math.Min(1, math.Ceil(maxY*10)/10)
	px := func(x float64) float64 { return round(left+x/maxX*(w-left-right), 1) }
	py := func(y float64) float64 { return round(h-bottom-y/maxY*(h-top-bottom), 1) }
	c.Lines = append(c.Lines, Line{left, h - bottom, w - right, h - bottom}, Line{left, top, left, h - bottom})
	for x := 0.0; x <= maxX+1e-9; x += 10 {
		c.Lines = append(c.Lines, Line{px(x), h - bottom, px(x), h - bottom + 4})
		c.Texts = append(c.Texts, Text{px(x), h - bottom + 16, "middle", strconv.Itoa(int(x))})
	}
	for y := 0.0; y <= maxY+1e-9; y += maxY / 5 {
		c.Lines = append(c.Lines, Line{left - 4, py(y), left, py(y)})
		c.Texts = append(c.Texts, Text{left - 6, py(y) + 4, "end", percent(y)})
	}
	c.Texts = append(c.Texts, Text{(left + w - right) / 2, h - 6, "middle", "deprivation: IMD 2019 score (higher is more deprived)"},
		Text{left + 4, top + 2, "start", "share of postcodes beyond 1 km"})
	var core []string
	for _, wf := range v.Wards {
		s := wf.Share(k)
		if wf.IMDScore == nil || s == nil {
			continue
		}
		r := round(3+9*math.Sqrt(float64(wf.Population)/float64(maxPop)), 1)
		c.Dots = append(c.Dots, Dot{X: px(*wf.IMDScore), Y: py(*s), R: r, Filled: wf.Core20})
		if wf.Core20 {
			core = append(core, wf.WardName)
		}
	}
	c.Legend = []LegendItem{{Shape: "dot", Filled: true, Label: "Core20 ward: half or more of its people live in England's most deprived 20% of areas"},
		{Shape: "dot", Label: "other ward"}}
	c.Title = "Deprivation against distance to a " + k.Label() + ", ward by ward, " + v.Place.Name
	c.Desc = fmt.Sprintf("Each of %s's %d wards is a dot placed by its IMD 2019 score (across) and its share of postcodes more than 1 km from a %s (up), "+
		"larger for more people. Filled dots are Core20 wards", v.Place.Name, len(c.Dots), k.Label())
	if len(core) > 0 {
		c.Desc += ": " + strings.Join(core, ", ") + "."
	} else {
		c.Desc += "; there are none."
	}
	return c
}
