//! Evaluation visits (migration 0040): a visit planned to some units, its findings numbered
//! within it with their evidence files, and its improvement plan, a follow-up program stored
//! in the visit's transaction (`Followup`'s tables, kind `supervision`, so that its rounds
//! close as a supervision's). The store records; who may plan, record and follow is the
//! application's.

use crate::error::StoreError;
use crate::followup::{EvidenceFile, closed_round, date, json, number};
use jiff::civil::Date;
use turno_domain::followup::{Finding, Modality, RoundOutcome, Severity, VisitState};

store_trait! {
    /// Evaluation visits and their findings.
    pub trait Visits {
        /// Records a visit with its first `findings` (none, when it is planned; a
        /// supervision's recommendations) and, if given, its improvement plan under a new
        /// key, in one transaction on the audit log; answers the visit's id.
        async fn record_visit(
            &self,
            visit: &NewVisit,
            findings: &[NewFinding],
            plan: Option<(&str, &turno_domain::followup::Program)>,
            actor: &str,
        ) -> Result<i64, StoreError>;

        /// Adds a finding to visit `id`, numbered after the others in the transaction; `None`
        /// when there is no such visit.
        async fn add_finding(
            &self,
            id: i64,
            finding: NewFinding,
            actor: &str,
        ) -> Result<Option<Finding>, StoreError>;

        /// Stores the improvement plan of visit `id` under a new `key`; refused when the visit
        /// has one ([`Refusal::VisitPlanned`](crate::Refusal::VisitPlanned)) or the key is taken.
        /// `false` when there is no such visit.
        async fn make_plan(
            &self,
            id: i64,
            key: &str,
            plan: &turno_domain::followup::Program,
            actor: &str,
        ) -> Result<bool, StoreError>;

        /// Every visit, the latest first, with its findings.
        async fn visits(&self) -> Result<Vec<StoredVisit>, StoreError>;

        /// Visit `id` with its findings.
        async fn visit(&self, id: i64) -> Result<Option<StoredVisit>, StoreError>;

        /// The visit whose improvement plan is the program under `key`.
        async fn visit_of_plan(&self, key: &str) -> Result<Option<i64>, StoreError>;
    }
}

/// A visit as it is planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub modality: Modality,
    /// The units visited, by code (a supervision of before: the entidad as it was written).
    pub units: Vec<String>,
    /// The first and the last day of the visit.
    pub dates: (Date, Date),
    /// The people of the visiting team, by name.
    pub team: Vec<String>,
    pub purpose: String,
    /// The checklist: the aspects to evaluate.
    pub aspects: Vec<String>,
    /// The cnpss-94 case of a supervision.
    pub case_folio: Option<String>,
}

/// A finding as it is recorded, with its evidence's name and stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding {
    pub aspect: String,
    pub description: String,
    pub severity: Severity,
    pub evidence: Option<(String, EvidenceFile)>,
}

/// A finding as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFinding {
    pub finding: Finding,
    pub file: Option<EvidenceFile>,
    pub recorded_by: String,
}

/// A stored visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVisit {
    pub id: i64,
    pub visit: NewVisit,
    pub planned_by: String,
    pub findings: Vec<StoredFinding>,
    /// The key of its improvement plan, once made.
    pub plan: Option<String>,
    /// What its plan's last round decided.
    pub last_round: Option<RoundOutcome>,
}

impl StoredVisit {
    pub fn state(&self) -> VisitState {
        VisitState::of(self.findings.len(), self.plan.is_some(), self.last_round)
    }

