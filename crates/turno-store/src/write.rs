//! One command, one transaction: the logic shared by both backends. The backends provide the
//! statements ([`WriteTx`]); this module decides what to write and checks what it must.

use crate::chain::{self, GENESIS, Link};
use crate::error::StoreError;
use crate::model::{Commit, Committed, Target};
use crate::projection::{self, WorkChange};
use std::future::Future;

/// The statements a command's transaction needs.
pub(crate) trait WriteTx: Send {
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
    /// Folio, version and head hash of a case.
    fn case_head(
        &mut self,
        id: i64,
    ) -> impl Future<Output = Result<Option<(String, i64, String)>, StoreError>> + Send;
    fn insert_event(
        &mut self,
        row: &EventInsert<'_>,
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
    pub actor: &'a str,
    pub recorded_at: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

pub(crate) struct CaseUpdate<'a> {
    pub id: i64,
    pub expected_version: i64,
    pub version: i64,
    pub head_hash: &'a str,
    pub status: &'a str,
    pub fields: &'a str,
    pub closed_at: Option<&'a str>,
}

/// What happened inside the transaction: a result to commit, or the first result of a
/// retried command (nothing to commit).
pub(crate) enum Written {
    Applied(Committed),
    Replayed(Committed),
}

pub(crate) async fn write<T: WriteTx>(
    tx: &mut T,
    commit: &Commit<'_>,
) -> Result<Written, StoreError> {
    let at = commit.at.to_string();
    if let Some(key) = commit.idempotency_key
        && let Some(result) = tx.idempotent_result(key).await?
    {
        let mut first: Committed = serde_json::from_str(&result).map_err(StoreError::corrupt)?;
        first.replayed = true;
        return Ok(Written::Replayed(first));
    }
    let procedure = commit.procedure;
    let (case_id, folio, version, head) = match &commit.target {
        Target::New(new) => {
            let version = i64::from(procedure.version);
            if !tx.procedure_published(&procedure.key, version).await? {
                return Err(StoreError::ProcedureNotPublished {
                    key: procedure.key.clone(),
                    version: procedure.version,
                });
            }
            let scope = new.folio.scope();
            let year = i64::from(new.folio.year);
            let number = tx.next_folio_number(&scope, year).await?;
            let folio = new.folio.format(number);
            let id = tx
                .insert_case(&CaseRow {
                    folio: &folio,
                    folio_scope: &scope,
                    folio_year: year,
                    folio_number: number,
                    procedure_key: &procedure.key,
                    procedure_version: version,
                    title: &new.title,
                    channel: new.channel.as_deref(),
                    requester: new.requester.as_deref(),
                    created_at: &at,
                })
                .await?;
            (id, folio, 0, GENESIS.to_owned())
        }
        Target::Existing {
            id,
            expected_version,
        } => {
            let (folio, version, head) = tx
                .case_head(*id)
                .await?
                .ok_or_else(|| StoreError::CaseNotFound(id.to_string()))?;
            if version != *expected_version {
                return Err(StoreError::Conflict {
                    folio,
                    expected: *expected_version,
                    found: version,
                });
            }
            (*id, folio, version, head)
        }
    };

    let mut previous = head;
    let mut seq = version;
    for event in commit.events {
        seq += 1;
        let payload = serde_json::to_string(event).map_err(StoreError::corrupt)?;
        let kind = projection::kind(event);
        let hash = chain::hash(&Link {
            folio: &folio,
            seq,
            kind,
            actor: commit.actor,
            recorded_at: &at,
            payload: &payload,
            prev_hash: &previous,
        });
        tx.insert_event(&EventInsert {
            case_id,
            seq,
            kind,
            payload: &payload,
            actor: commit.actor,
            recorded_at: &at,
            prev_hash: &previous,
            hash: &hash,
        })
        .await
        .map_err(|e| conflict_on_duplicate(e, &folio, version))?;
        previous = hash;
    }

    let fields = serde_json::to_string(&commit.case.fields).map_err(StoreError::corrupt)?;
    let closed = commit.case.status != turno_domain::engine::CaseStatus::Open;
    let advanced = tx
        .advance_case(&CaseUpdate {
            id: case_id,
            expected_version: version,
            version: seq,
            head_hash: &previous,
            status: commit.case.status.label(),
            fields: &fields,
            closed_at: closed.then_some(at.as_str()),
        })
        .await?;
    if !advanced {
        return Err(StoreError::Conflict {
            folio,
            expected: version,
            found: -1,
        });
    }
    for change in projection::changes(procedure, commit.case, commit.events) {
        tx.apply(case_id, &change).await?;
    }
    let committed = Committed {
        case_id,
        folio,
        version: seq,
        replayed: false,
    };
    if let Some(key) = commit.idempotency_key {
        let result = serde_json::to_string(&committed).map_err(StoreError::corrupt)?;
        tx.save_idempotent_result(key, case_id, &result, &at)
            .await?;
    }
    Ok(Written::Applied(committed))
}

/// Two writers appending to one case collide on its next event number: the later one lost.
fn conflict_on_duplicate(error: StoreError, folio: &str, expected: i64) -> StoreError {
    match &error {
        StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation() => {
            StoreError::Conflict {
                folio: folio.to_owned(),
                expected,
                found: -1,
            }
        }
        _ => error,
    }
}
