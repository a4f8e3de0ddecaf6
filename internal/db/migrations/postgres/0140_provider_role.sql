-- Providers: people at an organisation the directory lists, invited to
-- propose changes to its services. A provider's account is scoped to one
-- organisation.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN
    ('administrator', 'editor', 'governance_officer', 'directory_editor', 'reviewer', 'provider'));

CREATE TABLE user_organizations (
    user_id          BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL
);
CREATE INDEX user_organizations_organization ON user_organizations (organization_id);
