-- A PDF paper is a file of the media library, which checks it, stores it
-- and serves it as a download; a paper names it instead of keeping a file
-- of its own. A PDF in use by a paper cannot be deleted.
ALTER TABLE papers ADD COLUMN media_id BIGINT REFERENCES media (id);
CREATE INDEX papers_media ON papers (media_id);
ALTER TABLE papers DROP COLUMN file_key;
ALTER TABLE papers DROP COLUMN file_name;
ALTER TABLE papers DROP COLUMN size_bytes;
ALTER TABLE papers DROP COLUMN sha256;
