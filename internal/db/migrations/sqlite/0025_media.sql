-- The media library: images, stored re-encoded in several widths, and PDF
-- papers. The files live in a blob store (the data dir's media folder)
-- under names made from the fingerprint; these rows say what they are.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    -- fingerprint is the first 32 hex digits of the SHA-256 of the file as
    -- uploaded, so the same upload always has the same names.
    fingerprint  TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('image', 'pdf')),
    -- name is the uploaded file's name, cleaned: the list shows it and a
    -- PDF is downloaded under it.
    name         TEXT NOT NULL,
    alt          TEXT NOT NULL DEFAULT '',
    decorative   BOOLEAN NOT NULL DEFAULT FALSE,
    -- format is what is stored: 'jpeg' or 'png' for images, 'pdf'.
    format       TEXT NOT NULL CHECK (format IN ('jpeg', 'png', 'pdf')),
    -- width and height are the largest stored image's, in pixels;
    -- widths lists every stored width, smallest first, comma separated.
    width        BIGINT NOT NULL DEFAULT 0,
    height       BIGINT NOT NULL DEFAULT 0,
    widths       TEXT NOT NULL DEFAULT '',
    -- bytes is the size of the file as uploaded.
    bytes        BIGINT NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    -- An image has alt text unless it has been marked decorative.
    CHECK (kind <> 'image' OR alt <> '' OR decorative)
);
CREATE INDEX media_created ON media (created_at);

-- A post's lead image, from the library. A used image cannot be deleted
-- (the admin refuses first; the key guards the rest).
ALTER TABLE posts ADD COLUMN lead_image_id INTEGER REFERENCES media (id);
CREATE INDEX posts_lead_image ON posts (lead_image_id);
