//! The figures of the tableros (migration 0044; docs/tableros.md): the sums the triggers keep
//! per unit, procedure, activity and month (work received and returned, work completed by the
//! days it opened and completed, open work by the day it opened and its due date), and the
//! work items behind a figure (its drill-down). The application decides what each figure means (the semáforo, the
//! días hábiles, who may see what); the store reads rows.

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

/// Work a unit completed on a day, opened on another (`AAAA-MM-DD`, UTC).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DoneRow {
    pub unit_code: String,
    pub procedure_key: String,
    pub activity: String,
    pub completed_on: String,
    pub opened_on: String,
    pub items: i64,
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

        /// Work completed on the days `[from, to]` (`AAAA-MM-DD`).
        async fn tablero_done(
            &self,
            scope: &TableroScope,
            from: &str,
            to: &str,
        ) -> Result<Vec<DoneRow>, StoreError>;

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

pub(crate) fn done_sql(scope: &TableroScope, from: &str, to: &str) -> Option<Filter> {
    let mut f = scoped(scope, "unit_code", "procedure_key")?;
    let (a, b) = (f.bind(from), f.bind(to));
    f.conditions
        .push(format!("completed_on >= {a} AND completed_on <= {b}"));
    Some(f)
}

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
    let order = match drill {
        Drill::Received { from, to, returns } => {
            let (a, b) = (f.bind(from.clone()), f.bind(to.clone()));
            f.conditions
                .push(format!("w.opened_at >= {a} AND w.opened_at < {b}"));
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
            "w.opened_at DESC"
        }
        Drill::Done { from, to } => {
            let (a, b) = (f.bind(from.clone()), f.bind(to.clone()));
            f.conditions.push(format!(
                "w.state = 'done' AND w.completed_at >= {a} AND w.completed_at < {b}"
            ));
            "w.completed_at DESC"
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
            ) -> Result<Vec<$crate::tablero::DoneRow>, $crate::StoreError> {
                let Some(f) = $crate::tablero::done_sql(scope, from, to) else {
                    return Ok(Vec::new());
                };
                let sql = format!(
                    "SELECT unit_code, procedure_key, activity, completed_on, opened_on, items \
                     FROM tablero_done{}",
                    f.clause()
                );
                let mut query = sqlx::query_as(&sql);
                for value in &f.binds {
                    query = query.bind(value);
                }
                Ok(query.fetch_all(&self.reader).await?)
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
