-- Each service gets a stable integer key, as on SQLite, where it is also
-- the service's row in the full-text index. Existing services are numbered
-- in id order; new ones take the next number when saved.
ALTER TABLE dir_services ADD COLUMN search_key BIGINT;
UPDATE dir_services s SET search_key = k.n
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM dir_services) k
    WHERE k.id = s.id;
CREATE UNIQUE INDEX dir_services_search_key ON dir_services (search_key);

-- Rebuild every service's words, as SQLite rebuilds its index here.
UPDATE dir_services s SET search_document =
    setweight(to_tsvector('english', s.name), 'A')
    || setweight(to_tsvector('english', COALESCE((SELECT string_agg(t.name, ' ') FROM dir_service_terms st
        JOIN dir_taxonomy_terms t ON t.id = st.taxonomy_term_id WHERE st.service_id = s.id), '')), 'B')
    || setweight(to_tsvector('english', o.name), 'C')
    || setweight(to_tsvector('english', s.description), 'D')
    FROM dir_organizations o WHERE o.id = s.organization_id;
