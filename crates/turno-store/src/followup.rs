//! Follow-up programs (issue 8): a program's items, activities and evidence as rows, written
//! whole in one transaction under the program's key and read back as the domain's `Program`.
//! An import with any problem in its tables writes nothing; the same program imported again
//! writes nothing either; each import that changes a program is on the audit log.

use crate::error::StoreError;
use jiff::civil::Date;
use std::collections::HashMap;
use turno_domain::followup::{
    Acceptance, Activity, Aspect, Change, Closure, DocumentType, Evidence, FollowupError, Goal,
    Item, ItemKind, Justification, ManagementArea, NewItem, Plan, Problem, Program, ProgramKind,
    Progress, Recommendation, Round, RoundOutcome, SignOff, Tables, Update, read_program,
};

store_trait! {
    /// Follow-up programs, stored apart from the cases' `Store`.
    pub trait Followup {
        /// Writes `program` under `key` in one transaction, replacing the items an earlier import
        /// left; a program equal to the stored one writes nothing.
        async fn import_program(
            &self,
            key: &str,
            program: &Program,
            actor: &str,
        ) -> Result<ProgramImport, StoreError>;

        /// Stores `program` under a new `key`, with its heading (`plan`) when it is written
        /// down line by line, on the audit log; refused with
        /// [`Refusal::ProgramExists`](crate::Refusal::ProgramExists) when the key holds one.
        async fn create_program(
            &self,
            key: &str,
            program: &Program,
            plan: Option<&Plan>,
            actor: &str,
        ) -> Result<(), StoreError>;

        /// Adds `items` to the program under `key`, in their order (`Program::add_item` numbers
        /// them, in the transaction, so that two people adding at once get different numbers),
        /// on the audit log. `None` when there is no such program.
        async fn add_items(
            &self,
            key: &str,
            items: Vec<NewItem>,
            actor: &str,
        ) -> Result<Option<Vec<Item>>, StoreError>;

        /// Replaces the line `expected` of the program under `key` by `revised` (the same key,
        /// kind and activities' numbers; the application checked the revision against
        /// `expected`), with `changes` (field, before, after) on the audit log. A line that is
        /// no longer `expected` (progress recorded or another edit in between) is refused with
        /// [`Refusal::LineChanged`](crate::Refusal::LineChanged); `false` when there is no such
        /// program or line.
        async fn revise_item(
            &self,
            key: &str,
            expected: &Item,
            revised: &Item,
            changes: &[(String, String, String)],
            actor: &str,
        ) -> Result<bool, StoreError>;

        /// The program stored under `key`.
        async fn program(&self, key: &str) -> Result<Option<Program>, StoreError>;

        /// Every stored program, by key.
        async fn programs(&self) -> Result<Vec<ProgramHead>, StoreError>;

        /// Applies a person's change to one activity through the domain's rules and keeps it in
        /// the activity's history, in one transaction. `file` is the evidence's stored file.
        async fn record_update(
            &self,
            at: ActivityAt<'_>,
            change: Change,
            file: Option<EvidenceFile>,
            recorded: Recorded,
        ) -> Result<Update, UpdateError>;

        /// The program's history, oldest first.
        async fn history(&self, key: &str) -> Result<Vec<HistoryEntry>, StoreError>;

        /// The stored file of an activity's evidence (by its place in the activity's list).
        async fn evidence_file(
            &self,
            at: ActivityAt<'_>,
            index: usize,
        ) -> Result<Option<(String, EvidenceFile)>, StoreError>;

        /// Closes the supervision's next follow-up round on `recorded.day`.
        async fn close_round(
            &self,
            key: &str,
            recorded: Recorded,
        ) -> Result<(Round, RoundOutcome), UpdateError>;

        /// The supervision's closed rounds, in order.
        async fn rounds(&self, key: &str) -> Result<Vec<ClosedRound>, StoreError>;
    }
}

/// What a new program is, as its row records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramRole<'a> {
    /// A program of its own: imported from its tables (no heading), or written down line by
    /// line with its heading (`followup_plans`).
    Program(Option<&'a Plan>),
    /// The improvement plan of a visit, followed in rounds; with the folio of its cnpss-94
    /// case when the visit is a supervision of one.
    VisitPlan { case_folio: Option<&'a str> },
}

/// A stored program as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramHead {
    pub key: String,
    pub name: String,
    /// The cnpss-94 case, for a supervision's recommendations.
    pub supervision_of: Option<String>,
    /// The heading of a program written down line by line.
    pub plan: Option<Plan>,
}

/// A program's heading as its row holds it.
pub(crate) type PlanRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
);

/// The heading again; a kind the store does not know is corrupt.
pub(crate) fn plan(
    key: &str,
    (kind, body, reference, held_on, year): PlanRow,
) -> Result<Option<Plan>, StoreError> {
    let Some(kind) = kind else {
        return Ok(None);
    };
    let corrupt = || StoreError::corrupt(format!("heading of follow-up program {key}"));
    Ok(Some(Plan {
        kind: ProgramKind::parse(&kind).ok_or_else(corrupt)?,
        body,
        reference,
        held_on: held_on
            .map(|d| date(Some(&d)).ok_or_else(corrupt))
            .transpose()?,
        year: year
            .map(|y| i16::try_from(y).map_err(|_| corrupt()))
            .transpose()?,
    }))
}

/// One activity of a stored program.
#[derive(Debug, Clone, Copy)]
pub struct ActivityAt<'a> {
    pub program: &'a str,
    pub item: &'a str,
    pub activity: u32,
}

