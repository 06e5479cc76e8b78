-- Closed cases past their term leave the working tables (issue 20 item 3, docs/archive.md):
-- once the transferencia primaria of their expediente is carried out, a case's row, its events,
-- its work items and its documents' rows are moved, batch by batch, to the archive's own tables
-- below, byte for byte (`turno_store::archive_move`). The inbox, the semáforo, the search and
-- the tableros read the working tables only, so history no longer weighs on them; the lookup by
-- folio and `turno verify` read both. A moved case is keyed by its folio, as on SQLite.
CREATE TABLE archived_cases (
    folio              TEXT    PRIMARY KEY,
    case_id            BIGINT  NOT NULL,
    folio_scope        TEXT    NOT NULL,
    folio_year         BIGINT  NOT NULL,
    folio_number       BIGINT  NOT NULL,
    procedure_key      TEXT    NOT NULL,
    procedure_version  BIGINT  NOT NULL,
    title              TEXT    NOT NULL,
    channel            TEXT,
    requester          TEXT,
    status             TEXT    NOT NULL,
    fields             TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    closed_at          TEXT,
    version            BIGINT  NOT NULL,
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
    id              BIGINT  PRIMARY KEY,
    folio           TEXT    NOT NULL REFERENCES archived_cases (folio),
    seq             BIGINT  NOT NULL,
    kind            TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    actor           TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    schema_version  BIGINT  NOT NULL,
    UNIQUE (folio, seq)
);

CREATE TABLE archived_work_items (
    folio           TEXT    NOT NULL REFERENCES archived_cases (folio),
    item            BIGINT  NOT NULL,
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
    id           BIGINT  NOT NULL,
    folio        TEXT    NOT NULL REFERENCES archived_cases (folio),
    event_id     BIGINT,
    sha256       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    mime         TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL,
    PRIMARY KEY (folio, id)
);

-- The archive's record is append-only like the working one.
CREATE TRIGGER archived_cases_append_only BEFORE UPDATE OR DELETE ON archived_cases
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the archived cases are append-only');
CREATE TRIGGER archived_events_append_only BEFORE UPDATE OR DELETE ON archived_events
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the event log is append-only');

-- The event log's guard (migration 0043) learns one more change: an event leaves `events` only
-- when the very same event (every column) is in the archive.
CREATE OR REPLACE FUNCTION turno_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.payload = ''
        AND (NEW.id, NEW.case_id, NEW.seq, NEW.kind, NEW.actor, NEW.recorded_at, NEW.prev_hash,
             NEW.hash, NEW.schema_version)
            = (OLD.id, OLD.case_id, OLD.seq, OLD.kind, OLD.actor, OLD.recorded_at, OLD.prev_hash,
               OLD.hash, OLD.schema_version)
        AND EXISTS (SELECT 1 FROM archive_disposed_cases d
                    WHERE d.case_id = OLD.case_id AND OLD.seq < d.seq)
    THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE'
        AND EXISTS (SELECT 1 FROM archived_events a JOIN archived_cases c ON c.folio = a.folio
                    WHERE a.id = OLD.id AND c.case_id = OLD.case_id
                      AND (a.seq, a.kind, a.payload, a.actor, a.recorded_at, a.prev_hash, a.hash,
                           a.schema_version)
                        = (OLD.seq, OLD.kind, OLD.payload, OLD.actor, OLD.recorded_at,
                           OLD.prev_hash, OLD.hash, OLD.schema_version))
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the event log is append-only';
END;
$$;
