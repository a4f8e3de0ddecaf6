-- Events in full: all-day events, how people attend, the venue, an online
-- joining link, a repeat rule with cancelled dates, and a sequence number
-- that calendars use to notice changes.
ALTER TABLE events ADD COLUMN all_day BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE events ADD COLUMN attendance_mode TEXT NOT NULL DEFAULT 'in_person'
    CHECK (attendance_mode IN ('in_person', 'online', 'hybrid'));
ALTER TABLE events ADD COLUMN venue_address TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN venue_postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN venue_accessibility TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN online_url TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN status_note TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN repeat_rule TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN published BOOLEAN NOT NULL DEFAULT TRUE;

-- Dates (local, YYYY-MM-DD) on which a repeating event does not happen.
CREATE TABLE event_cancellations (
    event_id   BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurs_on  TEXT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (event_id, occurs_on)
);

-- Events share the themes posts use.
CREATE TABLE event_themes (
    event_id  BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    theme_id  BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, theme_id)
);
CREATE INDEX event_themes_theme ON event_themes (theme_id);
