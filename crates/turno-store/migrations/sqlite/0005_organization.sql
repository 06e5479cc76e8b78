-- The organization as the manuals describe it: siglas, the manual's section, functions
-- (a JSON array of texts), and the unit whose functions a merged unit took.
ALTER TABLE units ADD COLUMN siglas TEXT;
ALTER TABLE units ADD COLUMN manual_number TEXT;
ALTER TABLE units ADD COLUMN functions TEXT NOT NULL DEFAULT '[]';
ALTER TABLE units ADD COLUMN merged_into TEXT;

-- Earlier forms of a unit (another name, parent or level), newest first (seq 1), so that
-- past cases show the unit as it was. Replaced whole when the unit is imported again.
CREATE TABLE unit_forms (
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    seq          INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    parent_code  TEXT,
    kind         TEXT    NOT NULL,
    valid_from   TEXT,
    valid_to     TEXT    NOT NULL,
    PRIMARY KEY (unit_id, seq)
);

-- Administration on record: every change to units, people, roles and delegations, with who
-- made it and when. Append-only, like the cases' events.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT    NOT NULL,
    actor    TEXT    NOT NULL,
    action   TEXT    NOT NULL,
    subject  TEXT    NOT NULL,
    detail   TEXT    NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, id);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
