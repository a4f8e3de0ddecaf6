package news

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"unicode/utf8"
)

// selection is what a listing or feed URL asks for: its filters as written
// (type, place and theme slugs, page), what they name, and a message for
// each that names nothing.
type selection struct {
	Type, Place, Theme string
	Page               int
	Filter             Filter
	PlaceName          string
	ThemeName          string
	Errors             []fieldError
}

// fieldError is a problem with one filter, for an NHS error summary: the
// message and the field (or page) it links to.
type fieldError struct {
	Href    string
	Message string
}

// options are what the filters can be set to: every place and theme.
type options struct {
	Places []Place
	Themes []Theme
}

func (h handlers) options(ctx context.Context) (options, error) {
	places, err := h.store.Places(ctx)
	if err != nil {
		return options{}, err
	}
	themes, err := h.store.Themes(ctx)
	if err != nil {
		return options{}, err
	}
	return options{Places: places, Themes: themes}, nil
}

// parseSelection reads the filters from q. An empty value does not filter,
// as a form's "All" option sends it; a value that names no type, place or
// theme, or a page that is not a positive number, is reported in Errors.
func parseSelection(q url.Values, opts options, paged bool) selection {
	s := selection{Type: q.Get("type"), Place: q.Get("place"), Theme: q.Get("theme"), Page: 1}
	switch Kind(s.Type) {
	case "":
	case KindNews, KindStory:
		s.Filter.Kind = Kind(s.Type)
	default:
		s.Errors = append(s.Errors, fieldError{"#type", fmt.Sprintf("There is no type of post called “%s”. Choose news or stories.", clip(s.Type))})
		s.Type = ""
	}
	if s.Place != "" {
		for _, p := range opts.Places {
			if p.Slug == s.Place {
				s.Filter.PlaceID, s.PlaceName = p.ID, p.Name
			}
		}
		if s.Filter.PlaceID == 0 {
			s.Errors = append(s.Errors, fieldError{"#place", fmt.Sprintf("There is no place called “%s”. Choose a place from the list.", clip(s.Place))})
			s.Place = ""
		}
	}
	if s.Theme != "" {
		for _, t := range opts.Themes {
			if t.Slug == s.Theme {
				s.Filter.ThemeID, s.ThemeName = t.ID, t.Name
			}
		}
		if s.Filter.ThemeID == 0 {
			s.Errors = append(s.Errors, fieldError{"#theme", fmt.Sprintf("There is no theme called “%s”. Choose a theme from the list.", clip(s.Theme))})
			s.Theme = ""
		}
	}
	if raw := q.Get("page"); paged && raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 {
			s.Errors = append(s.Errors, fieldError{s.url("/news", 1), fmt.Sprintf("There is no page “%s” of this list. Go to the first page.", clip(raw))})
		} else {
			s.Page = n
		}
	}
	return s
}

// clip shortens what someone typed in a URL before a message repeats it.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}

// url returns path with the selection's filters and the given page (left
// out when it is the first), in one canonical order.
func (s selection) url(path string, page int) string {
	q := url.Values{}
	if s.Type != "" {
		q.Set("type", s.Type)
	}
	if s.Place != "" {
		q.Set("place", s.Place)
	}
	if s.Theme != "" {
		q.Set("theme", s.Theme)
	}
	if page > 1 {
		q.Set("page", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// describe names what the selection lists: "Stories in Southwark with the
// theme Long-term conditions".
func (s selection) describe() string {
	what := "News and stories"
	switch s.Filter.Kind {
	case KindNews:
		what = "News"
	case KindStory:
		what = "Stories"
	}
	if s.PlaceName != "" {
		what += " in " + s.PlaceName
	}
	if s.ThemeName != "" {
		what += " with the theme " + s.ThemeName
	}
	return what
}
