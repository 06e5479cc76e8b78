//! Large synthetic data for the benchmarks (the store's and the web's): many open cases
//! spread over units, written in bulk. Not used by the application.

use crate::backend::AnyStore;
use crate::error::StoreError;
use crate::store::Store;
use turno_domain::definition::Procedure;

/// `cases` open cases of `procedure` (published here from `source`), one open work item each
/// at its first activity, turned to units `U0` … `U{units-1}` in turn, due dates spread over a
/// year. For an empty database.
pub async fn fill_inbox(
    store: &AnyStore,
    procedure: &Procedure,
    source: &str,
    cases: u64,
    units: u64,
) -> Result<(), StoreError> {
    store
        .publish_procedure(procedure, source, jiff::Timestamp::now())
        .await?;
    let fill = |series: &str| fill_sql(series, units, procedure);
    match store {
        AnyStore::Sqlite(s) => {
            let series = format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {cases}) SELECT i FROM n"
            );
            let mut tx = s.writer.begin().await?;
            sqlx::raw_sql(&fill(&series)).execute(&mut *tx).await?;
            tx.commit().await?;
            sqlx::raw_sql("ANALYZE").execute(&s.writer).await?;
        }
        AnyStore::Postgres(s) => {
            let series = format!("SELECT generate_series(1, {cases}) AS i");
            let mut tx = s.writer.begin().await?;
            sqlx::raw_sql(&fill(&series)).execute(&mut *tx).await?;
            tx.commit().await?;
            // The state autovacuum reaches on a live database: without the visibility map a
            // count cannot be answered from the index alone.
            sqlx::raw_sql("VACUUM ANALYZE").execute(&s.writer).await?;
        }
    }
    Ok(())
}

/// The statements, over a `series` of case numbers `i`. Only numbers and the procedure's own
/// key and first activity (checked identifiers, no quotes) are spliced in.
fn fill_sql(series: &str, units: u64, procedure: &Procedure) -> String {
    let key = &procedure.key;
    let version = procedure.version;
    let activity = &procedure.activity(procedure.first_activity()).number;
    // Months 01–12 and days 01–28, zero-padded, so that the dates are real dates.
    let due = "'2026-' || ((i % 12 + 1) / 10) || ((i % 12 + 1) % 10) || '-' \
               || ((i % 28 + 1) / 10) || ((i % 28 + 1) % 10)";
    format!(
        "INSERT INTO cases (id, folio, folio_scope, folio_year, folio_number, procedure_key, \
           procedure_version, title, status, fields, created_at, version, head_hash, state) \
           SELECT i, 'B-' || i, 'B', 2026, i, '{key}', {version}, 'Asunto ' || i, 'open', '{{}}', \
           '2026-01-01T00:00:00Z', 2, 'x', '' FROM ({series}) s; \
         INSERT INTO work_items (case_id, item, activity, opened_at, due, state) \
           SELECT i, 1, '{activity}', '2026-01-01T00:00:00Z', {due}, 'open' FROM ({series}) s; \
         INSERT INTO work_item_units (unit_code, case_id, item, due, open) \
           SELECT 'U' || (i % {units}), i, 1, {due}, TRUE FROM ({series}) s;"
    )
}
