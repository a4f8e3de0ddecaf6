package admin

import (
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/news"
)

// How a post is published, as chosen on the form.
const (
	publishDraft = "draft"
	publishNow   = "now"
	publishAt    = "at"
)

// slugPattern is what a slug may look like, as news.Post.Validate and
// events.Event.Validate check it.
var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// postForm is the post form as typed.
type postForm struct {
	ID          int64 // 0 for a new post
	Kind        string
	Title       string
	Slug        string
	Summary     string
	Body        string
	Author      string
	Storyteller string
	PullQuote   string
	PullQuoteBy string
	Publish     string // publishDraft, publishNow or publishAt
	PublishDate string
	PublishTime string
	PlaceIDs    []int64
	Themes      []string // slugs
	LeadImage   string   // a media item's id, or ""
}

// postFormData is what admin_post.html shows.
type postFormData struct {
	Form      postForm
	Errors    formErrors
	Places    []option
	Themes    []option
	Kinds     []option
	Publishes []option
	Tools     recordTools
	// Images are the library's images to choose the lead image from, and
	// Lead the one chosen.
	Images []option
	Lead   *media.Item
}

func newPostForm(p news.Post) postForm {
	f := postForm{ID: p.ID, Kind: string(p.Kind), Title: p.Title, Slug: p.Slug, Summary: p.Summary, Body: p.Body,
		Author: p.Author, Storyteller: p.Storyteller, PullQuote: p.PullQuote, PullQuoteBy: p.PullQuoteBy, Publish: publishDraft}
	if p.ID != 0 && p.Status == news.StatusPublished {
		// A published post keeps its date unless the editor changes it.
		f.Publish, f.PublishDate, f.PublishTime = publishAt, londonDate(p.PublishedAt), londonTime(p.PublishedAt)
	}
	for _, pl := range p.Places {
		f.PlaceIDs = append(f.PlaceIDs, pl.ID)
	}
	for _, t := range p.Themes {
		f.Themes = append(f.Themes, t.Slug)
	}
	if p.LeadImageID != 0 {
		f.LeadImage = itoa(p.LeadImageID)
	}
	return f
}

func readPostForm(r *http.Request, id int64) postForm {
	return postForm{ID: id, Kind: formValue(r, "kind"), Title: formValue(r, "title"), Slug: formValue(r, "slug"),
		Summary: formText(r, "summary"), Body: formText(r, "body"), Author: formValue(r, "author"),
		Storyteller: formValue(r, "storyteller"), PullQuote: formText(r, "pull_quote"), PullQuoteBy: formValue(r, "pull_quote_by"),
		Publish: formValue(r, "publish"), PublishDate: formValue(r, "publish_date"), PublishTime: formValue(r, "publish_time"),
		Themes: r.PostForm["themes"], LeadImage: formValue(r, "lead_image")}
}

