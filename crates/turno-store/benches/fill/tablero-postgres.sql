-- The tableros' benchmark data (BENCHMARKS.md «Tableros»), also the tests' known dataset
-- (`turno_store::fixtures::fill_tablero`, which runs this text with :cases and :units
-- replaced). Into a schema made by the PostgreSQL migrations where seed 000
-- (sidss-informes-oficiales) is published:
--   PGOPTIONS="-c search_path=SCHEMA" psql -v cases=10000000 -v units=60 -f tablero-postgres.sql
-- :units units T0 … (T0 at the top, T1 … T9 below it, the others below those); :cases cases
-- received one a day over the 1,800 days from 2021-12-27 (case i on day i % 1800), each in
-- unit T(i % :units): activity 1.1 completed after i % 17 days; 1.2 opened then and completed
-- after i % 23 more; one case in 50 returned to 1.1 for correction, completed 3 days later.
-- The cases of the last 60 days leave work open: one in four at 1.1 (due 15 days after it
-- opened), one in four at 1.2 (the same). Written as the commands write them (work opened,
-- then completed), with the tableros' triggers off (one row at a time they take most of the
-- time of millions); their sums are then computed at once, as migration 0044 computes those
-- of the work recorded before it (the SQLite fill keeps the triggers on: the tests compare).
ALTER TABLE work_item_units DISABLE TRIGGER work_item_units_tablero;
ALTER TABLE work_item_units DISABLE TRIGGER work_item_units_tablero_opened;
ALTER TABLE work_item_units DISABLE TRIGGER work_item_units_tablero_moved;
ALTER TABLE work_items DISABLE TRIGGER work_items_tablero;
INSERT INTO units (code, name, kind, parent_id) VALUES ('T0', 'Unidad 0', 'direccion_general', NULL);
INSERT INTO units (code, name, kind, parent_id)
SELECT 'T' || i, 'Unidad ' || i, 'direccion_general', (SELECT id FROM units WHERE code = 'T0')
FROM generate_series(1, 9) i;
INSERT INTO units (code, name, kind, parent_id)
SELECT 'T' || i, 'Unidad ' || i, 'direccion_general', (SELECT id FROM units WHERE code = 'T' || (1 + i % 9))
FROM generate_series(10, :units - 1) i;
INSERT INTO cases (id, folio, folio_scope, folio_year, folio_number, procedure_key,
    procedure_version, title, status, fields, created_at, version, head_hash, state)
SELECT i + 1, 'T-' || i, 'T', 2026, i + 1, 'sidss-informes-oficiales',
    (SELECT max(version) FROM procedure_versions WHERE key = 'sidss-informes-oficiales'),
    'Asunto ' || i, 'open', '{}', to_char(date '2021-12-27' + (i % 1800)::int, 'YYYY-MM-DD') || 'T16:00:00Z',
    2, 'x', ''
FROM generate_series(0, :cases - 1) i;
SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases));
INSERT INTO work_items (case_id, item, activity, opened_at, due, state)
SELECT i + 1, 1, '1.1', to_char(date '2021-12-27' + (i % 1800)::int, 'YYYY-MM-DD') || 'T16:00:00Z', NULL, 'open'
FROM generate_series(0, :cases - 1) i;
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT 'T' || (i % :units), i + 1, 1, '9999-12-31', TRUE FROM generate_series(0, :cases - 1) i;
-- 1.1 completed, but the last 60 days' one in four.
UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at =
    to_char(date '2021-12-27' + ((case_id - 1) % 1800 + (case_id - 1) % 17)::int, 'YYYY-MM-DD') || 'T16:00:00Z'
WHERE item = 1 AND NOT ((case_id - 1) % 1800 >= 1740 AND (case_id - 1) % 4 = 0);
UPDATE work_items SET due = to_char(date '2021-12-27' + ((case_id - 1) % 1800 + 15)::int, 'YYYY-MM-DD')
WHERE item = 1 AND state = 'open';
INSERT INTO work_items (case_id, item, activity, opened_at, due, state)
SELECT i + 1, 2, '1.2', to_char(date '2021-12-27' + (i % 1800 + i % 17)::int, 'YYYY-MM-DD') || 'T16:00:00Z',
    to_char(date '2021-12-27' + (i % 1800 + i % 17 + 15)::int, 'YYYY-MM-DD'), 'open'
FROM generate_series(0, :cases - 1) i WHERE NOT (i % 1800 >= 1740 AND i % 4 = 0);
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT 'T' || (i % :units), i + 1, 2, to_char(date '2021-12-27' + (i % 1800 + i % 17 + 15)::int, 'YYYY-MM-DD'), TRUE
FROM generate_series(0, :cases - 1) i WHERE NOT (i % 1800 >= 1740 AND i % 4 = 0);
-- 1.2 completed, but the last 60 days' one in four.
UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at =
    to_char(date '2021-12-27' + ((case_id - 1) % 1800 + (case_id - 1) % 17 + (case_id - 1) % 23)::int, 'YYYY-MM-DD') || 'T16:00:00Z'
WHERE item = 2 AND NOT ((case_id - 1) % 1800 >= 1740 AND (case_id - 1) % 4 = 1);
-- Returned to 1.1, and completed again.
INSERT INTO work_items (case_id, item, activity, opened_at, due, state)
SELECT i + 1, 3, '1.1', to_char(date '2021-12-27' + (i % 1800 + i % 17 + i % 23)::int, 'YYYY-MM-DD') || 'T16:00:00Z', NULL, 'open'
FROM generate_series(0, :cases - 1) i WHERE i % 50 = 7 AND NOT (i % 1800 >= 1740 AND i % 4 IN (0, 1));
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT 'T' || (i % :units), i + 1, 3, '9999-12-31', TRUE
FROM generate_series(0, :cases - 1) i WHERE i % 50 = 7 AND NOT (i % 1800 >= 1740 AND i % 4 IN (0, 1));
UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at =
    to_char(date '2021-12-27' + ((case_id - 1) % 1800 + (case_id - 1) % 17 + (case_id - 1) % 23 + 3)::int, 'YYYY-MM-DD') || 'T16:00:00Z'
WHERE item = 3;
-- The sums, as migration 0044 fills them; the statistics first, without which the planner
-- reads each case's last completed work through the index of completion times, backwards,
-- once per work item.
ANALYZE cases, work_items, work_item_units;
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
INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
SELECT u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), u.due, COUNT(*)
FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item
JOIN cases c ON c.id = u.case_id
WHERE u.open
GROUP BY u.unit_code, c.procedure_key, w.activity, substr(w.opened_at, 1, 10), u.due;
ALTER TABLE work_item_units ENABLE TRIGGER work_item_units_tablero;
ALTER TABLE work_item_units ENABLE TRIGGER work_item_units_tablero_opened;
ALTER TABLE work_item_units ENABLE TRIGGER work_item_units_tablero_moved;
ALTER TABLE work_items ENABLE TRIGGER work_items_tablero;
