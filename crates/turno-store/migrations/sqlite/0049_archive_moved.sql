-- Closed cases past their term leave the working tables (issue 20 item 3, docs/archive.md):
-- once the transferencia primaria of their expediente is carried out, a case's row, its events,
-- its work items and its documents' rows are moved, batch by batch, to the archive's own tables
-- below, byte for byte (`turno_store::archive_move`). The inbox, the semáforo, the search and
-- the tableros read the working tables only, so history no longer weighs on them; the lookup by
-- folio and `turno verify` read both. A moved case is keyed by its folio: SQLite may give a
-- later case the id a moved one had, so its old id is kept for reference only.
CREATE TABLE archived_cases (
    folio              TEXT    PRIMARY KEY,
    case_id            INTEGER NOT NULL,
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
    version            INTEGER NOT NULL,
    state              TEXT    NOT NULL,
    head_hash          TEXT    NOT NULL,
    -- The codes of the units its work was turned to, one a line: who may still read it.
    units              TEXT    NOT NULL,
    moved_at           TEXT    NOT NULL,
    moved_by           TEXT    NOT NULL,
    UNIQUE (folio_scope, folio_year, folio_number)
);

-- Every column of the event as it was in `events`, its id included; the hash chain is the same.
CREATE TABLE archived_events (
    id              INTEGER PRIMARY KEY,
    folio           TEXT    NOT NULL REFERENCES archived_cases (folio),
    seq             INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    UNIQUE (folio, seq)
);

CREATE TABLE archived_work_items (
    folio           TEXT    NOT NULL REFERENCES archived_cases (folio),
    item            INTEGER NOT NULL,
    activity        TEXT    NOT NULL,
    participant     TEXT,
    assignee        TEXT,
    opened_at       TEXT    NOT NULL,
    due             TEXT,
    state           TEXT    NOT NULL,
    completed_at    TEXT,
    completed_by    TEXT,
    outcome         TEXT,
    observations    TEXT,
    overdue         BOOLEAN NOT NULL,
    term_from       TEXT,
    PRIMARY KEY (folio, item)
);

-- The documents' rows; their content stays in the blob store, named by its SHA-256.
CREATE TABLE archived_documents (
    id           INTEGER NOT NULL,
    folio        TEXT    NOT NULL REFERENCES archived_cases (folio),
    event_id     INTEGER,
    sha256       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    mime         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    PRIMARY KEY (folio, id)
);

-- The archive's record is append-only like the working one.
CREATE TRIGGER archived_cases_append_only_update BEFORE UPDATE ON archived_cases
BEGIN SELECT RAISE(ABORT, 'the archived cases are append-only'); END;
CREATE TRIGGER archived_cases_append_only_delete BEFORE DELETE ON archived_cases
BEGIN SELECT RAISE(ABORT, 'the archived cases are append-only'); END;
CREATE TRIGGER archived_events_append_only_update BEFORE UPDATE ON archived_events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER archived_events_append_only_delete BEFORE DELETE ON archived_events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

-- An event leaves `events` only when the very same event (every column) is in the archive.
DROP TRIGGER events_append_only_delete;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
WHEN NOT EXISTS (
    SELECT 1 FROM archived_events a JOIN archived_cases c ON c.folio = a.folio
    WHERE a.id = OLD.id AND c.case_id = OLD.case_id AND a.seq = OLD.seq AND a.kind = OLD.kind
      AND a.payload = OLD.payload AND a.actor = OLD.actor AND a.recorded_at = OLD.recorded_at
      AND a.prev_hash = OLD.prev_hash AND a.hash = OLD.hash
      AND a.schema_version = OLD.schema_version
)
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