// post checks the form and returns the post it describes, built on before
// (the stored post, or the zero Post), published at now when "publish now"
// is chosen. placeErrs are the errors readPlaces found, shown in the order
// of the form.
func (f postForm) post(before news.Post, themes []news.Theme, placeErrs formErrors, now time.Time) (news.Post, formErrors) {
	var errs formErrors
	p := before
	p.Kind, p.Title, p.Slug, p.Summary, p.Body = news.Kind(f.Kind), f.Title, f.Slug, f.Summary, f.Body
	p.Author, p.Storyteller, p.PullQuote, p.PullQuoteBy = f.Author, f.Storyteller, f.PullQuote, f.PullQuoteBy
	p.PlaceIDs, p.Places, p.Themes = f.PlaceIDs, nil, nil
	if !p.Kind.Valid() {
		errs.add("kind-news", "Choose whether this is news or a story")
	}
	if f.Title == "" {
		errs.add("title", "Enter a title")
	}
	checkLength(&errs, "title", f.Title, "The title", 200)
	if f.Slug == "" {
		errs.add("slug", "Enter the end of the web address, like walk-for-health")
	} else if !slugPattern.MatchString(f.Slug) {
		errs.add("slug", "The web address must be lower-case letters and numbers joined by hyphens, like walk-for-health")
	}
	checkLength(&errs, "slug", f.Slug, "The web address", 100)
	if f.Summary == "" {
		errs.add("summary", "Enter a summary")
	}
	checkLength(&errs, "summary", f.Summary, "The summary", 400)
	checkLength(&errs, "body", f.Body, "The body", 50000)
	checkLength(&errs, "author", f.Author, "The author", 150)
	checkLength(&errs, "storyteller", f.Storyteller, "The storyteller", 150)
	if p.Kind == news.KindStory && f.Storyteller == "" {
		errs.add("storyteller", "Enter whose story this is")
	}
	checkLength(&errs, "pull_quote", f.PullQuote, "The pull quote", 500)
	checkLength(&errs, "pull_quote_by", f.PullQuoteBy, "Who said the pull quote", 150)
	if f.PullQuoteBy != "" && f.PullQuote == "" {
		errs.add("pull_quote", "Enter the pull quote, or leave who said it empty")
	}
	for _, e := range placeErrs.List {
		errs.add(e.Field, e.Message)
	}
	for _, slug := range f.Themes {
		i := slices.IndexFunc(themes, func(t news.Theme) bool { return t.Slug == slug })
		if i < 0 {
			errs.add("themes", "Choose themes from the list")
			continue
		}
		p.Themes = append(p.Themes, themes[i])
	}
	switch f.Publish {
	case publishDraft:
		p.Status = news.StatusDraft
		if p.PublishedAt.IsZero() {
			p.PublishedAt = now
		}
	case publishNow:
		p.Status, p.PublishedAt = news.StatusPublished, now
	case publishAt:
		p.Status = news.StatusPublished
		at, wrong := parseLondon(f.PublishDate, f.PublishTime)
		switch wrong {
		case "date":
			errs.add("publish_date", "Enter the date to publish as a real date, like 2026-03-27")
		case "time":
			errs.add("publish_time", "Enter the time to publish on the 24-hour clock, like 09:30")
		}
		p.PublishedAt = at
	default:
		errs.add("publish-draft", "Choose whether to save a draft, publish now or publish later")
	}
	return p, errs
}

func (h *handlers) postFormData(r *http.Request, u accounts.User, f postForm, errs formErrors) (postFormData, error) {
	d := postFormData{Form: f, Errors: errs}
	if f.ID != 0 {
		edit := "/admin/posts/" + itoa(f.ID)
		d.Tools = recordTools{Edit: edit, Noun: "post", Preview: edit + "/preview"}
	}
	list, err := h.places.List(r.Context())
	if err != nil {
		return d, err
	}
	d.Places = placeOptions(u, list, f.PlaceIDs)
	themes, err := h.news.Themes(r.Context())
	if err != nil {
		return d, err
	}
	for _, t := range themes {
		d.Themes = append(d.Themes, option{Value: t.Slug, Label: t.Name, Checked: slices.Contains(f.Themes, t.Slug)})
	}
	if err := h.leadImageOptions(r, u, &d); err != nil {
		return d, err
	}
	d.Kinds = []option{{Value: string(news.KindNews), Label: "News", Checked: f.Kind == string(news.KindNews)},
		{Value: string(news.KindStory), Label: "A resident's story", Checked: f.Kind == string(news.KindStory)}}
	d.Publishes = []option{{Value: publishDraft, Label: "Save as a draft (residents cannot see it)", Checked: f.Publish == publishDraft},
		{Value: publishNow, Label: "Publish now", Checked: f.Publish == publishNow},
		{Value: publishAt, Label: "Publish at a date and time", Checked: f.Publish == publishAt}}
	return d, nil
}

// placesOf lists the ids of a stored post's places.
func placesOf(p news.Post) []int64 {
	var ids []int64
	for _, pl := range p.Places {
		ids = append(ids, pl.ID)
	}
	return ids
}
