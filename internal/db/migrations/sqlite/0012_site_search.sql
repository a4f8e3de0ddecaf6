-- Site search over posts, events and places (SQLite FTS5), kept in step
-- with them by triggers. The rowid encodes what a row indexes (id * 8 +
-- kind: 1 post, 2 event, 3 place) so each row is replaced by key.
CREATE VIRTUAL TABLE site_search USING fts5(
    kind UNINDEXED,
    ref UNINDEXED,
    title,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

INSERT INTO site_search (rowid, kind, ref, title, body)
    SELECT id * 8 + 1, 'post', id, title, summary || ' ' || body || ' ' || author || ' ' || pull_quote || ' ' || storyteller FROM posts;
INSERT INTO site_search (rowid, kind, ref, title, body)
    SELECT id * 8 + 2, 'event', id, title, summary || ' ' || body || ' ' || venue || ' ' || venue_address || ' ' || organiser FROM events;
INSERT INTO site_search (rowid, kind, ref, title, body)
    SELECT id * 8 + 3, 'place', id, CASE WHEN partnership_name <> '' THEN partnership_name ELSE name END,
        name || ' ' || summary || ' ' || purpose FROM places;

CREATE TRIGGER site_search_posts_insert AFTER INSERT ON posts BEGIN
    INSERT INTO site_search (rowid, kind, ref, title, body) VALUES (NEW.id * 8 + 1, 'post', NEW.id, NEW.title,
        NEW.summary || ' ' || NEW.body || ' ' || NEW.author || ' ' || NEW.pull_quote || ' ' || NEW.storyteller);
END;
CREATE TRIGGER site_search_posts_update AFTER UPDATE ON posts BEGIN
    DELETE FROM site_search WHERE rowid = OLD.id * 8 + 1;
    INSERT INTO site_search (rowid, kind, ref, title, body) VALUES (NEW.id * 8 + 1, 'post', NEW.id, NEW.title,
        NEW.summary || ' ' || NEW.body || ' ' || NEW.author || ' ' || NEW.pull_quote || ' ' || NEW.storyteller);
END;
CREATE TRIGGER site_search_posts_delete AFTER DELETE ON posts BEGIN
    DELETE FROM site_search WHERE rowid = OLD.id * 8 + 1;
END;

CREATE TRIGGER site_search_events_insert AFTER INSERT ON events BEGIN
    INSERT INTO site_search (rowid, kind, ref, title, body) VALUES (NEW.id * 8 + 2, 'event', NEW.id, NEW.title,
        NEW.summary || ' ' || NEW.body || ' ' || NEW.venue || ' ' || NEW.venue_address || ' ' || NEW.organiser);
END;
CREATE TRIGGER site_search_events_update AFTER UPDATE ON events BEGIN
    DELETE FROM site_search WHERE rowid = OLD.id * 8 + 2;
    INSERT INTO site_search (rowid, kind, ref, title, body) VALUES (NEW.id * 8 + 2, 'event', NEW.id, NEW.title,
        NEW.summary || ' ' || NEW.body || ' ' || NEW.venue || ' ' || NEW.venue_address || ' ' || NEW.organiser);
END;
CREATE TRIGGER site_search_events_delete AFTER DELETE ON events BEGIN
    DELETE FROM site_search WHERE rowid = OLD.id * 8 + 2;
END;

CREATE TRIGGER site_search_places_insert AFTER INSERT ON places BEGIN
    INSERT INTO site_search (rowid, kind, ref, title, body) VALUES (NEW.id * 8 + 3, 'place', NEW.id,
        CASE WHEN NEW.partnership_name <> '' THEN NEW.partnership_name ELSE NEW.name END,
        NEW.name || ' ' || NEW.summary || ' ' || NEW.purpose);
END;
CREATE TRIGGER site_search_places_update AFTER UPDATE ON places BEGIN
    DELETE FROM site_search WHERE rowid = OLD.id * 8 + 3;
    INSERT INTO site_search (rowid, kind, ref, title, body) VALUES (NEW.id * 8 + 3, 'place', NEW.id,
        CASE WHEN NEW.partnership_name <> '' THEN NEW.partnership_name ELSE NEW.name END,
        NEW.name || ' ' || NEW.summary || ' ' || NEW.purpose);
END;
CREATE TRIGGER site_search_places_delete AFTER DELETE ON places BEGIN
    DELETE FROM site_search WHERE rowid = OLD.id * 8 + 3;
END;
