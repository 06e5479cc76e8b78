-- The archive (issue 20 item 3, docs/archive.md): the classification chart and disposition
-- catalog (one fondo, its secciones, its series with their terms), the expedientes and what is
-- classified into them (cases, documents, correspondence), the lists a person approves
-- (transferencias primaria and secundaria, baja documental) and, per case disposed of, the
-- sequence number of the record of disposal appended to its chain.
CREATE TABLE archive_fondo (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    code    TEXT    NOT NULL,
    name    TEXT    NOT NULL
);

CREATE TABLE archive_sections (
    code    TEXT    PRIMARY KEY,
    name    TEXT    NOT NULL
);

CREATE TABLE archive_series (
    code            TEXT    PRIMARY KEY,
    name            TEXT    NOT NULL,
    section         TEXT    NOT NULL REFERENCES archive_sections (code),
    parent          TEXT    REFERENCES archive_series (code),
    keeper          TEXT    NOT NULL,
    -- The terms in years; all NULL while they are to be valued.
    administrative  INTEGER CHECK (administrative BETWEEN 0 AND 100),
    legal           INTEGER CHECK (legal BETWEEN 0 AND 100),
    accounting      INTEGER CHECK (accounting BETWEEN 0 AND 100),
    tramite         INTEGER CHECK (tramite BETWEEN 0 AND 100),
    concentracion   INTEGER CHECK (concentracion BETWEEN 0 AND 100),
    destination     TEXT    NOT NULL CHECK (destination IN ('baja', 'historico')),
    access          TEXT    NOT NULL CHECK (access IN ('publica', 'reservada', 'confidencial')),
    procedure_key   TEXT
);
CREATE INDEX archive_series_procedure ON archive_series (procedure_key);

CREATE TABLE archive_expedientes (
    id          INTEGER PRIMARY KEY,
    number      TEXT    NOT NULL UNIQUE,
    serie       TEXT    NOT NULL REFERENCES archive_series (code),
    title       TEXT    NOT NULL,
    opened_on   TEXT    NOT NULL,
    closed_on   TEXT,
    location    TEXT    NOT NULL DEFAULT 'tramite'
        CHECK (location IN ('tramite', 'concentracion', 'historico', 'baja')),
    opened_by   TEXT    NOT NULL
);
CREATE INDEX archive_expedientes_serie ON archive_expedientes (serie);

-- What an expediente holds: a case (by folio), a document (by id) or a correspondence item (by
-- folio), each classified once.
CREATE TABLE archive_classified (
    subject_kind    TEXT    NOT NULL CHECK (subject_kind IN ('case', 'document', 'correspondence')),
    subject         TEXT    NOT NULL,
    expediente_id   INTEGER NOT NULL REFERENCES archive_expedientes (id),
    classified_by   TEXT    NOT NULL,
    classified_at   TEXT    NOT NULL,
    PRIMARY KEY (subject_kind, subject)
);
CREATE INDEX archive_classified_expediente ON archive_classified (expediente_id);

CREATE TABLE archive_lists (
    id            INTEGER PRIMARY KEY,
    number        TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('primaria', 'secundaria', 'baja')),
    state         TEXT    NOT NULL CHECK (state IN ('borrador', 'aprobada', 'ejecutada')),
    created_by    TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    approved_by   TEXT,
    approved_at   TEXT,
    executed_by   TEXT,
    executed_at   TEXT
);

CREATE TABLE archive_list_items (
    list_id        INTEGER NOT NULL REFERENCES archive_lists (id),
    expediente_id  INTEGER NOT NULL REFERENCES archive_expedientes (id),
    PRIMARY KEY (list_id, expediente_id)
);

-- A case disposed of: the seq of the record of disposal in its chain. Written in the disposal's
-- transaction, before the events' payloads are emptied.
CREATE TABLE archive_disposed_cases (
    case_id   INTEGER PRIMARY KEY REFERENCES cases (id),
    seq       INTEGER NOT NULL,
    list_id   INTEGER NOT NULL REFERENCES archive_lists (id)
);
CREATE TRIGGER archive_disposed_cases_append_only_update BEFORE UPDATE ON archive_disposed_cases
BEGIN SELECT RAISE(ABORT, 'the record of disposals is append-only'); END;
CREATE TRIGGER archive_disposed_cases_append_only_delete BEFORE DELETE ON archive_disposed_cases
BEGIN SELECT RAISE(ABORT, 'the record of disposals is append-only'); END;

-- The event log stays append-only, but for one change: a baja documental empties the payload of
-- the events its record of disposal covers (those before it in a case disposed of), and nothing
-- else of them; their hashes and links stay, and `turno verify` checks them against the record.
DROP TRIGGER events_append_only_update;
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
WHEN NOT (
    NEW.payload = ''
    AND NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq
    AND NEW.kind = OLD.kind AND NEW.actor = OLD.actor AND NEW.recorded_at = OLD.recorded_at
    AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash
    AND NEW.schema_version = OLD.schema_version
    AND EXISTS (SELECT 1 FROM archive_disposed_cases d
                WHERE d.case_id = OLD.case_id AND OLD.seq < d.seq)
)
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