/// An evidence file as the blob store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub sha256: String,
    pub mime: String,
}

/// Who records a change, on which day (the program's dates) and at which instant.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub actor: String,
    pub day: Date,
    pub at: jiff::Timestamp,
}

/// A change as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub item: String,
    pub activity: u32,
    pub actor: String,
    pub at: String,
    pub update: Update,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosedRound {
    pub round: Round,
    pub outcome: RoundOutcome,
    pub day: Date,
    pub actor: String,
}

/// Why a change or a round was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("no such program, item or activity")]
    NotFound,
    /// The domain's refusal (100 % without evidence, a closed activity…), in Spanish.
    #[error(transparent)]
    Refused(#[from] FollowupError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for UpdateError {
    fn from(e: sqlx::Error) -> UpdateError {
        UpdateError::Store(e.into())
    }
}

/// A history row, read back into the domain's `Update`.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UpdateRow {
    pub item_key: String,
    pub activity: i64,
    pub day: String,
    pub at: String,
    pub actor: String,
    pub progress_before: i64,
    pub progress: i64,
    pub note: String,
    pub evidence_name: Option<String>,
    pub closure: Option<String>,
    pub closure_reason: Option<String>,
}

fn progress(n: i64) -> Option<Progress> {
    u8::try_from(n).ok().and_then(|p| Progress::new(p).ok())
}

/// The closure's column and reason.
pub(crate) fn closure_columns(closure: &Option<Closure>) -> (Option<&'static str>, Option<String>) {
    match closure {
        None => (None, None),
        Some(Closure::Justified { reason }) => (Some("justified"), Some(reason.clone())),
        Some(Closure::NotAttended { reason }) => (Some("not_attended"), Some(reason.clone())),
    }
}

fn closure(kind: Option<&str>, reason: Option<String>) -> Result<Option<Closure>, String> {
    let reason = reason.unwrap_or_default();
    match kind {
        None => Ok(None),
        Some("justified") => Ok(Some(Closure::Justified { reason })),
        Some("not_attended") => Ok(Some(Closure::NotAttended { reason })),
        Some(other) => Err(format!("closure «{other}»")),
    }
}

impl UpdateRow {
    pub(crate) fn entry(self) -> Result<HistoryEntry, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("follow-up history: {what}"));
        Ok(HistoryEntry {
            activity: number(self.activity).ok_or_else(|| corrupt("activity"))?,
            update: Update {
                date: date(Some(&self.day)).ok_or_else(|| corrupt("day"))?,
                before: progress(self.progress_before).ok_or_else(|| corrupt("progress"))?,
                change: Change {
                    progress: progress(self.progress).ok_or_else(|| corrupt("progress"))?,
                    note: self.note,
                    evidence: self.evidence_name.map(|name| Evidence { name }),
                    closure: closure(self.closure.as_deref(), self.closure_reason)
                        .map_err(|e| corrupt(&e))?,
                },
            },
            item: self.item_key,
            actor: self.actor,
            at: self.at,
        })
    }
}

pub(crate) fn outcome_columns(outcome: RoundOutcome) -> (&'static str, i64) {
    match outcome {
        RoundOutcome::Concluded => ("concluded", 0),
        RoundOutcome::SecondRound { pending } => ("second_round", pending as i64),
        RoundOutcome::Escalated { pending } => ("escalated", pending as i64),
    }
}

pub(crate) fn closed_round(
    (round, outcome, pending, day, actor): (i64, String, i64, String, String),
) -> Result<ClosedRound, StoreError> {
    let corrupt = || StoreError::corrupt(format!("supervision round {round}"));
    let pending = usize::try_from(pending).map_err(|_| corrupt())?;
    Ok(ClosedRound {
        round: u8::try_from(round)
            .ok()
            .and_then(Round::from_number)
            .ok_or_else(corrupt)?,
        outcome: match outcome.as_str() {
            "concluded" => RoundOutcome::Concluded,
            "second_round" => RoundOutcome::SecondRound { pending },
            "escalated" => RoundOutcome::Escalated { pending },
            _ => return Err(corrupt()),
        },
        day: date(Some(&day)).ok_or_else(corrupt)?,
        actor,
    })
}

/// What an import did to the program under its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramImport {
    Created,
    Replaced,
    Unchanged,
}

/// Why a program import did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The tables' problems, each with its file, row and column.
    #[error("{} problem(s) in the program's tables", .0.len())]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads a program from its three tables and imports it under `key`; with any problem in any
/// table, nothing is written.
pub async fn import<S: Followup>(
    store: &S,
    key: &str,
    name: &str,
    tables: Tables<'_>,
    actor: &str,
) -> Result<(Program, ProgramImport), ImportError> {
    let program = read_program(name, tables).map_err(ImportError::Invalid)?;
    let done = store.import_program(key, &program, actor).await?;
    Ok((program, done))
}

