//! The figures of the tableros (migrations 0044 and 0052; docs/tableros.md): the sums the
//! triggers keep per unit, procedure, activity and month (work received and returned, work
//! completed by the days it opened and completed, open work by the day it opened and its due
//! date), and the work items behind a figure (its drill-down). Completed work is read grouped
//! by the días hábiles it took (`tablero_done_days`), on each calendar regime's business-day
//! ordinals that the application writes (`business_days`). The application decides what each
//! figure means (the semáforo, which calendar counts an activity, who may see what); the store
//! reads rows.

use crate::error::StoreError;
use crate::search::{Dialect, Filter};

/// Which work a tablero counts: the units (`None`: every one) and the procedure (`None`:
/// every one).
#[derive(Debug, Clone, Default)]
pub struct TableroScope {
    pub units: Option<Vec<String>>,
    pub procedure: Option<String>,
}

/// Work received by a unit in a month (`AAAA-MM`), and how much of it was a return.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReceivedRow {
    pub unit_code: String,
    pub procedure_key: String,
    pub activity: String,
    pub month: String,
    pub received: i64,
    pub returned: i64,
}

/// Work a unit completed in a month (`AAAA-MM`, UTC days), and how many días hábiles it took
/// from the day it opened to the day it was completed (the first day excluded, the last
/// included; 0 when completed before it opened), on the regime [`Regimes`] names for its
/// activity.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DoneRow {
    pub unit_code: String,
    pub procedure_key: String,
    pub activity: String,
    pub month: String,
    pub days: i64,
    pub items: i64,
}

/// Which calendar regime (its code) counts the días hábiles of each activity's work, as the
/// application decides it: the first of `activities` (procedure, activity, regime) that names
/// the work's activity, else the first of `procedures` (procedure, regime) that names its
/// procedure, else `default`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Regimes {
    pub activities: Vec<(String, String, String)>,
    pub procedures: Vec<(String, String)>,
    pub default: String,
}

/// One regime's business-day ordinals: each day (`AAAA-MM-DD`) and how many business days
/// there are from the first day to it, both included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessDays {
    pub regime: String,
    pub days: Vec<(String, i64)>,
}

/// Open work of a unit, counted by the day it opened and its due date (`9999-12-31`: none).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OpenRow {
    pub unit_code: String,
    pub procedure_key: String,
    pub activity: String,
    pub opened_on: String,
    pub due: String,
    pub items: i64,
}

/// Which work items a drill-down lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drill {
    /// Opened in `[from, to)` (`AAAA-MM-DD`, UTC), returns only when `returns`.
    Received {
        from: String,
        to: String,
        returns: bool,
    },
    /// Completed in `[from, to)`.
    Done { from: String, to: String },
    /// Open now.
    Open,
}

/// A work item behind a figure, with its case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DrillRow {
    pub folio: String,
    pub title: String,
    pub procedure_key: String,
    pub unit_code: String,
    pub activity: String,
    pub opened_at: String,
    pub due: String,
    pub completed_at: Option<String>,
}

store_trait! {
    pub trait Tableros {
        /// Work received in the months `[from, to]` (`AAAA-MM`).
        async fn tablero_received(
            &self,
            scope: &TableroScope,
            from: &str,
            to: &str,
        ) -> Result<Vec<ReceivedRow>, StoreError>;

        /// Work completed in the months `[from, to]` (`AAAA-MM`), per month and días hábiles
        /// on the regimes of `regimes`; work on a day the business days do not cover is not
        /// counted.
        async fn tablero_done(
            &self,
            scope: &TableroScope,
            from: &str,
            to: &str,
            regimes: &Regimes,
        ) -> Result<Vec<DoneRow>, StoreError>;

        /// The calendar revision the stored business days were built from; `None` before
        /// any was stored.
        async fn business_days_revision(&self) -> Result<Option<i64>, StoreError>;

        /// Puts `days` in place of every stored business day, built from the calendar
        /// `revision`, and groups the completed work by them again, in one transaction.
        async fn replace_business_days(
            &self,
            revision: i64,
            days: &[BusinessDays],
        ) -> Result<(), StoreError>;

        /// Open work, grouped by unit, procedure, activity, the day it opened and its due date.
        async fn tablero_open(&self, scope: &TableroScope) -> Result<Vec<OpenRow>, StoreError>;

        /// The work items of `drill` in `scope`, at the activity when given, newest first, at
        /// most `limit`.
        async fn tablero_items(
            &self,
            scope: &TableroScope,
            activity: Option<&str>,
            drill: &Drill,
            limit: i64,
        ) -> Result<Vec<DrillRow>, StoreError>;
    }
}

/// The conditions of `scope` on the columns `unit` and `procedure`; `None` when nothing can
/// match (no unit).
fn scoped(scope: &TableroScope, unit: &str, procedure: &str) -> Option<Filter> {
    let mut f = Filter::default();
    if let Some(units) = &scope.units {
        if units.is_empty() {
            return None;
        }
        let list = f.list(units);
        f.conditions.push(format!("{unit} IN ({list})"));
    }
    if let Some(key) = &scope.procedure {
        let p = f.bind(key.clone());
        f.conditions.push(format!("{procedure} = {p}"));
    }
    Some(f)
}

