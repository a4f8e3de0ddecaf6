-- Posts in full: a draft or published status, a hero image whose alt text is
-- required once it has a path, the resident who tells a story, and themes.
-- The body is markdown from now on; the plain-text bodies already stored are
-- valid markdown.
ALTER TABLE posts ADD COLUMN status TEXT NOT NULL DEFAULT 'published'
    CHECK (status IN ('draft', 'published'));
ALTER TABLE posts ADD COLUMN hero_image TEXT NOT NULL DEFAULT '';
ALTER TABLE posts ADD COLUMN hero_alt TEXT NOT NULL DEFAULT ''
    CHECK (hero_image = '' OR hero_alt <> '');
ALTER TABLE posts ADD COLUMN hero_caption TEXT NOT NULL DEFAULT '';
-- The resident whose story it is; the author is who published it.
ALTER TABLE posts ADD COLUMN storyteller TEXT NOT NULL DEFAULT '';

CREATE INDEX posts_public ON posts (status, published_at);

-- Themes tag posts (and, later, events) across places: "Long-term
-- conditions", "Awards and recognition".
CREATE TABLE themes (
    id    INTEGER PRIMARY KEY,
    slug  TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE post_themes (
    post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    theme_id  INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, theme_id)
);
CREATE INDEX post_themes_theme ON post_themes (theme_id);
