-- Indicator tables of the informes oficiales (issue 20, item 2; docs/indicators.md): each report's
-- table for a period (its cut-off date), recorded with the case it came with, one per report and
-- cut-off date (`report_key` is the report's name folded by the application). The values are
-- exact ten-thousandths. Texts people type follow migration 0021's rules (turno-app's
-- `limits.rs`: NAME for the report and the indicator's name; the domain's `indicators::MAX_KEY`
-- and `MAX_UNIT` for a key and a unit).
CREATE TABLE indicator_tables (
    id              BIGSERIAL PRIMARY KEY,
    case_folio      TEXT    NOT NULL REFERENCES cases (folio),
    report          TEXT    NOT NULL,
    report_key      TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    period_end      TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    file_sha256     TEXT    NOT NULL,
    uploaded_by     TEXT    NOT NULL,
    uploaded_at     TEXT    NOT NULL,
    UNIQUE (report_key, period_end),
    CONSTRAINT "text:indicator_tables.report"
        CHECK (char_length(report) <= 300 AND report !~ '[\u0001-\u001F\u007F-\u009F]'),
    CONSTRAINT "text:indicator_tables.period"
        CHECK (char_length(period) <= 120 AND period !~ '[\u0001-\u001F\u007F-\u009F]')
);

CREATE INDEX indicator_tables_case ON indicator_tables (case_folio);

CREATE TABLE indicator_values (
    table_id        BIGINT  NOT NULL REFERENCES indicator_tables (id),
    position        BIGINT  NOT NULL,
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    unit            TEXT    NOT NULL,
    value           BIGINT  NOT NULL,
    cumulative      BOOLEAN NOT NULL,
    total_of        TEXT,
    PRIMARY KEY (table_id, position),
    CONSTRAINT "text:indicator_values.key"
        CHECK (char_length(key) <= 40 AND key !~ '[\u0001-\u001F\u007F-\u009F]'),
    CONSTRAINT "text:indicator_values.name"
        CHECK (char_length(name) <= 300 AND name !~ '[\u0001-\u001F\u007F-\u009F]'),
    CONSTRAINT "text:indicator_values.unit"
        CHECK (char_length(unit) <= 60 AND unit !~ '[\u0001-\u001F\u007F-\u009F]')
);
