-- Editors' accounts, their sessions, login throttling, one-time links and
-- the audit log of who did what.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL,
    -- email_key is the email in lower case, so two accounts cannot differ
    -- only by case.
    email_key      TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL DEFAULT '',
    role           TEXT NOT NULL CHECK (role IN
                   ('administrator', 'editor', 'governance_officer', 'directory_editor', 'reviewer')),
    password_hash  TEXT NOT NULL DEFAULT '',
    -- session_epoch moves on every password change and "log out
    -- everywhere", so a session from before it no longer works.
    session_epoch  BIGINT NOT NULL DEFAULT 0,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- The places an editor is limited to; an editor with none may edit every place.
CREATE TABLE user_places (
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    place_id  INTEGER NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, place_id)
);

-- Sessions, keyed by the SHA-256 of their token so a copy of the database
-- does not hand out live sessions. Times are Unix nanoseconds.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    data        BLOB NOT NULL,
    expiry      BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed logins per email and per client address, for back-off across
-- instances. Times are Unix nanoseconds.
CREATE TABLE login_throttle (
    key            TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    last_failure   BIGINT NOT NULL,
    blocked_until  BIGINT NOT NULL
);

-- One-time links: password resets and the first administrator's setup.
CREATE TABLE account_tokens (
    token_hash  TEXT PRIMARY KEY,
    purpose     TEXT NOT NULL CHECK (purpose IN ('reset', 'setup')),
    user_id     INTEGER REFERENCES users (id) ON DELETE CASCADE,
    expires_at  BIGINT NOT NULL,
    used        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL
);

-- Who did what, when, to which record, with the record before and after.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TIMESTAMP NOT NULL,
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor        TEXT NOT NULL DEFAULT '',
    action       TEXT NOT NULL,
    record       TEXT NOT NULL DEFAULT '',
    before_json  TEXT NOT NULL DEFAULT '',
    after_json   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_record ON audit_log (record);
