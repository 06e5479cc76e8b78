-- The tableros' benchmark data for SQLite: the same cases as tablero-postgres.sql (which
-- explains them), also the tests' known dataset (`turno_store::fixtures::fill_tablero`, which
-- runs this text with :cases and :units replaced, as scripts/tablero-fill-sqlite.sh does with
-- sed: SQLite takes no parameters in a view). Into a database made by the SQLite migrations
-- where seed 000 (sidss-informes-oficiales) is published, whose triggers and indexes (other
-- than keys) on cases, work_items and work_item_units the caller has dropped (and makes again
-- afterwards, from the text it kept): the rows are written at once in the state the commands
-- leave, and the tableros' sums grouped from the same rows (tablero_fill below), instead of by
-- the triggers of migration 0044 one row at a time. The test
-- `tablero_fill::the_fills_sums_are_the_triggers_sums` replays the rows through those
-- triggers and compares.
--
-- One row per work item: its case, number, unit, activity, day opened, day completed (NULL
-- while open) and due date (work_items.due) as days after 2021-12-27 (Julian day 2459575.5),
-- and whether it is a return for correction (only item 3: 1.1 opened when 1.2 was completed).
-- Numbered j = 3 i + item - 1, so that the rows come in key order.
CREATE TEMP VIEW tablero_fill AS
SELECT case_id, item, unit_code, activity, opened, completed,
       CASE WHEN item = 2 OR completed IS NULL THEN opened + 15 END AS due,
       CASE WHEN item = 3 THEN 1 ELSE 0 END AS returned
FROM (
    SELECT i + 1 AS case_id, k AS item, 'T' || (i % :units) AS unit_code,
           CASE k WHEN 2 THEN '1.2' ELSE '1.1' END AS activity,
           i % 1800 + CASE k WHEN 1 THEN 0 WHEN 2 THEN i % 17 ELSE i % 17 + i % 23 END AS opened,
           CASE WHEN (k = 1 AND i % 1800 >= 1740 AND i % 4 = 0)
                  OR (k = 2 AND i % 1800 >= 1740 AND i % 4 = 1) THEN NULL
                ELSE i % 1800 + CASE k WHEN 1 THEN i % 17 WHEN 2 THEN i % 17 + i % 23
                                     ELSE i % 17 + i % 23 + 3 END
           END AS completed
    FROM (SELECT j / 3 AS i, j % 3 + 1 AS k
          FROM (WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < 3 * :cases - 1)
                SELECT j FROM n))
    WHERE k = 1
       OR (k = 2 AND NOT (i % 1800 >= 1740 AND i % 4 = 0))
       OR (k = 3 AND i % 50 = 7 AND NOT (i % 1800 >= 1740 AND i % 4 IN (0, 1)))
);
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
    'Asunto ' || i, 'open', '{}', date(2459575.5 + i % 1800) || 'T16:00:00Z',
    2, 'x', ''
FROM (WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :cases - 1) SELECT i FROM n);
INSERT INTO work_items (case_id, item, activity, opened_at, due, state, completed_at, completed_by)
SELECT case_id, item, activity, date(2459575.5 + opened) || 'T16:00:00Z', date(2459575.5 + due),
       CASE WHEN completed IS NULL THEN 'open' ELSE 'done' END,
       date(2459575.5 + completed) || 'T16:00:00Z', CASE WHEN completed IS NOT NULL THEN 'bench' END
FROM tablero_fill;
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT unit_code, case_id, item, COALESCE(date(2459575.5 + due), '9999-12-31'), completed IS NULL
FROM tablero_fill;
-- The sums, grouped from the same rows.
INSERT INTO tablero_received (unit_code, procedure_key, activity, month, received, returned)
SELECT unit_code, 'sidss-informes-oficiales', activity, month, SUM(received), SUM(returned)
FROM (SELECT unit_code, activity, substr(date(2459575.5 + opened), 1, 7) AS month,
             COUNT(*) AS received, SUM(returned) AS returned
      FROM tablero_fill GROUP BY unit_code, activity, opened)
GROUP BY unit_code, activity, month;
INSERT INTO tablero_done (unit_code, procedure_key, activity, completed_on, opened_on, items)
SELECT unit_code, 'sidss-informes-oficiales', activity, date(2459575.5 + completed),
       date(2459575.5 + opened), COUNT(*)
FROM tablero_fill WHERE completed IS NOT NULL
GROUP BY unit_code, activity, completed, opened;
INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
SELECT unit_code, 'sidss-informes-oficiales', activity, date(2459575.5 + opened),
       date(2459575.5 + due), COUNT(*)
FROM tablero_fill WHERE completed IS NULL
GROUP BY unit_code, activity, opened, due;
DROP VIEW tablero_fill;
