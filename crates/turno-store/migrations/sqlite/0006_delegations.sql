-- Suplencias: a unit's titular names another person to act in their place from one day to
-- another, with the written delegation (procedure 92, policy 3.5) kept by its SHA-256 in the
-- blob store. Revoking ends it early; the row stays, and both are on the audit log.
CREATE TABLE delegations (
    id               INTEGER PRIMARY KEY,
    titular_id       INTEGER NOT NULL REFERENCES users (id),
    delegate_id      INTEGER NOT NULL REFERENCES users (id),
    unit_id          INTEGER NOT NULL REFERENCES units (id),
    starts_on        TEXT    NOT NULL,
    ends_on          TEXT    NOT NULL,
    document_sha256  TEXT    NOT NULL,
    document_name    TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    created_by       TEXT    NOT NULL,
    revoked_at       TEXT,
    revoked_by       TEXT
);
CREATE INDEX delegations_delegate ON delegations (delegate_id, starts_on);
