-- Full-text search over services (SQLite FTS5). PostgreSQL keeps a tsvector
-- instead; the directory's text index hides the difference.
CREATE VIRTUAL TABLE dir_services_fts USING fts5(
    service_id UNINDEXED,
    name,
    description,
    organization,
    categories,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- The distinct terms in the index, for suggesting a correction when a
-- keyword matches nothing ("pharmcy").
CREATE VIRTUAL TABLE dir_services_fts_vocab USING fts5vocab(dir_services_fts, 'row');

ALTER TABLE dir_services ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
