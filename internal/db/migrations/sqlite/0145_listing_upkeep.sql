-- Keeping directory listings true (package upkeep): when a person last
-- confirmed a service, residents' reports of problems with a listing,
-- reminders to providers, and the automatic checks of websites, email
-- addresses and phone numbers.

-- confirmed_at is when a person last confirmed the service is still
-- correct (an editor, or its provider); assurer_email is the account that
-- did. Saves and imports never touch them.
ALTER TABLE dir_services ADD COLUMN confirmed_at TIMESTAMP;
ALTER TABLE dir_services ADD COLUMN assurer_email TEXT NOT NULL DEFAULT '';

-- A resident's report of a problem with a listing. email is optional, for
-- the reply when it is closed; it is erased after its retention period.
CREATE TABLE listing_reports (
    id          INTEGER PRIMARY KEY,
    service_id  TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('phone', 'address', 'hours', 'closed', 'other')),
    details     TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'in_hand', 'fixed', 'not_a_problem')),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    closed_at   TIMESTAMP,
    erased_at   TIMESTAMP
);
CREATE INDEX listing_reports_status ON listing_reports (status, created_at);
CREATE INDEX listing_reports_service ON listing_reports (service_id);

-- Recent submissions of the report form by hashed address and email, for
-- rate limits that hold across instances.
CREATE TABLE listing_report_attempts (
    id   INTEGER PRIMARY KEY,
    key  TEXT NOT NULL,
    at   TIMESTAMP NOT NULL
);
CREATE INDEX listing_report_attempts_key ON listing_report_attempts (key, at);

-- The last reminder sent to an organisation's providers about its stale
-- listings, so that they get at most one a month.
CREATE TABLE listing_reminders (
    organization_id  TEXT PRIMARY KEY REFERENCES dir_organizations (id) ON DELETE CASCADE,
    reminded_at      TIMESTAMP NOT NULL,
    services         INTEGER NOT NULL DEFAULT 0
);

-- When each service was last checked automatically.
CREATE TABLE listing_check_runs (
    service_id  TEXT PRIMARY KEY REFERENCES dir_services (id) ON DELETE CASCADE,
    checked_at  TIMESTAMP NOT NULL
);

-- The latest result of each automatic check of a service: its website,
-- each email address and each phone number. failures counts the failures
-- in a row; flagged is set once they reach the threshold and stays until a
-- check passes again.
CREATE TABLE listing_checks (
    service_id  TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('website', 'email', 'phone')),
    target      TEXT NOT NULL,
    ok          BOOLEAN NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    failures    INTEGER NOT NULL DEFAULT 0,
    flagged     BOOLEAN NOT NULL DEFAULT FALSE,
    checked_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (service_id, kind, target)
);
CREATE INDEX listing_checks_failing ON listing_checks (ok, flagged);
