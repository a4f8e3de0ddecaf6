-- What each email is about, so that it is deleted with the personal data
-- it belongs to: ref names the record ("registration:12",
-- "subscription:3", "question:7"), and erasing the record deletes its
-- emails. expires_at, when set, is when the message goes whatever else
-- happens; delete_when_sent marks a message (such as the one confirming
-- an erasure) deleted by the next retention run after it is sent. Other
-- messages go a retention period after they were queued.
ALTER TABLE mail_outbox ADD COLUMN ref TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN expires_at TIMESTAMP;
ALTER TABLE mail_outbox ADD COLUMN delete_when_sent BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX mail_outbox_ref ON mail_outbox (ref) WHERE ref <> '';
