-- Each outbox message is claimed on its own before it is sent: a
-- conditional UPDATE sets claimed_by and claimed_until (a lease longer
-- than a send may take), so no two instances send the same message. A
-- message tried mail.MaxAttempts times is marked failed_at and no longer
-- tried; administrators see it in the admin.
ALTER TABLE mail_outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN claimed_until TIMESTAMP;
ALTER TABLE mail_outbox ADD COLUMN failed_at TIMESTAMP;
DROP INDEX mail_outbox_due;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX mail_outbox_failed ON mail_outbox (failed_at) WHERE failed_at IS NOT NULL;
