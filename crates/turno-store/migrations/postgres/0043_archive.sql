-- The archive (issue 20 item 3, docs/archive.md): the classification chart and disposition
-- catalog (one fondo, its secciones, its series with their terms), the expedientes and what is
-- classified into them (cases, documents, correspondence), the lists a person approves
-- (transferencias primaria and secundaria, baja documental) and, per case disposed of, the
-- sequence number of the record of disposal appended to its chain.
CREATE TABLE archive_fondo (
    id      BIGINT  PRIMARY KEY CHECK (id = 1),
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
    administrative  BIGINT  CHECK (administrative BETWEEN 0 AND 100),
    legal           BIGINT  CHECK (legal BETWEEN 0 AND 100),
    accounting      BIGINT  CHECK (accounting BETWEEN 0 AND 100),
    tramite         BIGINT  CHECK (tramite BETWEEN 0 AND 100),
    concentracion   BIGINT  CHECK (concentracion BETWEEN 0 AND 100),
    destination     TEXT    NOT NULL CHECK (destination IN ('baja', 'historico')),
    access          TEXT    NOT NULL CHECK (access IN ('publica', 'reservada', 'confidencial')),
    procedure_key   TEXT
);
CREATE INDEX archive_series_procedure ON archive_series (procedure_key);

CREATE TABLE archive_expedientes (
    id          BIGSERIAL PRIMARY KEY,
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

CREATE TABLE archive_classified (
    subject_kind    TEXT    NOT NULL CHECK (subject_kind IN ('case', 'document', 'correspondence')),
    subject         TEXT    NOT NULL,
    expediente_id   BIGINT  NOT NULL REFERENCES archive_expedientes (id),
    classified_by   TEXT    NOT NULL,
    classified_at   TEXT    NOT NULL,
    PRIMARY KEY (subject_kind, subject)
);
CREATE INDEX archive_classified_expediente ON archive_classified (expediente_id);

CREATE TABLE archive_lists (
    id            BIGSERIAL PRIMARY KEY,
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
    list_id        BIGINT NOT NULL REFERENCES archive_lists (id),
    expediente_id  BIGINT NOT NULL REFERENCES archive_expedientes (id),
    PRIMARY KEY (list_id, expediente_id)
);

CREATE TABLE archive_disposed_cases (
    case_id   BIGINT PRIMARY KEY REFERENCES cases (id),
    seq       BIGINT NOT NULL,
    list_id   BIGINT NOT NULL REFERENCES archive_lists (id)
);
CREATE TRIGGER archive_disposed_cases_append_only BEFORE UPDATE OR DELETE ON archive_disposed_cases
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the record of disposals is append-only');

-- The event log stays append-only, but for one change: a baja documental empties the payload of
-- the events its record of disposal covers (those before it in a case disposed of), and nothing
-- else of them; their hashes and links stay, and `turno verify` checks them against the record.
CREATE FUNCTION turno_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RAISE EXCEPTION 'the event log is append-only';
END;
$$;
DROP TRIGGER events_append_only ON events;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION turno_events_guard();