/// An item as its row holds it; the kind's own columns are empty for the other kinds.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ItemRow {
    pub id: i64,
    pub kind: String,
    pub number: i64,
    pub text: String,
    pub expected_results: Option<String>,
    pub case_folio: Option<String>,
    pub management: Option<String>,
    pub evaluation_year: Option<i64>,
    pub accepted: Option<bool>,
    pub justified_by: Option<i64>,
    pub justification: Option<String>,
    pub document: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub products: Option<String>,
    pub coordinator: Option<String>,
    /// A JSON array of numbers.
    pub recommendations: Option<String>,
    /// An observation's number.
    pub reference: Option<String>,
    /// A PAT line's indicator, annual goal and quarterly goals (a JSON array of four).
    pub indicator: Option<String>,
    pub goal: Option<String>,
    pub quarter_goals: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ActivityRow {
    pub id: i64,
    pub item_id: i64,
    pub number: i64,
    pub description: String,
    pub start_date: String,
    pub end_date: String,
    pub products: String,
    /// A JSON array of texts.
    pub responsible: String,
    pub progress: i64,
    pub closure: Option<String>,
    pub closure_reason: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct EvidenceRow {
    pub activity_id: i64,
    pub name: String,
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(StoreError::corrupt)
}

impl ItemRow {
    /// The row for `item`, with no id yet.
    pub(crate) fn new(item: &Item) -> Result<ItemRow, StoreError> {
        let mut row = ItemRow {
            id: 0,
            kind: String::new(),
            number: i64::from(item.number),
            text: item.text.clone(),
            expected_results: item.expected_results.clone(),
            case_folio: item.case_folio.clone(),
            management: None,
            evaluation_year: None,
            accepted: None,
            justified_by: None,
            justification: None,
            document: None,
            start_date: None,
            end_date: None,
            products: None,
            coordinator: None,
            recommendations: None,
            reference: None,
            indicator: None,
            goal: None,
            quarter_goals: None,
        };
        row.kind = match &item.kind {
            ItemKind::Recommendation(r) => {
                row.management = r.management.map(|m| m.as_str().to_owned());
                row.evaluation_year = Some(i64::from(r.evaluation_year));
                row.accepted = Some(r.acceptance.is_accepted());
                match &r.acceptance {
                    Acceptance::Accepted => {}
                    Acceptance::NotAccepted(Justification::ByRecommendation(by)) => {
                        row.justified_by = Some(i64::from(*by));
                    }
                    Acceptance::NotAccepted(Justification::Text(text)) => {
                        row.justification = Some(text.clone());
                    }
                }
                "recommendation"
            }
            ItemKind::Aspect(a) => {
                row.management = Some(a.management.as_str().to_owned());
                row.document = Some(a.document.as_str().to_owned());
                row.start_date = Some(a.start.to_string());
                row.end_date = Some(a.end.to_string());
                row.products = Some(a.products.clone());
                row.coordinator = a.coordinator.clone();
                row.recommendations = Some(json(&a.recommendations)?);
                "aspect"
            }
            ItemKind::Agreement => "agreement",
            ItemKind::Commitment => "commitment",
            ItemKind::Observation { reference } => {
                row.reference = Some(reference.clone());
                "observation"
            }
            ItemKind::Line(goal) => {
                row.indicator = Some(goal.indicator.clone());
                row.goal = Some(goal.annual.clone());
                row.quarter_goals = Some(json(&goal.quarters.map(Progress::percent))?);
                "line"
            }
            ItemKind::Risk => "risk",
            ItemKind::ControlAction => "control_action",
        }
        .to_owned();
        Ok(row)
    }

    fn kind(&self) -> Result<ItemKind, StoreError> {
        let corrupt = |what: &str| {
            StoreError::corrupt(format!(
                "{what} of follow-up item {} (id {})",
                self.number, self.id
            ))
        };
        let management = |text: &Option<String>| {
            text.as_deref()
                .map(|m| ManagementArea::parse(m).ok_or_else(|| corrupt("management area")))
                .transpose()
        };
        Ok(match self.kind.as_str() {
            "recommendation" => {
                let acceptance = match (self.accepted, self.justified_by, &self.justification) {
                    (Some(true), None, None) => Acceptance::Accepted,
                    (Some(false), Some(by), None) => {
                        Acceptance::NotAccepted(Justification::ByRecommendation(
                            number(by).ok_or_else(|| corrupt("justification"))?,
                        ))
                    }
                    (Some(false), None, Some(text)) => {
                        Acceptance::NotAccepted(Justification::Text(text.clone()))
                    }
                    _ => return Err(corrupt("acceptance")),
                };
                ItemKind::Recommendation(Recommendation {
                    evaluation_year: self
                        .evaluation_year
                        .and_then(|y| i16::try_from(y).ok())
                        .ok_or_else(|| corrupt("evaluation year"))?,
                    management: management(&self.management)?,
                    acceptance,
                })
            }
            "aspect" => ItemKind::Aspect(Aspect {
                document: self
                    .document
                    .as_deref()
                    .and_then(DocumentType::parse)
                    .ok_or_else(|| corrupt("type of document"))?,
                management: management(&self.management)?
                    .ok_or_else(|| corrupt("management area"))?,
                start: date(self.start_date.as_deref()).ok_or_else(|| corrupt("start date"))?,
                end: date(self.end_date.as_deref()).ok_or_else(|| corrupt("end date"))?,
                products: self.products.clone().ok_or_else(|| corrupt("products"))?,
                recommendations: self
                    .recommendations
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok())
                    .ok_or_else(|| corrupt("recommendations"))?,
                coordinator: self.coordinator.clone(),
            }),
            "agreement" => ItemKind::Agreement,
            "commitment" => ItemKind::Commitment,
            "observation" => ItemKind::Observation {
                reference: self.reference.clone().ok_or_else(|| corrupt("reference"))?,
            },
            "line" => {
                let quarters: [u8; 4] = self
                    .quarter_goals
                    .as_deref()
                    .and_then(|q| serde_json::from_str(q).ok())
                    .ok_or_else(|| corrupt("quarterly goals"))?;
                let mut goals = [Progress::default(); 4];
                for (goal, percent) in goals.iter_mut().zip(quarters) {
                    *goal = Progress::new(percent).map_err(|_| corrupt("quarterly goals"))?;
                }
                ItemKind::Line(Goal {
                    indicator: self.indicator.clone().ok_or_else(|| corrupt("indicator"))?,
                    annual: self.goal.clone().ok_or_else(|| corrupt("goal"))?,
                    quarters: goals,
                })
            }
            "risk" => ItemKind::Risk,
            "control_action" => ItemKind::ControlAction,
            _ => return Err(corrupt("kind")),
        })
    }
}