pub(crate) fn received_sql(scope: &TableroScope, from: &str, to: &str) -> Option<Filter> {
    let mut f = scoped(scope, "unit_code", "procedure_key")?;
    let (a, b) = (f.bind(from), f.bind(to));
    f.conditions.push(format!("month >= {a} AND month <= {b}"));
    Some(f)
}

/// Completed work per month and días hábiles on the regime of its activity.
pub(crate) fn done_sql(
    scope: &TableroScope,
    from: &str,
    to: &str,
    regimes: &Regimes,
) -> Option<(String, Vec<String>)> {
    let mut f = scoped(scope, "unit_code", "procedure_key")?;
    let mut arms = String::new();
    for (procedure, activity, regime) in &regimes.activities {
        let (p, a, r) = (f.bind(procedure), f.bind(activity), f.bind(regime));
        arms.push_str(&format!(
            " WHEN procedure_key = {p} AND activity = {a} THEN {r}"
        ));
    }
    for (procedure, regime) in &regimes.procedures {
        let (p, r) = (f.bind(procedure), f.bind(regime));
        arms.push_str(&format!(" WHEN procedure_key = {p} THEN {r}"));
    }
    let default = f.bind(&regimes.default);
    let regime = if arms.is_empty() {
        default
    } else {
        format!("CASE{arms} ELSE {default} END")
    };
    let (a, b) = (f.bind(from), f.bind(to));
    f.conditions.push(format!(
        "month >= {a} AND month <= {b} AND regime = {regime}"
    ));
    Some((
        format!(
            "SELECT unit_code, procedure_key, activity, month, days, items \
             FROM tablero_done_days{}",
            f.clause()
        ),
        f.binds,
    ))
}

/// Completed work on one regime's business days, grouped by month and días hábiles (the
/// ordinal of the day it was completed less that of the day it opened, never below 0).
pub(crate) const REGROUP_DONE: &str = "INSERT INTO tablero_done_days \
     (month, regime, unit_code, procedure_key, activity, days, items) \
     SELECT substr(d.completed_on, 1, 7), o.regime, d.unit_code, d.procedure_key, d.activity, \
     CASE WHEN e.ordinal > o.ordinal THEN e.ordinal - o.ordinal ELSE 0 END, SUM(d.items) \
     FROM tablero_done d \
     JOIN business_days o ON o.regime = $1 AND o.day = d.opened_on \
     JOIN business_days e ON e.regime = o.regime AND e.day = d.completed_on \
     GROUP BY substr(d.completed_on, 1, 7), o.regime, d.unit_code, d.procedure_key, d.activity, \
     CASE WHEN e.ordinal > o.ordinal THEN e.ordinal - o.ordinal ELSE 0 END";

pub(crate) fn open_sql(scope: &TableroScope) -> Option<(String, Vec<String>)> {
    let mut f = scoped(scope, "unit_code", "procedure_key")?;
    f.conditions.push("items > 0".into());
    let sql = format!(
        "SELECT unit_code, procedure_key, activity, opened_on, due, items FROM tablero_open{}",
        f.clause()
    );
    Some((sql, f.binds))
}

/// The drill-down's statement and its binds; the limit is bound last.
pub(crate) fn items_sql<D: Dialect>(
    scope: &TableroScope,
    activity: Option<&str>,
    drill: &Drill,
) -> Option<(String, Vec<String>)> {
    let mut f = scoped(scope, "u.unit_code", "c.procedure_key")?;
    if let Some(activity) = activity {
        let p = f.bind(activity);
        f.conditions.push(format!("w.activity = {p}"));
    }
    // On the unit's rows' times (migration 0052), which the indexes by unit and time hold.
    let order = match drill {
        Drill::Received { from, to, returns } => {
            let (a, b) = (f.bind(from.clone()), f.bind(to.clone()));
            f.conditions
                .push(format!("u.opened_at >= {a} AND u.opened_at < {b}"));
            if *returns {
                // As migration 0044 counts a return: the work's activity comes before the
                // activity of the work its case completed last.
                let order = |column: &str| D::ACTIVITY_ORDER.replace("{a}", column);
                f.conditions.push(format!(
                    "{} < (SELECT {} FROM work_items p WHERE p.case_id = w.case_id \
                     AND p.item < w.item AND p.state = 'done' AND p.completed_at <= w.opened_at \
                     ORDER BY p.completed_at DESC, p.item DESC LIMIT 1)",
                    order("w.activity"),
                    order("p.activity")
                ));
            }
            "u.opened_at DESC"
        }
        Drill::Done { from, to } => {
            let (a, b) = (f.bind(from.clone()), f.bind(to.clone()));
            // A unit's row has a completion time only once its work item is done.
            f.conditions
                .push(format!("u.completed_at >= {a} AND u.completed_at < {b}"));
            "u.completed_at DESC"
        }
        Drill::Open => {
            f.conditions.push("u.open".into());
            "u.due"
        }
    };
    let limit = format!("${}", f.binds.len() + 1);
    Some((
        format!(
            "SELECT c.folio, c.title, c.procedure_key, u.unit_code, w.activity, w.opened_at, \
             u.due, w.completed_at \
             FROM work_item_units u JOIN work_items w ON w.case_id = u.case_id AND w.item = u.item \
             JOIN cases c ON c.id = u.case_id{} ORDER BY {order}, c.folio LIMIT {limit}",
            f.clause()
        ),
        f.binds,
    ))
}

