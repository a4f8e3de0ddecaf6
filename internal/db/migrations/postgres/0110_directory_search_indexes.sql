-- Search whose cost does not grow with the number of matches.
--
-- Positions: a GiST index on each located place's point answers "within
-- this box" from the index. Each service at a location has a stable
-- integer key, as on SQLite, where it keys the R*Tree of positions.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE dir_service_at_locations ADD COLUMN position_key BIGSERIAL;
CREATE UNIQUE INDEX dir_service_at_locations_position_key ON dir_service_at_locations (position_key);
CREATE INDEX dir_locations_point ON dir_locations USING GIST (point(longitude, latitude))
    WHERE latitude IS NOT NULL AND longitude IS NOT NULL;

-- A list without keywords or position is by name: this index walks it in
-- order, so a page reads only its own rows.
CREATE INDEX dir_services_status_name ON dir_services (status, name, id);

-- The words of the directory as written (not stemmed), for "did you mean",
-- added by the directory's save path, indexed by trigrams (pg_trgm) so a
-- misspelling finds its nearest words through the index.
CREATE TABLE dir_vocabulary (
    id    BIGSERIAL PRIMARY KEY,
    word  TEXT NOT NULL UNIQUE,
    uses  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX dir_vocabulary_trigrams ON dir_vocabulary USING GIST (word gist_trgm_ops);

INSERT INTO dir_vocabulary (word, uses)
SELECT w, COUNT(*) FROM (
    SELECT regexp_split_to_table(lower(t), '[^[:alnum:]]+') AS w FROM (
        SELECT name || ' ' || description AS t FROM dir_services
        UNION ALL SELECT name FROM dir_organizations
        UNION ALL SELECT name || ' ' || description FROM dir_taxonomy_terms
    ) texts
) words
WHERE length(w) > 2 GROUP BY w;
