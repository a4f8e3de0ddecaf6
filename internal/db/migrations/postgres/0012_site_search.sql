-- Site search over posts, events and places, kept in step with them by
-- triggers. SQLite keeps an FTS5 table; PostgreSQL keeps the same rows
-- with a tsvector (title weighted A, body D) indexed with GIN. The key
-- encodes what a row indexes (id * 8 + kind: 1 post, 2 event, 3 place), as
-- SQLite's rowid does, so results tie-break in the same order.
CREATE TABLE site_search (
    key       BIGINT PRIMARY KEY,
    kind      TEXT NOT NULL,
    ref       BIGINT NOT NULL,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL,
    document  TSVECTOR GENERATED ALWAYS AS
              (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'D')) STORED
);
CREATE INDEX site_search_document ON site_search USING GIN (document);

INSERT INTO site_search (key, kind, ref, title, body)
    SELECT id * 8 + 1, 'post', id, title, summary || ' ' || body || ' ' || author || ' ' || pull_quote || ' ' || storyteller FROM posts;
INSERT INTO site_search (key, kind, ref, title, body)
    SELECT id * 8 + 2, 'event', id, title, summary || ' ' || body || ' ' || venue || ' ' || venue_address || ' ' || organiser FROM events;
INSERT INTO site_search (key, kind, ref, title, body)
    SELECT id * 8 + 3, 'place', id, CASE WHEN partnership_name <> '' THEN partnership_name ELSE name END,
        name || ' ' || summary || ' ' || purpose FROM places;

CREATE FUNCTION site_search_posts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM site_search WHERE key = OLD.id * 8 + 1;
        RETURN NULL;
    END IF;
    INSERT INTO site_search (key, kind, ref, title, body) VALUES (NEW.id * 8 + 1, 'post', NEW.id, NEW.title,
        NEW.summary || ' ' || NEW.body || ' ' || NEW.author || ' ' || NEW.pull_quote || ' ' || NEW.storyteller)
    ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body;
    RETURN NULL;
END $$;
CREATE TRIGGER site_search_posts AFTER INSERT OR UPDATE OR DELETE ON posts
    FOR EACH ROW EXECUTE FUNCTION site_search_posts();

CREATE FUNCTION site_search_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM site_search WHERE key = OLD.id * 8 + 2;
        RETURN NULL;
    END IF;
    INSERT INTO site_search (key, kind, ref, title, body) VALUES (NEW.id * 8 + 2, 'event', NEW.id, NEW.title,
        NEW.summary || ' ' || NEW.body || ' ' || NEW.venue || ' ' || NEW.venue_address || ' ' || NEW.organiser)
    ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body;
    RETURN NULL;
END $$;
CREATE TRIGGER site_search_events AFTER INSERT OR UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION site_search_events();

CREATE FUNCTION site_search_places() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM site_search WHERE key = OLD.id * 8 + 3;
        RETURN NULL;
    END IF;
    INSERT INTO site_search (key, kind, ref, title, body) VALUES (NEW.id * 8 + 3, 'place', NEW.id,
        CASE WHEN NEW.partnership_name <> '' THEN NEW.partnership_name ELSE NEW.name END,
        NEW.name || ' ' || NEW.summary || ' ' || NEW.purpose)
    ON CONFLICT (key) DO UPDATE SET title = excluded.title, body = excluded.body;
    RETURN NULL;
END $$;
CREATE TRIGGER site_search_places AFTER INSERT OR UPDATE OR DELETE ON places
    FOR EACH ROW EXECUTE FUNCTION site_search_places();
