//! Running engine commands against stored cases: read the case, let the engine decide, commit
//! its events in one transaction. The engine decides; the store only records.

use jiff::civil::Date;
use jiff::{SignedDuration, ToSpan};
use std::sync::Arc;
use thiserror::Error;
use tokio::io::{AsyncRead, AsyncReadExt};
use turno_domain::definition::{ParticipantId, Procedure};
use turno_domain::engine::{
    self, Actor, Attach, Case, ClockCommand, Complete, Context, EngineError, Event, Start, Turn,
    Withdraw, WorkItemId,
};
use turno_domain::library::Library;
use turno_domain::simulate::Step;
use turno_store::blobs::{self, BlobError, BlobStore, Stored};
use turno_store::{CaseId, Commit, Committed, CurrentCase, Store, StoreError, Target};

#[derive(Debug, Error)]
pub enum CommandError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Blob(#[from] BlobError),
    /// The case runs on a definition version this process has not loaded.
    #[error("procedure {key} version {version} is not loaded")]
    NotLoaded { key: String, version: u32 },
}

/// The definition version a stored case runs on.
fn definition_of<'a>(
    library: &'a Library,
    current: &CurrentCase,
) -> Result<&'a Arc<Procedure>, CommandError> {
    library
        .get(&current.procedure_key, current.procedure_version)
        .ok_or_else(|| CommandError::NotLoaded {
            key: current.procedure_key.clone(),
            version: current.procedure_version,
        })
}

/// A command on a stored case: which case, on which definition, at what moment, and what the
/// person saw. `expected_version` is the version they saw: if the case moved since, the command
/// is refused with a conflict rather than applied to a state they did not see. With an
/// idempotency key, a retry of a command that already applied (even one racing the first
/// attempt) returns the first result.
#[derive(Clone, Copy)]
pub struct OnCase<'a> {
    pub procedure: &'a Procedure,
    pub case_id: CaseId,
    pub expected_version: Option<i64>,
    pub ctx: &'a Context<'a>,
    pub idempotency_key: Option<&'a str>,
    /// The case as the caller read it, who also looked for a retry of its key: the command
    /// applies to it without reading it again (and a case moved since is a conflict).
    pub read: Option<&'a CurrentCase>,
}

impl<'a> OnCase<'a> {
    /// A command on the case as it is now, without a key.
    pub fn new(procedure: &'a Procedure, case_id: CaseId, ctx: &'a Context<'a>) -> OnCase<'a> {
        OnCase {
            procedure,
            case_id,
            expected_version: None,
            ctx,
            idempotency_key: None,
            read: None,
        }
    }

    /// Only on the version the person saw.
    pub fn seen(self, version: i64) -> OnCase<'a> {
        OnCase {
            expected_version: Some(version),
            ..self
        }
    }

