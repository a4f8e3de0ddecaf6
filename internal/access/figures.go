// Package access measures how near each neighbourhood of a place is to a
// GP practice and a pharmacy, against deprivation: ward by ward, from the
// directory's postcodes and active services and the areas of package
// geography. It serves /in-your-area/{place}/access (with .csv and .json),
// the what-if of a closure (?without=CODE) and the comparison of the
// system's places at /in-your-area/access.
package access

import (
	"math"
	"slices"

	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/geography"
)

// Kind is what access is measured to.
type Kind int

// The kinds of service measured.
const (
	Pharmacy Kind = iota
	GPPractice
	kinds
)

// termIDs are the directory's categories of each kind.
var termIDs = [kinds]string{directory.TermPharmacy.ID, directory.TermGPPractice.ID}

// Label names the kind in a sentence.
func (k Kind) Label() string { return [...]string{"pharmacy", "GP practice"}[k] }

// Plural names several of the kind.
func (k Kind) Plural() string { return [...]string{"pharmacies", "GP practices"}[k] }

// Threshold is the distance beyond which a postcode counts as far from a
// service: 1 km in a straight line.
const Threshold = 1000.0

// nonGeographic are the postcode districts with no homes: PO boxes and
// large users placed at a delivery office.
var nonGeographic = map[string]bool{"SE1P": true, "SW95": true}

// Geographic reports whether a postcode counts: it is not in a
// non-geographic district (SE1P, SW95).
func Geographic(p directory.PostcodePoint) bool { return !nonGeographic[p.District()] }

// postcode is one geographic postcode with what the figures need of it.
type postcode struct {
	*directory.PostcodePoint
	lsoa  int     // index into the geography's LSOAs, -1 for none
	share float64 // of its LSOA's mid-2020 population
}

// WardFigures are one ward's figures, with the names of the CSV's columns.
type WardFigures struct {
	WardCode    string `json:"ward_code"`
	WardName    string `json:"ward_name"`
	Postcodes   int    `json:"postcodes"`
	Population  int    `json:"population"`
	Pharmacies  int    `json:"pharmacies"`
	GPPractices int    `json:"gp_practices"`
	// Medians are in whole metres; nil when the ward has no postcodes or
	// there is no service of the kind.
	MedianMetresToPharmacy  *int     `json:"median_metres_to_pharmacy"`
	MedianMetresToGP        *int     `json:"median_metres_to_gp"`
	ShareBeyond1kmPharmacy  *float64 `json:"share_beyond_1km_pharmacy"`
	ShareBeyond1kmGP        *float64 `json:"share_beyond_1km_gp"`
	PeopleBeyond1kmPharmacy int      `json:"people_beyond_1km_pharmacy"`
	PeopleBeyond1kmGP       int      `json:"people_beyond_1km_gp"`
	IMDScore                *float64 `json:"imd_score"`
	MostDeprived20pcShare   *float64 `json:"most_deprived_20pc_share"`

	// Core20 is true when at least half the ward's people live in LSOAs
	// among England's most deprived 20%.
	Core20 bool `json:"core20"`

	geo *geography.Ward
	// beyond are the ward's postcodes more than 1 km from each kind.
	beyondPostcodes [kinds]int
	people          float64
	beyondPeople    [kinds]float64
}

// Median returns the ward's median distance to k.
func (w WardFigures) Median(k Kind) *int {
	if k == Pharmacy {
		return w.MedianMetresToPharmacy
	}
	return w.MedianMetresToGP
}

// Share returns the ward's share of postcodes beyond 1 km of k.
func (w WardFigures) Share(k Kind) *float64 {
	if k == Pharmacy {
		return w.ShareBeyond1kmPharmacy
	}
	return w.ShareBeyond1kmGP
}

// People returns the ward's people beyond 1 km of k.
func (w WardFigures) People(k Kind) int {
	if k == Pharmacy {
		return w.PeopleBeyond1kmPharmacy
	}
	return w.PeopleBeyond1kmGP
}

// BeyondPostcodes returns how many of the ward's postcodes are beyond 1 km
// of k.
func (w WardFigures) BeyondPostcodes(k Kind) int { return w.beyondPostcodes[k] }

// Totals are a place's (or the system's) figures over all its wards.
type Totals struct {
	Postcodes       int
	Population      int
	Services        [kinds]int
	BeyondPostcodes [kinds]int
	BeyondPeople    [kinds]int
	Median          [kinds]*int
	Share           [kinds]*float64
	IMDScore        *float64
	Core20Share     *float64
}

// Point is a service as the pictures and lists show it.
type Point struct {
	directory.AccessPoint
	Kind     Kind
	WardCode string // the ward of its postcode, "" when unknown
}

// Code is how a what-if names the service: its ODS code, else its id.
func (p Point) Code() string {
	if p.ODSCode != "" {
		return p.ODSCode
	}
	return p.ServiceID
}

