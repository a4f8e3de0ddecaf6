package text

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// allowedAttrs is the sanitizer's allow-list, element by element; safeHTML
// checks output against it independently of bluemonday.
var allowedAttrs = map[string]map[string]bool{
	"p": {}, "br": {}, "hr": {}, "h2": {}, "h3": {}, "h4": {}, "ul": {}, "ol": {"start": true}, "li": {},
	"blockquote": {}, "strong": {}, "em": {}, "del": {}, "code": {}, "pre": {},
	"table": {}, "thead": {}, "tbody": {}, "tr": {}, "th": {}, "td": {},
	"a": {"href": true, "rel": true}, "img": {"src": true, "alt": true},
}

// safeHTML returns what is wrong with out as a page fragment: an element or
// attribute outside the allow-list, a link with a scheme other than http,
// https, mailto or tel, an image from another site, or the strings that
// open a script, frame or plug-in. Text such as "javascript:" in a
// paragraph is harmless, escaped text; only attributes are checked for it.
func safeHTML(out string) []string {
	var problems []string
	lower := strings.ToLower(out)
	for _, bad := range []string{"<script", "<iframe", "<svg", "<style", "<object", "<embed", "<form"} {
		if strings.Contains(lower, bad) {
			problems = append(problems, fmt.Sprintf("contains %q", bad))
		}
	}
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		allowed, ok := allowedAttrs[tok.Data]
		if !ok {
			problems = append(problems, "element <"+tok.Data+">")
			continue
		}
		for _, a := range tok.Attr {
			if !allowed[a.Key] || strings.HasPrefix(a.Key, "on") {
				problems = append(problems, fmt.Sprintf("attribute %s on <%s>", a.Key, tok.Data))
				continue
			}
			switch a.Key {
			case "href":
				u, err := url.Parse(a.Val)
				if err != nil {
					problems = append(problems, fmt.Sprintf("unparseable href %q", a.Val))
				} else if s := strings.ToLower(u.Scheme); s != "" && s != "http" && s != "https" && s != "mailto" && s != "tel" {
					problems = append(problems, fmt.Sprintf("href with scheme %q", s))
				}
			case "src":
				if !localPath.MatchString(a.Val) {
					problems = append(problems, fmt.Sprintf("image from elsewhere %q", a.Val))
				}
			case "rel":
				if a.Val != "noopener noreferrer" {
					problems = append(problems, fmt.Sprintf("rel %q", a.Val))
				}
			}
		}
	}
	return problems
}