macro_rules! tablero_sql {
    ($store:ty, $db:ty) => {
        impl $crate::tablero::Tableros for $store {
            async fn tablero_received(
                &self,
                scope: &$crate::tablero::TableroScope,
                from: &str,
                to: &str,
            ) -> Result<Vec<$crate::tablero::ReceivedRow>, $crate::StoreError> {
                let Some(f) = $crate::tablero::received_sql(scope, from, to) else {
                    return Ok(Vec::new());
                };
                let sql = format!(
                    "SELECT unit_code, procedure_key, activity, month, received, returned \
                     FROM tablero_received{}",
                    f.clause()
                );
                let mut query = sqlx::query_as(&sql);
                for value in &f.binds {
                    query = query.bind(value);
                }
                Ok(query.fetch_all(&self.reader).await?)
            }

            async fn tablero_done(
                &self,
                scope: &$crate::tablero::TableroScope,
                from: &str,
                to: &str,
                regimes: &$crate::tablero::Regimes,
            ) -> Result<Vec<$crate::tablero::DoneRow>, $crate::StoreError> {
                let Some((sql, binds)) = $crate::tablero::done_sql(scope, from, to, regimes)
                else {
                    return Ok(Vec::new());
                };
                let mut query = sqlx::query_as(&sql);
                for value in &binds {
                    query = query.bind(value);
                }
                Ok(query.fetch_all(&self.reader).await?)
            }

            async fn business_days_revision(&self) -> Result<Option<i64>, $crate::StoreError> {
                Ok(
                    sqlx::query_scalar("SELECT revision FROM business_days_revision WHERE id = 1")
                        .fetch_optional(&self.reader)
                        .await?,
                )
            }

            async fn replace_business_days(
                &self,
                revision: i64,
                days: &[$crate::tablero::BusinessDays],
            ) -> Result<(), $crate::StoreError> {
                // 3 binds a row, well under SQLite's 32,766.
                const ROWS: usize = 1000;
                let mut tx = self.begin_write().await?;
                for statement in <Self as $crate::search::Dialect>::REGROUP_DONE {
                    sqlx::query(*statement).execute(&mut *tx).await?;
                }
                for table in ["business_days", "tablero_done_days"] {
                    sqlx::query(&format!("DELETE FROM {table}"))
                        .execute(&mut *tx)
                        .await?;
                }
                for regime in days {
                    for chunk in regime.days.chunks(ROWS) {
                        let values: Vec<String> = (0..chunk.len())
                            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
                            .collect();
                        // Another process writing the same revision at once writes the same rows.
                        let sql = format!(
                            "INSERT INTO business_days (regime, day, ordinal) VALUES {} \
                             ON CONFLICT (regime, day) DO UPDATE SET ordinal = excluded.ordinal",
                            values.join(", ")
                        );
                        let mut query = sqlx::query(&sql);
                        for (day, ordinal) in chunk {
                            query = query
                                .bind(regime.regime.clone())
                                .bind(day.clone())
                                .bind(*ordinal);
                        }
                        query.execute(&mut *tx).await?;
                    }
                    sqlx::query($crate::tablero::REGROUP_DONE)
                        .bind(regime.regime.clone())
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query(
                    "INSERT INTO business_days_revision (id, revision) VALUES (1, $1) \
                     ON CONFLICT (id) DO UPDATE SET revision = excluded.revision",
                )
                .bind(revision)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn tablero_open(
                &self,
                scope: &$crate::tablero::TableroScope,
            ) -> Result<Vec<$crate::tablero::OpenRow>, $crate::StoreError> {
                let Some((sql, binds)) = $crate::tablero::open_sql(scope) else {
                    return Ok(Vec::new());
                };
                let mut query = sqlx::query_as(&sql);
                for value in &binds {
                    query = query.bind(value);
                }
                Ok(query.fetch_all(&self.reader).await?)
            }

            async fn tablero_items(
                &self,
                scope: &$crate::tablero::TableroScope,
                activity: Option<&str>,
                drill: &$crate::tablero::Drill,
                limit: i64,
            ) -> Result<Vec<$crate::tablero::DrillRow>, $crate::StoreError> {
                let Some((sql, binds)) = $crate::tablero::items_sql::<Self>(scope, activity, drill)
                else {
                    return Ok(Vec::new());
                };
                let mut query = sqlx::query_as(&sql);
                for value in &binds {
                    query = query.bind(value);
                }
                Ok(query.bind(limit).fetch_all(&self.reader).await?)
            }
        }
    };
}

pub(crate) use tablero_sql;
