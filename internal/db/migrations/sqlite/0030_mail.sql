-- The outbox: every email is queued here, in the transaction of the change
-- that causes it, and a job delivers it (retrying with back-off), so a mail
-- outage loses nothing. The message is kept whole, as sent.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX mail_outbox_to ON mail_outbox (to_addr);

-- Scheduled jobs. An instance runs a job only after claiming its next
-- slot with one conditional UPDATE, so with several instances on one
-- database each slot runs once.
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    next_run_at TIMESTAMP NOT NULL,
    holder TEXT NOT NULL DEFAULT '',
    locked_until TIMESTAMP,
    last_started_at TIMESTAMP,
    last_finished_at TIMESTAMP,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    holder TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_name ON job_runs (name, started_at);
