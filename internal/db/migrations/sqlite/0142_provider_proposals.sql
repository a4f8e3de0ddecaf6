-- Providers' proposals: a change to one of their organisation's services,
-- or a new service, held here until a directory editor approves it (then
-- saved as an editor's change would be) or rejects it with a reason.
-- service_id is empty for a new service; data is the proposed service as
-- JSON.
CREATE TABLE dir_proposals (
    id               INTEGER PRIMARY KEY,
    organization_id  TEXT NOT NULL,
    service_id       TEXT NOT NULL DEFAULT '',
    user_id          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    data             TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason           TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    decided_at       TIMESTAMP,
    decided_by       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_proposals_status ON dir_proposals (status, created_at);
CREATE INDEX dir_proposals_organization ON dir_proposals (organization_id, created_at);

-- Invitations sent to providers: the address invited (personal data,
-- registered with the privacy registry) and the account made for it.
CREATE TABLE dir_provider_invites (
    id               INTEGER PRIMARY KEY,
    organization_id  TEXT NOT NULL,
    email            TEXT NOT NULL,
    user_id          INTEGER REFERENCES users (id) ON DELETE CASCADE,
    invited_by       TEXT NOT NULL DEFAULT '',
    invited_at       TIMESTAMP NOT NULL
);
CREATE INDEX dir_provider_invites_email ON dir_provider_invites (lower(email));
