package geography

// Ward is an electoral ward of a place, with its boundary.
type Ward struct {
	Code     string // ONS GSS code, such as E05011095
	Name     string
	AreaCode string // the local authority (ONS GSS code) it is in
	AreaName string
	Shape    Shape
}

// LSOA is a 2011 Lower layer Super Output Area with its deprivation and
// population.
type LSOA struct {
	Code     string // ONS GSS code, such as E01000001
	Name     string
	AreaCode string // the local authority it was in in 2011
	// IMDRank is the English Index of Multiple Deprivation 2019 rank, 1 the
	// most deprived of 32,844; IMDDecile 1 is the most deprived tenth.
	IMDRank   int
	IMDDecile int
	IMDScore  float64
	// Population is ONS's mid-2020 estimate of its residents.
	Population int
	Shape      Shape
}

// Core20 reports whether the LSOA is among England's most deprived 20% by
// IMD 2019 (deciles 1 and 2), NHS England's Core20.
func (l LSOA) Core20() bool { return l.IMDDecile >= 1 && l.IMDDecile <= 2 }
