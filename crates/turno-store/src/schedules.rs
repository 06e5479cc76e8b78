//! Recurring work (migrations 0041 and 0045, `docs/recurring.md`): the schedules administrators
//! define, the occurrences each opened (recorded by the case start's own transaction,
//! `Target::FromSchedule`, or by the transaction that adds a program's line, `open_line`), and
//! what the matriz de entrega reads of their cases. The application computes the occurrences
//! and decides; the store keeps them.

use crate::error::{Refusal, StoreError};
use crate::{PgStore, SqliteStore};

/// A schedule as it is stored: its recurrence in the domain's codes, its dates in ISO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub id: i64,
    pub name: String,
    pub procedure_key: String,
    /// The unit the cases are about (a Dirección General, for the matriz).
    pub unit_code: String,
    /// The cases' title; each case adds its period.
    pub title: String,
    /// The procedure's fields as typed, by name (JSON object of texts).
    pub fields: String,
    /// `turno_domain::recurrence::Frequency::code`.
    pub frequency: String,
    /// The dates of a schedule on given dates, ISO, JSON array.
    pub dates: String,
    pub first_date: jiff::civil::Date,
    pub last_date: Option<jiff::civil::Date>,
    /// `turno_domain::recurrence::Adjustment::code`.
    pub adjustment: String,
    /// Días hábiles to deliver, from each occurrence.
    pub term_days: i32,
    pub active: bool,
    pub created_by: String,
    pub created_at: String,
    /// The follow-up program whose lines it opens (`procedure_key` is then empty), if not
    /// cases.
    pub program_key: Option<String>,
}

/// A schedule to record (its values checked by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSchedule {
    pub name: String,
    pub procedure_key: String,
    pub unit_code: String,
    pub title: String,
    pub fields: String,
    pub frequency: String,
    pub dates: String,
    pub first_date: jiff::civil::Date,
    pub last_date: Option<jiff::civil::Date>,
    pub adjustment: String,
    pub term_days: i32,
    /// The program whose lines it opens, if not cases.
    pub program_key: Option<String>,
}

/// An occurrence of a schedule that opens a line of `program`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineLink {
    pub schedule: i64,
    /// The date that names the occurrence.
    pub nominal: jiff::civil::Date,
    /// The día hábil it fell on.
    pub falls_on: jiff::civil::Date,
    pub program: String,
}

/// One occurrence a schedule opened, with its case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub schedule_id: i64,
    /// The date that names the occurrence.
    pub occurrence: jiff::civil::Date,
    /// The día hábil it fell on.
    pub falls_on: jiff::civil::Date,
    pub case_folio: String,
    /// When the first work item of the case was completed (UTC instant), if it was: for the
    /// matriz, when the report was received.
    pub received_at: Option<String>,
}

type ScheduleRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    bool,
    String,
    String,
    Option<String>,
);

fn date(text: &str) -> Result<jiff::civil::Date, StoreError> {
    text.parse().map_err(StoreError::corrupt)
}

fn schedule_of(row: ScheduleRow) -> Result<Schedule, StoreError> {
    let (
        id,
        name,
        procedure_key,
        unit_code,
        title,
        fields,
        frequency,
        dates,
        first,
        last,
        adjustment,
        term_days,
        active,
        created_by,
        created_at,
        program_key,
    ) = row;
    Ok(Schedule {
        id,
        name,
        procedure_key,
        unit_code,
        title,
        fields,
        frequency,
        dates,
        first_date: date(&first)?,
        last_date: last.as_deref().map(date).transpose()?,
        adjustment,
        term_days: i32::try_from(term_days).map_err(StoreError::corrupt)?,
        active,
        created_by,
        created_at,
        program_key,
    })
}

const COLUMNS: &str = "id, name, procedure_key, unit_code, title, fields, frequency, dates, \
     first_date, last_date, adjustment, term_days, active, created_by, created_at, program_key";