    pub fn finding(&self, number: u32) -> Option<&StoredFinding> {
        self.findings.iter().find(|f| f.finding.number == number)
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct VisitRow {
    pub id: i64,
    pub modality: String,
    pub units: String,
    pub start_date: String,
    pub end_date: String,
    pub team: String,
    pub purpose: String,
    pub aspects: String,
    pub case_folio: Option<String>,
    pub planned_by: String,
    pub plan: Option<String>,
    pub round: Option<i64>,
    pub outcome: Option<String>,
    pub pending: Option<i64>,
    pub day: Option<String>,
    pub actor: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FindingRow {
    pub visit_id: i64,
    pub number: i64,
    pub aspect: String,
    pub description: String,
    pub severity: String,
    pub evidence_name: Option<String>,
    pub evidence_sha256: Option<String>,
    pub evidence_mime: Option<String>,
    pub recorded_by: String,
}

/// The columns a visit is read from, with its plan's key and its last round.
pub(crate) const VISIT_COLUMNS: &str = "SELECT v.id, v.modality, v.units, v.start_date, \
     v.end_date, v.team, v.purpose, v.aspects, v.case_folio, v.planned_by, p.key AS plan, \
     r.round, r.outcome, r.pending, r.day, r.actor FROM visits v \
     LEFT JOIN followup_programs p ON p.id = v.plan_id \
     LEFT JOIN followup_rounds r ON r.program_id = v.plan_id AND r.round = \
     (SELECT MAX(l.round) FROM followup_rounds l WHERE l.program_id = v.plan_id)";

pub(crate) const FINDING_COLUMNS: &str = "SELECT visit_id, number, aspect, description, \
     severity, evidence_name, evidence_sha256, evidence_mime, recorded_by FROM visit_findings";

/// A visit's columns for its row.
pub(crate) struct VisitColumns {
    pub units: String,
    pub team: String,
    pub aspects: String,
}

impl VisitColumns {
    pub(crate) fn new(visit: &NewVisit) -> Result<VisitColumns, StoreError> {
        Ok(VisitColumns {
            units: json(&visit.units)?,
            team: json(&visit.team)?,
            aspects: json(&visit.aspects)?,
        })
    }
}

/// The stored visits of `rows` with the findings of `findings` (ordered by visit and number).
pub(crate) fn assemble(
    rows: Vec<VisitRow>,
    findings: Vec<FindingRow>,
) -> Result<Vec<StoredVisit>, StoreError> {
    let mut visits = rows
        .into_iter()
        .map(VisitRow::visit)
        .collect::<Result<Vec<_>, _>>()?;
    for row in findings {
        let id = row.visit_id;
        let finding = row.finding()?;
        if let Some(visit) = visits.iter_mut().find(|v| v.id == id) {
            visit.findings.push(finding);
        }
    }
    Ok(visits)
}

impl VisitRow {
    fn visit(self) -> Result<StoredVisit, StoreError> {
        let id = self.id;
        let corrupt = |what: &str| StoreError::corrupt(format!("visit {id}: {what}"));
        let list = |text: &str, what: &str| -> Result<Vec<String>, StoreError> {
            serde_json::from_str(text).map_err(|_| corrupt(what))
        };
        let last_round = match (self.round, self.outcome, self.pending, self.day, self.actor) {
            (Some(round), Some(outcome), Some(pending), Some(day), Some(actor)) => {
                Some(closed_round((round, outcome, pending, day, actor))?.outcome)
            }
            _ => None,
        };
        Ok(StoredVisit {
            id,
            visit: NewVisit {
                modality: Modality::from_code(&self.modality).ok_or_else(|| corrupt("modality"))?,
                units: list(&self.units, "units")?,
                dates: (
                    date(Some(&self.start_date)).ok_or_else(|| corrupt("start"))?,
                    date(Some(&self.end_date)).ok_or_else(|| corrupt("end"))?,
                ),
                team: list(&self.team, "team")?,
                purpose: self.purpose,
                aspects: list(&self.aspects, "aspects")?,
                case_folio: self.case_folio,
            },
            planned_by: self.planned_by,
            findings: Vec::new(),
            plan: self.plan,
            last_round,
        })
    }
}

impl FindingRow {
    fn finding(self) -> Result<StoredFinding, StoreError> {
        let corrupt = |what: &str| {
            StoreError::corrupt(format!(
                "finding {} of visit {}: {what}",
                self.number, self.visit_id
            ))
        };
        let file = match (self.evidence_sha256, self.evidence_mime) {
            (Some(sha256), mime) => Some(EvidenceFile {
                sha256,
                mime: mime.unwrap_or_else(|| "application/octet-stream".into()),
            }),
            (None, _) => None,
        };
        Ok(StoredFinding {
            finding: Finding {
                number: number(self.number).ok_or_else(|| corrupt("number"))?,
                severity: Severity::from_code(&self.severity).ok_or_else(|| corrupt("severity"))?,
                aspect: self.aspect,
                description: self.description,
                evidence: self.evidence_name,
            },
            file,
            recorded_by: self.recorded_by,
        })
    }
}

/// The `Visits` statements, plain SQL with `$N` placeholders for both backends, instantiated
/// for each backend's types (next to `followup_sql!`, whose program writing they share).
macro_rules! visits_sql {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Inserts finding `number` of visit `id` on `conn`.
            async fn finding_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                number: u32,
                finding: &$crate::visits::NewFinding,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let (name, file) = match &finding.evidence {
                    Some((name, file)) => (Some(name), Some(file)),
                    None => (None, None),
                };
                sqlx::query(
                    "INSERT INTO visit_findings (visit_id, number, aspect, description, severity, \
                     evidence_name, evidence_sha256, evidence_mime, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(id)
                .bind(i64::from(number))
                .bind(&finding.aspect)
                .bind(&finding.description)
                .bind(finding.severity.code())
                .bind(name)
                .bind(file.map(|f| &f.sha256))
                .bind(file.map(|f| &f.mime))
                .bind(actor)
                .execute(&mut *conn)
                .await?;
                Ok(())
            }

            /// Makes the program under `key` the plan of visit `id` (and its case's, if any).
            async fn plan_on(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                key: &str,
                plan: &turno_domain::followup::Program,
                folio: Option<&str>,
                actor: &str,
            ) -> Result<(), $crate::StoreError> {
                let role = $crate::followup::ProgramRole::VisitPlan { case_folio: folio };
                let program = Self::create_program_on(&mut *conn, key, plan, role, actor).await?;
                sqlx::query("UPDATE visits SET plan_id = $2 WHERE id = $1")
                    .bind(id)
                    .bind(program)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }
        }

        impl $crate::visits::Visits for $store {
            async fn record_visit(
                &self,
                visit: &$crate::visits::NewVisit,
                findings: &[$crate::visits::NewFinding],
                plan: Option<(&str, &turno_domain::followup::Program)>,
                actor: &str,
            ) -> Result<i64, $crate::StoreError> {
                let columns = $crate::visits::VisitColumns::new(visit)?;
                let mut tx = self.begin_write().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO visits (modality, units, start_date, end_date, team, purpose, \
                     aspects, case_folio, planned_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                     RETURNING id",
                )
                .bind(visit.modality.code())
                .bind(&columns.units)
                .bind(visit.dates.0.to_string())
                .bind(visit.dates.1.to_string())
                .bind(&columns.team)
                .bind(&visit.purpose)
                .bind(&columns.aspects)
                .bind(&visit.case_folio)
                .bind(actor)
                .fetch_one(&mut *tx)
                .await?;
                for (finding, number) in findings.iter().zip(1..) {
                    Self::finding_on(&mut tx, id, number, finding, actor).await?;
                }
                if let Some((key, plan)) = plan {
                    Self::plan_on(&mut tx, id, key, plan, visit.case_folio.as_deref(), actor)
                        .await?;
                }
                Self::audit_on(
                    &mut tx,
                    actor,
                    "visit_planned",
                    &id.to_string(),
                    serde_json::json!({
                        "modality": visit.modality.code(),
                        "units": visit.units,
                        "from": visit.dates.0.to_string(),
                        "to": visit.dates.1.to_string(),
                        "findings": findings.len(),
                    })
                    .to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            }

            async fn add_finding(
                &self,
                id: i64,
                finding: $crate::visits::NewFinding,
                actor: &str,
            ) -> Result<Option<turno_domain::followup::Finding>, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                // Taking the visit's row first makes a second recorder on PostgreSQL wait, and
                // then number after this one.
                let taken = sqlx::query("UPDATE visits SET id = id WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if taken.rows_affected() == 0 {
                    return Ok(None);
                }
                let last: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(number) FROM visit_findings WHERE visit_id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                let number = last
                    .map_or(Some(1), |n| $crate::followup::number(n + 1))
                    .ok_or_else(|| $crate::StoreError::corrupt(format!("visit {id}: numbers")))?;
                Self::finding_on(&mut tx, id, number, &finding, actor).await?;
                Self::audit_on(
                    &mut tx,
                    actor,
                    "visit_finding_recorded",
                    &id.to_string(),
                    serde_json::json!({
                        "finding": number,
                        "severity": finding.severity.code(),
                    })
                    .to_string(),
                )
                .await?;
                tx.commit().await?;
                Ok(Some(turno_domain::followup::Finding {
                    number,
                    aspect: finding.aspect,
                    description: finding.description,
                    severity: finding.severity,
                    evidence: finding.evidence.map(|(name, _)| name),
                }))
            }

            async fn make_plan(
                &self,
                id: i64,
                key: &str,
                plan: &turno_domain::followup::Program,
                actor: &str,
            ) -> Result<bool, $crate::StoreError> {
                let mut tx = self.begin_write().await?;
                sqlx::query("UPDATE visits SET id = id WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                let row: Option<(Option<String>, Option<i64>)> =
                    sqlx::query_as("SELECT case_folio, plan_id FROM visits WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((folio, planned)) = row else {
                    return Ok(false);
                };
                if planned.is_some() {
                    return Err($crate::Refusal::VisitPlanned(id).into());
                }
                Self::plan_on(&mut tx, id, key, plan, folio.as_deref(), actor).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn visits(&self) -> Result<Vec<$crate::visits::StoredVisit>, $crate::StoreError> {
                let rows: Vec<$crate::visits::VisitRow> = sqlx::query_as(&format!(
                    "{} ORDER BY v.start_date DESC, v.id DESC",
                    $crate::visits::VISIT_COLUMNS
                ))
                .fetch_all(&self.reader)
                .await?;
                let findings: Vec<$crate::visits::FindingRow> = sqlx::query_as(&format!(
                    "{} ORDER BY visit_id, number",
                    $crate::visits::FINDING_COLUMNS
                ))
                .fetch_all(&self.reader)
                .await?;
                $crate::visits::assemble(rows, findings)
            }

            async fn visit(
                &self,
                id: i64,
            ) -> Result<Option<$crate::visits::StoredVisit>, $crate::StoreError> {
                let rows: Vec<$crate::visits::VisitRow> = sqlx::query_as(&format!(
                    "{} WHERE v.id = $1",
                    $crate::visits::VISIT_COLUMNS
                ))
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                let findings: Vec<$crate::visits::FindingRow> = sqlx::query_as(&format!(
                    "{} WHERE visit_id = $1 ORDER BY number",
                    $crate::visits::FINDING_COLUMNS
                ))
                .bind(id)
                .fetch_all(&self.reader)
                .await?;
                Ok($crate::visits::assemble(rows, findings)?.pop())
            }

            async fn visit_of_plan(&self, key: &str) -> Result<Option<i64>, $crate::StoreError> {
                Ok(sqlx::query_scalar(
                    "SELECT v.id FROM visits v JOIN followup_programs p ON p.id = v.plan_id \
                     WHERE p.key = $1",
                )
                .bind(key)
                .fetch_optional(&self.reader)
                .await?)
            }
        }
    };
}

pub(crate) use visits_sql;
