//! The tableros' benchmark fill (`fixtures::fill_tablero`, `benches/fill/tablero-*.sql`) writes
//! the rows in their final state and groups the tableros' sums itself, with the triggers of
//! migration 0044 out of the way: on both backends, its sums must be those the triggers keep
//! when the same work is recorded as the commands record it (each work item opened, then
//! completed, in the order of its case).

use crate::common::{Backend, Raw, seed_000};

const CASES: u64 = 2_000;

/// Each tablero table's rows, as text, in one order.
async fn sums(raw: &Raw) -> Vec<Vec<String>> {
    let tables = [
        "SELECT unit_code || '|' || procedure_key || '|' || activity || '|' || month || '|' \
         || CAST(received AS TEXT) || '|' || CAST(returned AS TEXT) FROM tablero_received",
        "SELECT unit_code || '|' || procedure_key || '|' || activity || '|' || completed_on \
         || '|' || opened_on || '|' || CAST(items AS TEXT) FROM tablero_done",
        "SELECT unit_code || '|' || procedure_key || '|' || activity || '|' || opened_on || '|' \
         || due || '|' || CAST(items AS TEXT) FROM tablero_open",
    ];
    let mut all = Vec::new();
    for sql in tables {
        let sql = format!("{sql} ORDER BY 1");
        let rows: Vec<String> = match raw {
            Raw::Sqlite(pool, _) => sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap(),
            Raw::Postgres(pool, _) => sqlx::query_scalar(&sql).fetch_all(pool).await.unwrap(),
        };
        all.push(rows);
    }
    all
}

async fn scalar(raw: &Raw, sql: &str) -> i64 {
    match raw {
        Raw::Sqlite(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        Raw::Postgres(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

async fn the_fills_sums_are_the_triggers_sums(store: impl Backend, raw: Raw) {
    let store = store.any();
    let (procedure, source) = seed_000();
    turno_store::fixtures::fill_tablero(&store, &procedure, source, CASES, 60)
        .await
        .unwrap();
    let filled = sums(&raw).await;
    // The dataset has every kind of figure: received, returned, completed and open work.
    assert!(filled.iter().all(|rows| !rows.is_empty()), "{filled:?}");
    assert!(
        scalar(
            &raw,
            "SELECT CAST(SUM(returned) AS BIGINT) FROM tablero_received"
        )
        .await
            > 0
    );
    // The triggers and indexes are back.
    assert!(
        scalar(
            &raw,
            "SELECT COUNT(*) FROM work_items WHERE state = 'done' AND completed_at IS NOT NULL"
        )
        .await
            > 0
    );

    // The same work recorded again as the commands record it, the triggers keeping the sums:
    // item by item in each case's order, opened (its units' rows with them), then completed.
    raw.exec(
        "CREATE TABLE fill_items AS SELECT case_id, item, activity, opened_at, due, state, \
           completed_at, completed_by FROM work_items; \
         CREATE TABLE fill_units AS SELECT unit_code, case_id, item, due, open \
           FROM work_item_units; \
         DELETE FROM work_item_units; DELETE FROM work_items; \
         DELETE FROM tablero_received; DELETE FROM tablero_done; DELETE FROM tablero_open;",
    )
    .await;
    let items = scalar(&raw, "SELECT MAX(item) FROM fill_items").await;
    assert_eq!(items, 3);
    for item in 1..=items {
        raw.exec(&format!(
            "INSERT INTO work_items (case_id, item, activity, opened_at, due, state) \
               SELECT case_id, item, activity, opened_at, due, 'open' FROM fill_items \
               WHERE item = {item} ORDER BY case_id; \
             INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
               SELECT unit_code, case_id, item, due, TRUE FROM fill_units \
               WHERE item = {item} ORDER BY case_id; \
             UPDATE work_items SET state = 'done', completed_by = 'bench', completed_at = \
               (SELECT f.completed_at FROM fill_items f \
                WHERE f.case_id = work_items.case_id AND f.item = work_items.item) \
             WHERE item = {item} AND EXISTS (SELECT 1 FROM fill_items f \
               WHERE f.case_id = work_items.case_id AND f.item = work_items.item \
                 AND f.state = 'done');"
        ))
        .await;
    }
    let differing = scalar(
        &raw,
        "SELECT (SELECT COUNT(*) FROM work_item_units) - (SELECT COUNT(*) FROM fill_units) \
           + (SELECT COUNT(*) FROM fill_units f WHERE NOT EXISTS (SELECT 1 FROM \
              work_item_units u WHERE u.unit_code = f.unit_code AND u.case_id = f.case_id \
              AND u.item = f.item AND u.due = f.due AND u.open = f.open))",
    )
    .await;
    assert_eq!(
        differing, 0,
        "the replay left the units' rows as the fill wrote them"
    );
    let kept = sums(&raw).await;
    for (which, (filled, kept)) in ["received", "done", "open"]
        .iter()
        .zip(filled.iter().zip(&kept))
    {
        let only_filled: Vec<_> = filled.iter().filter(|r| !kept.contains(r)).collect();
        let only_kept: Vec<_> = kept.iter().filter(|r| !filled.contains(r)).collect();
        assert!(
            filled.len() == kept.len() && only_filled.is_empty() && only_kept.is_empty(),
            "tablero_{which}: {} rows filled, {} kept by the triggers; only the fill's: \
             {only_filled:?}; only the triggers': {only_kept:?}",
            filled.len(),
            kept.len()
        );
    }
}

on_both_backends!(the_fills_sums_are_the_triggers_sums);
