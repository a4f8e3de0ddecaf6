-- Each service gets a stable integer key that is also its row's id in the
-- full-text index, so saving a service replaces its index row by key rather
-- than by scanning the index (which made big imports slow down as the
-- square of their size). SQLite's own rowid would not do: VACUUM may
-- renumber it in a table whose primary key is not an integer.
ALTER TABLE dir_services ADD COLUMN search_key INTEGER;
UPDATE dir_services SET search_key = rowid;
CREATE UNIQUE INDEX dir_services_search_key ON dir_services (search_key);

DELETE FROM dir_services_fts;
INSERT INTO dir_services_fts (rowid, service_id, name, description, organization, categories)
    SELECT s.search_key, s.id, s.name, s.description, o.name,
        COALESCE((SELECT group_concat(t.name, ' ') FROM dir_service_terms st
            JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')
    FROM dir_services s JOIN dir_organizations o ON o.id = s.organization_id;
