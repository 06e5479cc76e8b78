-- Turno's store, SQLite flavour. Times are RFC 3339 text in UTC and dates are YYYY-MM-DD:
-- the exact text that the event hash covers, and it sorts correctly.

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    parent_id   INTEGER REFERENCES units (id),
    valid_from  TEXT,
    valid_to    TEXT
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    login          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    email          TEXT,
    password_hash  TEXT,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT    NOT NULL
);

CREATE TABLE memberships (
    user_id  INTEGER NOT NULL REFERENCES users (id),
    unit_id  INTEGER NOT NULL REFERENCES units (id),
    role     TEXT    NOT NULL,
    PRIMARY KEY (user_id, unit_id, role)
);

-- Every published version of every procedure, with the exact text it was compiled from.
CREATE TABLE procedure_versions (
    key            TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    source_text    TEXT    NOT NULL,
    source_sha256  TEXT    NOT NULL,
    published_at   TEXT    NOT NULL,
    PRIMARY KEY (key, version)
);

CREATE TRIGGER procedure_versions_immutable_update BEFORE UPDATE ON procedure_versions
BEGIN SELECT RAISE(ABORT, 'a published procedure version is immutable'); END;
CREATE TRIGGER procedure_versions_immutable_delete BEFORE DELETE ON procedure_versions
BEGIN SELECT RAISE(ABORT, 'a published procedure version is immutable'); END;

-- The last folio number given per scope (prefix, unit…) and year. Incremented inside the
-- transaction that creates the case, so a rolled-back creation leaves no gap.
CREATE TABLE folio_counters (
    scope  TEXT    NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (scope, year)
);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    folio              TEXT    NOT NULL UNIQUE,
    folio_scope        TEXT    NOT NULL,
    folio_year         INTEGER NOT NULL,
    folio_number       INTEGER NOT NULL,
    procedure_key      TEXT    NOT NULL,
    procedure_version  INTEGER NOT NULL,
    title              TEXT    NOT NULL,
    channel            TEXT,
    requester          TEXT,
    status             TEXT    NOT NULL,
    fields             TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    closed_at          TEXT,
    -- Number of events; commands carry the version they read (optimistic concurrency).
    version            INTEGER NOT NULL,
    -- The case's current state (the fold of its events), so that a command reads one row
    -- instead of replaying the whole record; `turno verify` checks it against the events.
    state              TEXT    NOT NULL,
    head_hash          TEXT    NOT NULL,
    FOREIGN KEY (procedure_key, procedure_version) REFERENCES procedure_versions (key, version),
    UNIQUE (folio_scope, folio_year, folio_number)
);

-- The open and past work of every case, projected from its events.
CREATE TABLE work_items (
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    item            INTEGER NOT NULL,
    activity        TEXT    NOT NULL,
    participant     TEXT,
    -- The person inside the unit the work is assigned to, when someone assigns it.
    assignee        TEXT,
    opened_at       TEXT    NOT NULL,
    due             TEXT,
    state           TEXT    NOT NULL,
    completed_at    TEXT,
    completed_by    TEXT,
    outcome         TEXT,
    observations    TEXT,
    PRIMARY KEY (case_id, item)
);

-- Which units see a work item: the one it is turned to, or every responsible unit when any
-- of them may answer. Denormalized due and open flag serve "Mi bandeja" from one index; a
-- work item without a due date sorts last, as '9999-12-31' (both backends sort it alike).
CREATE TABLE work_item_units (
    unit_code  TEXT    NOT NULL,
    case_id    INTEGER NOT NULL,
    item       INTEGER NOT NULL,
    due        TEXT    NOT NULL,
    open       BOOLEAN NOT NULL,
    PRIMARY KEY (unit_code, case_id, item),
    FOREIGN KEY (case_id, item) REFERENCES work_items (case_id, item)
);
CREATE INDEX work_item_units_inbox ON work_item_units (unit_code, due, case_id, item) WHERE open;
-- A work item's rows, for keeping them in step with it.
CREATE INDEX work_item_units_item ON work_item_units (case_id, item);

-- The inbox rows follow their work item inside the database, saving the store a statement
-- (a round trip) per change.
CREATE TRIGGER work_item_units_follow_state AFTER UPDATE OF state ON work_items
BEGIN
    UPDATE work_item_units SET open = (NEW.state = 'open')
    WHERE case_id = NEW.case_id AND item = NEW.item;
END;
CREATE TRIGGER work_item_units_follow_due AFTER UPDATE OF due ON work_items
BEGIN
    UPDATE work_item_units SET due = COALESCE(NEW.due, '9999-12-31')
    WHERE case_id = NEW.case_id AND item = NEW.item;
END;

CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    sha256       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    mime         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL
);

-- The record. Append-only; each event hashes its content and its case's previous event.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    seq          INTEGER NOT NULL,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

-- A retried command returns the first result and never applies twice.
CREATE TABLE idempotency_keys (
    key         TEXT    PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    result      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
