//! The indicator tables of the informes oficiales (migration 0047, `docs/indicators.md`): each
//! report's table for a period, recorded with the case it came with, its values as exact
//! ten-thousandths. A report has one table per cut-off date: the case that recorded it may
//! replace it (a corrected table, activity 1.2), another case is refused
//! (`Refusal::IndicatorPeriodTaken`). The application reads them and checks them with the
//! domain; the store keeps them.

use crate::error::{Refusal, StoreError};
use crate::{PgStore, SqliteStore};
use turno_domain::indicators::{Indicator, IndicatorTable, Period, Value};

/// The most earlier tables read for a check: two years of monthly reports.
pub const EARLIER: i64 = 24;

/// A table to record (read and checked by the domain).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIndicatorTable {
    pub case_folio: String,
    /// The report as typed («Informe trimestral de afiliación»).
    pub report: String,
    /// The report as tables are matched (`indicators::key_of`).
    pub report_key: String,
    pub period: Period,
    pub file_name: String,
    /// The uploaded file's SHA-256, kept in the blob store.
    pub file_sha256: String,
    pub indicators: Vec<Indicator>,
}

/// A table as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIndicatorTable {
    pub id: i64,
    pub case_folio: String,
    pub report: String,
    pub report_key: String,
    pub file_name: String,
    pub file_sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
    /// The period, its case's folio as source, and its indicators in the file's order.
    pub table: IndicatorTable,
}

type HeadRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);
type ValueRow = (i64, String, String, String, i64, bool, Option<String>);

const HEAD: &str = "id, case_folio, report, report_key, period, period_end, file_name, \
     file_sha256, uploaded_by, uploaded_at";

fn assemble(
    heads: Vec<HeadRow>,
    values: Vec<ValueRow>,
) -> Result<Vec<StoredIndicatorTable>, StoreError> {
    let mut tables = Vec::with_capacity(heads.len());
    for (id, case_folio, report, report_key, period, end, file_name, file_sha256, by, at) in heads {
        let indicators = values
            .iter()
            .filter(|v| v.0 == id)
            .map(
                |(_, key, name, unit, value, cumulative, total_of)| Indicator {
                    key: key.clone(),
                    name: name.clone(),
                    unit: unit.clone(),
                    value: Value::from_ten_thousandths(*value),
                    cumulative: *cumulative,
                    total_of: total_of.clone(),
                },
            )
            .collect();
        tables.push(StoredIndicatorTable {
            id,
            table: IndicatorTable {
                period: Period {
                    label: period,
                    end: end.parse().map_err(StoreError::corrupt)?,
                },
                source: case_folio.clone(),
                indicators,
            },
            case_folio,
            report,
            report_key,
            file_name,
            file_sha256,
            uploaded_by: by,
            uploaded_at: at,
        });
    }
    Ok(tables)
}

store_trait! {
    pub trait Indicators {
        /// Records a report's table for its period in one transaction, on the audit log,
        /// replacing the one the same case recorded for that cut-off date; a period of the
        /// report another case recorded is refused (`Refusal::IndicatorPeriodTaken`). Answers
        /// the table's id.
        async fn save_indicator_table(
            &self,
            table: &NewIndicatorTable,
            actor: &str,
            at: &str,
        ) -> Result<i64, StoreError>;

        /// The tables a case recorded, the latest period first.
        async fn indicator_tables_of_case(
            &self,
            folio: &str,
        ) -> Result<Vec<StoredIndicatorTable>, StoreError>;

        /// The report's tables whose period ends before `before`, the latest first, at most
        /// [`EARLIER`].
        async fn earlier_indicator_tables(
            &self,
            report_key: &str,
            before: jiff::civil::Date,
        ) -> Result<Vec<StoredIndicatorTable>, StoreError>;
    }
}

