// Package schemaorg holds the schema.org types that pages describe
// themselves with, as JSON-LD. A page template writes one inside
// <script type="application/ld+json">{{.}}</script>, where html/template
// encodes it as JSON and escapes anything that could end the element.
package schemaorg

import "time"

// Context is the JSON-LD context of every schema.org object.
const Context = "https://schema.org"

// Organization is an organisation: a partnership, an integrated care
// system, or the publisher or author of an article.
type Organization struct {
	Context string   `json:"@context,omitempty"`
	Type    string   `json:"@type"`
	Name    string   `json:"name"`
	URL     string   `json:"url,omitempty"`
	SameAs  []string `json:"sameAs,omitempty"`
}

// NewOrganization returns a top-level Organization: name, its page on this
// site, and its own accounts elsewhere (social media).
func NewOrganization(name, url string, sameAs ...string) Organization {
	return Organization{Context: Context, Type: "Organization", Name: name, URL: url, SameAs: sameAs}
}

// Agent is the author of a work: a Person or an Organization.
type Agent struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// NewsArticle is a news item or a resident's story.
type NewsArticle struct {
	Context          string       `json:"@context"`
	Type             string       `json:"@type"`
	Headline         string       `json:"headline"`
	Description      string       `json:"description,omitempty"`
	URL              string       `json:"url"`
	MainEntityOfPage string       `json:"mainEntityOfPage"`
	DatePublished    string       `json:"datePublished"`
	DateModified     string       `json:"dateModified"`
	Author           []Agent      `json:"author,omitempty"`
	Publisher        Organization `json:"publisher"`
	Image            []string     `json:"image,omitempty"`
	Keywords         []string     `json:"keywords,omitempty"`
}

// Date writes t as schema.org's DateTime: ISO 8601 with its offset, in UTC.
func Date(t time.Time) string { return t.UTC().Format(time.RFC3339) }
