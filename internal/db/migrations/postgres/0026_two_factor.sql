-- The optional second factor: a TOTP secret per user (RFC 6238), sealed
-- with the site's secret key so that a copy of the database alone does not
-- give it away, and one-time recovery codes, kept as hashes.
CREATE TABLE user_totp (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- secret is the AES-GCM sealed secret, base64; the user id is its
    -- additional data, so a sealed secret cannot be moved to another user.
    secret      TEXT NOT NULL,
    -- enabled is false while the user has not yet confirmed a code.
    enabled     BOOLEAN NOT NULL DEFAULT FALSE,
    -- last_step is the time step of the last code accepted; a code of
    -- that step or an earlier one is refused, so each code works once.
    last_step   BIGINT NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE user_recovery_codes (
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  TEXT NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, code_hash)
);
