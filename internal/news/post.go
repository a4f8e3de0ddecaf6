// Package news holds the partnership's posts: news and residents' stories,
// their themes, the listing and page of each, and their Atom feed.
package news

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/media"
)

// Kind says whether a post is news or a resident's story.
type Kind string

// The kinds of post.
const (
	KindNews  Kind = "news"
	KindStory Kind = "story"
)

// Label is the kind as residents read it on a card.
func (k Kind) Label() string {
	if k == KindStory {
		return "Story"
	}
	return "News"
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindNews || k == KindStory }

// Status says whether a post is public.
type Status string

// The statuses of a post. A draft is for editors only; a published post is
// public from its publication time.
const (
	StatusDraft     Status = "draft"
	StatusPublished Status = "published"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return s == StatusDraft || s == StatusPublished }

// Post is a news item or a resident's story.
type Post struct {
	ID     int64
	Kind   Kind
	Status Status // empty means published, for callers that create public posts
	Slug   string
	Title  string
	// Summary is plain text: the card's description, the page's lede and
	// the feed's summary.
	Summary string
	// Body is markdown, rendered through text.Markdown.
	Body   string
	Author string // who published it: a partnership, a team or a person
	// Storyteller is the resident whose story it is, for stories.
	Storyteller string
	PullQuote   string
	PullQuoteBy string
	Hero        Image
	// LeadImageID is the post's lead image in the media library, or 0;
	// loaded posts carry the image in Lead.
	LeadImageID int64
	Lead        *media.Item
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// PlaceIDs are the places to link a new post to; none means the whole
	// system. Loaded posts carry Places instead.
	PlaceIDs []int64
	Places   []Place
	// Themes of a loaded post; a new post is linked to the themes whose
	// slugs these carry.
	Themes []Theme
}

// leadImage is the lead image's id for the database: NULL for none.
func (p Post) leadImage() any {
	if p.LeadImageID == 0 {
		return nil
	}
	return p.LeadImageID
}

// Image is a post's hero image: a path on this site, with the alt text
// that describes it (required) and an optional caption.
type Image struct {
	Path    string
	Alt     string
	Caption string
}

// Theme is a topic that posts are tagged with, across places.
type Theme struct {
	ID   int64
	Slug string
	Name string
}

// Place is a place a post belongs to, as the news pages name and link it.
type Place struct {
	ID              int64
	Slug            string
	Name            string
	PartnershipName string
}

// DisplayName is the partnership's name, or the place's when the
// partnership has none.
func (p Place) DisplayName() string {
	if p.PartnershipName != "" {
		return p.PartnershipName
	}
	return p.Name
}

// Date is when the post was published, for cards and listings.
func (p Post) Date() time.Time { return p.PublishedAt }

// Modified is when the post last changed after it was published: its
// publication time unless an editor has changed it since. (A post created
// after its publication date, as the seeded ones were, has not changed
// until it is updated.)
func (p Post) Modified() time.Time {
	if !p.UpdatedAt.Equal(p.CreatedAt) && p.UpdatedAt.After(p.PublishedAt) {
		return p.UpdatedAt
	}
	return p.PublishedAt
}

// Edited reports whether the post changed on a later day than it was
// published, which the page then says.
func (p Post) Edited() bool {
	return london.Date(p.Modified()) != london.Date(p.PublishedAt)
}

// URL is the post's path on the site.
func (p Post) URL() string { return "/news/" + p.Slug }

// slugPattern is what a slug may look like: lowercase words joined by
// hyphens, as in URLs.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ErrInvalid marks a post that cannot be saved as it is.
var ErrInvalid = errors.New("invalid post")

// Validate checks what the database cannot: the slug's form, a title, and
// a hero image that is a path on this site with its alt text.
func (p Post) Validate() error {
	var problems []string
	if !slugPattern.MatchString(p.Slug) {
		problems = append(problems, "the slug must be lowercase letters and numbers joined by hyphens")
	}
	if strings.TrimSpace(p.Title) == "" {
		problems = append(problems, "a title is required")
	}
	if !p.Kind.Valid() {
		problems = append(problems, fmt.Sprintf("unknown kind %q", p.Kind))
	}
	if p.Status != "" && !p.Status.Valid() {
		problems = append(problems, fmt.Sprintf("unknown status %q", p.Status))
	}
	if p.Hero.Path != "" {
		if !strings.HasPrefix(p.Hero.Path, "/") || strings.HasPrefix(p.Hero.Path, "//") || strings.Contains(p.Hero.Path, `\`) {
			problems = append(problems, "the hero image must be a path on this site, starting with /")
		}
		if strings.TrimSpace(p.Hero.Alt) == "" {
			problems = append(problems, "the hero image needs alt text that describes it")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("news: post %q: %w: %s", p.Slug, ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}
