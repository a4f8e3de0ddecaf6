-- The directory of local services, modelled on Open Referral UK (HSDS 3.0,
-- UK profile). Ids are UUIDs as the standard requires; records from a source
-- with its own identifiers (NHS ODS, another ORUK feed) get UUIDs derived from
-- those, so they keep their ids across re-imports.

CREATE TABLE dir_taxonomies (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    uri          TEXT NOT NULL DEFAULT '',
    version      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE dir_taxonomy_terms (
    id           TEXT PRIMARY KEY,
    taxonomy_id  TEXT NOT NULL REFERENCES dir_taxonomies (id) ON DELETE CASCADE,
    parent_id    TEXT REFERENCES dir_taxonomy_terms (id) ON DELETE SET NULL,
    code         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    term_uri     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_taxonomy_terms_taxonomy ON dir_taxonomy_terms (taxonomy_id);

CREATE TABLE dir_organizations (
    id                      TEXT PRIMARY KEY,
    name                    TEXT NOT NULL,
    description             TEXT NOT NULL DEFAULT '',
    email                   TEXT NOT NULL DEFAULT '',
    website                 TEXT NOT NULL DEFAULT '',
    uri                     TEXT NOT NULL DEFAULT '',
    logo                    TEXT NOT NULL DEFAULT '',
    parent_organization_id  TEXT REFERENCES dir_organizations (id) ON DELETE SET NULL,
    ods_code                TEXT UNIQUE,
    source                  TEXT NOT NULL DEFAULT 'local',
    last_modified           TIMESTAMPTZ NOT NULL
);

CREATE TABLE dir_services (
    id               TEXT PRIMARY KEY,
    organization_id  TEXT NOT NULL REFERENCES dir_organizations (id) ON DELETE CASCADE,
    place_id         BIGINT REFERENCES places (id) ON DELETE SET NULL,
    name             TEXT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    url              TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'active'
                     CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
    accreditations   TEXT NOT NULL DEFAULT '',
    minimum_age      BIGINT,
    maximum_age      BIGINT,
    assured_date     TEXT NOT NULL DEFAULT '',
    alert            TEXT NOT NULL DEFAULT '',
    -- TRUE when the service is known to be free of charge to the people who use it.
    free             BOOLEAN NOT NULL DEFAULT FALSE,
    source           TEXT NOT NULL DEFAULT 'local',
    last_modified    TIMESTAMPTZ NOT NULL
);
CREATE INDEX dir_services_organization ON dir_services (organization_id);
CREATE INDEX dir_services_place ON dir_services (place_id, status);
CREATE INDEX dir_services_modified ON dir_services (last_modified);

CREATE TABLE dir_service_terms (
    service_id        TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    taxonomy_term_id  TEXT NOT NULL REFERENCES dir_taxonomy_terms (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, taxonomy_term_id)
);
CREATE INDEX dir_service_terms_term ON dir_service_terms (taxonomy_term_id);

CREATE TABLE dir_locations (
    id                        TEXT PRIMARY KEY,
    location_type             TEXT NOT NULL DEFAULT 'physical'
                              CHECK (location_type IN ('physical', 'postal', 'virtual')),
    name                      TEXT NOT NULL DEFAULT '',
    description               TEXT NOT NULL DEFAULT '',
    latitude                  DOUBLE PRECISION,
    longitude                 DOUBLE PRECISION,
    external_identifier       TEXT NOT NULL DEFAULT '',
    external_identifier_type  TEXT NOT NULL DEFAULT '',
    last_modified             TIMESTAMPTZ NOT NULL
);
CREATE INDEX dir_locations_position ON dir_locations (latitude, longitude);

CREATE TABLE dir_addresses (
    id              TEXT PRIMARY KEY,
    location_id     TEXT NOT NULL REFERENCES dir_locations (id) ON DELETE CASCADE,
    attention       TEXT NOT NULL DEFAULT '',
    address_1       TEXT NOT NULL,
    address_2       TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    region          TEXT NOT NULL DEFAULT '',
    state_province  TEXT NOT NULL DEFAULT '',
    postal_code     TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT 'GB',
    address_type    TEXT NOT NULL DEFAULT 'physical'
);
CREATE INDEX dir_addresses_location ON dir_addresses (location_id);

CREATE TABLE dir_accessibility (
    id           TEXT PRIMARY KEY,
    location_id  TEXT NOT NULL REFERENCES dir_locations (id) ON DELETE CASCADE,
    description  TEXT NOT NULL DEFAULT '',
    details      TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_accessibility_location ON dir_accessibility (location_id);

CREATE TABLE dir_service_at_locations (
    id           TEXT PRIMARY KEY,
    service_id   TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    location_id  TEXT NOT NULL REFERENCES dir_locations (id) ON DELETE CASCADE,
    UNIQUE (service_id, location_id)
);
CREATE INDEX dir_service_at_locations_location ON dir_service_at_locations (location_id);

CREATE TABLE dir_contacts (
    id          TEXT PRIMARY KEY,
    service_id  TEXT REFERENCES dir_services (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_contacts_service ON dir_contacts (service_id);

CREATE TABLE dir_phones (
    id           TEXT PRIMARY KEY,
    service_id   TEXT REFERENCES dir_services (id) ON DELETE CASCADE,
    location_id  TEXT REFERENCES dir_locations (id) ON DELETE CASCADE,
    contact_id   TEXT REFERENCES dir_contacts (id) ON DELETE CASCADE,
    number       TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_phones_service ON dir_phones (service_id);
CREATE INDEX dir_phones_location ON dir_phones (location_id);
CREATE INDEX dir_phones_contact ON dir_phones (contact_id);

-- Opening hours as weekly RFC 5545 rules, the form ORUK uses. Each row is one
-- day-set with one opening period; times are local (Europe/London) HH:MM.
CREATE TABLE dir_schedules (
    id                      TEXT PRIMARY KEY,
    service_id              TEXT REFERENCES dir_services (id) ON DELETE CASCADE,
    service_at_location_id  TEXT REFERENCES dir_service_at_locations (id) ON DELETE CASCADE,
    freq                    TEXT NOT NULL DEFAULT 'WEEKLY',
    interval                BIGINT,
    byday                   TEXT NOT NULL DEFAULT '',
    bymonthday              TEXT NOT NULL DEFAULT '',
    dtstart                 TEXT NOT NULL DEFAULT '',
    valid_from              TEXT NOT NULL DEFAULT '',
    valid_to                TEXT NOT NULL DEFAULT '',
    opens_at                TEXT NOT NULL DEFAULT '',
    closes_at               TEXT NOT NULL DEFAULT '',
    description             TEXT NOT NULL DEFAULT '',
    notes                   TEXT NOT NULL DEFAULT '',
    attending_type          TEXT NOT NULL DEFAULT '',
    schedule_link           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_schedules_service ON dir_schedules (service_id);
CREATE INDEX dir_schedules_sal ON dir_schedules (service_at_location_id);

-- Weekly opening periods derived from the schedules, one row per service,
-- day (1 = Monday ... 7 = Sunday) and period, in minutes after local
-- midnight, so "open now" and "open on a day" are simple indexed queries.
CREATE TABLE dir_opening_periods (
    service_id   TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    weekday      BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens_min    BIGINT NOT NULL CHECK (opens_min BETWEEN 0 AND 1440),
    closes_min   BIGINT NOT NULL CHECK (closes_min BETWEEN 0 AND 1440)
);
CREATE INDEX dir_opening_periods_day ON dir_opening_periods (weekday, opens_min, closes_min);
CREATE INDEX dir_opening_periods_service ON dir_opening_periods (service_id);

CREATE TABLE dir_cost_options (
    id                  TEXT PRIMARY KEY,
    service_id          TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    valid_from          TEXT NOT NULL DEFAULT '',
    valid_to            TEXT NOT NULL DEFAULT '',
    option              TEXT NOT NULL DEFAULT '',
    amount              DOUBLE PRECISION,
    amount_description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_cost_options_service ON dir_cost_options (service_id);

CREATE TABLE dir_languages (
    id          TEXT PRIMARY KEY,
    service_id  TEXT REFERENCES dir_services (id) ON DELETE CASCADE,
    phone_id    TEXT REFERENCES dir_phones (id) ON DELETE CASCADE,
    name        TEXT NOT NULL DEFAULT '',
    code        TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_languages_service ON dir_languages (service_id);

CREATE TABLE dir_service_areas (
    id           TEXT PRIMARY KEY,
    service_id   TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    name         TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    extent       TEXT NOT NULL DEFAULT '',
    extent_type  TEXT NOT NULL DEFAULT '',
    uri          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dir_service_areas_service ON dir_service_areas (service_id);

-- Postcodes with coordinates (OS Code-Point Open, ONS Postcode Directory),
-- for "near a postcode". The key is the postcode in upper case without
-- spaces; display keeps the standard single space.
CREATE TABLE postcodes (
    code       TEXT PRIMARY KEY,
    postcode   TEXT NOT NULL,
    latitude   DOUBLE PRECISION NOT NULL,
    longitude  DOUBLE PRECISION NOT NULL,
    area_code  TEXT NOT NULL DEFAULT '',
    ward_code  TEXT NOT NULL DEFAULT '',
    ward_name  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX postcodes_area ON postcodes (area_code);
