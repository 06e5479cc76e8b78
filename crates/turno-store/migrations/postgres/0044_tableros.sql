-- Tableros (issue 20, item 1; docs/tableros.md): the figures of the work turned to units,
-- kept as sums per unit, procedure, activity and month, in the same transaction as the
-- events that change them (triggers on work_items and work_item_units), so that a tablero
-- reads a few hundred rows however many cases are stored.
--
-- tablero_received: work that reached a unit (one row of work_item_units) in a month, and
-- how much of it was a return for correction: the case had already completed that activity
-- and nothing of it was still open (a decision that went back to an earlier activity).
CREATE TABLE tablero_received (
    unit_code      TEXT   NOT NULL,
    procedure_key  TEXT   NOT NULL,
    activity       TEXT   NOT NULL,
    month          TEXT   NOT NULL,
    received       BIGINT NOT NULL,
    returned       BIGINT NOT NULL,
    PRIMARY KEY (month, unit_code, procedure_key, activity)
);

-- tablero_done: work a unit completed, counted per day it was opened and day it was
-- completed (UTC, as the record keeps them), so that the application counts the días
-- hábiles between them on the activity's calendar (medians and 90th percentiles).
CREATE TABLE tablero_done (
    unit_code      TEXT   NOT NULL,
    procedure_key  TEXT   NOT NULL,
    activity       TEXT   NOT NULL,
    completed_on   TEXT   NOT NULL,
    opened_on      TEXT   NOT NULL,
    items          BIGINT NOT NULL,
    PRIMARY KEY (completed_on, unit_code, procedure_key, activity, opened_on)
);

-- An activity's place in its procedure, from its number: «2.1» is 20001, «10» 100000.
CREATE FUNCTION turno_activity_order(a TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(substring(a from '^[0-9]{1,4}')::int, 0) * 10000
         + COALESCE(substring(a from '^[0-9]+\.([0-9]{1,4})')::int, 0)
$$;

-- Whether the work item (c, i) opened as a return for correction: its activity comes before
-- the activity of the work its case completed last (the decision that sent it back). A turn
-- shares its activity with the item it came from, and work that follows its route comes
-- after: neither is a return.
CREATE FUNCTION turno_tablero_is_return(c BIGINT, i BIGINT) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT COALESCE(turno_activity_order(w.activity) < turno_activity_order((
        SELECT p.activity FROM work_items p
        WHERE p.case_id = w.case_id AND p.item < w.item AND p.state = 'done'
          AND p.completed_at <= w.opened_at
        ORDER BY p.completed_at DESC, p.item DESC LIMIT 1)), FALSE)
    FROM work_items w WHERE w.case_id = c AND w.item = i
$$;

CREATE FUNCTION turno_tablero_received() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tablero_received (unit_code, procedure_key, activity, month, received, returned)
    SELECT NEW.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 7), 1,
           CASE WHEN turno_tablero_is_return(NEW.case_id, NEW.item) THEN 1 ELSE 0 END
    FROM work_items w JOIN cases c ON c.id = w.case_id
    WHERE w.case_id = NEW.case_id AND w.item = NEW.item
    ON CONFLICT (month, unit_code, procedure_key, activity) DO UPDATE SET
        received = tablero_received.received + 1,
        returned = tablero_received.returned + excluded.returned;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_item_units_tablero AFTER INSERT ON work_item_units
FOR EACH ROW EXECUTE FUNCTION turno_tablero_received();

CREATE FUNCTION turno_tablero_done() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tablero_done (unit_code, procedure_key, activity, completed_on, opened_on, items)
    SELECT u.unit_code, c.procedure_key, NEW.activity, substr(NEW.completed_at, 1, 10),
           substr(NEW.opened_at, 1, 10), 1
    FROM work_item_units u JOIN cases c ON c.id = u.case_id
    WHERE u.case_id = NEW.case_id AND u.item = NEW.item
    ON CONFLICT (completed_on, unit_code, procedure_key, activity, opened_on) DO UPDATE SET
        items = tablero_done.items + 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_items_tablero AFTER UPDATE OF state ON work_items
