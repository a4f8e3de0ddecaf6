-- Residents who asked to be emailed when a board publishes a meeting's
-- papers. A subscription counts only once confirmed from the email sent to
-- the address (double opt-in); unsubscribing deletes the row, and
-- unconfirmed rows are deleted after a week.
CREATE TABLE board_subscriptions (
    id INTEGER PRIMARY KEY,
    board_id INTEGER NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    confirmed_at TIMESTAMP,
    UNIQUE (board_id, email)
);
CREATE INDEX board_subscriptions_email ON board_subscriptions (email);
