-- Registration for events that need it. Each event's settings row also
-- counts the places taken, so taking a place is one conditional UPDATE
-- (taken < capacity) that two requests cannot both win for the last place.
CREATE TABLE registration_settings (
    event_id INTEGER PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER NOT NULL DEFAULT 0,
    taken INTEGER NOT NULL DEFAULT 0,
    opens_at TIMESTAMP,
    closes_at TIMESTAMP,
    waiting_list BOOLEAN NOT NULL DEFAULT TRUE,
    reminder_minutes INTEGER NOT NULL DEFAULT 1440,
    ask_access_needs BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TIMESTAMP NOT NULL
);

-- One row per person per event. Names, emails and access needs are erased
-- (set to '') by the retention job once the event is long past; the row
-- stays, so the organiser's numbers still add up.
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    access_needs TEXT NOT NULL DEFAULT '',
    access_consent BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,
    erased_at TIMESTAMP
);
-- A person holds at most one live registration per event.
CREATE UNIQUE INDEX registrations_once ON registrations (event_id, email)
    WHERE status <> 'cancelled' AND erased_at IS NULL;
CREATE INDEX registrations_queue ON registrations (event_id, status, id);
CREATE INDEX registrations_email ON registrations (email);

-- Rate limits of residents' forms: hits per key (a hash of the client
-- address or the email address) in the current window.
CREATE TABLE form_throttle (
    key TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL
);
