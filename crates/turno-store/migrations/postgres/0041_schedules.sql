-- Recurring work (issue 19, docs/recurring.md): a schedule opens a case of a procedure on each of
-- its occurrences, by itself. `schedule_occurrences` records each occurrence opened, in the case
-- start's own transaction, under a key unique per schedule and occurrence (its nominal date), so
-- that however many `turno serve` processes run the schedules at once, each occurrence opens one
-- case: the second insert finds the first and the whole start is rolled back (its folio given
-- back). The case's fields are kept as typed (JSON) and read again through the procedure's
-- field rules when each case opens. Texts people type follow migration 0021's rules (the limits
-- are turno-app's `limits.rs`: NAME, CODE).
CREATE TABLE schedules (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT    NOT NULL UNIQUE,
    procedure_key   TEXT    NOT NULL,
    unit_code       TEXT    NOT NULL REFERENCES units (code),
    title           TEXT    NOT NULL,
    fields          TEXT    NOT NULL,
    frequency       TEXT    NOT NULL,
    dates           TEXT    NOT NULL,
    first_date      TEXT    NOT NULL,
    last_date       TEXT,
    adjustment      TEXT    NOT NULL,
    term_days       BIGINT  NOT NULL CHECK (term_days BETWEEN 0 AND 365),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    CONSTRAINT "text:schedules.name"
        CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]'),
    CONSTRAINT "text:schedules.title"
        CHECK (char_length(title) <= 300 AND title !~ '[\u0001-\u001F\u007F-\u009F]')
);

CREATE TABLE schedule_occurrences (
    schedule_id     BIGINT  NOT NULL REFERENCES schedules (id),
    occurrence      TEXT    NOT NULL,
    falls_on        TEXT    NOT NULL,
    case_folio      TEXT    NOT NULL UNIQUE REFERENCES cases (folio),
    opened_at       TEXT    NOT NULL,
    PRIMARY KEY (schedule_id, occurrence)
);
