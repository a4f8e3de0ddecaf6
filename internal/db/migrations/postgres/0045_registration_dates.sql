-- Registration per date of a repeating event. A registration is for one
-- occurrence (its London date, YYYY-MM-DD; '' for a one-off event, which
-- has only one), and places are counted per occurrence, so a weekly event
-- with capacity N has N places every week. Taking a place is still one
-- conditional UPDATE (taken < capacity) on the occurrence's row.
ALTER TABLE registrations ADD COLUMN occurrence TEXT NOT NULL DEFAULT '';
DROP INDEX registrations_once;
-- A person holds at most one live registration per date of an event.
CREATE UNIQUE INDEX registrations_once_per_date ON registrations (event_id, occurrence, email)
    WHERE status <> 'cancelled' AND erased_at IS NULL;
DROP INDEX registrations_queue;
CREATE INDEX registrations_queue_per_date ON registrations (event_id, occurrence, status, id);

CREATE TABLE registration_places (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    occurrence TEXT NOT NULL,
    taken BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, occurrence)
);
INSERT INTO registration_places (event_id, occurrence, taken) SELECT event_id, '', taken FROM registration_settings;
ALTER TABLE registration_settings DROP COLUMN taken;
