package readability

import (
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	gmtext "github.com/yuin/goldmark/text"
)

// parser reads markdown as the site renders it (GitHub's tables,
// strikethrough and bare links), so that what is measured is what
// residents read.
var parser = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify)).Parser()

// Strip returns the words a reader meets in markdown src: the text of its
// paragraphs, headings, list items, quotes and table cells, one block to a
// paragraph (blocks are separated by a blank line). Link text is kept and
// the addresses dropped; images, bare web addresses, code blocks and raw
// HTML are left out, as they are not prose.
func Strip(src string) string {
	source := []byte(src)
	doc := parser.Parse(gmtext.NewReader(source))
	var blocks []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			blocks = append(blocks, s)
		}
		cur.Reset()
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.Image, *ast.AutoLink, *ast.RawHTML, *ast.ThematicBreak:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				cur.Write(n.Value(source))
				if n.SoftLineBreak() || n.HardLineBreak() {
					cur.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				cur.Write(n.Value)
			}
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *extast.TableCell:
			// Each block is read on its own: a heading or a list item
			// ends where it ends, full stop or not.
			flush()
		}
		return ast.WalkContinue, nil
	})
	flush()
	return strings.Join(blocks, "\n\n")
}
