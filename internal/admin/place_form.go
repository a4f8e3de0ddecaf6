package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/joinedup/joinedup/internal/places"
)

// Blank rows the place form adds after the existing partners and social
// accounts, so that rows can be added without JavaScript.
const (
	blankPartners = 3
	blankSocials  = 2
)

// populationKey is the figure the place form edits.
const populationKey = "population"

// placeForm is the place form as typed: strings, so that what was typed is
// shown again when it is wrong.
type placeForm struct {
	Slug            string
	Name            string
	PartnershipName string
	Summary         string
	Purpose         string
	AimsIntro       string
	Aims            string // one per line
	PopValue        string
	PopSource       string
	PopSourceURL    string
	PopAsOf         string
	Partners        []partnerRow
	Socials         []socialRow
	// others are the place's figures this form does not edit, kept as they are.
	others []places.Figure
}

type partnerRow struct {
	N           int
	Name        string
	URL         string
	Description string
	Remove      bool
}

type socialRow struct {
	N       int
	Network string
	Handle  string
	URL     string
	Remove  bool
}

// newPlaceForm fills the form from a stored place, with blank rows to add.
func newPlaceForm(p places.Place) placeForm {
	f := placeForm{Slug: p.Slug, Name: p.Name, PartnershipName: p.PartnershipName, Summary: p.Summary,
		Purpose: p.Purpose, AimsIntro: p.AimsIntro, Aims: strings.Join(p.Aims, "\n")}
	for _, fig := range p.Figures {
		if fig.Key != populationKey {
			f.others = append(f.others, fig)
			continue
		}
		f.PopValue, f.PopSource, f.PopSourceURL, f.PopAsOf = strconv.FormatInt(fig.Value, 10), fig.SourceName, fig.SourceURL, fig.AsOf
	}
	for i, pt := range p.Partners {
		f.Partners = append(f.Partners, partnerRow{N: i, Name: pt.Name, URL: pt.URL, Description: pt.Description})
	}
	for i := range blankPartners {
		f.Partners = append(f.Partners, partnerRow{N: len(p.Partners) + i})
	}
	for i, so := range p.Socials {
		f.Socials = append(f.Socials, socialRow{N: i, Network: so.Network, Handle: so.Handle, URL: so.URL})
	}
	for i := range blankSocials {
		f.Socials = append(f.Socials, socialRow{N: len(p.Socials) + i})
	}
	return f
}

// maxRows bounds the rows a submitted form may carry.
const maxRows = 200

// readPlaceForm reads the submitted form. Rows are numbered partner-N-...,
// social-N-...; the count of each is sent in a hidden field.
func readPlaceForm(r *http.Request, slug string, others []places.Figure) placeForm {
	v := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	f := placeForm{Slug: slug, Name: v("name"), PartnershipName: v("partnership_name"), Summary: v("summary"),
		Purpose: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("purpose"), "\r\n", "\n")), AimsIntro: v("aims_intro"),
		Aims:     strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("aims"), "\r\n", "\n")),
		PopValue: v("pop_value"), PopSource: v("pop_source"), PopSourceURL: v("pop_source_url"), PopAsOf: v("pop_as_of"),
		others: others}
	n, _ := strconv.Atoi(r.PostFormValue("partners"))
	for i := range min(max(n, 0), maxRows) {
		p := fmt.Sprintf("partner-%d-", i)
		f.Partners = append(f.Partners, partnerRow{N: i, Name: v(p + "name"), URL: v(p + "url"),
			Description: v(p + "description"), Remove: r.PostFormValue(p+"remove") == "yes"})
	}
	n, _ = strconv.Atoi(r.PostFormValue("socials"))
	for i := range min(max(n, 0), maxRows) {
		p := fmt.Sprintf("social-%d-", i)
		f.Socials = append(f.Socials, socialRow{N: i, Network: v(p + "network"), Handle: v(p + "handle"), URL: v(p + "url"),
			Remove: r.PostFormValue(p+"remove") == "yes"})
	}
	return f
}

// checkURL says what is wrong with a web address, or returns "".
func checkURL(s, what string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(s, " \t\n<>\"") {
		return "Enter " + what + " as a full web address starting with https://, like https://www.example.org"
	}
	return ""
}

func checkLength(errs *formErrors, id, value, what string, max int) {
	if utf8.RuneCountInString(value) > max {
		errs.add(id, fmt.Sprintf("%s must be %d characters or fewer", what, max))
	}
}

