package access

import (
	"fmt"
	"math"
	"strconv"
)

// Definitions say in plain English how the figures are worked out; the
// page, the JSON and the README use them.
var Definitions = []string{
	"Postcodes: the place's postcodes from OS Code-Point Open, leaving out the districts SE1P and SW95, which hold PO boxes and large users rather than homes.",
	"Distance: from each postcode's point to the nearest open pharmacy, and separately the nearest open GP practice, in any of the six places, in a straight line (haversine metres). Walking distance is longer; the straight line stands in for it.",
	"Neighbourhood (LSOA): the 2011 Lower layer Super Output Area the postcode file names for the postcode (Lewisham's postcodes), otherwise the one whose boundary holds the postcode's point, or the nearest boundary if none does (where simplified boundaries overlap, the lower LSOA code).",
	"People: each LSOA's mid-2020 population estimate shared equally among its postcodes; a ward's population is the sum of its postcodes' shares, rounded.",
	"Pharmacies and GP practices in a ward: the open records in our directory whose postcode is in the ward.",
	"Median distance: half the ward's postcodes are nearer than this, half further.",
	"Share beyond 1 km: the fraction of the ward's postcodes more than 1,000 metres from the nearest one (0 to 1); people beyond 1 km are the people of those postcodes.",
	"Deprivation: the English Index of Multiple Deprivation 2019 score of each postcode's LSOA, averaged over the ward weighted by people (higher is more deprived); most deprived 20% share is the fraction of the ward's people in LSOAs in England's most deprived 20% (IMD deciles 1 and 2, NHS England's Core20).",
	"Core20 ward: a ward where half or more of the people live in those most deprived 20% of LSOAs.",
	"What if: the same figures with one pharmacy or GP practice taken away, as if it closed; no record is changed.",
}

// Sources are the data the figures come from, with the attribution their
// licences require.
var Sources = []string{
	"Postcodes and their positions and wards: OS Code-Point Open 2025.4.0 (October 2025), OS OpenData licence.",
	"LSOAs of Lewisham's postcodes: ONS postcode to 2011 output area and LSOA lookup, from Lewisham Council's open data (June 2022), Open Government Licence v3.0.",
	"Ward boundaries: ONS Wards (December 2024), generalised, Open Government Licence v3.0.",
	"LSOA boundaries: ONS Lower layer Super Output Areas (December 2011) Boundaries Generalised Clipped (BGC) EW V3, Open Government Licence v3.0.",
	"Deprivation: MHCLG English Indices of Deprivation 2019, from the Greater London Authority's London Datastore extract, Open Government Licence v3.0.",
	"Population: ONS Lower layer Super Output Area population estimates, mid-2020, Open Government Licence v3.0.",
	"GP practices and pharmacies: NHS England Organisation Data Service (epraccur, around mid-2025; edispensary, around April 2025), Open Government Licence v3.0, as held in our directory now.",
	Attribution,
}

// Attribution is the notice the sources' licences require, word for word.
const Attribution = "Contains OS data © Crown copyright and database right 2025. Contains Royal Mail data © Royal Mail copyright and database right 2025. " +
	"Contains National Statistics data © Crown copyright and database right 2025. Source: Office for National Statistics licensed under the Open Government Licence v3.0. " +
	"Contains public sector information from NHS England and MHCLG licensed under the Open Government Licence v3.0. Greater London Authority (London Datastore), Open Government Licence."

// barChart compares the places' shares of people beyond 1 km of a
// pharmacy and of a GP practice, as pairs of horizontal bars.
func barChart(list []PlaceTotals) Chart {
	const w, left, right, rowH, top = 400.0, 90.0, 40.0, 34.0, 10.0
	h := top + rowH*float64(len(list)) + 30
	c := Chart{ID: "places-bars", Width: w, Height: h}
	maxShare := 0.1
	for _, p := range list {
		for k := range kinds {
			if p.Population > 0 {
				maxShare = math.Max(maxShare, float64(p.BeyondPeople[k])/float64(p.Population))
			}
		}
	}
	maxShare = math.Ceil(maxShare*10) / 10
	px := func(s float64) float64 { return round(left+s/maxShare*(w-left-right), 1) }
	fills := [kinds]string{"#3b528b", "#5ec962"}
	hatches := [kinds]string{"", darkHatch}
	var parts []string
	for i, p := range list {
		y := top + rowH*float64(i)
		c.Texts = append(c.Texts, Text{left - 6, y + 17, "end", p.Place.Name})
		for k := range kinds {
			s := 0.0
			if p.Population > 0 {
				s = float64(p.BeyondPeople[k]) / float64(p.Population)
			}
			by := y + 3 + float64(k)*13
			c.Areas = append(c.Areas, Area{D: fmt.Sprintf("M%v %vH%vV%vH%vZ", left, by, px(s), by+12, left), Fill: fills[k], Hatch: hatches[k]})
			c.Texts = append(c.Texts, Text{px(s) + 4, by + 10, "start", percent(s)})
		}
		parts = append(parts, fmt.Sprintf("%s %s and %s", p.Place.Name,
			percent(float64(p.BeyondPeople[Pharmacy])/math.Max(1, float64(p.Population))),
			percent(float64(p.BeyondPeople[GPPractice])/math.Max(1, float64(p.Population)))))
	}
	base := top + rowH*float64(len(list))
	c.Lines = append(c.Lines, Line{left, top, left, base})
	for s := 0.0; s <= maxShare+1e-9; s += 0.1 {
		c.Lines = append(c.Lines, Line{px(s), base, px(s), base + 4})
		c.Texts = append(c.Texts, Text{px(s), base + 16, "middle", strconv.Itoa(int(math.Round(s*100))) + "%"})
	}
	c.Legend = []LegendItem{{Fill: fills[Pharmacy], Label: "people more than 1 km from a pharmacy"},
		{Fill: fills[GPPractice], Hatch: darkHatch, Label: "people more than 1 km from a GP practice"}}
	c.Title = "Share of each place's people living more than 1 km from a pharmacy and from a GP practice"
	c.Desc = "For each place, two bars: the share of its people more than 1 km in a straight line from the nearest pharmacy (solid) and from the nearest GP practice (hatched). "
	for i, s := range parts {
		if i > 0 {
			c.Desc += "; "
		}
		c.Desc += s
	}
	c.Desc += "."
	return c
}
