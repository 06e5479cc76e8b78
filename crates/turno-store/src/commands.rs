//! Running engine commands against stored cases: read the case, let the engine decide, commit
//! its events in one transaction. The engine decides; the store only records.

use crate::error::StoreError;
use crate::model::{CaseId, Commit, Committed, NewCase, Target};
use crate::store::Store;
use thiserror::Error;
use turno_domain::definition::Procedure;
use turno_domain::engine::{self, Complete, Context, EngineError, Start};

#[derive(Debug, Error)]
pub enum CommandError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Starts a case and gives it its folio.
pub async fn start_case<S: Store>(
    store: &S,
    procedure: &Procedure,
    new: NewCase,
    input: Start,
    ctx: &Context<'_>,
    idempotency_key: Option<&str>,
) -> Result<Committed, CommandError> {
    let actor = input.by.user.clone();
    let (case, events) = engine::start(procedure, input, ctx)?;
    Ok(store
        .commit(Commit {
            procedure,
            target: Target::New(new),
            case: &case,
            events: &events,
            actor: &actor,
            at: ctx.now,
            idempotency_key,
        })
        .await?)
}

/// Completes a work item of a stored case. `expected_version` is the version the person saw:
/// if the case moved since, the command is refused with a conflict rather than applied to a
/// state they did not see. With an idempotency key, a retry of a command that already applied
/// (even one racing the first attempt) returns the first result.
pub async fn complete_work<S: Store>(
    store: &S,
    procedure: &Procedure,
    case_id: CaseId,
    expected_version: Option<i64>,
    input: Complete,
    ctx: &Context<'_>,
    idempotency_key: Option<&str>,
) -> Result<Committed, CommandError> {
    if let Some(key) = idempotency_key
        && let Some(first) = store.replayed(key).await?
    {
        return Ok(first);
    }
    let result = try_complete(
        store,
        procedure,
        case_id,
        expected_version,
        input,
        ctx,
        idempotency_key,
    )
    .await;
    match (result, idempotency_key) {
        (Err(error), Some(key)) => match store.replayed(key).await? {
            Some(first) => Ok(first),
            None => Err(error),
        },
        (result, _) => result,
    }
}

async fn try_complete<S: Store>(
    store: &S,
    procedure: &Procedure,
    case_id: CaseId,
    expected_version: Option<i64>,
    input: Complete,
    ctx: &Context<'_>,
    idempotency_key: Option<&str>,
) -> Result<Committed, CommandError> {
    let stored = store.load_case(case_id).await?;
    let version = expected_version.unwrap_or(stored.version);
    if version != stored.version {
        return Err(StoreError::Conflict {
            folio: stored.folio,
            expected: version,
            found: stored.version,
        }
        .into());
    }
    let mut case = stored
        .state()
        .ok_or_else(|| StoreError::Corrupt(format!("case {} has no start", stored.folio)))?;
    let actor = input.by.user.clone();
    let events = engine::complete(procedure, &mut case, input, ctx)?;
    Ok(store
        .commit(Commit {
            procedure,
            target: Target::Existing {
                id: case_id,
                expected_version: version,
            },
            case: &case,
            events: &events,
            actor: &actor,
            at: ctx.now,
            idempotency_key,
        })
        .await?)
}

/// Lets time pass on a stored case: records passed deadlines and takes expiry paths.
pub async fn pass_time<S: Store>(
    store: &S,
    procedure: &Procedure,
    case_id: CaseId,
    ctx: &Context<'_>,
) -> Result<Option<Committed>, CommandError> {
    let stored = store.load_case(case_id).await?;
    let mut case = stored
        .state()
        .ok_or_else(|| StoreError::Corrupt(format!("case {} has no start", stored.folio)))?;
    let events = engine::pass_time(procedure, &mut case, ctx)?;
    if events.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        store
            .commit(Commit {
                procedure,
                target: Target::Existing {
                    id: case_id,
                    expected_version: stored.version,
                },
                case: &case,
                events: &events,
                actor: "sistema",
                at: ctx.now,
                idempotency_key: None,
            })
            .await?,
    ))
}
