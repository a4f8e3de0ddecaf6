-- The partnership (an integrated care system) and its places.
CREATE TABLE systems (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE places (
    id                INTEGER PRIMARY KEY,
    system_id         INTEGER NOT NULL REFERENCES systems (id),
    slug              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    partnership_name  TEXT NOT NULL DEFAULT '',
    area_code         TEXT NOT NULL DEFAULT '',
    summary           TEXT NOT NULL DEFAULT '',
    purpose           TEXT NOT NULL DEFAULT '',
    aims_intro        TEXT NOT NULL DEFAULT '',
    position          INTEGER NOT NULL DEFAULT 0,
    updated_at        TIMESTAMP NOT NULL
);

CREATE TABLE place_aims (
    place_id  INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    text      TEXT NOT NULL,
    PRIMARY KEY (place_id, position)
);

-- Figures an editor types in (population); counts of records are derived.
CREATE TABLE place_figures (
    place_id     INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    label        TEXT NOT NULL,
    value        BIGINT NOT NULL,
    source_name  TEXT NOT NULL,
    source_url   TEXT NOT NULL DEFAULT '',
    as_of        TEXT NOT NULL,
    PRIMARY KEY (place_id, key)
);

CREATE TABLE place_partners (
    id           INTEGER PRIMARY KEY,
    place_id     INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    url          TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX place_partners_place ON place_partners (place_id, position);

CREATE TABLE place_socials (
    id        INTEGER PRIMARY KEY,
    place_id  INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    network   TEXT NOT NULL,
    handle    TEXT NOT NULL,
    url       TEXT NOT NULL
);
CREATE INDEX place_socials_place ON place_socials (place_id, position);

-- News and resident stories.
CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('news', 'story')),
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    summary        TEXT NOT NULL DEFAULT '',
    body           TEXT NOT NULL DEFAULT '',
    author         TEXT NOT NULL DEFAULT '',
    pull_quote     TEXT NOT NULL DEFAULT '',
    pull_quote_by  TEXT NOT NULL DEFAULT '',
    published_at   TIMESTAMP NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
CREATE INDEX posts_published ON posts (published_at);

CREATE TABLE post_places (
    post_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    place_id  INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    PRIMARY KEY (post_id, place_id)
);
CREATE INDEX post_places_place ON post_places (place_id);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL DEFAULT '',
    starts_at   TIMESTAMP NOT NULL,
    ends_at     TIMESTAMP NOT NULL,
    venue       TEXT NOT NULL DEFAULT '',
    organiser   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'scheduled'
                CHECK (status IN ('scheduled', 'cancelled', 'postponed', 'moved_online')),
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    CHECK (ends_at >= starts_at)
);
CREATE INDEX events_starts ON events (starts_at);

CREATE TABLE event_places (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    place_id  INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, place_id)
);
CREATE INDEX event_places_place ON event_places (place_id);

-- Which default data sets have been loaded, so a restart never loads them
-- again and never overwrites an editor's changes.
CREATE TABLE seeds (
    name        TEXT PRIMARY KEY,
    applied_at  TIMESTAMP NOT NULL
);