    /// At most once per `key`.
    pub fn once(self, key: Option<&'a str>) -> OnCase<'a> {
        OnCase {
            idempotency_key: key,
            ..self
        }
    }

    /// On the case as the caller read it, having looked for a retry of the key already: one
    /// read and one commit per command.
    pub fn read(self, current: &'a CurrentCase) -> OnCase<'a> {
        OnCase {
            read: Some(current),
            ..self
        }
    }
}

/// Which way a term's clock goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockChange {
    /// Stopped while waiting for someone outside ([`engine::suspend`]).
    Stop,
    /// Running again with the days it had left ([`engine::resume`]).
    Restart,
}

/// Starts a case and gives it its folio.
pub async fn start_case<S: Store>(
    store: &S,
    procedure: &Procedure,
    new: impl Into<Target>,
    input: Start,
    ctx: &Context<'_>,
    idempotency_key: Option<&str>,
) -> Result<Committed, CommandError> {
    let actor = input.by.user.clone();
    let (case, events) = engine::start(procedure, input, ctx)?;
    Ok(store
        .commit(Commit {
            procedure,
            target: new.into(),
            case: &case,
            events: &events,
            actor: &actor,
            at: ctx.now,
            idempotency_key,
        })
        .await?)
}

/// Completes a work item of a stored case.
pub async fn complete_work<S: Store>(
    store: &S,
    on: OnCase<'_>,
    input: Complete,
) -> Result<Committed, CommandError> {
    let actor = input.by.user.clone();
    on_case(store, on, &actor, |case| {
        engine::complete(on.procedure, case, input, on.ctx)
    })
    .await
}

/// Turns a work item of a stored case to other units (see [`engine::turn`]).
pub async fn turn_work<S: Store>(
    store: &S,
    on: OnCase<'_>,
    input: Turn,
) -> Result<Committed, CommandError> {
    let actor = input.by.user.clone();
    on_case(store, on, &actor, |case| {
        engine::turn(on.procedure, case, input, on.ctx)
    })
    .await
}

/// Withdraws a turn given from a work item of a stored case.
pub async fn withdraw_turn<S: Store>(
    store: &S,
    on: OnCase<'_>,
    input: Withdraw,
) -> Result<Committed, CommandError> {
    let actor = input.by.user.clone();
    on_case(store, on, &actor, |case| {
        engine::withdraw(on.procedure, case, input, on.ctx)
    })
    .await
}

/// Stops or restarts the clock of a work item of a stored case.
pub async fn clock_work<S: Store>(
    store: &S,
    on: OnCase<'_>,
    input: ClockCommand,
    change: ClockChange,
) -> Result<Committed, CommandError> {
    let actor = input.by.user.clone();
    on_case(store, on, &actor, |case| match change {
        ClockChange::Stop => engine::suspend(on.procedure, case, input, on.ctx),
        ClockChange::Restart => engine::resume(on.procedure, case, input, on.ctx),
    })
    .await
}

/// Runs a command at most once per idempotency key: a key used before returns its first
/// result, before the command and also after a failure (a racing retry may have won).
async fn once<S: Store>(
    store: &S,
    idempotency_key: Option<&str>,
    command: impl std::future::Future<Output = Result<Committed, CommandError>>,
) -> Result<Committed, CommandError> {
    if let Some(key) = idempotency_key
        && let Some(first) = store.replayed(key).await?
    {
        return Ok(first);
    }
    raced(store, idempotency_key, command).await
}

/// Runs a command whose key was looked for already: after a failure, a racing retry that won
/// returns its result.
async fn raced<S: Store>(
    store: &S,
    idempotency_key: Option<&str>,
    command: impl std::future::Future<Output = Result<Committed, CommandError>>,
) -> Result<Committed, CommandError> {
    match (command.await, idempotency_key) {
        (Err(error), Some(key)) => store.replayed(key).await?.ok_or(error),
        (done, _) => done,
    }
}

/// Drives a stored case along a route of its procedure (`turno_domain::simulate::route`):
/// each completion step completes every open work item of its activity, answering the step's
/// outcome. Expiry steps are skipped: time is the caller's to move. An answer that stands for
/// the term running out (`Branch::expiry`, which the engine refuses before the due date) is
/// given the day after the activity's latest due date, as `simulate::Driver` does, and the
/// steps after it keep that later clock. The route stops at an activity that asks for an
/// e.firma (`signature = true`): only its person signs it, in the page or through the API, and
/// nothing unverified is recorded as signed. For demo data and tests.
pub async fn follow_route<S: Store>(
    store: &S,
    procedure: &Procedure,
    case_id: CaseId,
    steps: &[Step],
    by: &Actor,
    ctx: &Context<'_>,
) -> Result<(), CommandError> {
    follow_route_signing(store, procedure, case_id, steps, by, ctx, None).await
}

/// Who signs the activities that ask for an e.firma on a route followed
/// ([`follow_route_signing`]): `turno demo`, with the keys of its demo certification authority.
pub trait RouteSigner: Sync {
    /// The person who completes a work item of the case `folio` turned to `responsible` (the
    /// procedure's participants) and their e.firma over `text`, the completion's signed text
    /// (`engine::signed_text`), verified at `at`; None stops the route there.
    fn sign(
        &self,
        procedure: &Procedure,
        responsible: &[ParticipantId],
        folio: &str,
        text: &str,
        at: jiff::Timestamp,
    ) -> Option<(Actor, engine::Signature)>;
}

/// [`follow_route`], the activities that ask for an e.firma completed by whom `signer` says,
/// with their signature; without a signer (or when it signs none) the route stops at the
/// first of them.
pub async fn follow_route_signing<S: Store>(
    store: &S,
    procedure: &Procedure,
    case_id: CaseId,
    steps: &[Step],
    by: &Actor,
    ctx: &Context<'_>,
    signer: Option<&dyn RouteSigner>,
) -> Result<(), CommandError> {
    let mut ctx = *ctx;
    for step in steps {
        let Step::Complete { activity, answer } = step else {
            continue;
        };
        let signed = procedure.activity(*activity).signature;
        if signed && signer.is_none() {
            break;
        }
        let current = store.load_current(case_id).await?;
        let items: Vec<_> = current
            .case
            .open
            .iter()
            .filter(|w| w.activity == *activity)
            .collect();
        let expiry = answer
            .as_deref()
            .and_then(|a| procedure.activity(*activity).branch(a))
            .is_some_and(|b| b.expiry);
        if let Some(due) = items.iter().filter_map(|w| w.due).max()
            && expiry
        {
            ctx = after_term(&ctx, due);
        }
        for item in items {
            let mut input = Complete {
                item: item.id,
                by: by.clone(),
                outcome: answer.clone(),
                fields: Default::default(),
                observations: None,
                signature: None,
            };
            // A turn of a signed activity is answered without a signature.
            if let Some(signer) = signer.filter(|_| signed && item.turn.is_none()) {
                let folio = &current.head.folio;
                let text = engine::signed_text(procedure, folio, &current.case, &input)?;
                let responsible =
                    engine::turned_to(procedure, &current.case.fields, *activity, item.participant);
                let Some((actor, signature)) =
                    signer.sign(procedure, &responsible, folio, &text, ctx.now)
                else {
                    return Ok(());
                };
                input.by = actor;
                input.signature = Some(Box::new(signature));
            }
            complete_work(store, OnCase::new(procedure, case_id, &ctx), input).await?;
        }
    }
    Ok(())
}

/// `ctx` moved to the day after `due` (when that is later), at the same time of day.
fn after_term<'a>(ctx: &Context<'a>, due: Date) -> Context<'a> {
    let days = due
        .tomorrow()
        .ok()
        .and_then(|next| next.since(ctx.today).ok())
        .map_or(0, |span| span.get_days());
    if days <= 0 {
        return *ctx;
    }
    Context {
        now: ctx
            .now
            .checked_add(SignedDuration::from_hours(24 * i64::from(days)))
            .unwrap_or(ctx.now),
        today: ctx.today.checked_add(days.days()).unwrap_or(ctx.today),
        calendars: ctx.calendars,
    }
}

