-- Turno's store, PostgreSQL flavour. Times are RFC 3339 text in UTC and dates are
-- YYYY-MM-DD: the exact text that the event hash covers (a timestamptz or jsonb would be
-- re-rendered by the server and break the hash), and it sorts correctly.

CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    parent_id   BIGINT  REFERENCES units (id),
    valid_from  TEXT,
    valid_to    TEXT
);

CREATE TABLE users (
    id             BIGSERIAL PRIMARY KEY,
    login          TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    email          TEXT,
    password_hash  TEXT,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT    NOT NULL
);

CREATE TABLE memberships (
    user_id  BIGINT NOT NULL REFERENCES users (id),
    unit_id  BIGINT NOT NULL REFERENCES units (id),
    role     TEXT   NOT NULL,
    PRIMARY KEY (user_id, unit_id, role)
);

CREATE TABLE procedure_versions (
    key            TEXT    NOT NULL,
    version        BIGINT  NOT NULL,
    title          TEXT    NOT NULL,
    source_text    TEXT    NOT NULL,
    source_sha256  TEXT    NOT NULL,
    published_at   TEXT    NOT NULL,
    PRIMARY KEY (key, version)
);

CREATE FUNCTION turno_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END;
$$;

CREATE TRIGGER procedure_versions_immutable BEFORE UPDATE OR DELETE ON procedure_versions
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('a published procedure version is immutable');

CREATE TABLE folio_counters (
    scope  TEXT    NOT NULL,
    year   BIGINT  NOT NULL,
    last   BIGINT  NOT NULL,
    PRIMARY KEY (scope, year)
);

CREATE TABLE cases (
    id                 BIGSERIAL PRIMARY KEY,
    folio              TEXT    NOT NULL UNIQUE,
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
    -- The case's current state (the fold of its events), so that a command reads one row
    -- instead of replaying the whole record; `turno verify` checks it against the events.
    state              TEXT    NOT NULL,
    head_hash          TEXT    NOT NULL,
    FOREIGN KEY (procedure_key, procedure_version) REFERENCES procedure_versions (key, version),
    UNIQUE (folio_scope, folio_year, folio_number)
);

CREATE TABLE work_items (
    case_id         BIGINT  NOT NULL REFERENCES cases (id),
    item            BIGINT  NOT NULL,
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

CREATE TABLE work_item_units (
    unit_code  TEXT    NOT NULL,
    case_id    BIGINT  NOT NULL,
    item       BIGINT  NOT NULL,
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
CREATE FUNCTION turno_work_item_units_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE work_item_units SET open = (NEW.state = 'open'), due = COALESCE(NEW.due, '9999-12-31')
    WHERE case_id = NEW.case_id AND item = NEW.item;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_item_units_follow AFTER UPDATE OF state, due ON work_items
FOR EACH ROW EXECUTE FUNCTION turno_work_item_units_follow();

CREATE TABLE documents (
    id           BIGSERIAL PRIMARY KEY,
    case_id      BIGINT  NOT NULL REFERENCES cases (id),
    sha256       TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    mime         TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL
);

CREATE TABLE events (
    id           BIGSERIAL PRIMARY KEY,
    case_id      BIGINT  NOT NULL REFERENCES cases (id),
    seq          BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL,
    actor        TEXT    NOT NULL,
    recorded_at  TEXT    NOT NULL,
    prev_hash    TEXT    NOT NULL,
    hash         TEXT    NOT NULL,
    UNIQUE (case_id, seq)
);

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION turno_refuse_change('the event log is append-only');

CREATE TABLE idempotency_keys (
    key         TEXT    PRIMARY KEY,
    case_id     BIGINT  NOT NULL REFERENCES cases (id),
    result      TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
