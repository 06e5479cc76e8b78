//! Closed cases past their term leave the working tables (`docs/archive.md`, «Traslado fuera de
//! las tablas de trabajo»). The rule lives here: a case moves once it is closed and its
//! expediente has left the archivo de trámite, that is, once a transferencia primaria (or
//! secundaria) list that takes it was approved and carried out. The store moves each batch in
//! one transaction (`turno_store::archive_move`); the inbox, semáforo, search and tableros then
//! no longer read it, and its folio still opens it, read-only, from the archive's tables.

use crate::app::App;
use crate::archive::administrator;
use crate::error::Error;
use crate::principal::Principal;
use turno_domain::archive::Location;
use turno_store::{MovedBatch, MovedCases};

/// Where an expediente is once its term in trámite has ended and a transfer took it: what
/// leaves the working tables.
pub const MOVED_FROM: [Location; 2] = [Location::Concentracion, Location::Historico];

/// The largest batch: one transaction, its folios bound as parameters (SQLite takes 32,766).
pub const MAX_BATCH: i64 = 5_000;

/// What a run moved, and in how many batches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Moved {
    pub cases: u64,
    pub events: u64,
    pub batches: u64,
}

/// Moves every closed case whose expediente a transfer took out of trámite, `batch` cases per
/// transaction (1 to [`MAX_BATCH`]), up to `most` cases (all when `None`): the archive staff
/// (rol archivista). A batch refused because a case changed meanwhile moves nothing and stops
/// the run; what earlier batches moved stays moved.
pub async fn move_transferred(
    app: &App,
    user: &Principal,
    batch: i64,
    most: Option<u64>,
) -> Result<Moved, Error> {
    administrator(user)?;
    if !(1..=MAX_BATCH).contains(&batch) {
        return Err(Error::Invalid(format!(
            "El lote debe ser de 1 a {MAX_BATCH} asuntos."
        )));
    }
    let mut moved = Moved::default();
    loop {
        let room = most.map_or(batch, |most| {
            batch.min(i64::try_from(most.saturating_sub(moved.cases)).unwrap_or(batch))
        });
        if room == 0 {
            break;
        }
        let folios = app.store.closed_in(&MOVED_FROM, room).await?;
        if folios.is_empty() {
            break;
        }
        let at = app.clock.now().to_string();
        let MovedBatch { cases, events } = app.store.move_cases(&folios, &user.login, &at).await?;
        moved.cases += cases;
        moved.events += events;
        moved.batches += 1;
    }
    Ok(moved)
}

/// How many cases and events the archive's tables hold: the archive's staff and coordination.
pub async fn archived(app: &App, user: &Principal) -> Result<MovedBatch, Error> {
    if !(crate::archive::may_administer(user) || crate::archive::may_approve(user)) {
        return Err(Error::Denied(
            "Solo el personal del archivo y su coordinación consultan el archivo.".into(),
        ));
    }
    Ok(app.store.archived_counts().await?)
}