/// Reads a case (unless the caller did, [`OnCase::read`]), checks it is at the version the
/// person saw, lets the engine decide and commits what it decided, at most once per
/// idempotency key ([`once`]).
async fn on_case<S: Store>(
    store: &S,
    on: OnCase<'_>,
    actor: &str,
    decide: impl FnOnce(&mut Case) -> Result<Vec<Event>, EngineError>,
) -> Result<Committed, CommandError> {
    match on.read {
        Some(current) => {
            raced(
                store,
                on.idempotency_key,
                decide_on(store, on, actor, current.clone(), decide),
            )
            .await
        }
        None => {
            once(store, on.idempotency_key, async {
                let current = store.load_current(on.case_id).await?;
                decide_on(store, on, actor, current, decide).await
            })
            .await
        }
    }
}

/// Checks the case read is at the version the person saw, lets the engine decide on it and
/// commits what it decided: refused as a conflict if the case moved since it was read.
async fn decide_on<S: Store>(
    store: &S,
    on: OnCase<'_>,
    actor: &str,
    current: CurrentCase,
    decide: impl FnOnce(&mut Case) -> Result<Vec<Event>, EngineError>,
) -> Result<Committed, CommandError> {
    if let Some(expected) = on.expected_version
        && expected != current.head.version
    {
        return Err(StoreError::Conflict {
            folio: current.head.folio,
            expected,
        }
        .into());
    }
    let mut case = current.case;
    let events = decide(&mut case)?;
    Ok(store
        .commit(Commit {
            procedure: on.procedure,
            target: Target::Existing(current.head),
            case: &case,
            events: &events,
            actor,
            at: on.ctx.now,
            idempotency_key: on.idempotency_key,
        })
        .await?)
}

