-- The tableros' benchmark data (BENCHMARKS.md «Tableros»), also the tests' known dataset
-- (`turno_store::fixtures::fill_tablero`, which runs this text with :cases and :units
-- replaced). Into a schema made by the PostgreSQL migrations where seed 000
-- (sidss-informes-oficiales) is published, as a superuser (it sets session_replication_role):
--   PGOPTIONS="-c search_path=SCHEMA" psql -v cases=10000000 -v units=60 -f tablero-postgres.sql
-- :units units T0 … (T0 at the top, T1 … T9 below it, the others below those); :cases cases
-- received one a day over the 1,800 days from 2021-12-27 (case i on day i % 1800), each in
-- unit T(i % :units): activity 1.1 completed after i % 17 days; 1.2 opened then and completed
-- after i % 23 more; one case in 50 returned to 1.1 for correction, completed 3 days later.
-- The cases of the last 60 days leave work open: one in four at 1.1 (due 15 days after it
-- opened), one in four at 1.2 (the same).
--
-- Written at once in the state the commands leave (work items completed, with their times;
-- their units' rows open or closed, with the due date the triggers of migration 0001 give
-- them), with every trigger and foreign key check off and the indexes that are not
-- constraints dropped, then built after the rows; the tableros' sums computed once, grouped
-- from the same rows (tablero_fill below), instead of by the triggers of migration 0044 one
-- row at a time. The test `tablero_fill::the_fills_sums_are_the_triggers_sums` replays the
-- rows through those triggers and compares.
SET session_replication_role = replica;
-- One row per work item: its case, number, unit, activity, day opened, day completed (NULL
-- while open), due date (work_items.due), and whether it is a return for correction (the
-- work its case completed last before it opened comes after it: only item 3, 1.1 opened when
-- 1.2 was completed). Numbered j = 3 i + item - 1, so that the rows come in key order.
CREATE TEMP VIEW tablero_fill AS
SELECT case_id, item, unit_code, activity, opened, completed,
       CASE WHEN item = 2 OR completed IS NULL THEN opened + 15 END AS due,
       CASE WHEN item = 3 THEN 1 ELSE 0 END AS returned
FROM (
    SELECT i + 1 AS case_id, k AS item, 'T' || (i % :units) AS unit_code,
           CASE k WHEN 2 THEN '1.2' ELSE '1.1' END AS activity,
           date '2021-12-27' + (i % 1800 + CASE k WHEN 1 THEN 0 WHEN 2 THEN i % 17
                                                  ELSE i % 17 + i % 23 END)::int AS opened,
           CASE WHEN (k = 1 AND i % 1800 >= 1740 AND i % 4 = 0)
                  OR (k = 2 AND i % 1800 >= 1740 AND i % 4 = 1) THEN NULL
                ELSE date '2021-12-27' + (i % 1800 + CASE k WHEN 1 THEN i % 17
                    WHEN 2 THEN i % 17 + i % 23 ELSE i % 17 + i % 23 + 3 END)::int
           END AS completed
    FROM (SELECT j / 3 AS i, j % 3 + 1 AS k FROM generate_series(0, 3 * :cases::bigint - 1) j) s
    WHERE k = 1
       OR (k = 2 AND NOT (i % 1800 >= 1740 AND i % 4 = 0))
       OR (k = 3 AND i % 50 = 7 AND NOT (i % 1800 >= 1740 AND i % 4 IN (0, 1)))
) f;
-- The indexes that are not constraints, dropped now and built after the rows.
CREATE TEMP TABLE tablero_fill_indexes AS
SELECT i.indexname, i.indexdef FROM pg_indexes i
WHERE i.schemaname = current_schema() AND i.tablename IN ('cases', 'work_items', 'work_item_units')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass);
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT indexname FROM tablero_fill_indexes LOOP
        EXECUTE format('DROP INDEX %I', r.indexname);
    END LOOP;
END $$;
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
INSERT INTO work_items (case_id, item, activity, opened_at, due, state, completed_at, completed_by)
SELECT case_id, item, activity, to_char(opened, 'YYYY-MM-DD') || 'T16:00:00Z', to_char(due, 'YYYY-MM-DD'),
       CASE WHEN completed IS NULL THEN 'open' ELSE 'done' END,
       to_char(completed, 'YYYY-MM-DD') || 'T16:00:00Z', CASE WHEN completed IS NOT NULL THEN 'bench' END
FROM tablero_fill;
INSERT INTO work_item_units (unit_code, case_id, item, due, open)
SELECT unit_code, case_id, item, COALESCE(to_char(due, 'YYYY-MM-DD'), '9999-12-31'), completed IS NULL
FROM tablero_fill;
-- The sums, grouped from the same rows.
INSERT INTO tablero_received (unit_code, procedure_key, activity, month, received, returned)
SELECT unit_code, 'sidss-informes-oficiales', activity, to_char(opened, 'YYYY-MM'), COUNT(*), SUM(returned)
FROM tablero_fill GROUP BY unit_code, activity, to_char(opened, 'YYYY-MM');
INSERT INTO tablero_done (unit_code, procedure_key, activity, completed_on, opened_on, items)
SELECT unit_code, 'sidss-informes-oficiales', activity, to_char(completed, 'YYYY-MM-DD'),
       to_char(opened, 'YYYY-MM-DD'), COUNT(*)
FROM tablero_fill WHERE completed IS NOT NULL
GROUP BY unit_code, activity, completed, opened;
INSERT INTO tablero_open (unit_code, procedure_key, activity, opened_on, due, items)
SELECT unit_code, 'sidss-informes-oficiales', activity, to_char(opened, 'YYYY-MM-DD'),
       to_char(due, 'YYYY-MM-DD'), COUNT(*)
FROM tablero_fill WHERE completed IS NULL
GROUP BY unit_code, activity, opened, due;
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT indexdef FROM tablero_fill_indexes LOOP
        EXECUTE r.indexdef;
    END LOOP;
END $$;
DROP VIEW tablero_fill;
DROP TABLE tablero_fill_indexes;
RESET session_replication_role;