pub(crate) fn number(n: i64) -> Option<u32> {
    u32::try_from(n).ok()
}

pub(crate) fn date(text: Option<&str>) -> Option<Date> {
    text?.parse().ok()
}

impl ActivityRow {
    pub(crate) fn new(activity: &Activity) -> Result<ActivityRow, StoreError> {
        let (closure, closure_reason) = closure_columns(&activity.closure);
        Ok(ActivityRow {
            id: 0,
            item_id: 0,
            number: i64::from(activity.number),
            description: activity.description.clone(),
            start_date: activity.start().to_string(),
            end_date: activity.end().to_string(),
            products: activity.products.clone(),
            responsible: json(&activity.responsible)?,
            progress: i64::from(activity.progress().percent()),
            closure: closure.map(str::to_owned),
            closure_reason,
        })
    }

    /// The activity again, through the domain's own checks: a row that breaks them (dates
    /// reversed, 100 % without evidence) is corrupt.
    fn activity(self, evidence: Vec<Evidence>) -> Result<Activity, StoreError> {
        let corrupt = |what: &dyn std::fmt::Display| {
            StoreError::corrupt(format!("follow-up activity (id {}): {what}", self.id))
        };
        let responsible: Vec<String> =
            serde_json::from_str(&self.responsible).map_err(|e| corrupt(&e))?;
        let (Some(number), Some(start), Some(end)) = (
            number(self.number),
            date(Some(&self.start_date)),
            date(Some(&self.end_date)),
        ) else {
            return Err(corrupt(&"number or dates"));
        };
        let mut activity = Activity::planned(
            number,
            self.description,
            (start, end),
            self.products,
            responsible,
        )
        .map_err(|e| corrupt(&e))?;
        for e in evidence {
            activity.attach(e);
        }
        let progress = progress(self.progress).ok_or_else(|| corrupt(&"progress"))?;
        activity
            .record_progress(progress)
            .map_err(|e| corrupt(&e))?;
        activity.closure =
            closure(self.closure.as_deref(), self.closure_reason).map_err(|e| corrupt(&e))?;
        Ok(activity)
    }
}

/// The program's items, with their activities and evidence (rows in their order).
pub(crate) fn assemble(
    items: Vec<ItemRow>,
    activities: Vec<ActivityRow>,
    evidence: Vec<EvidenceRow>,
) -> Result<Vec<Item>, StoreError> {
    let mut evidence_of: HashMap<i64, Vec<Evidence>> = HashMap::new();
    for e in evidence {
        evidence_of
            .entry(e.activity_id)
            .or_default()
            .push(Evidence { name: e.name });
    }
    let mut activities_of: HashMap<i64, Vec<Activity>> = HashMap::new();
    for a in activities {
        let evidence = evidence_of.remove(&a.id).unwrap_or_default();
        activities_of
            .entry(a.item_id)
            .or_default()
            .push(a.activity(evidence)?);
    }
    items
        .into_iter()
        .map(|row| {
            Ok(Item {
                number: number(row.number).ok_or_else(|| {
                    StoreError::corrupt(format!("follow-up item number {}", row.number))
                })?,
                kind: row.kind()?,
                activities: activities_of.remove(&row.id).unwrap_or_default(),
                text: row.text,
                expected_results: row.expected_results,
                case_folio: row.case_folio,
            })
        })
        .collect()
}

/// A program as the audit log records it.
pub(crate) fn detail(program: &Program) -> String {
    serde_json::json!({
        "name": program.name,
        "items": program.items.len(),
        "activities": program.items.iter().map(|i| i.activities.len()).sum::<usize>(),
        "sign_off": program.sign_off.as_ref().map(|s| [&s.prepared_by, &s.authorized_by]),
    })
    .to_string()
}

pub(crate) fn sign_off(
    prepared_by: Option<String>,
    authorized_by: Option<String>,
) -> Option<SignOff> {
    Some(SignOff {
        prepared_by: prepared_by?,
        authorized_by: authorized_by?,
    })
}

