-- The Open Referral API pages through active services in id order; this
-- index covers that walk, so a deep page does not look up every row it skips.
CREATE INDEX dir_services_status_id ON dir_services (status, id);
