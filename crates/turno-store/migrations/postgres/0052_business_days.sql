-- Tableros at 10,000,000 cases (issue 20, item 1; docs/tableros.md; BENCHMARKS.md).
--
-- business_days: each calendar regime's business days as ordinals: `ordinal` counts the
-- business days of the regime from 1990-01-01 to `day`, both included, over the calendars'
-- whole window (1990–2100), so that the días hábiles from the day work opened to the day it
-- was completed (`Calendar::count_business_days`: the first day excluded, the last included)
-- are `ordinal(completed) - ordinal(opened)`, and the tablero groups completed work by them
-- in the database. The application writes the rows from the calendars in force and the
-- calendar revision they were built from (business_days_revision), whenever it finds that
-- revision is not the stored calendar's (turno-app `tablero::keep_business_days`); until then
-- there is none.
CREATE TABLE business_days (
    regime   TEXT    NOT NULL,
    day      TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    PRIMARY KEY (regime, day)
);

CREATE TABLE business_days_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  BIGINT  NOT NULL
);

-- The drill-downs by unit and time: a unit's rows carry their work item's times (completed
-- only once done), kept by the triggers that make those rows follow their work item, so that
-- an index by unit and time finds a unit's work of a month without reading the institution's.
ALTER TABLE work_item_units ADD COLUMN opened_at TEXT, ADD COLUMN completed_at TEXT;

UPDATE work_item_units u SET
    opened_at = w.opened_at,
    completed_at = CASE WHEN w.state = 'done' THEN w.completed_at END
FROM work_items w
WHERE w.case_id = u.case_id AND w.item = u.item;

CREATE FUNCTION turno_work_item_units_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT w.opened_at, CASE WHEN w.state = 'done' THEN w.completed_at END
    INTO NEW.opened_at, NEW.completed_at
    FROM work_items w WHERE w.case_id = NEW.case_id AND w.item = NEW.item;
    RETURN NEW;
END;
$$;

CREATE TRIGGER work_item_units_times BEFORE INSERT ON work_item_units
FOR EACH ROW EXECUTE FUNCTION turno_work_item_units_times();

CREATE OR REPLACE FUNCTION turno_work_item_units_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE work_item_units SET open = (NEW.state = 'open'), due = COALESCE(NEW.due, '9999-12-31'),
        opened_at = NEW.opened_at,
        completed_at = CASE WHEN NEW.state = 'done' THEN NEW.completed_at END
    WHERE case_id = NEW.case_id AND item = NEW.item;
    RETURN NULL;
END;
$$;

DROP TRIGGER work_item_units_follow ON work_items;
CREATE TRIGGER work_item_units_follow AFTER UPDATE OF state, due, opened_at, completed_at ON work_items
FOR EACH ROW EXECUTE FUNCTION turno_work_item_units_follow();

CREATE INDEX work_item_units_opened ON work_item_units (unit_code, opened_at);
CREATE INDEX work_item_units_completed ON work_item_units (unit_code, completed_at)
    WHERE completed_at IS NOT NULL;
