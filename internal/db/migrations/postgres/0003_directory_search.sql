-- Full-text search over services. SQLite keeps an FTS5 table; PostgreSQL
-- keeps each service's words in a tsvector beside it, weighted by where
-- they come from (A name, B categories, C organisation, D description) and
-- indexed with GIN. The directory's text index fills it and hides the
-- difference. The English configuration stems words as FTS5's porter
-- tokenizer does.
ALTER TABLE dir_services ADD COLUMN search_document TSVECTOR NOT NULL DEFAULT ''::tsvector;
CREATE INDEX dir_services_search_document ON dir_services USING GIN (search_document);

ALTER TABLE dir_services ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