/// Lets time pass on a stored case: records passed deadlines and takes expiry paths, on the
/// definition version the case runs on. `None` when nothing was due.
pub async fn pass_time<S: Store>(
    store: &S,
    library: &Library,
    case_id: CaseId,
    ctx: &Context<'_>,
) -> Result<Option<Committed>, CommandError> {
    let current = store.load_current(case_id).await?;
    let procedure = definition_of(library, &current)?;
    let mut case = current.case;
    let events = engine::pass_time(procedure, &mut case, ctx)?;
    if events.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        store
            .commit(Commit {
                procedure,
                target: Target::Existing(current.head),
                case: &case,
                events: &events,
                actor: "sistema",
                at: ctx.now,
                idempotency_key: None,
            })
            .await?,
    ))
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Cases with work past its due date, looked at.
    pub cases: usize,
    /// Commands committed (deadlines recorded, expiry paths taken).
    pub committed: usize,
    /// Cases another process changed meanwhile: the next sweep sees them again.
    pub conflicts: usize,
}

/// Cases looked at per sweep at most; a larger backlog is taken over the following sweeps.
pub const SWEEP_BATCH: i64 = 1_000;

/// Lets time pass on every case with work past its due date. Several processes may sweep at
/// once: each command applies only to the version of the case it read, and passing time
/// twice records nothing twice, so each deadline and each expiry is recorded once.
pub async fn sweep<S: Store>(
    store: &S,
    library: &Library,
    ctx: &Context<'_>,
) -> Result<Swept, CommandError> {
    let mut swept = Swept::default();
    for case_id in store.cases_past_due(ctx.today, SWEEP_BATCH).await? {
        swept.cases += 1;
        match pass_time(store, library, case_id, ctx).await {
            Ok(Some(_)) => swept.committed += 1,
            Ok(None) => {}
            Err(CommandError::Store(StoreError::Conflict { .. })) => swept.conflicts += 1,
            Err(other) => return Err(other),
        }
    }
    Ok(swept)
}

/// A due date a calendar change moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub folio: String,
    /// The activity's number.
    pub activity: String,
    pub before: jiff::civil::Date,
    pub after: jiff::civil::Date,
}

/// What counting the due dates again did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recounted {
    /// Cases with open work with a due date, looked at.
    pub cases: usize,
    pub moved: Vec<Moved>,
}

/// Times a case that keeps changing under a recount is read again before giving up on it.
const RECOUNT_ATTEMPTS: usize = 5;