// Known XSS payloads, in markdown and in raw HTML, come out harmless.
func TestMarkdownRendersXSSPayloadsHarmless(t *testing.T) {
	payloads := []struct {
		name, src string
		keep      string // text that must survive, escaped or as text
	}{
		{"script tag", "<script>alert(1)</script>", ""},
		{"script in a paragraph", "Hello <script>alert(1)</script> world", "Hello"},
		{"script with odd case", "<ScRiPt SRC=//evil.example/x.js></ScRiPt>", ""},
		{"unclosed script", "<script>alert(1)", ""},
		{"img onerror", `<img src=x onerror=alert(1)>`, ""},
		{"svg onload", `<svg onload=alert(1)>`, ""},
		{"svg with script", `<svg><script>alert(1)</script></svg>`, ""},
		{"iframe", `<iframe src="javascript:alert(1)"></iframe>`, ""},
		{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`, ""},
		{"style attribute", `<p style="background:url(javascript:alert(1))">x</p>`, ""},
		{"style element", `<style>body{background:red}</style>`, ""},
		{"body onload", `<body onload=alert(1)>`, ""},
		{"event handler on link", `<a href="https://example.org" onclick="alert(1)">x</a>`, ""},
		{"javascript href in HTML", `<a href="javascript:alert(1)">click</a>`, ""},
		{"unclosed tag", `<a href="javascript:alert(1)" <b>bold`, ""},
		{"broken attribute", `<img src="x" ="" onerror="alert(1)"`, ""},
		{"object", `<object data="javascript:alert(1)"></object>`, ""},
		{"embed", `<embed src="javascript:alert(1)">`, ""},
		{"form", `<form action="javascript:alert(1)"><button>go</button></form>`, ""},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`, ""},
		{"markdown javascript link", "[x](javascript:alert(1))", "x"},
		{"markdown JavaScript link", "[x](JaVaScRiPt:alert(1))", "x"},
		{"markdown link with tab entity", "[x](jav&#x09;ascript:alert(1))", "x"},
		{"markdown link with entity-encoded scheme", "[x](&#106;avascript:alert(1))", "x"},
		{"markdown link with newline entity", "[x](java&#10;script:alert(1))", "x"},
		{"markdown link with percent-encoding", "[x](javascript%3Aalert(1))", "x"},
		{"markdown link with leading space", "[x]( javascript:alert(1))", "x"},
		{"markdown vbscript link", "[x](vbscript:msgbox(1))", "x"},
		{"markdown data link", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", "x"},
		{"markdown reference link", "[x][1]\n\n[1]: javascript:alert(1)", "x"},
		{"markdown link title breakout", `[x](https://example.org "a\" onmouseover=\"alert(1)")`, "x"},
		{"markdown image onerror", `![x" onerror="alert(1)](/a.png)`, ""},
		{"markdown javascript image", "![alt](javascript:alert(1))", "alt"},
		{"markdown data image", "![alt](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", "alt"},
		{"markdown image from elsewhere", "![a tracking pixel](https://evil.example/p.gif)", "a tracking pixel"},
		{"markdown image protocol-relative", "![alt](//evil.example/p.gif)", "alt"},
		{"autolink javascript", "<javascript:alert(1)>", ""},
		{"autolink data", "<data:text/html,<script>alert(1)</script>>", ""},
		{"bare link", "see javascript:alert(1) here", "see"},
		{"html comment", "<!-- <script>alert(1)</script> -->", ""},
		{"cdata", "<![CDATA[<script>alert(1)</script>]]>", ""},
		{"entity-encoded tag", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{"code span", "`<script>alert(1)</script>`", "<script>alert(1)</script>"},
		{"fenced code", "```html\n<script>alert(1)</script>\n```", "<script>alert(1)</script>"},
		{"table cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |", "a"},
		{"heading with script", "# Title <script>alert(1)</script>", "Title"},
	}
	for _, tt := range payloads {
		t.Run(tt.name, func(t *testing.T) {
			out := string(Markdown(tt.src))
			for _, p := range safeHTML(out) {
				t.Errorf("%q rendered as %q: %s", tt.src, out, p)
			}
			if tt.keep != "" {
				doc, err := html.Parse(strings.NewReader(out))
				if err != nil {
					t.Fatal(err)
				}
				if got := textContent(doc); !strings.Contains(got, tt.keep) {
					t.Errorf("%q rendered as %q: the text %q was lost", tt.src, out, tt.keep)
				}
			}
		})
	}
}

func textContent(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// What editors write comes out as they meant it.
func TestMarkdownRendersWhatEditorsWrite(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
		notWant   []string
	}{
		{"paragraphs", "One line\nand more.\n\nSecond paragraph.",
			[]string{"<p>One line\nand more.</p>", "<p>Second paragraph.</p>"}, nil},
		{"headings start at h2", "# Big\n\n## Medium\n\n### Small\n\n#### Smaller\n\n###### Tiny",
			[]string{"<h2>Big</h2>", "<h3>Medium</h3>", "<h4>Small</h4>", "<h4>Smaller</h4>", "<h4>Tiny</h4>"}, []string{"<h1", "<h5", "<h6"}},
		{"headings keep their order from h2", "### Top\n\n#### Under\n\n### Top again",
			[]string{"<h2>Top</h2>", "<h3>Under</h3>", "<h2>Top again</h2>"}, []string{"<h1", "<h4"}},
		{"an h2 start stays h2", "## Top\n\n### Under", []string{"<h2>Top</h2>", "<h3>Under</h3>"}, []string{"<h1"}},
		{"setext heading", "Title\n=====", []string{"<h2>Title</h2>"}, []string{"<h1"}},
		{"emphasis", "*em* **strong** ~~gone~~", []string{"<em>em</em>", "<strong>strong</strong>", "<del>gone</del>"}, nil},
		{"lists", "- a\n- b\n\n3. c\n4. d", []string{"<ul>\n<li>a</li>", `<ol start="3">`}, nil},
		{"quote", "> said", []string{"<blockquote>\n<p>said</p>\n</blockquote>"}, nil},
		{"external link", "[NHS](https://www.nhs.uk/)", []string{`<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>`}, nil},
		{"local link", "[our page](/in-your-area/southwark)", []string{`<a href="/in-your-area/southwark">our page</a>`}, []string{"rel="}},
		{"mail and phone", "[mail](mailto:hello@example.org) [call](tel:+442070000000)",
			[]string{`<a href="mailto:hello@example.org">mail</a>`, `<a href="tel:+442070000000">call</a>`}, nil},
		{"bare link", "Visit https://www.nhs.uk today", []string{`<a href="https://www.nhs.uk" rel="noopener noreferrer">https://www.nhs.uk</a>`}, nil},
		{"www link", "Visit www.nhs.uk today", []string{`<a href="http://www.nhs.uk" rel="noopener noreferrer">www.nhs.uk</a>`}, nil},
		{"local image", "![Residents at the lung health day](/uploads/lung-day.jpg)",
			[]string{`<img src="/uploads/lung-day.jpg" alt="Residents at the lung health day">`}, nil},
		{"table", "| Day | Time |\n|:---|---:|\n| Mon | 9am |",
			[]string{"<table>", "<th>Day</th>", "<td>9am</td>"}, []string{"style=", "align="}},
		{"code", "`x < y`", []string{"<code>x &lt; y</code>"}, nil},
		{"raw HTML is not passed through", "a <b>bold</b> move", []string{"<p>a bold move</p>"}, []string{"<b>", "raw HTML"}},
		{"quotes and ampersands", `Guy's & St Thomas' "trust"`, []string{"Guy&#39;s &amp; St Thomas&#39; &#34;trust&#34;"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(Markdown(tt.src))
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("Markdown(%q) = %q, want it to contain %q", tt.src, out, w)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(out, nw) {
					t.Errorf("Markdown(%q) = %q, want no %q", tt.src, out, nw)
				}
			}
			for _, p := range safeHTML(out) {
				t.Errorf("Markdown(%q) = %q: %s", tt.src, out, p)
			}
		})
	}
}

// FuzzMarkdown: whatever the input, rendering never panics and the output
// holds no script, no event handler attribute and no link or image outside
// the allow-list.
//
//	go test -run '^$' -fuzz FuzzMarkdown -fuzztime 30s ./internal/text/
func FuzzMarkdown(f *testing.F) {
	for _, s := range []string{
		"# Title\n\nSome *text* with a [link](https://example.org).",
		"<script>alert(1)</script>",
		"[x](jav&#x09;ascript:alert(1))",
		"<img src=x onerror=alert(1)>",
		"![a](/x.png) ![b](https://x.example/y.png)",
		"| a | b |\n|---|---|\n| <svg onload=alert(1)> | c |",
		"<a href=\"javascript:alert(1)\" onmouseover=alert(1)>x</a>",
		"www.example.org/?q=<script>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Markdown(src))
		for _, p := range safeHTML(out) {
			t.Fatalf("Markdown(%q) = %q: %s", src, out, p)
		}
	})
}
