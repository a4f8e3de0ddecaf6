package text

import (
	"bytes"
	"html/template"
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	gmtext "github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders CommonMark with GitHub's tables, strikethrough and bare
// links. Raw HTML is never passed through: goldmark's default renderer (not
// WithUnsafe) replaces it with a comment, which the sanitizer then drops.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(pageFit{}, 100))),
)

// localPath matches a path on this site ("/uploads/x.jpg"), not one that a
// browser would read as another host ("//evil.example", "/\evil.example").
var localPath = regexp.MustCompile(`^/[^/\\]`)

// sanitizer is the allow-list every rendered body passes through, so that
// whatever the markdown renderer lets by, only these elements and
// attributes reach a page:
//   - text structure: p, br, hr, h2–h4, ul, ol (with start), li, blockquote,
//     strong, em, del, code, pre and the parts of a table;
//   - links: a[href] with http, https, mailto or tel, or a relative URL; a
//     link to another host gets rel="noopener noreferrer";
//   - images: img[src alt] only from this site (a path starting with one
//     "/"), because the Content-Security-Policy (img-src 'self') would block
//     any other, and a third-party image would tell that host who reads what.
//
// No class, id or style attribute is kept: a body cannot restyle the page,
// and the CSP forbids inline style anyway (so GFM column alignment is lost).
var sanitizer = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
		"strong", "em", "del", "code", "pre", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^noopener$`)).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	p.AllowRelativeURLs(true)
	p.RequireNoReferrerOnFullyQualifiedLinks(true)
	p.AllowAttrs("src").Matching(localPath).OnElements("img")
	p.AllowAttrs("alt").OnElements("img")
	return p
}()

// Markdown renders user-written markdown as HTML that is safe to put in a
// page: no script, no event handlers, no dangerous links, no h1 (the
// body's headings start at h2, so the page's own title stays the only h1).
// It is the one place in joinedup where user text becomes template.HTML.
func Markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		// goldmark's HTML renderer writes to a buffer and does not fail; if
		// it ever did, show the text rather than nothing.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(sanitizer.SanitizeBytes(buf.Bytes()))
}

// pageFit adjusts a parsed body to sit inside a page: headings move so
// that the body's top level is h2 under the page's h1, keeping their order
// and going no deeper than h4; links to other hosts get rel="noopener";
// and an image from anywhere but this site is replaced by its alt text.
type pageFit struct{}

func (pageFit) Transform(doc *ast.Document, reader gmtext.Reader, pc parser.Context) {
	top := 6
	var headings []*ast.Heading
	var foreign []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings = append(headings, n)
			top = min(top, n.Level)
		case *ast.Link:
			if isExternal(util.URLEscape(n.Destination, true)) {
				n.SetAttributeString("rel", []byte("noopener"))
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && isExternal(util.URLEscape(n.URL(reader.Source()), false)) {
				n.SetAttributeString("rel", []byte("noopener"))
			}
		case *ast.Image:
			if !localPath.MatchString(string(n.Destination)) {
				foreign = append(foreign, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		h.Level = min(max(h.Level+2-top, 2), 4)
	}
	for _, img := range foreign {
		parent := img.Parent()
		for c := img.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, img, c)
			c = next
		}
		parent.RemoveChild(parent, img)
	}
}

// isExternal reports whether a link leads to another host over the web, as
// the sanitizer will judge it: dest is the URL as the renderer escapes it,
// and an http, https or protocol-relative URL with a host part is external.
// Other schemes are left alone: the sanitizer keeps mailto and tel, which
// need no rel, and drops the rest.
func isExternal(dest []byte) bool {
	u, err := url.Parse(string(dest))
	if err != nil || u.Host == "" {
		return false
	}
	s := strings.ToLower(u.Scheme)
	return s == "" || s == "http" || s == "https"
}
