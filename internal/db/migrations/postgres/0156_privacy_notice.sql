-- The privacy notice's words, as administrators edit them in the admin
-- (each save is a revision). One row at most; until the first save the
-- site shows the notice it ships with. What is held and for how long is
-- not stored here: the page always takes it from the privacy registry.
CREATE TABLE privacy_notice (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    lede        TEXT NOT NULL,
    body        TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
