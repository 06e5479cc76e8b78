-- The tableros' benchmark data for SQLite: the same cases as tablero-postgres.sql (which
-- explains them), also the tests' known dataset (`turno_store::fixtures::fill_tablero`, which
-- runs this text with :cases and :units replaced). Into a database made by the SQLite
-- migrations where seed 000 (sidss-informes-oficiales) is published, in the sqlite3 shell:
--   .parameter set :cases 10000000
--   .parameter set :units 60
--   .read tablero-sqlite.sql
INSERT INTO units (code, name, kind, parent_id) VALUES ('T0', 'Unidad 0', 'direccion_general', NULL);
INSERT INTO units (code, name, kind, parent_id)
SELECT 'T' || i, 'Unidad ' || i, 'direccion_general', (SELECT id FROM units WHERE code = 'T0')
FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9) SELECT i FROM n);
INSERT INTO units (code, name, kind, parent_id)
SELECT 'T' || i, 'Unidad ' || i, 'direccion_general', (SELECT id FROM units WHERE code = 'T' || (1 + i % 9))
FROM (WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i + 1 FROM n WHERE i < :units - 1) SELECT i FROM n);
INSERT INTO cases (id, folio, folio_scope, folio_year, folio_number, procedure_key,
    procedure_version, title, status, fields, created_at, version, head_hash, state)
SELECT i + 1, 'T-' || i, 'T', 2026, i + 1, 'sidss-informes-oficiales',
    (SELECT max(version) FROM procedure_versions WHERE key = 'sidss-informes-oficiales'),
    'Asunto ' || i, 'open', '{}', date('2021-12-27', '+' || (i % 1800) || ' days') || 'T16:00:00Z',
    2, 'x', ''
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n);
INSERT INTO work_items (case_id, item, activity, opened_at, due, state)
SELECT i + 1, 1, '1.1', date('2021-12-27', '+' || (i % 1800) || ' days') || 'T16:00:00Z', NULL, 'open'
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n);
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT 'T' || (i % :units), i + 1, 1, '9999-12-31', 1 FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n);
-- 1.1 completed, but the last 60 days' one in four.
UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at =
    date('2021-12-27', '+' || ((case_id - 1) % 1800 + (case_id - 1) % 17) || ' days') || 'T16:00:00Z'
WHERE item = 1 AND NOT ((case_id - 1) % 1800 >= 1740 AND (case_id - 1) % 4 = 0);
UPDATE work_items SET due = date('2021-12-27', '+' || ((case_id - 1) % 1800 + 15) || ' days')
WHERE item = 1 AND state = 'open';
INSERT INTO work_items (case_id, item, activity, opened_at, due, state)
SELECT i + 1, 2, '1.2', date('2021-12-27', '+' || (i % 1800 + i % 17) || ' days') || 'T16:00:00Z',
    date('2021-12-27', '+' || (i % 1800 + i % 17 + 15) || ' days'), 'open'
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n) WHERE NOT (i % 1800 >= 1740 AND i % 4 = 0);
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT 'T' || (i % :units), i + 1, 2, date('2021-12-27', '+' || (i % 1800 + i % 17 + 15) || ' days'), 1
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n) WHERE NOT (i % 1800 >= 1740 AND i % 4 = 0);
-- 1.2 completed, but the last 60 days' one in four.
UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at =
    date('2021-12-27', '+' || ((case_id - 1) % 1800 + (case_id - 1) % 17 + (case_id - 1) % 23) || ' days') || 'T16:00:00Z'
WHERE item = 2 AND NOT ((case_id - 1) % 1800 >= 1740 AND (case_id - 1) % 4 = 1);
-- Returned to 1.1, and completed again.
INSERT INTO work_items (case_id, item, activity, opened_at, due, state)
SELECT i + 1, 3, '1.1', date('2021-12-27', '+' || (i % 1800 + i % 17 + i % 23) || ' days') || 'T16:00:00Z', NULL, 'open'
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n) WHERE i % 50 = 7 AND NOT (i % 1800 >= 1740 AND i % 4 IN (0, 1));
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT 'T' || (i % :units), i + 1, 3, '9999-12-31', 1
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n) WHERE i % 50 = 7 AND NOT (i % 1800 >= 1740 AND i % 4 IN (0, 1));
UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at =
    date('2021-12-27', '+' || ((case_id - 1) % 1800 + (case_id - 1) % 17 + (case_id - 1) % 23 + 3) || ' days') || 'T16:00:00Z'
WHERE item = 3;
