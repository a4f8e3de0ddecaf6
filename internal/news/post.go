// Package news holds the partnership's posts: news and residents' stories.
package news

import "time"

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

// Post is a news item or a resident's story.
type Post struct {
	ID          int64
	Kind        Kind
	Slug        string
	Title       string
	Summary     string
	Body        string // plain text for now; paragraphs separated by blank lines
	Author      string
	PullQuote   string
	PullQuoteBy string
	PublishedAt time.Time
	PlaceIDs    []int64
}
