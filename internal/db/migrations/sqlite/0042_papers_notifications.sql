-- When a meeting's board subscribers were told that its papers are
-- published: once per meeting, claimed with one INSERT, so two clicks
-- (or two editors) never send the emails twice.
CREATE TABLE papers_notifications (
    meeting_id INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    sent_at TIMESTAMP NOT NULL,
    sent_by TEXT NOT NULL DEFAULT '',
    recipients INTEGER NOT NULL DEFAULT 0
);
