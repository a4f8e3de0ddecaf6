-- Residents' requests for a paper, a meeting page or a post in another
-- format (Easy Read, large print, audio, BSL, another language). name,
-- email, email_key and details are personal data, erased (set to '') with
-- erased_at after the retention period; the rest stays for the record.
CREATE TABLE format_requests (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('paper', 'meeting', 'post')),
    target_id     INTEGER NOT NULL,
    -- The place whose team answers: the board's for papers and meetings,
    -- the post's first place for posts; NULL for the whole system.
    place_id      INTEGER REFERENCES places (id) ON DELETE SET NULL,
    title         TEXT NOT NULL,
    path          TEXT NOT NULL,
    format        TEXT NOT NULL CHECK (format IN ('easy_read', 'large_print', 'audio', 'bsl', 'language', 'other')),
    language      TEXT NOT NULL DEFAULT '',
    details       TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL,
    email_key     TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_hand', 'sent', 'cannot_provide')),
    reason        TEXT NOT NULL DEFAULT '',
    due_on        TEXT NOT NULL,
    submitted_at  TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    closed_at     TIMESTAMP,
    erased_at     TIMESTAMP
);
CREATE INDEX format_requests_queue ON format_requests (status, due_on);
CREATE INDEX format_requests_email ON format_requests (email_key);

-- The spam limits' counters for the request form (hashed keys, as for
-- questions).
CREATE TABLE format_request_attempts (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL,
    at   TIMESTAMP NOT NULL
);
CREATE INDEX format_request_attempts_key ON format_request_attempts (key, at);

-- The site's settings for requests: one row, made by the first save (until
-- then the defaults hold, so a migrated database stays empty for copy).
CREATE TABLE format_settings (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    working_days  INTEGER NOT NULL CHECK (working_days BETWEEN 1 AND 60),
    updated_at    TIMESTAMP NOT NULL
);

-- Other formats of a board paper, shown beside it: a PDF of the media
-- library (Easy Read, large print) or a link (audio, a BSL video, a
-- recording).
CREATE TABLE paper_alternatives (
    id          INTEGER PRIMARY KEY,
    paper_id    INTEGER NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
    format      TEXT NOT NULL CHECK (format IN ('easy_read', 'large_print', 'audio', 'bsl', 'language', 'other')),
    label       TEXT NOT NULL DEFAULT '',
    media_id    INTEGER REFERENCES media (id),
    url         TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL,
    CHECK ((media_id IS NULL) <> (url = ''))
);
CREATE INDEX paper_alternatives_paper ON paper_alternatives (paper_id, position);
