-- An Open Referral UK import stages what it will change here, a batch at a
-- time, while it reads the feed; then it applies the staged records to the
-- directory in one transaction. A failed or interrupted import leaves only
-- staged rows, which residents never see and the next import clears.
-- seen_at moves with each batch, so rows of an import that died can be told
-- from those of one still running.
CREATE TABLE oruk_import_runs (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    seen_at     TIMESTAMPTZ NOT NULL
);

-- Services whose content differs from the directory's, in feed order.
CREATE TABLE oruk_import_services (
    run_id      TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    service_id  TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);

-- Organisations as the feed last describes them.
CREATE TABLE oruk_import_organizations (
    run_id  TEXT NOT NULL,
    id      TEXT NOT NULL,
    seq     BIGINT NOT NULL,
    body    TEXT NOT NULL,
    PRIMARY KEY (run_id, id)
);
