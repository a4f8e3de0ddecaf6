-- Boards and meetings are archived instead of deleted: kept, with their
-- versions, papers and questions, but gone from every public page, feed,
-- calendar, sitemap and search. A meeting is an event, so the event
-- carries it; archived_with says whether the event was archived on its
-- own ('event') or with its board ('board'), so that unarchiving the
-- board brings back only the meetings it took away.
ALTER TABLE events ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE events ADD COLUMN archived_with TEXT NOT NULL DEFAULT '';
ALTER TABLE boards ADD COLUMN archived_at TIMESTAMP;
