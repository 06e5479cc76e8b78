-- Identity beyond users and units: web sessions shared by every `turno serve` process,
-- sign-in throttling, and API tokens (kept as the SHA-256 of the token, never in clear).

-- Opaque session data; expires_at in Unix seconds.
CREATE TABLE sessions (
    id          TEXT    PRIMARY KEY,
    data        TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Consecutive failed sign-ins per login (which need not exist); cleared on success.
CREATE TABLE sign_in_failures (
    login     TEXT     PRIMARY KEY,
    failures  INTEGER  NOT NULL,
    last_at   TEXT     NOT NULL
);

CREATE TABLE api_tokens (
    id            BIGSERIAL PRIMARY KEY,
    user_id       BIGINT  NOT NULL REFERENCES users (id),
    name          TEXT    NOT NULL,
    token_sha256  TEXT    NOT NULL UNIQUE,
    created_at    TEXT    NOT NULL,
    last_used_at  TEXT,
    revoked       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The organization chart is walked downwards (a unit sees the work of the units below it).
CREATE INDEX units_parent ON units (parent_id);
