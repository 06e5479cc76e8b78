-- Tableros (issue 20, item 1; docs/tableros.md): the figures of the work turned to units,
-- kept as sums per unit, procedure, activity and month, in the same transaction as the
-- events that change them (triggers on work_items and work_item_units), so that a tablero
-- reads a few hundred rows however many cases are stored. The PostgreSQL migration of the
-- same number explains each table.
CREATE TABLE tablero_received (
    unit_code      TEXT    NOT NULL,
    procedure_key  TEXT    NOT NULL,
    activity       TEXT    NOT NULL,
    month          TEXT    NOT NULL,
    received       INTEGER NOT NULL,
    returned       INTEGER NOT NULL,
    PRIMARY KEY (month, unit_code, procedure_key, activity)
);

CREATE TABLE tablero_done (
    unit_code      TEXT    NOT NULL,
    procedure_key  TEXT    NOT NULL,
    activity       TEXT    NOT NULL,
    completed_on   TEXT    NOT NULL,
    opened_on      TEXT    NOT NULL,
    items          INTEGER NOT NULL,
    PRIMARY KEY (completed_on, unit_code, procedure_key, activity, opened_on)
);

-- A return for correction: the work's activity comes before the activity of the work its
-- case completed last (its place from its number: «2.1» is 20001), as PostgreSQL's
-- turno_tablero_is_return.
CREATE TRIGGER work_item_units_tablero AFTER INSERT ON work_item_units
BEGIN
    INSERT INTO tablero_received (unit_code, procedure_key, activity, month, received, returned)
    SELECT NEW.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 7), 1,
           CASE WHEN (CAST(substr(w.activity, 1, 4) AS INTEGER) * 10000 + CASE WHEN instr(w.activity, '.') > 0 THEN CAST(substr(w.activity, instr(w.activity, '.') + 1, 4) AS INTEGER) ELSE 0 END) < (SELECT (CAST(substr(p.activity, 1, 4) AS INTEGER) * 10000 + CASE WHEN instr(p.activity, '.') > 0 THEN CAST(substr(p.activity, instr(p.activity, '.') + 1, 4) AS INTEGER) ELSE 0 END) FROM work_items p
                 WHERE p.case_id = w.case_id AND p.item < w.item AND p.state = 'done'
                   AND p.completed_at <= w.opened_at
                 ORDER BY p.completed_at DESC, p.item DESC LIMIT 1)
                THEN 1 ELSE 0 END
    FROM work_items w JOIN cases c ON c.id = w.case_id
    WHERE w.case_id = NEW.case_id AND w.item = NEW.item
    ON CONFLICT (month, unit_code, procedure_key, activity) DO UPDATE SET
        received = received + 1,
        returned = returned + excluded.returned;
END;

CREATE TRIGGER work_items_tablero AFTER UPDATE OF state ON work_items
WHEN NEW.state = 'done' AND OLD.state <> 'done' AND NEW.completed_at IS NOT NULL
BEGIN
    INSERT INTO tablero_done (unit_code, procedure_key, activity, completed_on, opened_on, items)
    SELECT u.unit_code, c.procedure_key, NEW.activity, substr(NEW.completed_at, 1, 10),
           substr(NEW.opened_at, 1, 10), 1
    FROM work_item_units u JOIN cases c ON c.id = u.case_id
    WHERE u.case_id = NEW.case_id AND u.item = NEW.item
    ON CONFLICT (completed_on, unit_code, procedure_key, activity, opened_on) DO UPDATE SET
        items = items + 1;
END;

INSERT INTO tablero_received (unit_code, procedure_key, activity, month, received, returned)
SELECT u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 7), COUNT(*),
       SUM(CASE WHEN (CAST(substr(w.activity, 1, 4) AS INTEGER) * 10000 + CASE WHEN instr(w.activity, '.') > 0 THEN CAST(substr(w.activity, instr(w.activity, '.') + 1, 4) AS INTEGER) ELSE 0 END) < (SELECT (CAST(substr(p.activity, 1, 4) AS INTEGER) * 10000 + CASE WHEN instr(p.activity, '.') > 0 THEN CAST(substr(p.activity, instr(p.activity, '.') + 1, 4) AS INTEGER) ELSE 0 END) FROM work_items p
                 WHERE p.case_id = w.case_id AND p.item < w.item AND p.state = 'done'
                   AND p.completed_at <= w.opened_at
                 ORDER BY p.completed_at DESC, p.item DESC LIMIT 1)
                THEN 1 ELSE 0 END)
FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item
JOIN cases c ON c.id = u.case_id
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
-- a work_item_units row opens, closes or changes its due date.
CREATE TABLE tablero_open (
    unit_code      TEXT    NOT NULL,
    procedure_key  TEXT    NOT NULL,
    activity       TEXT    NOT NULL,
    opened_on      TEXT    NOT NULL,
    due            TEXT    NOT NULL,
    items          INTEGER NOT NULL,
    PRIMARY KEY (unit_code, procedure_key, activity, opened_on, due)
);

CREATE TRIGGER work_item_units_tablero_opened AFTER INSERT ON work_item_units WHEN NEW.open
BEGIN
    INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
    SELECT NEW.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), NEW.due, 1
    FROM work_items w JOIN cases c ON c.id = w.case_id
    WHERE w.case_id = NEW.case_id AND w.item = NEW.item
    ON CONFLICT (unit_code, procedure_key, activity, opened_on, due) DO UPDATE SET items = items + 1;
END;

CREATE TRIGGER work_item_units_tablero_moved AFTER UPDATE OF open, due ON work_item_units
WHEN OLD.open OR NEW.open
BEGIN
    UPDATE tablero_open SET items = items - 1
    WHERE OLD.open AND unit_code = OLD.unit_code AND due = OLD.due
      AND (procedure_key, activity, opened_on) = (
          SELECT c.procedure_key, w.activity, substr(w.opened_at, 1, 10)
          FROM work_items w JOIN cases c ON c.id = w.case_id
          WHERE w.case_id = OLD.case_id AND w.item = OLD.item);
    DELETE FROM tablero_open WHERE items = 0 AND unit_code = OLD.unit_code AND due = OLD.due;
    INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
    SELECT NEW.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), NEW.due, 1
    FROM work_items w JOIN cases c ON c.id = w.case_id
    WHERE NEW.open AND w.case_id = NEW.case_id AND w.item = NEW.item
    ON CONFLICT (unit_code, procedure_key, activity, opened_on, due) DO UPDATE SET items = items + 1;
END;

INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
SELECT u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), u.due, COUNT(*)
FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item
JOIN cases c ON c.id = u.case_id
WHERE u.open
GROUP BY u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), u.due;

CREATE INDEX work_items_opened ON work_items (opened_at);
CREATE INDEX work_items_completed ON work_items (completed_at) WHERE state = 'done';
