-- Tableros at 10,000,000 cases (issue 20, item 1; docs/tableros.md; BENCHMARKS.md).
--
-- Each calendar regime's business days as ordinals: `ordinal` counts the business days of the
-- regime from 1990-01-01 to `day`, both included, over the calendars' whole window
-- (1990–2100), so that the días hábiles from the day work opened to the day it was completed
-- (`Calendar::count_business_days`: the first day excluded, the last included) are
-- `ordinal(completed) - ordinal(opened)`, and the store groups completed work by them
-- (tablero_done_days). The application writes the rows from the calendars in force and the
-- calendar revision they were built from (`business_days_revision`), whenever it finds that
-- revision is not the stored calendar's (turno-app `tablero::keep_business_days`); until
-- then there is none.
CREATE TABLE business_days (
    regime   TEXT    NOT NULL,
    day      TEXT    NOT NULL,
    ordinal  INTEGER NOT NULL,
    PRIMARY KEY (regime, day)
) WITHOUT ROWID;

CREATE TABLE business_days_revision (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    revision  INTEGER NOT NULL
);

-- Completed work per month, regime and días hábiles (on every regime: the application reads
-- its activity's), so that a tablero reads a few thousand rows instead of tablero_done's
-- hundreds of thousands: written again from tablero_done whenever the business days are
-- (`replace_business_days`, in the same transaction), and kept by the trigger below as work
-- is completed, as tablero_done is.
CREATE TABLE tablero_done_days (
    month          TEXT    NOT NULL,
    regime         TEXT    NOT NULL,
    unit_code      TEXT    NOT NULL,
    procedure_key  TEXT    NOT NULL,
    activity       TEXT    NOT NULL,
    days           INTEGER NOT NULL,
    items          INTEGER NOT NULL,
    PRIMARY KEY (month, regime, unit_code, procedure_key, activity, days)
) WITHOUT ROWID;

CREATE TRIGGER work_items_tablero_days AFTER UPDATE OF state ON work_items
WHEN NEW.state = 'done' AND OLD.state <> 'done' AND NEW.completed_at IS NOT NULL
BEGIN
    INSERT INTO tablero_done_days (month, regime, unit_code, procedure_key, activity, days, items)
    SELECT substr(NEW.completed_at, 1, 7), o.regime, u.unit_code, c.procedure_key, NEW.activity,
           CASE WHEN e.ordinal > o.ordinal THEN e.ordinal - o.ordinal ELSE 0 END, 1
    FROM work_item_units u JOIN cases c ON c.id = u.case_id
    JOIN business_days o ON o.day = substr(NEW.opened_at, 1, 10)
    JOIN business_days e ON e.regime = o.regime AND e.day = substr(NEW.completed_at, 1, 10)
    WHERE u.case_id = NEW.case_id AND u.item = NEW.item
    ON CONFLICT (month, regime, unit_code, procedure_key, activity, days) DO UPDATE SET
        items = items + 1;
END;

-- The drill-downs by unit and time: a unit's rows carry their work item's times (completed
-- only once done), kept by the triggers that make those rows follow their work item, so that
-- an index by unit and time finds a unit's work of a month without reading the institution's.
ALTER TABLE work_item_units ADD COLUMN opened_at TEXT;
ALTER TABLE work_item_units ADD COLUMN completed_at TEXT;

UPDATE work_item_units SET
    opened_at = (SELECT w.opened_at FROM work_items w
                 WHERE w.case_id = work_item_units.case_id AND w.item = work_item_units.item),
    completed_at = (SELECT CASE WHEN w.state = 'done' THEN w.completed_at END FROM work_items w
                    WHERE w.case_id = work_item_units.case_id AND w.item = work_item_units.item);

CREATE TRIGGER work_item_units_times AFTER INSERT ON work_item_units
BEGIN
    UPDATE work_item_units SET
        (opened_at, completed_at) = (
            SELECT w.opened_at, CASE WHEN w.state = 'done' THEN w.completed_at END
            FROM work_items w WHERE w.case_id = NEW.case_id AND w.item = NEW.item)
    WHERE unit_code = NEW.unit_code AND case_id = NEW.case_id AND item = NEW.item;
END;

DROP TRIGGER work_item_units_follow_state;
CREATE TRIGGER work_item_units_follow_state AFTER UPDATE OF state, opened_at, completed_at ON work_items
BEGIN
    UPDATE work_item_units SET
        open = (NEW.state = 'open'),
        opened_at = NEW.opened_at,
        completed_at = CASE WHEN NEW.state = 'done' THEN NEW.completed_at END
    WHERE case_id = NEW.case_id AND item = NEW.item;
END;

CREATE INDEX work_item_units_opened ON work_item_units (unit_code, opened_at);
CREATE INDEX work_item_units_completed ON work_item_units (unit_code, completed_at)
    WHERE completed_at IS NOT NULL;
