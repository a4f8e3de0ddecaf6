package seed

import (
	"context"
	"database/sql"
	"errors"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/news"
)

// defaultThemes are the themes the seeded posts are tagged with.
var defaultThemes = []news.Theme{
	{Slug: "awards", Name: "Awards and recognition"},
	{Slug: "long-term-conditions", Name: "Long-term conditions"},
	{Slug: "stopping-smoking", Name: "Stopping smoking"},
}

// postThemes tags the seeded posts, by slug, with their themes.
var postThemes = map[string][]string{
	"celebrating-success-at-the-hsj-awards-2024":          {"awards"},
	"supporting-patients-to-manage-their-lung-conditions": {"long-term-conditions", "stopping-smoking"},
}

// loadPostThemes adds the default themes and tags the seeded posts that
// are still there, leaving alone any an editor has tagged already.
func loadPostThemes(ctx context.Context, q db.Querier) error {
	st := news.NewStore(q)
	for _, t := range defaultThemes {
		if _, err := st.SaveTheme(ctx, t); err != nil {
			return err
		}
	}
	for slug, themes := range postThemes {
		var id int64
		var tagged int
		err := q.QueryRowContext(ctx, `SELECT p.id, (SELECT COUNT(*) FROM post_themes pt WHERE pt.post_id = p.id)
			FROM posts p WHERE p.slug = $1`, slug).Scan(&id, &tagged)
		if errors.Is(err, sql.ErrNoRows) || tagged > 0 {
			continue
		}
		if err != nil {
			return err
		}
		if err := st.SetThemes(ctx, id, themes); err != nil {
			return err
		}
	}
	return nil
}

// loadStorytellers names the resident who tells the seeded story, unless an
// editor has named one already. It is a correction of the seeded data, not
// an edit, so the post's updated time stays as it was.
func loadStorytellers(ctx context.Context, q db.Querier) error {
	_, err := q.ExecContext(ctx, `UPDATE posts SET storyteller = $1 WHERE slug = $2 AND storyteller = ''`,
		"Ralf Nicholson", "supporting-patients-to-manage-their-lung-conditions")
	return err
}
