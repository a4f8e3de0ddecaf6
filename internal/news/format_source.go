package news

import (
	"context"
	"net/http"

	"github.com/joinedup/joinedup/internal/formats"
)

// FormatSource is the posts as pages residents can ask for in another
// format, answered by the editors of the post's (first) place, or of the
// whole system for a post with none.
func FormatSource(s *Store) formats.Source {
	return formats.Source{Kind: formats.Post, Pattern: "/news/{slug}", Find: func(ctx context.Context, r *http.Request) (formats.Target, error) {
		p, err := s.BySlug(ctx, r.PathValue("slug"))
		if err != nil {
			return formats.Target{}, err
		}
		t := formats.Target{ID: p.ID, Title: p.Title, Path: "/news/" + p.Slug, Team: "the website's editors"}
		if len(p.Places) > 0 {
			t.PlaceID, t.Team = p.Places[0].ID, "the editors for "+p.Places[0].Name
		}
		return t, nil
	}}
}
