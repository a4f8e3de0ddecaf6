package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/readability"
)

//go:embed templates
var templateFiles embed.FS

// Meta is what the layout needs to know about a page.
type Meta struct {
	Title       string // the page's own title, before the site name
	Description string
	// Path is the canonical path of the page, such as /in-your-area/southwark.
	Path        string
	Breadcrumbs []Crumb
	// Header names the partnership in the header, when the page belongs to a
	// place; the system's name is shown otherwise.
	Header  Link
	NoIndex bool
	// Forms loads the form components' stylesheet, for pages with a form.
	Forms bool
	// Alternates are other forms of the page, such as its Atom feed, linked
	// from the head with rel="alternate" for feed readers to find.
	Alternates []Alternate
	// Preview, when set, marks the page as an editor's preview of content
	// residents cannot see yet.
	Preview *Preview
	// Admin, when set, is the editors' admin's navigation, shown in the
	// header of every admin page for a signed-in user.
	Admin *AdminShell
}

// AdminShell is the navigation of the editors' admin: the sections the
// signed-in user may use, who they are, sign-out and the admin's search.
type AdminShell struct {
	UserName string
	Role     string
	Sections []AdminSection
	// Search is the admin search's query, kept in its box.
	Search string
}

// AdminSection is one section of the admin's navigation. Current is
// "page" on the section's own page, "true" elsewhere in the section, ""
// outside it (the value of aria-current).
type AdminSection struct {
	Label, Href, Current string
}

// Preview is the banner of an editor's preview of a public page.
type Preview struct {
	Message string
	// Back is the edit page, for a preview of the record as saved.
	Back string
	// For a preview of unsaved changes, Fields are the form's fields,
	// posted again to Action ("Back to editing", with preview_back=yes)
	// or to Save.
	Action string
	Save   string
	Fields []Field
	// ReadingAge, when set, shows the editor how easy the previewed text
	// is to read.
	ReadingAge *ReadingAge
	// Shell is the admin's navigation, above the previewed page.
	Shell *AdminShell
}

// ReadingAge is the panel that tells an editor how easy a text is to read
// (the "admin-readability" template). It advises; it never stops a save.
type ReadingAge struct {
	// ID is the panel's id, unique in its page.
	ID string
	// Of says what was measured, such as "the summary and the body".
	Of string
	// Fields, for a form, are the names of the fields measured, which the
	// page's script sends to be measured again as the editor types.
	Fields string
	Result readability.Result
}

// Formula names the formula the reading age comes from.
func (ReadingAge) Formula() string { return readability.Formula }

// Field is a form field carried as a hidden input.
type Field struct {
	Name, Value string
}

// Alternate is another form of a page: its media type, a title and where it
// is (a path on the site).
type Alternate struct {
	Type  string // "application/atom+xml"
	Title string
	Href  string
}

// Crumb is one step of a breadcrumb trail.
type Crumb struct {
	Label string
	Href  string
}

// Link is a labelled link.
type Link struct {
	Label string
	Href  string
}

// View is what every template receives: the layout's data and the page's own.
type View struct {
	Meta Meta
	Site SiteInfo
	Page any
}

// SiteInfo is the deployment's data shown in the layout.
type SiteInfo struct {
	Name      string
	BaseURL   string
	Canonical string
	CSS       string
	FormsCSS  string
	Header    Link
	Version   string
}

type views struct {
	pages map[string]*template.Template
	// parts are the layout's templates alone, for RenderPart.
	parts *template.Template
}

var funcs = template.FuncMap{
	"date":      london.Date,
	"shortDate": london.ShortDate,
	"longDate":  london.LongDate,
	"when":      london.When,
	"timeRange": london.TimeRange,
	"iso":       london.ISO,
	"clock":     london.Clock,
	"number":    formatNumber,
	"dec":       func(n int) int { return n - 1 },
	"inc":       func(n int) int { return n + 1 },
	"mul":       func(a, b int) int { return a * b },
	"lower":     strings.ToLower,
	"sameDay": func(a, b time.Time) bool {
		return london.Date(a) == london.Date(b)
	},
}

// formatNumber writes an integer with thousands separators: 319610 → "319,610".
func formatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// parseViews parses every page template once, each with the layout.
func parseViews() (*views, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFiles, "templates/layout/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}, parts: base}
	for _, name := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, name)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		v.pages[strings.TrimPrefix(name, "templates/pages/")] = t
	}
	return v, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes the page template name with the layout. It renders into a
// buffer first, so a template error becomes a clean 500 page instead of half
// a page.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, status int, name string, meta Meta, page any) error {
	t, ok := s.views.pages[name]
	if !ok {
		return fmt.Errorf("web: no template %q", name)
	}
	header := meta.Header
	if header.Label == "" {
		header = Link{Label: s.cfg.SiteName, Href: "/"}
	}
	v := View{Meta: meta, Page: page, Site: SiteInfo{
		Name: s.cfg.SiteName, BaseURL: s.cfg.BaseURL, CSS: s.static.css["app"], FormsCSS: s.static.css["forms"],
		Header: header, Version: s.cfg.Version,
	}}
	if meta.Path != "" {
		v.Site.Canonical = s.cfg.BaseURL + meta.Path
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := t.ExecuteTemplate(buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	WriteBody(w, r, status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}

// RenderPart writes one of the layout's templates alone, not in a page: a
// fragment of HTML for a page's script to put in place.
func (s *Site) RenderPart(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := s.views.parts.ExecuteTemplate(buf, name, data); err != nil {
		return fmt.Errorf("web: render part %s: %w", name, err)
	}
	WriteBody(w, r, status, "text/html; charset=utf-8", buf.Bytes())
	return nil
}
