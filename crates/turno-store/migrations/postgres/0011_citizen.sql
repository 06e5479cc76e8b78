-- Citizen attention (docs/citizen-format.md): the motive catalog, the call-center files
-- imported, and the petitions. Personal data are stored whole; masking is for display.

CREATE TABLE motives (
    code    TEXT    PRIMARY KEY,
    name    TEXT    NOT NULL,
    -- The petition kinds it applies to, by code and comma-separated; empty: every kind.
    kinds   TEXT    NOT NULL DEFAULT '',
    active  BOOLEAN NOT NULL DEFAULT TRUE
);

-- One import of a call-center file: which file (its name and SHA-256), who, when and what it
-- gave. A file imported again is a batch of its own whose rows were all already imported.
CREATE TABLE call_imports (
    id            BIGSERIAL PRIMARY KEY,
    file_name     TEXT    NOT NULL,
    file_sha256   BYTEA   NOT NULL,
    imported_by   TEXT    NOT NULL,
    imported_at   TEXT    NOT NULL,
    row_count     BIGINT  NOT NULL,
    added         BIGINT  NOT NULL,
    already       BIGINT  NOT NULL
);

-- The folio is AC-<folio_year>-<folio_number>, counted per year in folio_counters (scope
-- 'AC') inside the transaction that inserts the petition, so there are no gaps.
CREATE TABLE petitions (
    id              BIGSERIAL PRIMARY KEY,
    folio_year      BIGINT  NOT NULL,
    folio_number    BIGINT  NOT NULL,
    kind            TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    state           TEXT    NOT NULL,
    health_unit     TEXT,
    narrative       TEXT    NOT NULL,
    name            TEXT,
    curp            TEXT,
    phone           TEXT,
    email           TEXT,
    address         TEXT,
    privacy_consent BOOLEAN NOT NULL,
    -- Local date and time of the agency, aaaa-mm-ddThh:mm:ss.
    received_at     TEXT    NOT NULL,
    -- The classification (procedures 96 and 97, activity 1.3), once made.
    motive          TEXT    REFERENCES motives (code),
    needs_action    BOOLEAN,
    status          TEXT    NOT NULL DEFAULT 'recibida',
    -- SHA-256 of the mailbox's access code (AccessCode::digest).
    access_digest   BYTEA,
    -- The call-center provider's identifier, and the content key that makes importing a
    -- file twice record each call once.
    call_id         TEXT,
    content_key     BYTEA   UNIQUE,
    import_id       BIGINT  REFERENCES call_imports (id),
    UNIQUE (folio_year, folio_number)
);
CREATE INDEX petitions_import ON petitions (import_id);