FOR EACH ROW WHEN (NEW.state = 'done' AND OLD.state <> 'done' AND NEW.completed_at IS NOT NULL)
EXECUTE FUNCTION turno_tablero_done();

-- The figures of the work already recorded.
INSERT INTO tablero_received (unit_code, procedure_key, activity, month, received, returned)
SELECT u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 7), COUNT(*),
       SUM(CASE WHEN turno_activity_order(w.activity) < turno_activity_order(l.activity)
                THEN 1 ELSE 0 END)
FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item
JOIN cases c ON c.id = u.case_id
-- The work its case completed last before it opened (turno_tablero_is_return, at once).
LEFT JOIN LATERAL (
    SELECT p.activity FROM work_items p
    WHERE p.case_id = w.case_id AND p.item < w.item AND p.state = 'done'
      AND p.completed_at <= w.opened_at
    ORDER BY p.completed_at DESC, p.item DESC LIMIT 1) l ON TRUE
GROUP BY u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 7);

INSERT INTO tablero_done (unit_code, procedure_key, activity, completed_on, opened_on, items)
SELECT u.unit_code, c.procedure_key, w.activity, substr(w.completed_at, 1, 10),
       substr(w.opened_at, 1, 10), COUNT(*)
FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item
JOIN cases c ON c.id = u.case_id
WHERE w.state = 'done' AND w.completed_at IS NOT NULL
GROUP BY u.unit_code, c.procedure_key, w.activity, substr(w.completed_at, 1, 10),
         substr(w.opened_at, 1, 10);

-- Open work, kept as sums too: per unit, procedure, activity, day opened and due date, moved when
-- a work_item_units row opens, closes or changes its due date (the row follows its work item:
-- turno_work_item_units_follow), so that a tablero reads a few hundred rows, not the open work.
CREATE TABLE tablero_open (
    unit_code      TEXT   NOT NULL,
    procedure_key  TEXT   NOT NULL,
    activity       TEXT   NOT NULL,
    opened_on      TEXT   NOT NULL,
    due            TEXT   NOT NULL,
    items          BIGINT NOT NULL,
    PRIMARY KEY (unit_code, procedure_key, activity, opened_on, due)
);

CREATE FUNCTION turno_tablero_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.open THEN
        UPDATE tablero_open t SET items = t.items - 1
        FROM work_items w JOIN cases c ON c.id = w.case_id
        WHERE w.case_id = OLD.case_id AND w.item = OLD.item
          AND t.unit_code = OLD.unit_code AND t.due = OLD.due AND t.procedure_key = c.procedure_key
          AND t.activity = w.activity AND t.opened_on = substr(w.opened_at, 1, 10);
        DELETE FROM tablero_open WHERE items = 0 AND unit_code = OLD.unit_code AND due = OLD.due;
    END IF;
    IF NEW.open THEN
        INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
        SELECT NEW.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), NEW.due, 1
        FROM work_items w JOIN cases c ON c.id = w.case_id
        WHERE w.case_id = NEW.case_id AND w.item = NEW.item
        ON CONFLICT (unit_code, procedure_key, activity, opened_on, due) DO UPDATE SET
            items = tablero_open.items + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER work_item_units_tablero_opened AFTER INSERT ON work_item_units
FOR EACH ROW WHEN (NEW.open) EXECUTE FUNCTION turno_tablero_open();

CREATE TRIGGER work_item_units_tablero_moved AFTER UPDATE OF open, due ON work_item_units
FOR EACH ROW WHEN (OLD.open OR NEW.open) EXECUTE FUNCTION turno_tablero_open();

INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
SELECT u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), u.due, COUNT(*)
FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item
JOIN cases c ON c.id = u.case_id
WHERE u.open
GROUP BY u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), u.due;

-- The drill-down lists read the work of a month by when it opened or completed.
CREATE INDEX work_items_opened ON work_items (opened_at);
CREATE INDEX work_items_completed ON work_items (completed_at) WHERE state = 'done';