/// Counts the due dates of every case with open work again on `ctx.calendars` (after a
/// calendar change), recording why each one moved. Like [`sweep`], each command applies only
/// to the case version it read; on a conflict the case is read again and counted again, so a
/// person acting meanwhile loses nothing and no due date is left on the old calendar.
pub async fn recount_all<S: Store>(
    store: &S,
    library: &Library,
    ctx: &Context<'_>,
    reason: &str,
) -> Result<Recounted, CommandError> {
    let mut recounted = Recounted::default();
    let mut after = 0;
    loop {
        let batch = store.cases_with_due(after, SWEEP_BATCH).await?;
        let Some(&last) = batch.last() else {
            return Ok(recounted);
        };
        after = last;
        for case_id in batch {
            recounted.cases += 1;
            recounted
                .moved
                .extend(recount_case(store, library, case_id, ctx, reason).await?);
        }
    }
}

async fn recount_case<S: Store>(
    store: &S,
    library: &Library,
    case_id: CaseId,
    ctx: &Context<'_>,
    reason: &str,
) -> Result<Vec<Moved>, CommandError> {
    let mut attempt = 1;
    loop {
        let current = store.load_current(case_id).await?;
        let procedure = definition_of(library, &current)?;
        let mut case = current.case;
        let events = engine::recount(procedure, &mut case, ctx, reason)?;
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let moved = events
            .iter()
            .filter_map(|event| match event {
                Event::DueRecounted {
                    item,
                    previous,
                    due,
                    ..
                } => {
                    let work = case.work_item(*item)?;
                    Some(Moved {
                        folio: current.head.folio.clone(),
                        activity: procedure.activity(work.activity).number.clone(),
                        before: *previous,
                        after: *due,
                    })
                }
                _ => None,
            })
            .collect();
        let committed = store
            .commit(Commit {
                procedure,
                target: Target::Existing(current.head),
                case: &case,
                events: &events,
                actor: "sistema",
                at: ctx.now,
                idempotency_key: None,
            })
            .await;
        match committed {
            Ok(_) => return Ok(moved),
            Err(StoreError::Conflict { .. }) if attempt < RECOUNT_ATTEMPTS => attempt += 1,
            Err(other) => return Err(other.into()),
        }
    }
}

/// A file to attach to a case, as uploaded.
pub struct Upload<R> {
    /// The file's name as the uploader gave it ("oficio.pdf").
    pub name: String,
    /// The type the uploader declared (the browser's Content-Type); may be empty.
    pub mime: String,
    pub content: R,
    pub by: Actor,
    /// The work item the document answers, if any.
    pub item: Option<WorkItemId>,
}

/// A document attached: the command's result and the file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    pub committed: Committed,
    pub blob: Stored,
    /// The type recorded (the declared one, or what the content is when none was declared).
    pub mime: String,
}

/// Attaches a document to a stored case. The file is checked (size limit, a PDF/PNG/JPEG
/// claim against its first bytes) and stored first, by content; then the engine records it and
/// the event and the `documents` row are committed in one transaction. A failure after the
/// file is stored leaves only a file that nothing references, never a reference to a missing
/// file.
pub async fn attach_document<S: Store, B: BlobStore, R: AsyncRead + Unpin + Send>(
    store: &S,
    blobs: &B,
    on: OnCase<'_>,
    upload: Upload<R>,
) -> Result<Attached, CommandError> {
    let Upload {
        name,
        mime,
        mut content,
        by,
        item,
    } = upload;
    // What the file is shows in its first bytes: a false claim is refused before anything is
    // stored. The bytes read are then put back in front of the rest.
    let mut head = Vec::with_capacity(blobs::SNIFF_LEN);
    (&mut content)
        .take(blobs::SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .await
        .map_err(BlobError::Upload)?;
    let mime = blobs::check_mime(&mime, &head)?;
    let blob = blobs.put_reader(head.as_slice().chain(content)).await?;

    let attach = Attach {
        by,
        item,
        name,
        mime: mime.clone(),
        size: blob.size,
        sha256: blob.sha256.clone(),
    };
    let actor = attach.by.user.clone();
    let committed = on_case(store, on, &actor, |case| {
        engine::attach_document(on.procedure, case, attach, on.ctx)
    })
    .await?;
    Ok(Attached {
        committed,
        blob,
        mime,
    })
}
