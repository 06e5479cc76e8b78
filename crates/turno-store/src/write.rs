//! One command, one transaction: the logic shared by both backends. The backends provide the
//! statements ([`WriteTx`]); this module decides what to write and checks what it must.

use crate::chain::{self, GENESIS, Link};
use crate::error::{Refusal, StoreError};
use crate::model::{Commit, Committed, Target};
use crate::projection::{self, WorkChange};
use crate::record::EventRecord;
use std::future::Future;

/// The statements a command's transaction needs.
pub(crate) trait WriteTx: Send + Sized {
    fn commit(self) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn rollback(self) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn idempotent_result(
        &mut self,
        key: &str,
    ) -> impl Future<Output = Result<Option<String>, StoreError>> + Send;
    fn save_idempotent_result(
        &mut self,
        key: &str,
        case_id: i64,
        result: &str,
        at: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn procedure_published(
        &mut self,
        key: &str,
        version: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    fn next_folio_number(
        &mut self,
        scope: &str,
        year: i64,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    fn insert_case(
        &mut self,
        row: &CaseRow<'_>,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Records a schedule's occurrence as opened by the case, if no case opened it yet; false
    /// otherwise.
    fn link_schedule(
        &mut self,
        link: &ScheduleLink,
        case_folio: &str,
        at: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Records on an incoming document (`year`, `number`) the case started from it, if it
    /// started none yet; false otherwise.
    fn link_incoming(
        &mut self,
        year: i64,
        number: i64,
        case_folio: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// Appends a command's events in one statement.
    fn insert_events(
        &mut self,
        rows: &[EventInsert<'_>],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Moves the case to its new version if it is still at `expected`; false otherwise.
    fn advance_case(
        &mut self,
        update: &CaseUpdate<'_>,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    fn apply(
        &mut self,
        case_id: i64,
        change: &WorkChange,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

pub(crate) struct CaseRow<'a> {
    pub folio: &'a str,
    pub folio_scope: &'a str,
    pub folio_year: i64,
    pub folio_number: i64,
    pub procedure_key: &'a str,
    pub procedure_version: i64,
    pub title: &'a str,
    pub channel: Option<&'a str>,
    pub requester: Option<&'a str>,
    pub created_at: &'a str,
}

pub(crate) struct EventInsert<'a> {
    pub case_id: i64,
    pub seq: i64,
    pub kind: &'a str,
    pub payload: &'a str,
    pub schema_version: i64,
    pub actor: &'a str,
    pub recorded_at: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

pub(crate) struct CaseUpdate<'a> {
    pub id: i64,
    pub expected_version: i64,
    pub expected_head: &'a str,
    pub version: i64,
    pub head_hash: &'a str,
    pub status: &'a str,
    pub fields: &'a str,
    pub state: &'a str,
    pub closed_at: Option<&'a str>,
}

/// What happened inside the transaction: a result to commit, or the first result of a
/// retried command (nothing to commit).
pub(crate) enum Written {
    Applied(Committed),
    Replayed(Committed),
}

/// Which case a prepared commit writes to.
/// What a new case starts from, which records its folio in the case start's transaction.
pub(crate) enum Origin {
    Incoming(turno_domain::correspondence::IncomingFolio),
    Schedule(ScheduleLink),
}

/// A schedule's occurrence that a new case opens.
pub(crate) struct ScheduleLink {
    pub schedule: i64,
    pub nominal: String,
    pub falls_on: String,
}

pub(crate) enum PreparedTarget {
    New {
        procedure_key: String,
        procedure_version: i64,
        folio: crate::model::FolioRule,
        title: String,
        channel: Option<String>,
        requester: Option<String>,
        /// What it starts from, which records its folio.
        origin: Option<Origin>,
    },
    Existing(crate::model::CaseHead),
}

/// An event as it is stored and hashed (`record.rs`).
pub(crate) struct RecordedEvent {
    pub kind: &'static str,
    pub version: i64,
    pub payload: String,
}

/// A commit with everything computed that does not depend on the database: serialized
/// events, their projection, the new snapshot. Owned, so that it can wait in a queue for a
/// batch (group commit) and so that the transaction does no more than write.
pub(crate) struct Prepared {
    pub target: PreparedTarget,
    /// Each event in its stored form.
    pub events: Vec<RecordedEvent>,
    pub changes: Vec<WorkChange>,
    pub status: &'static str,
    pub closed: bool,
    pub fields: String,
    pub state: String,
    pub actor: String,
    pub at: String,
    pub idempotency_key: Option<String>,
}

impl Prepared {
    pub fn new(commit: &Commit<'_>) -> Result<Prepared, StoreError> {
        let procedure = commit.procedure;
        let new_case = |new: &crate::model::NewCase, origin| PreparedTarget::New {
            procedure_key: procedure.key.clone(),
            procedure_version: i64::from(procedure.version),
            folio: new.folio.clone(),
            title: new.title.clone(),
            channel: new.channel.clone(),
            requester: new.requester.clone(),
            origin,
        };
        let target = match &commit.target {
            Target::New(new) => new_case(new, None),
            Target::FromIncoming { case, document } => {
                new_case(case, Some(Origin::Incoming(*document)))
            }
            Target::FromSchedule {
                case,
                schedule,
                nominal,
                falls_on,
            } => new_case(
                case,
                Some(Origin::Schedule(ScheduleLink {
                    schedule: *schedule,
                    nominal: nominal.to_string(),
                    falls_on: falls_on.to_string(),
                })),
            ),
            Target::Existing(head) => PreparedTarget::Existing(head.clone()),
        };
        let events = commit
            .events
            .iter()
            .map(|event| {
                let record = EventRecord::of(event);
                Ok(RecordedEvent {
                    kind: record.kind(),
                    version: record.version(),
                    payload: record.payload().map_err(StoreError::corrupt)?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Prepared {
            target,
            events,
            changes: projection::changes(procedure, commit.case, commit.events),
            status: commit.case.status.label(),
            closed: commit.case.status != turno_domain::engine::CaseStatus::Open,
            fields: serde_json::to_string(&commit.case.fields).map_err(StoreError::corrupt)?,
            state: serde_json::to_string(commit.case).map_err(StoreError::corrupt)?,
            actor: commit.actor.to_owned(),
            at: commit.at.to_string(),
            idempotency_key: commit.idempotency_key.map(str::to_owned),
        })
    }
}

/// An event's place in its case's hash chain.
pub(crate) struct ChainLink {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
}

impl Prepared {
    /// Links the events into the case's chain after the event `version`, whose hash is `head`.
    pub fn link(&self, folio: &str, version: i64, head: &str) -> Vec<ChainLink> {
        let mut previous = head.to_owned();
        self.events
            .iter()
            .enumerate()
            .map(|(index, event)| {
                let seq = version + 1 + index as i64;
                let hash = chain::hash(&Link {
                    folio,
                    seq,
                    kind: event.kind,
                    actor: &self.actor,
                    recorded_at: &self.at,
                    payload: &event.payload,
                    version: event.version,
                    prev_hash: &previous,
                });
                ChainLink {
                    seq,
                    prev_hash: std::mem::replace(&mut previous, hash.clone()),
                    hash,
                }
            })
            .collect()
    }
}

pub(crate) async fn write<T: WriteTx>(tx: &mut T, p: &Prepared) -> Result<Written, StoreError> {
    if let Some(key) = &p.idempotency_key
        && let Some(result) = tx.idempotent_result(key).await?
    {
        let mut first: Committed = serde_json::from_str(&result).map_err(StoreError::corrupt)?;
        first.replayed = true;
        return Ok(Written::Replayed(first));
    }
    let (case_id, folio, version, expected_head) = match &p.target {
        PreparedTarget::New {
            procedure_key,
            procedure_version,
            folio,
            title,
            channel,
            requester,
            origin,
        } => {
            if !tx
                .procedure_published(procedure_key, *procedure_version)
                .await?
            {
                return Err(Refusal::ProcedureNotPublished {
                    key: procedure_key.clone(),
                    version: *procedure_version as u32,
                }
                .into());
            }
            let scope = folio.scope();
            let year = i64::from(folio.year);
            let number = tx.next_folio_number(&scope, year).await?;
            let formatted = folio.format(number);
            let id = tx
                .insert_case(&CaseRow {
                    folio: &formatted,
                    folio_scope: &scope,
                    folio_year: year,
                    folio_number: number,
                    procedure_key,
                    procedure_version: *procedure_version,
                    title,
                    channel: channel.as_deref(),
                    requester: requester.as_deref(),
                    created_at: &p.at,
                })
                .await?;
            let refusal = match origin {
                Some(Origin::Incoming(document)) => (!tx
                    .link_incoming(
                        i64::from(document.year),
                        i64::from(document.number),
                        &formatted,
                    )
                    .await?)
                    .then(|| Refusal::IncomingCaseStarted(document.to_string())),
                Some(Origin::Schedule(link)) => (!tx
                    .link_schedule(link, &formatted, &p.at)
                    .await?)
                    .then(|| Refusal::OccurrenceOpened {
                        schedule: link.schedule,
                        occurrence: link.nominal.clone(),
                    }),
                None => None,
            };
            if let Some(refusal) = refusal {
                return Err(refusal.into());
            }
            (id, formatted, 0, GENESIS.to_owned())
        }
        PreparedTarget::Existing(head) => (
            head.id,
            head.folio.clone(),
            head.version,
            head.head_hash.clone(),
        ),
    };

    let links = p.link(&folio, version, &expected_head);
    let rows: Vec<EventInsert> = p
        .events
        .iter()
        .zip(&links)
        .map(|(event, link)| EventInsert {
            case_id,
            seq: link.seq,
            kind: event.kind,
            payload: &event.payload,
            schema_version: event.version,
            actor: &p.actor,
            recorded_at: &p.at,
            prev_hash: &link.prev_hash,
            hash: &link.hash,
        })
        .collect();
    let previous = links
        .last()
        .map_or_else(|| expected_head.clone(), |l| l.hash.clone());
    let seq = version + rows.len() as i64;

    // The case row first: its conditional update is what makes a concurrent command on the
    // same case lose (PostgreSQL makes the second writer wait for the first on this row).
    let advanced = tx
        .advance_case(&CaseUpdate {
            id: case_id,
            expected_version: version,
            expected_head: &expected_head,
            version: seq,
            head_hash: &previous,
            status: p.status,
            fields: &p.fields,
            state: &p.state,
            closed_at: p.closed.then_some(p.at.as_str()),
        })
        .await?;
    if !advanced {
        return Err(StoreError::Conflict {
            folio,
            expected: version,
        });
    }
    if !rows.is_empty() {
        tx.insert_events(&rows)
            .await
            .map_err(|e| conflict_on_duplicate(e, &folio, version))?;
    }

    for change in &p.changes {
        tx.apply(case_id, change).await?;
    }
    let committed = Committed {
        case_id,
        folio,
        version: seq,
        replayed: false,
    };
    if let Some(key) = &p.idempotency_key {
        let result = serde_json::to_string(&committed).map_err(StoreError::corrupt)?;
        tx.save_idempotent_result(key, case_id, &result, &p.at)
            .await?;
    }
    Ok(Written::Applied(committed))
}

/// One command in a transaction of its own: committed if it applied, rolled back otherwise.
pub(crate) async fn commit_one<T: WriteTx>(
    mut tx: T,
    prepared: &Prepared,
) -> Result<Written, StoreError> {
    let written = write(&mut tx, prepared).await;
    match &written {
        Ok(Written::Applied(_)) => tx.commit().await?,
        Ok(Written::Replayed(_)) | Err(_) => tx.rollback().await?,
    }
    written
}

/// A document's size as the databases store it.
pub(crate) fn document_size(name: &str, size: u64) -> Result<i64, StoreError> {
    i64::try_from(size).map_err(|_| StoreError::corrupt(format!("document «{name}»: size {size}")))
}

pub(crate) fn unlinked_document(name: &str, case_id: i64) -> StoreError {
    StoreError::corrupt(format!(
        "document «{name}» of case {case_id}: no event to link it to"
    ))
}

/// Two writers appending to one case collide on its next event number: the later one lost.
pub(crate) fn conflict_on_duplicate(error: StoreError, folio: &str, expected: i64) -> StoreError {
    let duplicate = match &error {
        StoreError::Database(sqlx::Error::Database(db)) => db.is_unique_violation(),
        StoreError::UniqueViolation(_) => true,
        _ => false,
    };
    match &error {
        _ if duplicate => StoreError::Conflict {
            folio: folio.to_owned(),
            expected,
        },
        _ => error,
    }
}
