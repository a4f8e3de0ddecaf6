// Package places holds the partnership (the integrated care system) and its
// places: the boroughs, each with its purpose, aims, key figures, partners
// and social accounts.
package places

import "github.com/joinedup/joinedup/internal/text"

// System is the integrated care system that a deployment serves.
type System struct {
	ID      int64
	Slug    string
	Name    string
	Summary string
}

// Place is one borough of the system and its local partnership.
type Place struct {
	ID              int64
	SystemID        int64
	Slug            string
	Name            string
	PartnershipName string // "Partnership Southwark"
	AreaCode        string // ONS code of the local authority, such as E09000028
	Summary         string
	Purpose         string // plain text; paragraphs separated by blank lines
	AimsIntro       string
	Aims            []string
	Figures         []Figure
	Partners        []Partner
	Socials         []Social
}

// DisplayName is the partnership's name, or the place's name when the
// partnership has not been named yet.
func (p Place) DisplayName() string {
	if p.PartnershipName != "" {
		return p.PartnershipName
	}
	return p.Name
}

// Paragraphs splits the purpose text into paragraphs.
func (p Place) Paragraphs() []string { return text.Paragraphs(p.Purpose) }

// Figure is a number an editor maintains, with where it comes from.
type Figure struct {
	Key        string // "population"
	Label      string
	Value      int64
	SourceName string
	SourceURL  string
	AsOf       string // free text date, such as "mid-2023"
}

// Partner is an organisation in the place's partnership.
type Partner struct {
	Name        string
	URL         string
	Description string
}

// Social is one of the partnership's social media accounts.
type Social struct {
	Network string // "X", "LinkedIn", "Instagram", ...
	Handle  string
	URL     string
}
