-- Boards and other public groups of a place (a strategic board, a people's
-- partnership), their members, and the rule each sets for residents'
-- questions.
CREATE TABLE boards (
    id                   INTEGER PRIMARY KEY,
    place_id             INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    slug                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    kind                 TEXT NOT NULL DEFAULT 'board'
                         CHECK (kind IN ('board', 'peoples_partnership', 'committee')),
    description          TEXT NOT NULL DEFAULT '',
    terms_of_reference   TEXT NOT NULL DEFAULT '',
    position             INTEGER NOT NULL DEFAULT 0,
    -- The question rule. The deadline is deadline_days calendar or working
    -- days before the meeting's date, at deadline_time (HH:MM, London).
    accepts_questions    BOOLEAN NOT NULL DEFAULT TRUE,
    deadline_kind        TEXT NOT NULL DEFAULT 'calendar' CHECK (deadline_kind IN ('calendar', 'working')),
    deadline_days        INTEGER NOT NULL DEFAULT 6,
    deadline_time        TEXT NOT NULL DEFAULT '00:00',
    max_question_chars   INTEGER NOT NULL DEFAULT 1000,
    questions_per_person INTEGER NOT NULL DEFAULT 1,
    out_of_scope         TEXT NOT NULL DEFAULT '',
    -- What a resident can do instead once the deadline has passed.
    after_deadline       TEXT NOT NULL DEFAULT '',
    contact_email        TEXT NOT NULL DEFAULT '',
    -- Working days within which a written answer is due.
    answer_working_days  INTEGER NOT NULL DEFAULT 20,
    -- Months after a meeting when questioners' and attendees' personal data
    -- is erased.
    retention_months     INTEGER NOT NULL DEFAULT 12,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (place_id, slug)
);

CREATE TABLE board_members (
    id          INTEGER PRIMARY KEY,
    board_id    INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    represents  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX board_members_board ON board_members (board_id, position);

-- A meeting is an event (so it is in listings, calendars and feeds) of a
-- board, with its agenda, papers, declarations and minutes.
CREATE TABLE meetings (
    id                   INTEGER PRIMARY KEY,
    board_id             INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    event_id             INTEGER NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
    status               TEXT NOT NULL DEFAULT 'scheduled'
                         CHECK (status IN ('scheduled', 'cancelled', 'postponed', 'held')),
    livestream_url       TEXT NOT NULL DEFAULT '',
    recording_url        TEXT NOT NULL DEFAULT '',
    -- Minutes (markdown) are public only once approved, at a later meeting.
    minutes              TEXT NOT NULL DEFAULT '',
    minutes_status       TEXT NOT NULL DEFAULT 'none' CHECK (minutes_status IN ('none', 'draft', 'approved')),
    minutes_approved_by  INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
CREATE INDEX meetings_board ON meetings (board_id);

CREATE TABLE agenda_items (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    number       INTEGER NOT NULL,
    title        TEXT NOT NULL,
    presenter    TEXT NOT NULL DEFAULT '',
    -- Local time of day (HH:MM) the item is expected to start, or ''.
    starts_at    TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    UNIQUE (meeting_id, number)
);

-- Papers: an HTML paper written in markdown, or a PDF file kept under the
-- data directory (file_key), checked to be a PDF when uploaded.
CREATE TABLE papers (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    agenda_item_id  INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    position        INTEGER NOT NULL DEFAULT 0,
    title           TEXT NOT NULL,
    format          TEXT NOT NULL CHECK (format IN ('html', 'pdf')),
    body            TEXT NOT NULL DEFAULT '',
    file_key        TEXT NOT NULL DEFAULT '',
    file_name       TEXT NOT NULL DEFAULT '',
    size_bytes      INTEGER NOT NULL DEFAULT 0,
    sha256          TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX papers_meeting ON papers (meeting_id, position);

CREATE TABLE declarations (
    id              INTEGER PRIMARY KEY,
    meeting_id      INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    agenda_item_id  INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    member_name     TEXT NOT NULL,
    interest        TEXT NOT NULL,
    position        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX declarations_meeting ON declarations (meeting_id, position);

-- Residents' questions to a meeting. name, email and organisation are
-- personal data, erased (set to '') with erased_at once the board's
-- retention period has passed; the question and answer stay, published
-- under "a resident".
CREATE TABLE questions (
    id                INTEGER PRIMARY KEY,
    meeting_id        INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    reference         TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL,
    email             TEXT NOT NULL,
    -- email_key is the email in lower case, for the limit per person.
    email_key         TEXT NOT NULL,
    organisation      TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL,
    agenda_item_id    INTEGER REFERENCES agenda_items (id) ON DELETE SET NULL,
    publish_name      BOOLEAN NOT NULL DEFAULT FALSE,
    privacy_accepted  BOOLEAN NOT NULL DEFAULT FALSE,
    status            TEXT NOT NULL DEFAULT 'received' CHECK (status IN
                      ('received', 'accepted', 'answered_at_meeting', 'answered_in_writing', 'declined')),
    answer            TEXT NOT NULL DEFAULT '',
    answer_due_on     TEXT NOT NULL DEFAULT '',
    decline_reason    TEXT NOT NULL DEFAULT '',
    submitted_at      TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    erased_at         TIMESTAMP
);
CREATE INDEX questions_meeting ON questions (meeting_id, status);
CREATE INDEX questions_person ON questions (meeting_id, email_key);

-- Counters for references such as Q-2026-0042: one row per prefix, moved
-- on with one upsert, so two submissions never get the same number.
CREATE TABLE reference_counters (
    prefix  TEXT PRIMARY KEY,
    last    INTEGER NOT NULL
);

-- Recent submissions of the question form by hashed email and address,
-- for rate limits that hold across instances.
CREATE TABLE question_attempts (
    id       INTEGER PRIMARY KEY,
    key      TEXT NOT NULL,
    at       TIMESTAMP NOT NULL
);
CREATE INDEX question_attempts_key ON question_attempts (key, at);

-- Secrets the site makes for itself, such as the key that signs the
-- question form's timestamp.
CREATE TABLE site_secrets (
    name        TEXT PRIMARY KEY,
    value       BLOB NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