// distances are each postcode's distance to the nearest service of each
// kind, with that service's index among the positions searched.
type distances struct {
	metres  [kinds][]float64
	nearest [kinds][]int32
}

// measureAll finds the nearest service of each kind to each postcode.
func measureAll(pcs []postcode, near [kinds]*nearest) distances {
	var d distances
	for k := range kinds {
		d.metres[k] = make([]float64, len(pcs))
		d.nearest[k] = make([]int32, len(pcs))
		for i, p := range pcs {
			j, m := near[k].find(p.Point)
			d.metres[k][i], d.nearest[k][i] = m, int32(j)
		}
	}
	return d
}

// figures computes each ward's figures from the place's geographic
// postcodes and their distances (dist, in the same order).
func figures(wards []geography.Ward, pcs []postcode, dist [kinds][]float64, lsoas []geography.LSOA, services []Point) ([]WardFigures, Totals) {
	out := make([]WardFigures, len(wards))
	at := make(map[string]int, len(wards))
	for i := range wards {
		out[i] = WardFigures{WardCode: wards[i].Code, WardName: wards[i].Name, geo: &wards[i]}
		at[wards[i].Code] = i
	}
	type acc struct {
		dist       [kinds][]float64
		imd, core  float64
		weightKnow float64
	}
	accs := make([]acc, len(wards))
	var all acc
	var tot Totals
	for n, p := range pcs {
		i, ok := at[p.WardCode]
		if !ok {
			continue
		}
		w, a := &out[i], &accs[i]
		w.Postcodes++
		w.people += p.share
		tot.Postcodes++
		for k := range kinds {
			d := dist[k][n]
			a.dist[k] = append(a.dist[k], d)
			all.dist[k] = append(all.dist[k], d)
			if d > Threshold {
				w.beyondPostcodes[k]++
				w.beyondPeople[k] += p.share
				tot.BeyondPostcodes[k]++
			}
		}
		if p.lsoa >= 0 && p.share > 0 {
			l := lsoas[p.lsoa]
			for _, x := range []*acc{a, &all} {
				x.imd += p.share * l.IMDScore
				x.weightKnow += p.share
				if l.Core20() {
					x.core += p.share
				}
			}
		}
	}
	var people float64
	var beyondPeople [kinds]float64
	for i := range out {
		w, a := &out[i], &accs[i]
		w.Population = int(math.Round(w.people))
		people += w.people
		w.PeopleBeyond1kmPharmacy = int(math.Round(w.beyondPeople[Pharmacy]))
		w.PeopleBeyond1kmGP = int(math.Round(w.beyondPeople[GPPractice]))
		for k := range kinds {
			beyondPeople[k] += w.beyondPeople[k]
		}
		w.MedianMetresToPharmacy = median(a.dist[Pharmacy])
		w.MedianMetresToGP = median(a.dist[GPPractice])
		w.ShareBeyond1kmPharmacy = share(w.beyondPostcodes[Pharmacy], w.Postcodes, a.dist[Pharmacy])
		w.ShareBeyond1kmGP = share(w.beyondPostcodes[GPPractice], w.Postcodes, a.dist[GPPractice])
		if a.weightKnow > 0 {
			w.IMDScore = ptr(round(a.imd/a.weightKnow, 3))
			w.MostDeprived20pcShare = ptr(round(a.core/a.weightKnow, 4))
			w.Core20 = a.core/a.weightKnow >= 0.5
		}
	}
	for _, s := range services {
		if i, ok := at[s.WardCode]; ok {
			if s.Kind == Pharmacy {
				out[i].Pharmacies++
			} else {
				out[i].GPPractices++
			}
			tot.Services[s.Kind]++
		}
	}
	tot.Population = int(math.Round(people))
	for k := range kinds {
		tot.BeyondPeople[k] = int(math.Round(beyondPeople[k]))
		tot.Median[k] = median(all.dist[k])
		tot.Share[k] = share(tot.BeyondPostcodes[k], tot.Postcodes, all.dist[k])
	}
	if all.weightKnow > 0 {
		tot.IMDScore = ptr(round(all.imd/all.weightKnow, 3))
		tot.Core20Share = ptr(round(all.core/all.weightKnow, 4))
	}
	return out, tot
}

func ptr[T any](v T) *T { return &v }

func round(x float64, places int) float64 {
	f := math.Pow(10, float64(places))
	return math.Round(x*f) / f
}

// median is the middle distance (the mean of the two middle ones for an
// even count), in whole metres; nil for none or when there is no service
// to measure to.
func median(ds []float64) *int {
	if len(ds) == 0 || math.IsInf(ds[0], 1) {
		return nil
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return ptr(int(math.Round(m)))
}

func share(beyond, n int, ds []float64) *float64 {
	if n == 0 || math.IsInf(ds[0], 1) {
		return nil
	}
	return ptr(round(float64(beyond)/float64(n), 4))
}
