-- Media limited to places: an item with rows here is for those places
-- only (an editor of other places neither sees nor uses it); an item
-- without any is for every place.
CREATE TABLE media_places (
    media_id  BIGINT NOT NULL REFERENCES media (id) ON DELETE CASCADE,
    place_id  BIGINT NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    PRIMARY KEY (media_id, place_id)
);
CREATE INDEX media_places_place ON media_places (place_id);