store_trait! {
    pub trait Schedules {
        /// Records a schedule on the audit log and answers its id; a name in use is refused
        /// (`Refusal::ScheduleNameTaken`), an unknown unit too (`Refusal::UnitNotFound`).
        async fn create_schedule(
            &self,
            schedule: &NewSchedule,
            actor: &str,
            at: &str,
        ) -> Result<i64, StoreError>;

        /// Every schedule, by name.
        async fn schedules(&self) -> Result<Vec<Schedule>, StoreError>;

        async fn schedule(&self, id: i64) -> Result<Option<Schedule>, StoreError>;

        /// Turns a schedule on or off, on the audit log; false when there is no such schedule.
        async fn set_schedule_active(
            &self,
            id: i64,
            active: bool,
            actor: &str,
        ) -> Result<bool, StoreError>;

        /// The occurrences (their nominal dates) the schedule `id` opened, cases or lines, in
        /// order.
        async fn opened_of(&self, id: i64) -> Result<Vec<jiff::civil::Date>, StoreError>;

        /// Adds `item` to the program `link` names as its schedule's occurrence, recording the
        /// occurrence in the same transaction under its key unique per schedule and occurrence,
        /// on the audit log: when another process opened it first, nothing is written
        /// ([`Refusal::OccurrenceOpened`]). Answers the line as numbered; `None` when there is
        /// no such program.
        async fn open_line(
            &self,
            link: &LineLink,
            item: turno_domain::followup::NewItem,
            actor: &str,
            at: &str,
        ) -> Result<Option<turno_domain::followup::Item>, StoreError>;

        /// The lines the schedule `id` opened: each occurrence's date with its program and
        /// line, in order.
        async fn lines_of(
            &self,
            id: i64,
        ) -> Result<Vec<(jiff::civil::Date, String, String)>, StoreError>;

        /// The occurrences the schedules of `procedure_key` opened (all schedules when `None`)
        /// whose date falls in `from..=to`, with when each case's first work was completed.
        async fn opened_occurrences(
            &self,
            procedure_key: Option<&str>,
            from: jiff::civil::Date,
            to: jiff::civil::Date,
        ) -> Result<Vec<Opened>, StoreError>;
    }
}

