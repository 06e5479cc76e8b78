-- Programs written down line by line (issue 19): a meeting's agreements, commitments before a
-- body, an audit's observations, and the annual work programs (PAT, PTAR, PTCI). A program of
-- one of these kinds has its heading in `followup_plans` (the body, the session or the audit's
-- number, the meeting's day, the year); its lines are items of the new kinds: an observation
-- with the fiscalizing body's number (`reference`), a PAT line with its indicator, annual goal
-- and the progress expected at each quarter's end (`quarter_goals`, a JSON array of four
-- percentages), a risk (PTAR), an internal-control action (PTCI).
CREATE TABLE followup_plans (
    program_id  INTEGER PRIMARY KEY REFERENCES followup_programs (id),
    kind        TEXT    NOT NULL
                CHECK (kind IN ('agreements', 'commitments', 'audit', 'pat', 'ptar', 'ptci')),
    body        TEXT,
    reference   TEXT,
    held_on     TEXT,
    year        INTEGER CHECK (year BETWEEN 2000 AND 2099)
);

-- SQLite cannot alter a CHECK constraint, and rebuilding `followup_items` inside the migration's
-- transaction would break the activities' foreign keys (they cannot be turned off there). The
-- constraint only widens, which every stored row already meets, so the table's definition is
-- edited as SQLite's documentation allows for that case («Making Other Kinds Of Table Schema
-- Changes»); the ADD COLUMNs after it change the schema's version, so that every connection
-- reads the new definition.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(sql, '(''recommendation'', ''aspect'', ''agreement'', ''commitment''))',
                  '(''recommendation'', ''aspect'', ''agreement'', ''commitment'',
                                      ''observation'', ''line'', ''risk'', ''control_action''))')
WHERE type = 'table' AND name = 'followup_items';
PRAGMA writable_schema = OFF;

ALTER TABLE followup_items ADD COLUMN reference TEXT;
ALTER TABLE followup_items ADD COLUMN indicator TEXT;
ALTER TABLE followup_items ADD COLUMN goal TEXT;
ALTER TABLE followup_items ADD COLUMN quarter_goals TEXT;

CREATE TRIGGER text_followup_plans_body_insert BEFORE INSERT ON followup_plans
WHEN NEW.body IS NOT NULL AND (length(NEW.body) > 300 OR instr(CAST(NEW.body AS BLOB), x'00') > 0 OR NEW.body GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_plans.body');
END;

CREATE TRIGGER text_followup_plans_body_update BEFORE UPDATE OF body ON followup_plans
WHEN NEW.body IS NOT NULL AND (length(NEW.body) > 300 OR instr(CAST(NEW.body AS BLOB), x'00') > 0 OR NEW.body GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_plans.body');
END;

CREATE TRIGGER text_followup_plans_reference_insert BEFORE INSERT ON followup_plans
WHEN NEW.reference IS NOT NULL AND (length(NEW.reference) > 300 OR instr(CAST(NEW.reference AS BLOB), x'00') > 0 OR NEW.reference GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_plans.reference');
END;

CREATE TRIGGER text_followup_plans_reference_update BEFORE UPDATE OF reference ON followup_plans
WHEN NEW.reference IS NOT NULL AND (length(NEW.reference) > 300 OR instr(CAST(NEW.reference AS BLOB), x'00') > 0 OR NEW.reference GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_plans.reference');
END;

CREATE TRIGGER text_followup_items_reference_insert BEFORE INSERT ON followup_items
WHEN NEW.reference IS NOT NULL AND (length(NEW.reference) > 300 OR instr(CAST(NEW.reference AS BLOB), x'00') > 0 OR NEW.reference GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_items.reference');
END;

CREATE TRIGGER text_followup_items_reference_update BEFORE UPDATE OF reference ON followup_items
WHEN NEW.reference IS NOT NULL AND (length(NEW.reference) > 300 OR instr(CAST(NEW.reference AS BLOB), x'00') > 0 OR NEW.reference GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_items.reference');
END;

CREATE TRIGGER text_followup_items_indicator_insert BEFORE INSERT ON followup_items
WHEN NEW.indicator IS NOT NULL AND (length(NEW.indicator) > 300 OR instr(CAST(NEW.indicator AS BLOB), x'00') > 0 OR NEW.indicator GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_items.indicator');
END;

CREATE TRIGGER text_followup_items_indicator_update BEFORE UPDATE OF indicator ON followup_items
WHEN NEW.indicator IS NOT NULL AND (length(NEW.indicator) > 300 OR instr(CAST(NEW.indicator AS BLOB), x'00') > 0 OR NEW.indicator GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_items.indicator');
END;

CREATE TRIGGER text_followup_items_goal_insert BEFORE INSERT ON followup_items
WHEN NEW.goal IS NOT NULL AND (length(NEW.goal) > 300 OR instr(CAST(NEW.goal AS BLOB), x'00') > 0 OR NEW.goal GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_items.goal');
END;

CREATE TRIGGER text_followup_items_goal_update BEFORE UPDATE OF goal ON followup_items
WHEN NEW.goal IS NOT NULL AND (length(NEW.goal) > 300 OR instr(CAST(NEW.goal AS BLOB), x'00') > 0 OR NEW.goal GLOB '*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*')
BEGIN
    SELECT RAISE(ABORT, 'text:followup_items.goal');
END;