macro_rules! indicators_impl {
    ($store:ty) => {
        impl $store {
            async fn indicator_tables_where(
                &self,
                condition: &str,
                first: &str,
                second: Option<String>,
            ) -> Result<Vec<StoredIndicatorTable>, StoreError> {
                let heads: Vec<HeadRow> = sqlx::query_as(&format!(
                    "SELECT {HEAD} FROM indicator_tables WHERE {condition} \
                     ORDER BY period_end DESC, id LIMIT {EARLIER}"
                ))
                .bind(first)
                .bind(second.clone())
                .fetch_all(&self.reader)
                .await?;
                let values: Vec<ValueRow> = sqlx::query_as(&format!(
                    "SELECT v.table_id, v.key, v.name, v.unit, v.value, v.cumulative, v.total_of \
                     FROM indicator_values v WHERE v.table_id IN (SELECT id FROM indicator_tables \
                     WHERE {condition} ORDER BY period_end DESC, id LIMIT {EARLIER}) \
                     ORDER BY v.table_id, v.position"
                ))
                .bind(first)
                .bind(second)
                .fetch_all(&self.reader)
                .await?;
                assemble(heads, values)
            }
        }

        impl Indicators for $store {
            async fn save_indicator_table(
                &self,
                t: &NewIndicatorTable,
                actor: &str,
                at: &str,
            ) -> Result<i64, StoreError> {
                let mut tx = self.begin_write().await?;
                let end = t.period.end.to_string();
                let held: Option<(i64, String)> = sqlx::query_as(
                    "SELECT id, case_folio FROM indicator_tables \
                     WHERE report_key = $1 AND period_end = $2",
                )
                .bind(&t.report_key)
                .bind(&end)
                .fetch_optional(&mut *tx)
                .await?;
                let replaced = match held {
                    Some((_, folio)) if folio != t.case_folio => {
                        return Err(Refusal::IndicatorPeriodTaken {
                            folio,
                            period: end,
                        }
                        .into());
                    }
                    Some((id, _)) => {
                        sqlx::query("DELETE FROM indicator_values WHERE table_id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("DELETE FROM indicator_tables WHERE id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        true
                    }
                    None => false,
                };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO indicator_tables (case_folio, report, report_key, period, \
                     period_end, file_name, file_sha256, uploaded_by, uploaded_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(&t.case_folio)
                .bind(&t.report)
                .bind(&t.report_key)
                .bind(&t.period.label)
                .bind(&end)
                .bind(&t.file_name)
                .bind(&t.file_sha256)
                .bind(actor)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?;
                for (position, i) in t.indicators.iter().enumerate() {
                    sqlx::query(
                        "INSERT INTO indicator_values (table_id, position, key, name, unit, \
                         value, cumulative, total_of) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id)
                    .bind(i64::try_from(position).map_err(StoreError::corrupt)?)
                    .bind(&i.key)
                    .bind(&i.name)
                    .bind(&i.unit)
                    .bind(i.value.ten_thousandths())
                    .bind(i.cumulative)
                    .bind(&i.total_of)
                    .execute(&mut *tx)
                    .await?;
                }
                let detail = serde_json::json!({
                    "folio": t.case_folio,
                    "period": t.period.label,
                    "period_end": end,
                    "file": t.file_name,
                    "sha256": t.file_sha256,
                    "indicators": t.indicators.len(),
                    "replaced": replaced,
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "indicators_uploaded", &t.report, detail).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn indicator_tables_of_case(
                &self,
                folio: &str,
            ) -> Result<Vec<StoredIndicatorTable>, StoreError> {
                self.indicator_tables_where("case_folio = $1 AND $2 IS NULL", folio, None)
                    .await
            }

            async fn earlier_indicator_tables(
                &self,
                report_key: &str,
                before: jiff::civil::Date,
            ) -> Result<Vec<StoredIndicatorTable>, StoreError> {
                self.indicator_tables_where(
                    "report_key = $1 AND period_end < $2",
                    report_key,
                    Some(before.to_string()),
                )
                .await
            }
        }
    };
}

indicators_impl!(SqliteStore);
indicators_impl!(PgStore);
