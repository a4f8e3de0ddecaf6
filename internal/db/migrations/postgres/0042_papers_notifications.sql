-- When a meeting's board subscribers were told that its papers are
-- published: once per meeting, claimed with one INSERT, so two clicks
-- (or two editors) never send the emails twice.
CREATE TABLE papers_notifications (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
    sent_at TIMESTAMPTZ NOT NULL,
    sent_by TEXT NOT NULL DEFAULT '',
    recipients BIGINT NOT NULL DEFAULT 0
);
