-- Every saved version of a record edited in the admin, so an editor can see
-- what changed and restore an earlier version. kind names the sort of
-- record ("post", "event", "place", "service"; boards and meetings can
-- add theirs) and record_id its id as text (directory ids are UUIDs).
-- data is the record as JSON.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    at         TIMESTAMP NOT NULL,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL
);
CREATE INDEX revisions_record ON revisions (kind, record_id, id);

-- The audit log viewer filters by who and by action.
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_action ON audit_log (action);