// place checks the form and returns the place it describes, with id.
func (f placeForm) place(id int64) (places.Place, formErrors) {
	var errs formErrors
	p := places.Place{ID: id, Slug: f.Slug, Name: f.Name, PartnershipName: f.PartnershipName, Summary: f.Summary,
		Purpose: f.Purpose, AimsIntro: f.AimsIntro}
	if f.Name == "" {
		errs.add("name", "Enter the place's name")
	}
	checkLength(&errs, "name", f.Name, "The place's name", 100)
	checkLength(&errs, "partnership_name", f.PartnershipName, "The partnership's name", 150)
	if f.Summary == "" {
		errs.add("summary", "Enter a summary of the partnership")
	}
	checkLength(&errs, "summary", f.Summary, "The summary", 400)
	checkLength(&errs, "purpose", f.Purpose, "The purpose", 5000)
	checkLength(&errs, "aims_intro", f.AimsIntro, "The introduction to the aims", 300)
	for _, line := range strings.Split(f.Aims, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Aims = append(p.Aims, line)
		}
	}
	if len(p.Aims) > 20 {
		errs.add("aims", "Enter 20 aims or fewer")
	}
	for _, a := range p.Aims {
		checkLength(&errs, "aims", a, "Each aim", 300)
	}
	p.Figures = append(p.Figures, f.others...)
	if f.PopValue != "" || f.PopSource != "" || f.PopSourceURL != "" || f.PopAsOf != "" {
		fig := places.Figure{Key: populationKey, Label: "Population", SourceName: f.PopSource, SourceURL: f.PopSourceURL, AsOf: f.PopAsOf}
		value, err := strconv.ParseInt(strings.ReplaceAll(f.PopValue, ",", ""), 10, 64)
		switch {
		case f.PopValue == "":
			errs.add("pop_value", "Enter the population")
		case err != nil || value < 0:
			errs.add("pop_value", "Population must be a whole number, like 319610")
		}
		fig.Value = value
		if f.PopSource == "" {
			errs.add("pop_source", "Enter where the population figure comes from")
		}
		checkLength(&errs, "pop_source", f.PopSource, "The source", 200)
		if f.PopSourceURL != "" {
			if msg := checkURL(f.PopSourceURL, "the source's web address"); msg != "" {
				errs.add("pop_source_url", msg)
			}
		}
		if f.PopAsOf == "" {
			errs.add("pop_as_of", "Enter when the population figure is for, like mid-2023")
		}
		checkLength(&errs, "pop_as_of", f.PopAsOf, "The date", 50)
		p.Figures = append(p.Figures, fig)
	}
	for _, row := range f.Partners {
		if row.Remove || (row.Name == "" && row.URL == "" && row.Description == "") {
			continue
		}
		id := fmt.Sprintf("partner-%d-", row.N)
		if row.Name == "" {
			errs.add(id+"name", fmt.Sprintf("Enter the name of partner %d", row.N+1))
		}
		checkLength(&errs, id+"name", row.Name, "A partner's name", 150)
		if row.URL == "" {
			errs.add(id+"url", fmt.Sprintf("Enter the web address of partner %d", row.N+1))
		} else if msg := checkURL(row.URL, fmt.Sprintf("the web address of partner %d", row.N+1)); msg != "" {
			errs.add(id+"url", msg)
		}
		checkLength(&errs, id+"description", row.Description, "A partner's description", 300)
		p.Partners = append(p.Partners, places.Partner{Name: row.Name, URL: row.URL, Description: row.Description})
	}
	for _, row := range f.Socials {
		if row.Remove || (row.Network == "" && row.Handle == "" && row.URL == "") {
			continue
		}
		id := fmt.Sprintf("social-%d-", row.N)
		if row.Network == "" {
			errs.add(id+"network", fmt.Sprintf("Enter the network of social account %d, like Bluesky", row.N+1))
		}
		checkLength(&errs, id+"network", row.Network, "A network's name", 50)
		if row.Handle == "" {
			errs.add(id+"handle", fmt.Sprintf("Enter the handle of social account %d", row.N+1))
		}
		checkLength(&errs, id+"handle", row.Handle, "A handle", 100)
		if row.URL == "" {
			errs.add(id+"url", fmt.Sprintf("Enter the web address of social account %d", row.N+1))
		} else if msg := checkURL(row.URL, fmt.Sprintf("the web address of social account %d", row.N+1)); msg != "" {
			errs.add(id+"url", msg)
		}
		p.Socials = append(p.Socials, places.Social{Network: row.Network, Handle: row.Handle, URL: row.URL})
	}
	return p, errs
}
