-- Search whose cost does not grow with the number of matches.
--
-- Each service at a location gets a stable integer key (SQLite's rowid may
-- be renumbered by VACUUM), the id of its row in an R*Tree of positions.
-- The R*Tree holds the exact position beside its box, so a search near a
-- point reads candidates from the tree alone. Triggers keep it right on
-- every write, whichever path makes it.
ALTER TABLE dir_service_at_locations ADD COLUMN position_key INTEGER;
UPDATE dir_service_at_locations SET position_key = rowid;
CREATE UNIQUE INDEX dir_service_at_locations_position_key ON dir_service_at_locations (position_key);

CREATE VIRTUAL TABLE dir_positions USING rtree(position_key, min_lat, max_lat, min_lon, max_lon, +latitude, +longitude);
INSERT INTO dir_positions (position_key, min_lat, max_lat, min_lon, max_lon, latitude, longitude)
    SELECT sl.position_key, l.latitude, l.latitude, l.longitude, l.longitude, l.latitude, l.longitude
    FROM dir_service_at_locations sl JOIN dir_locations l ON l.id = sl.location_id
    WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL;

CREATE TRIGGER dir_positions_sal_insert AFTER INSERT ON dir_service_at_locations BEGIN
    UPDATE dir_service_at_locations
        SET position_key = (SELECT COALESCE(MAX(position_key), 0) + 1 FROM dir_service_at_locations)
        WHERE id = NEW.id AND position_key IS NULL;
    INSERT INTO dir_positions (position_key, min_lat, max_lat, min_lon, max_lon, latitude, longitude)
        SELECT sl.position_key, l.latitude, l.latitude, l.longitude, l.longitude, l.latitude, l.longitude
        FROM dir_service_at_locations sl JOIN dir_locations l ON l.id = sl.location_id
        WHERE sl.id = NEW.id AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL;
END;

CREATE TRIGGER dir_positions_sal_delete AFTER DELETE ON dir_service_at_locations BEGIN
    DELETE FROM dir_positions WHERE position_key = OLD.position_key;
END;

CREATE TRIGGER dir_positions_sal_update AFTER UPDATE OF location_id ON dir_service_at_locations BEGIN
    DELETE FROM dir_positions WHERE position_key = OLD.position_key;
    INSERT INTO dir_positions (position_key, min_lat, max_lat, min_lon, max_lon, latitude, longitude)
        SELECT NEW.position_key, l.latitude, l.latitude, l.longitude, l.longitude, l.latitude, l.longitude
        FROM dir_locations l
        WHERE l.id = NEW.location_id AND NEW.position_key IS NOT NULL
            AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL;
END;

CREATE TRIGGER dir_positions_location_update AFTER UPDATE OF latitude, longitude ON dir_locations BEGIN
    DELETE FROM dir_positions
        WHERE position_key IN (SELECT position_key FROM dir_service_at_locations WHERE location_id = NEW.id);
    INSERT INTO dir_positions (position_key, min_lat, max_lat, min_lon, max_lon, latitude, longitude)
        SELECT sl.position_key, NEW.latitude, NEW.latitude, NEW.longitude, NEW.longitude, NEW.latitude, NEW.longitude
        FROM dir_service_at_locations sl
        WHERE sl.location_id = NEW.id AND sl.position_key IS NOT NULL
            AND NEW.latitude IS NOT NULL AND NEW.longitude IS NOT NULL;
END;

-- A list without keywords or position is by name: this index walks it in
-- order, so a page reads only its own rows.
CREATE INDEX dir_services_status_name ON dir_services (status, name, id);

-- The words of the directory as written (not stemmed), for "did you mean".
-- The directory's save path adds the words of each service it writes; a
-- word no longer used stays, but a suggestion is only offered when it
-- finds something. Each word is indexed by its trigrams (padded as
-- PostgreSQL's pg_trgm pads them), so a misspelling finds its neighbours
-- through the index instead of by reading every word.
CREATE TABLE dir_vocabulary (
    id    INTEGER PRIMARY KEY,
    word  TEXT NOT NULL UNIQUE,
    uses  INTEGER NOT NULL DEFAULT 0
);
CREATE VIRTUAL TABLE dir_vocabulary_trigrams USING fts5(word, content = '', tokenize = 'trigram');
CREATE TRIGGER dir_vocabulary_trigrams_insert AFTER INSERT ON dir_vocabulary BEGIN
    INSERT INTO dir_vocabulary_trigrams (rowid, word) VALUES (NEW.id, '  ' || NEW.word || ' ');
END;

-- The words already held, split on white space and common punctuation
-- (the save path splits on every character that is not a letter or digit).
INSERT INTO dir_vocabulary (word, uses)
WITH RECURSIVE texts (t) AS (
    SELECT name || ' ' || description FROM dir_services
    UNION ALL SELECT name FROM dir_organizations
    UNION ALL SELECT name || ' ' || description FROM dir_taxonomy_terms
), cleaned (t) AS (
    SELECT replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        replace(replace(replace(replace(replace(replace(replace(lower(t),
        ',', ' '), '.', ' '), ';', ' '), ':', ' '), '!', ' '), '?', ' '), '(', ' '), ')', ' '), '''', ' '), '"', ' '),
        '-', ' '), '/', ' '), '&', ' '), '+', ' '), char(10), ' '), char(13), ' '), char(9), ' '), '’', ' '), '[', ' '), ']', ' ')
        || ' '
    FROM texts
), split (word, rest) AS (
    SELECT '', t FROM cleaned
    UNION ALL
    SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> ''
)
SELECT word, COUNT(*) FROM split WHERE length(word) > 2 GROUP BY word;