macro_rules! schedules_impl {
    ($store:ty) => {
        impl Schedules for $store {
            async fn create_schedule(
                &self,
                s: &NewSchedule,
                actor: &str,
                at: &str,
            ) -> Result<i64, StoreError> {
                let mut tx = self.begin_write().await?;
                let unit: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE code = $1")
                    .bind(&s.unit_code)
                    .fetch_optional(&mut *tx)
                    .await?;
                if unit.is_none() {
                    return Err(Refusal::UnitNotFound(s.unit_code.clone()).into());
                }
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO schedules (name, procedure_key, unit_code, title, fields, \
                     frequency, dates, first_date, last_date, adjustment, term_days, active, \
                     created_by, created_at, program_key) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, TRUE, $12, $13, $14) \
                     ON CONFLICT (name) DO NOTHING RETURNING id",
                )
                .bind(&s.name)
                .bind(&s.procedure_key)
                .bind(&s.unit_code)
                .bind(&s.title)
                .bind(&s.fields)
                .bind(&s.frequency)
                .bind(&s.dates)
                .bind(s.first_date.to_string())
                .bind(s.last_date.map(|d| d.to_string()))
                .bind(&s.adjustment)
                .bind(i64::from(s.term_days))
                .bind(actor)
                .bind(at)
                .bind(&s.program_key)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(id) = id else {
                    return Err(Refusal::ScheduleNameTaken(s.name.clone()).into());
                };
                let detail = serde_json::json!({
                    "procedure": s.procedure_key,
                    "program": s.program_key,
                    "unit": s.unit_code,
                    "frequency": s.frequency,
                    "first_date": s.first_date.to_string(),
                    "last_date": s.last_date.map(|d| d.to_string()),
                    "term_days": s.term_days,
                })
                .to_string();
                Self::audit_on(&mut tx, actor, "schedule_created", &s.name, detail).await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn schedules(&self) -> Result<Vec<Schedule>, StoreError> {
                let rows: Vec<ScheduleRow> =
                    sqlx::query_as(&format!("SELECT {COLUMNS} FROM schedules ORDER BY name, id"))
                        .fetch_all(&self.reader)
                        .await?;
                rows.into_iter().map(schedule_of).collect()
            }

            async fn schedule(&self, id: i64) -> Result<Option<Schedule>, StoreError> {
                let row: Option<ScheduleRow> =
                    sqlx::query_as(&format!("SELECT {COLUMNS} FROM schedules WHERE id = $1"))
                        .bind(id)
                        .fetch_optional(&self.reader)
                        .await?;
                row.map(schedule_of).transpose()
            }

            async fn set_schedule_active(
                &self,
                id: i64,
                active: bool,
                actor: &str,
            ) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                let name: Option<String> = sqlx::query_scalar(
                    "UPDATE schedules SET active = $1 WHERE id = $2 RETURNING name",
                )
                .bind(active)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(name) = name else {
                    return Ok(false);
                };
                let detail = serde_json::json!({ "active": active }).to_string();
                Self::audit_on(&mut tx, actor, "schedule_changed", &name, detail).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn opened_of(&self, id: i64) -> Result<Vec<jiff::civil::Date>, StoreError> {
                let rows: Vec<String> = sqlx::query_scalar(
                    "SELECT occurrence FROM schedule_occurrences WHERE schedule_id = $1 \
                     UNION SELECT occurrence FROM schedule_lines WHERE schedule_id = $1 \
                     ORDER BY 1",
                )
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                rows.iter().map(|d| date(d)).collect()
            }

            async fn open_line(
                &self,
                link: &LineLink,
                item: turno_domain::followup::NewItem,
                actor: &str,
                at: &str,
            ) -> Result<Option<turno_domain::followup::Item>, StoreError> {
                let mut tx = self.begin_write().await?;
                let Some(mut added) = Self::add_items_on(&mut tx, &link.program, vec![item], actor)
                    .await?
                else {
                    return Ok(None);
                };
                let Some(line) = added.pop() else {
                    return Err(StoreError::corrupt("a line added and not answered"));
                };
                // The occurrence's key taken by another process: this transaction, the line
                // with it, is rolled back when dropped.
                let linked = sqlx::query(
                    "INSERT INTO schedule_lines (schedule_id, occurrence, falls_on, program_key, \
                     item_key, opened_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (schedule_id, occurrence) DO NOTHING",
                )
                .bind(link.schedule)
                .bind(link.nominal.to_string())
                .bind(link.falls_on.to_string())
                .bind(&link.program)
                .bind(line.key())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if linked != 1 {
                    return Err(Refusal::OccurrenceOpened {
                        schedule: link.schedule,
                        occurrence: link.nominal.to_string(),
                    }
                    .into());
                }
                tx.commit().await?;
                Ok(Some(line))
            }

            async fn lines_of(
                &self,
                id: i64,
            ) -> Result<Vec<(jiff::civil::Date, String, String)>, StoreError> {
                let rows: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT occurrence, program_key, item_key FROM schedule_lines \
                     WHERE schedule_id = $1 ORDER BY occurrence",
                )
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(d, program, item)| Ok((date(&d)?, program, item)))
                    .collect()
            }

            async fn opened_occurrences(
                &self,
                procedure_key: Option<&str>,
                from: jiff::civil::Date,
                to: jiff::civil::Date,
            ) -> Result<Vec<Opened>, StoreError> {
                let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT o.schedule_id, o.occurrence, o.falls_on, o.case_folio, \
                     (SELECT w.completed_at FROM work_items w WHERE w.case_id = c.id \
                      ORDER BY w.item LIMIT 1) \
                     FROM schedule_occurrences o JOIN schedules s ON s.id = o.schedule_id \
                     JOIN cases c ON c.folio = o.case_folio \
                     WHERE ($1 IS NULL OR s.procedure_key = $1) \
                     AND o.falls_on >= $2 AND o.falls_on <= $3 \
                     ORDER BY o.falls_on, o.schedule_id",
                )
                .bind(procedure_key)
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(schedule_id, occurrence, falls_on, case_folio, received_at)| {
                        Ok(Opened {
                            schedule_id,
                            occurrence: date(&occurrence)?,
                            falls_on: date(&falls_on)?,
                            case_folio,
                            received_at,
                        })
                    })
                    .collect()
            }
        }
    };
}

schedules_impl!(SqliteStore);
schedules_impl!(PgStore);
