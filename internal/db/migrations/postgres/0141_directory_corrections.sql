-- Editors' corrections of imported records: a field an editor changed on a
-- record from ODS or another Open Referral feed is kept on re-import.
-- local_value is the editor's value, source_value the source's last
-- value (both as JSON), kept_against a source value the editor has seen
-- and chosen to keep theirs over; conflict marks a source value that
-- differs from the editor's and waits for review.
CREATE TABLE dir_corrections (
    record_kind   TEXT NOT NULL CHECK (record_kind IN ('service', 'organization')),
    record_id     TEXT NOT NULL,
    field         TEXT NOT NULL,
    local_value   TEXT NOT NULL,
    source_value  TEXT NOT NULL DEFAULT '',
    kept_against  TEXT NOT NULL DEFAULT '',
    conflict      BOOLEAN NOT NULL DEFAULT FALSE,
    corrected_by  TEXT NOT NULL DEFAULT '',
    corrected_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_kind, record_id, field)
);
CREATE INDEX dir_corrections_conflict ON dir_corrections (conflict, record_kind);

-- An organisation an editor has closed: its services are closed with it,
-- and it is kept (not deleted) for its history.
ALTER TABLE dir_organizations ADD COLUMN closed_at TIMESTAMPTZ;
