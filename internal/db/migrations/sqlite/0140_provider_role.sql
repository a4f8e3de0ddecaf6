-- Providers: people at an organisation the directory lists, invited to
-- propose changes to its services. A provider's account is scoped to one
-- organisation.
--
-- SQLite cannot alter a CHECK constraint, and rebuilding users would run
-- the ON DELETE CASCADE of every table that refers to it. Widening the
-- list of roles leaves every stored row valid, which is the case SQLite's
-- documentation allows to be made by rewriting the table's definition
-- (https://www.sqlite.org/lang_altertable.html, "other kinds of table
-- schema changes"). RESET, and the CREATE TABLE after it (which moves the
-- schema version), make every connection read the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, '''directory_editor'', ''reviewer'')',
    '''directory_editor'', ''reviewer'', ''provider'')')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;

CREATE TABLE user_organizations (
    user_id          INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    organization_id  TEXT NOT NULL
);
CREATE INDEX user_organizations_organization ON user_organizations (organization_id);
