-- Indicator tables of the informes oficiales (issue 20, item 2; docs/indicators.md): each report's
-- table for a period (its cut-off date), recorded with the case it came with, one per report and
-- cut-off date (`report_key` is the report's name folded by the application). The values are
-- exact ten-thousandths. Texts people type follow migration 0021's rules (turno-app's
-- `limits.rs`: NAME for the report and the indicator's name; the domain's `indicators::MAX_KEY`
-- and `MAX_UNIT` for a key and a unit).
-- SQLite cannot add a CHECK to a table's text the way PostgreSQL's rules read: triggers refuse.
CREATE TABLE indicator_tables (
    id              INTEGER PRIMARY KEY,
    case_folio      TEXT    NOT NULL REFERENCES cases (folio),
    report          TEXT    NOT NULL,
    report_key      TEXT    NOT NULL,
    period          TEXT    NOT NULL,
    period_end      TEXT    NOT NULL,
    file_name       TEXT    NOT NULL,
    file_sha256     TEXT    NOT NULL,
    uploaded_by     TEXT    NOT NULL,
    uploaded_at     TEXT    NOT NULL,
    UNIQUE (report_key, period_end)
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
    PRIMARY KEY (table_id, position)
);

CREATE TRIGGER text_indicator_tables_report_insert BEFORE INSERT ON indicator_tables
WHEN NEW.report IS NOT NULL AND (length(NEW.report) > 300 OR instr(CAST(NEW.report AS BLOB), x'00') > 0 OR NEW.report GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_tables.report');
END;

CREATE TRIGGER text_indicator_tables_report_update BEFORE UPDATE OF report ON indicator_tables
WHEN NEW.report IS NOT NULL AND (length(NEW.report) > 300 OR instr(CAST(NEW.report AS BLOB), x'00') > 0 OR NEW.report GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_tables.report');
END;

CREATE TRIGGER text_indicator_tables_period_insert BEFORE INSERT ON indicator_tables
WHEN NEW.period IS NOT NULL AND (length(NEW.period) > 120 OR instr(CAST(NEW.period AS BLOB), x'00') > 0 OR NEW.period GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_tables.period');
END;

CREATE TRIGGER text_indicator_tables_period_update BEFORE UPDATE OF period ON indicator_tables
WHEN NEW.period IS NOT NULL AND (length(NEW.period) > 120 OR instr(CAST(NEW.period AS BLOB), x'00') > 0 OR NEW.period GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_tables.period');
END;

CREATE TRIGGER text_indicator_values_key_insert BEFORE INSERT ON indicator_values
WHEN NEW.key IS NOT NULL AND (length(NEW.key) > 40 OR instr(CAST(NEW.key AS BLOB), x'00') > 0 OR NEW.key GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_values.key');
END;

CREATE TRIGGER text_indicator_values_key_update BEFORE UPDATE OF key ON indicator_values
WHEN NEW.key IS NOT NULL AND (length(NEW.key) > 40 OR instr(CAST(NEW.key AS BLOB), x'00') > 0 OR NEW.key GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_values.key');
END;

CREATE TRIGGER text_indicator_values_name_insert BEFORE INSERT ON indicator_values
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_values.name');
END;

CREATE TRIGGER text_indicator_values_name_update BEFORE UPDATE OF name ON indicator_values
WHEN NEW.name IS NOT NULL AND (length(NEW.name) > 300 OR instr(CAST(NEW.name AS BLOB), x'00') > 0 OR NEW.name GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_values.name');
END;

CREATE TRIGGER text_indicator_values_unit_insert BEFORE INSERT ON indicator_values
WHEN NEW.unit IS NOT NULL AND (length(NEW.unit) > 60 OR instr(CAST(NEW.unit AS BLOB), x'00') > 0 OR NEW.unit GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_values.unit');
END;

CREATE TRIGGER text_indicator_values_unit_update BEFORE UPDATE OF unit ON indicator_values
WHEN NEW.unit IS NOT NULL AND (length(NEW.unit) > 60 OR instr(CAST(NEW.unit AS BLOB), x'00') > 0 OR NEW.unit GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:indicator_values.unit');
END;