/// The `Followup` statements, plain SQL with `$N` placeholders for both backends (as in
/// `shared.rs`), instantiated for each backend's types.
macro_rules! followup_sql {
    ($store:ty, $db:ty) => {
        impl $store {
            /// The program under `key` and its id, read on one connection (inside an import's
            /// transaction, or on its own).
            async fn program_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                key: &str,
            ) -> Result<Option<(i64, turno_domain::followup::Program)>, $crate::StoreError> {
                let head: Option<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT id, name, prepared_by, authorized_by FROM followup_programs WHERE key = $1",
                )
                .bind(key)
                .fetch_optional(&mut *conn)
                .await?;
                let Some((id, name, prepared_by, authorized_by)) = head else {
                    return Ok(None);
                };
                let items: Vec<$crate::followup::ItemRow> = sqlx::query_as(
                    "SELECT id, kind, number, text, expected_results, case_folio, management, \
                     evaluation_year, accepted, justified_by, justification, document, start_date, \
                     end_date, products, coordinator, recommendations, reference, indicator, goal, \
                     quarter_goals FROM followup_items WHERE program_id = $1 ORDER BY seq",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                let activities: Vec<$crate::followup::ActivityRow> = sqlx::query_as(
                    "SELECT a.id, a.item_id, a.number, a.description, a.start_date, a.end_date, \
                     a.products, a.responsible, a.progress, a.closure, a.closure_reason \
                     FROM followup_activities a JOIN followup_items i ON i.id = a.item_id \
                     WHERE i.program_id = $1 ORDER BY a.item_id, a.seq",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                let evidence: Vec<$crate::followup::EvidenceRow> = sqlx::query_as(
                    "SELECT e.activity_id, e.name FROM followup_evidence e \
                     JOIN followup_activities a ON a.id = e.activity_id \
                     JOIN followup_items i ON i.id = a.item_id \
                     WHERE i.program_id = $1 ORDER BY e.activity_id, e.seq",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await?;
                let program = turno_domain::followup::Program {
                    name,
                    items: $crate::followup::assemble(items, activities, evidence)?,
                    sign_off: $crate::followup::sign_off(prepared_by, authorized_by),
                };
                Ok(Some((id, program)))
            }

            /// Stores `program` under a new `key` on `conn` (a transaction) as what `role` says
            /// (with its heading, for a program written down line by line), on the audit log.
            /// Answers its id; a key that holds one is refused.
            async fn create_program_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                key: &str,
                program: &turno_domain::followup::Program,
                role: $crate::followup::ProgramRole<'_>,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                use $crate::followup::ProgramRole;
                let (prepared_by, authorized_by) = match &program.sign_off {
                    Some(s) => (Some(&s.prepared_by), Some(&s.authorized_by)),
                    None => (None, None),
                };
                let (kind, folio, heading) = match role {
                    ProgramRole::Program(heading) => ("program", None, heading),
                    ProgramRole::VisitPlan { case_folio } => ("supervision", case_folio, None),
                };
                // Two people creating the same key at once: the second finds it taken.
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO followup_programs (key, name, prepared_by, authorized_by, kind, \
                     case_folio) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING \
                     RETURNING id",
                )
                .bind(key)
                .bind(&program.name)
                .bind(prepared_by)
                .bind(authorized_by)
                .bind(kind)
                .bind(folio)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(id) = id else {
                    return Err($crate::Refusal::ProgramExists(key.to_owned()).into());
                };
                if let Some(plan) = heading {
                    sqlx::query(
                        "INSERT INTO followup_plans (program_id, kind, body, reference, held_on, \
                         year) VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id)
                    .bind(plan.kind.code())
                    .bind(&plan.body)
                    .bind(&plan.reference)
                    .bind(plan.held_on.map(|d| d.to_string()))
                    .bind(plan.year.map(i64::from))
                    .execute(&mut *conn)
                    .await?;
                }
                Self::items_on(&mut *conn, id, 0, &program.items).await?;
                Self::audit_on(
                    &mut *conn,
                    actor,
                    "followup_program_created",
                    key,
                    $crate::followup::detail(program),
                )
                .await?;
                Ok(id)
            }

            /// Adds `items` to the program under `key` on `conn` (a transaction), numbered
            /// after its own (`Program::add_item`), on the audit log; `None` when there is no
            /// such program.
            pub(crate) async fn add_items_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                key: &str,
                items: Vec<turno_domain::followup::NewItem>,
                actor: &str,
            ) -> Result<Option<Vec<turno_domain::followup::Item>>, $crate::StoreError> {
                // Taking the program's row first makes a second adder on PostgreSQL wait, and
                // then number after this one (SQLite's write transactions are one at a time).
                sqlx::query("UPDATE followup_programs SET name = name WHERE key = $1")
                    .bind(key)
                    .execute(&mut *conn)
                    .await?;
                let Some((id, mut program)) = Self::program_on(&mut *conn, key).await? else {
                    return Ok(None);
                };
                let seq = program.items.len() as i64;
                let added: Vec<turno_domain::followup::Item> = items
                    .into_iter()
                    .map(|item| program.add_item(item).clone())
                    .collect();
                Self::items_on(&mut *conn, id, seq, &added).await?;
                for item in &added {
                    Self::audit_on(
                        &mut *conn,
                        actor,
                        "followup_item_added",
                        key,
                        serde_json::json!({
                            "item": item.key(),
                            "activities": item.activities.len(),
                        })
                        .to_string(),
                    )
                    .await?;
                }
                Ok(Some(added))
            }

            /// Inserts `items` into program `program_id`, the first at `first_seq`, with their
            /// activities and evidence names.
            async fn items_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                program_id: i64,
                first_seq: i64,
                items: &[turno_domain::followup::Item],
            ) -> Result<(), $crate::StoreError> {
                for (seq, item) in (first_seq..).zip(items) {
                    let row = $crate::followup::ItemRow::new(item)?;
                    let item_id: i64 = sqlx::query_scalar(
                        "INSERT INTO followup_items (program_id, seq, kind, number, text, \
                         expected_results, case_folio, management, evaluation_year, accepted, \
                         justified_by, justification, document, start_date, end_date, products, \
                         coordinator, recommendations, reference, indicator, goal, quarter_goals) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                         $16, $17, $18, $19, $20, $21, $22) RETURNING id",
                    )
                    .bind(program_id)
                    .bind(seq)
                    .bind(&row.kind)
                    .bind(row.number)
                    .bind(&row.text)
                    .bind(&row.expected_results)
                    .bind(&row.case_folio)
                    .bind(&row.management)
                    .bind(row.evaluation_year)
                    .bind(row.accepted)
                    .bind(row.justified_by)
                    .bind(&row.justification)
                    .bind(&row.document)
                    .bind(&row.start_date)
                    .bind(&row.end_date)
                    .bind(&row.products)
                    .bind(&row.coordinator)
                    .bind(&row.recommendations)
                    .bind(&row.reference)
                    .bind(&row.indicator)
                    .bind(&row.goal)
                    .bind(&row.quarter_goals)
                    .fetch_one(&mut *conn)
                    .await?;
                    for (seq, activity) in item.activities.iter().enumerate() {
                        let row = $crate::followup::ActivityRow::new(activity)?;
                        let activity_id: i64 = sqlx::query_scalar(
                            "INSERT INTO followup_activities (item_id, seq, number, description, \
                             start_date, end_date, products, responsible, progress, closure, \
                             closure_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                             RETURNING id",
                        )
                        .bind(item_id)
                        .bind(seq as i64)
                        .bind(row.number)
                        .bind(&row.description)
                        .bind(&row.start_date)
                        .bind(&row.end_date)
                        .bind(&row.products)
                        .bind(&row.responsible)
                        .bind(row.progress)
                        .bind(&row.closure)
                        .bind(&row.closure_reason)
                        .fetch_one(&mut *conn)
                        .await?;
                        for (seq, evidence) in activity.evidence().iter().enumerate() {
                            sqlx::query(
                                "INSERT INTO followup_evidence (activity_id, seq, name) \
                                 VALUES ($1, $2, $3)",
                            )
                            .bind(activity_id)
                            .bind(seq as i64)
                            .bind(&evidence.name)
                            .execute(&mut *conn)
                            .await?;
                        }
                    }
                }
                Ok(())
            }
        }

        impl $crate::followup::Followup for $store {
            async fn import_program(
                &self,
                key: &str,
                program: &turno_domain::followup::Program,
                actor: &str,
            ) -> Result<$crate::followup::ProgramImport, $crate::StoreError> {
                use $crate::followup::ProgramImport;
                let mut tx = self.begin_write().await?;
                let stored = Self::program_on(&mut tx, key).await?;
                if stored.as_ref().is_some_and(|(_, p)| p == program) {
                    return Ok(ProgramImport::Unchanged);
                }
                let (prepared_by, authorized_by) = match &program.sign_off {
                    Some(s) => (Some(&s.prepared_by), Some(&s.authorized_by)),
                    None => (None, None),
                };
                let (id, done) = match stored {
                    Some((id, _)) => {
                        // Children first: the rows refer to their parents.
                        sqlx::query(
                            "DELETE FROM followup_evidence WHERE activity_id IN \
                             (SELECT a.id FROM followup_activities a \
                              JOIN followup_items i ON i.id = a.item_id WHERE i.program_id = $1)",
                        )
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query(
                            "DELETE FROM followup_activities WHERE item_id IN \
                             (SELECT id FROM followup_items WHERE program_id = $1)",
                        )
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        sqlx::query("DELETE FROM followup_items WHERE program_id = $1")
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query(
                            "UPDATE followup_programs SET name = $2, prepared_by = $3, \
                             authorized_by = $4 WHERE id = $1",
                        )
                        .bind(id)
                        .bind(&program.name)
                        .bind(prepared_by)
                        .bind(authorized_by)
                        .execute(&mut *tx)
                        .await?;
                        (id, ProgramImport::Replaced)
                    }
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO followup_programs (key, name, prepared_by, authorized_by) \
                             VALUES ($1, $2, $3, $4) RETURNING id",
                        )
                        .bind(key)
                        .bind(&program.name)
                        .bind(prepared_by)
                        .bind(authorized_by)
                        .fetch_one(&mut *tx)
                        .await?;
                        (id, ProgramImport::Created)
                    }
                };
                Self::items_on(&mut tx, id, 0, &program.items).await?;
                let action = match done {
                    ProgramImport::Created => "followup_program_created",
                    ProgramImport::Replaced | ProgramImport::Unchanged => "followup_program_replaced",
                };
                Self::audit_on(&mut tx, actor, action, key, $crate::followup::detail(program))
                    .await?;
                tx.commit().await?;
                Ok(done)
            }

            async fn create_program(
                &self,
                key: &str,
                program: &turno_domain::followup::Program,
                plan: Option<&turno_domain::followup::Plan>,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let role = $crate::followup::ProgramRole::Program(plan);
                Self::create_program_on(&mut tx, key, program, role, actor).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn add_items(
                &self,
                key: &str,
                items: Vec<turno_domain::followup::NewItem>,
                actor: &str,
            ) -> Result<Option<Vec<turno_domain::followup::Item>>, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                let added = Self::add_items_on(&mut tx, key, items, actor).await?;
                if added.is_some() {
                    tx.commit().await?;
                }
                Ok(added)
            }

            async fn program(
                &self,
                key: &str,
            ) -> Result<Option<turno_domain::followup::Program>, $crate::StoreError> {
                let mut conn = self.reader.acquire().await?;
                Ok(Self::program_on(&mut conn, key).await?.map(|(_, p)| p))
            }

            async fn revise_item(
                &self,
                key: &str,
                expected: &turno_domain::followup::Item,
                revised: &turno_domain::followup::Item,
                changes: &[(String, String, String)],
                actor: &str,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                // Taking the program's row first orders this edit with progress recorded and
                // other edits at once (on PostgreSQL; SQLite writes one at a time).
                sqlx::query("UPDATE followup_programs SET name = name WHERE key = $1")
                    .bind(key)
                    .execute(&mut *tx)
                    .await?;
                let Some((id, program)) = Self::program_on(&mut tx, key).await? else {
                    return Ok(false);
                };
                let item_key = expected.key();
                let Some(stored) = program.item(&item_key) else {
                    return Ok(false);
                };
                if stored != expected {
                    return Err($crate::Refusal::LineChanged(item_key).into());
                }
                let row = $crate::followup::ItemRow::new(revised)?;
                let item_id: i64 = sqlx::query_scalar(
                    "UPDATE followup_items SET text = $4, reference = $5, indicator = $6, \
                     goal = $7, quarter_goals = $8 \
                     WHERE program_id = $1 AND kind = $2 AND number = $3 RETURNING id",
                )
                .bind(id)
                .bind(&row.kind)
                .bind(row.number)
                .bind(&row.text)
                .bind(&row.reference)
                .bind(&row.indicator)
                .bind(&row.goal)
                .bind(&row.quarter_goals)
                .fetch_one(&mut *tx)
                .await?;
                for activity in &revised.activities {
                    let row = $crate::followup::ActivityRow::new(activity)?;
                    sqlx::query(
                        "UPDATE followup_activities SET description = $3, start_date = $4, \
                         end_date = $5, products = $6, responsible = $7 \
                         WHERE item_id = $1 AND number = $2",
                    )
                    .bind(item_id)
                    .bind(row.number)
                    .bind(&row.description)
                    .bind(&row.start_date)
                    .bind(&row.end_date)
                    .bind(&row.products)
                    .bind(&row.responsible)
                    .execute(&mut *tx)
                    .await?;
                }
                let changes: Vec<serde_json::Value> = changes
                    .iter()
                    .map(|(field, before, after)| {
                        serde_json::json!({ "field": field, "before": before, "after": after })
                    })
                    .collect();
                Self::audit_on(
                    &mut tx,
                    actor,
                    "followup_item_changed",
                    key,
                    serde_json::json!({ "item": item_key, "changes": changes }).to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn programs(
                &self,
            ) -> Result<Vec<$crate::followup::ProgramHead>, $crate::StoreError> {
                #[allow(clippy::type_complexity)]
                let rows: Vec<(
                    String,
                    String,
                    String,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<i64>,
                )> = sqlx::query_as(
                    "SELECT p.key, p.name, p.kind, p.case_folio, l.kind, l.body, l.reference, \
                     l.held_on, l.year FROM followup_programs p \
                     LEFT JOIN followup_plans l ON l.program_id = p.id ORDER BY p.key",
                )
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(key, name, kind, folio, l, body, reference, held_on, year)| {
                        Ok($crate::followup::ProgramHead {
                            plan: $crate::followup::plan(
                                &key,
                                (l, body, reference, held_on, year),
                            )?,
                            key,
                            name,
                            supervision_of: folio.filter(|_| kind == "supervision"),
                        })
                    })
                    .collect()
            }

            async fn record_update(
                &self,
                at: $crate::followup::ActivityAt<'_>,
                change: turno_domain::followup::Change,
                file: Option<$crate::followup::EvidenceFile>,
                recorded: $crate::followup::Recorded,
            ) -> Result<turno_domain::followup::Update, $crate::followup::UpdateError> {
                use $crate::followup::UpdateError;
                let mut tx = self.begin_write().await?;
                let (program_id, mut program) = Self::program_on(&mut tx, at.program)
                    .await?
                    .ok_or(UpdateError::NotFound)?;
                let seq = program
                    .items
                    .iter()
                    .position(|i| i.key() == at.item)
                    .ok_or(UpdateError::NotFound)?;
                let activity = program.items[seq]
                    .activities
                    .iter_mut()
                    .find(|a| a.number == at.activity)
                    .ok_or(UpdateError::NotFound)?;
                let update = activity.update(change, recorded.day)?;
                let activity_id: i64 = sqlx::query_scalar(
                    "SELECT a.id FROM followup_activities a JOIN followup_items i ON i.id = a.item_id \
                     WHERE i.program_id = $1 AND i.seq = $2 AND a.number = $3",
                )
                .bind(program_id)
                .bind(seq as i64)
                .bind(i64::from(at.activity))
                .fetch_one(&mut *tx)
                .await?;
                let change = &update.change;
                let (closure, reason) = $crate::followup::closure_columns(&change.closure);
                sqlx::query(
                    "UPDATE followup_activities SET progress = $2, closure = $3, closure_reason = $4 \
                     WHERE id = $1",
                )
                .bind(activity_id)
                .bind(i64::from(change.progress.percent()))
                .bind(closure)
                .bind(&reason)
                .execute(&mut *tx)
                .await?;
                if let Some(evidence) = &change.evidence {
                    sqlx::query(
                        "INSERT INTO followup_evidence (activity_id, seq, name, sha256, mime) \
                         VALUES ($1, (SELECT COUNT(*) FROM followup_evidence WHERE activity_id = $1), \
                         $2, $3, $4)",
                    )
                    .bind(activity_id)
                    .bind(&evidence.name)
                    .bind(file.as_ref().map(|f| &f.sha256))
                    .bind(file.as_ref().map(|f| &f.mime))
                    .execute(&mut *tx)
                    .await?;
                }
                sqlx::query(
                    "INSERT INTO followup_updates (program_id, item_key, activity, day, at, actor, \
                     progress_before, progress, note, evidence_name, evidence_sha256, closure, \
                     closure_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                )
                .bind(program_id)
                .bind(at.item)
                .bind(i64::from(at.activity))
                .bind(recorded.day.to_string())
                .bind(recorded.at.to_string())
                .bind(&recorded.actor)
                .bind(i64::from(update.before.percent()))
                .bind(i64::from(change.progress.percent()))
                .bind(&change.note)
                .bind(change.evidence.as_ref().map(|e| &e.name))
                .bind(file.as_ref().map(|f| &f.sha256))
                .bind(closure)
                .bind(&reason)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(update)
            }

            async fn history(
                &self,
                key: &str,
            ) -> Result<Vec<$crate::followup::HistoryEntry>, $crate::StoreError> {
                let rows: Vec<$crate::followup::UpdateRow> = sqlx::query_as(
                    "SELECT u.item_key, u.activity, u.day, u.at, u.actor, u.progress_before, \
                     u.progress, u.note, u.evidence_name, u.closure, u.closure_reason \
                     FROM followup_updates u JOIN followup_programs p ON p.id = u.program_id \
                     WHERE p.key = $1 ORDER BY u.id",
                )
                .bind(key)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(|r| r.entry()).collect()
            }

            async fn evidence_file(
                &self,
                at: $crate::followup::ActivityAt<'_>,
                index: usize,
            ) -> Result<Option<(String, $crate::followup::EvidenceFile)>, $crate::StoreError> {
                let mut conn = self.reader.acquire().await?;
                let Some((_, program)) = Self::program_on(&mut conn, at.program).await? else {
                    return Ok(None);
                };
                let Some(seq) = program.items.iter().position(|i| i.key() == at.item) else {
                    return Ok(None);
                };
                let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT e.name, e.sha256, e.mime FROM followup_evidence e \
                     JOIN followup_activities a ON a.id = e.activity_id \
                     JOIN followup_items i ON i.id = a.item_id JOIN followup_programs p ON p.id = i.program_id \
                     WHERE p.key = $1 AND i.seq = $2 AND a.number = $3 AND e.seq = $4",
                )
                .bind(at.program)
                .bind(seq as i64)
                .bind(i64::from(at.activity))
                .bind(index as i64)
                .fetch_optional(&mut *conn)
                .await?;
                Ok(row.and_then(|(name, sha256, mime)| {
                    Some((
                        name,
                        $crate::followup::EvidenceFile {
                            sha256: sha256?,
                            mime: mime.unwrap_or_else(|| "application/octet-stream".into()),
                        },
                    ))
                }))
            }

            async fn close_round(
                &self,
                key: &str,
                recorded: $crate::followup::Recorded,
            ) -> Result<
                (turno_domain::followup::Round, turno_domain::followup::RoundOutcome),
                $crate::followup::UpdateError,
            > {
                use $crate::followup::UpdateError;
                let mut tx = self.begin_write().await?;
                let (program_id, program) = Self::program_on(&mut tx, key)
                    .await?
                    .ok_or(UpdateError::NotFound)?;
                let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
                    "SELECT round, outcome, pending, day, actor FROM followup_rounds \
                     WHERE program_id = $1 ORDER BY round",
                )
                .bind(program_id)
                .fetch_all(&mut *tx)
                .await?;
                let closed = rows
                    .into_iter()
                    .map(|r| $crate::followup::closed_round(r).map(|c| c.outcome))
                    .collect::<Result<Vec<_>, _>>()?;
                let (round, outcome) =
                    turno_domain::followup::close_round(&program, &closed, recorded.day)?;
                let (kind, pending) = $crate::followup::outcome_columns(outcome);
                sqlx::query(
                    "INSERT INTO followup_rounds (program_id, round, outcome, pending, day, actor) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(program_id)
                .bind(i64::from(round.number()))
                .bind(kind)
                .bind(pending)
                .bind(recorded.day.to_string())
                .bind(&recorded.actor)
                .execute(&mut *tx)
                .await?;
                Self::audit_on(
                    &mut tx,
                    &recorded.actor,
                    "supervision_round_closed",
                    key,
                    format!("{{\"round\":{},\"outcome\":\"{kind}\"}}", round.number()),
                )
                .await?;
                tx.commit().await?;
                Ok((round, outcome))
            }

            async fn rounds(
                &self,
                key: &str,
            ) -> Result<Vec<$crate::followup::ClosedRound>, $crate::StoreError> {
                let rows: Vec<(i64, String, i64, String, String)> = sqlx::query_as(
                    "SELECT r.round, r.outcome, r.pending, r.day, r.actor FROM followup_rounds r \
                     JOIN followup_programs p ON p.id = r.program_id WHERE p.key = $1 ORDER BY r.round",
                )
                .bind(key)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map($crate::followup::closed_round).collect()
            }
        }
    };
}

pub(crate) use followup_sql;
