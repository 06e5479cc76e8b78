//! Who may see and act on what. A person sees a case when one of its work items was turned to
//! one of their units or a unit below it; administrators see everything. A case that is not
//! theirs is [`Error::Hidden`]: nothing of it is told.

use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use std::sync::Arc;
use turno_domain::calendar::State;
use turno_domain::citizen::liaison_unit;
use turno_domain::definition::{ParticipantId, ParticipantKind, Procedure};
use turno_domain::engine::{Actor, Case, WorkItem, turned_to};
use turno_store::archive::Archive as _;
use turno_store::{CaseId, CurrentCase, FoundCase, MovedCases, Role, Store, StoredCase};

/// Finds a case by folio as it stands, with its units, and checks the person may see it: one
/// read. Not found and hidden say nothing more.
/// A case moved to the archive's tables (`archive_move`) is found too, read-only
/// (`stored.archived`), and seen by the same people.
async fn visible(app: &App, user: &Principal, folio: &str) -> Result<FoundCase, Error> {
    let current = match app.store.find_current(folio).await {
        Ok(found) => found,
        // A disposed case's state is gone with its payloads: it is told, not a failure.
        Err(e) => {
            if app.store.disposal(folio).await?.is_some() {
                return Err(crate::archive::disposed(folio));
            }
            return Err(e.into());
        }
    };
    let found = match current {
        Some(found) => found,
        None => app
            .store
            .find_archived(folio)
            .await?
            .ok_or_else(|| Error::NotFound("No existe un asunto con ese folio.".into()))?,
    };
    if user.is_admin() || found.units.iter().any(|u| user.visible_units.contains(u)) {
        Ok(found)
    } else {
        Err(Error::Hidden)
    }
}

/// A case in the archive's tables is read on its page and by the API's lookup only.
fn in_working_tables(found: FoundCase) -> Result<FoundCase, Error> {
    if found.stored.archived {
        Err(Error::Refused(format!(
            "El asunto {} ya está en el archivo de concentración: solo se puede consultar su \
             página.",
            found.stored.folio
        )))
    } else {
        Ok(found)
    }
}

/// Checks the person may see the case of `folio`, in the working tables or in the archive's;
/// not found and hidden say nothing more.
pub async fn visible_folio(app: &App, user: &Principal, folio: &str) -> Result<(), Error> {
    visible(app, user, folio).await.map(drop)
}

/// Finds a case by folio in the working tables and checks the person may see it; not found
/// and hidden say nothing more, a case moved to the archive is refused.
pub async fn visible_id(app: &App, user: &Principal, folio: &str) -> Result<CaseId, Error> {
    Ok(in_working_tables(visible(app, user, folio).await?)?
        .stored
        .id)
}

/// The definition version a case runs on.
pub(crate) fn procedure_of(app: &App, key: &str, version: u32) -> Result<Arc<Procedure>, Error> {
    app.library
        .current()
        .get(key, version)
        .cloned()
        .ok_or_else(|| Error::internal(format!("procedure {key} v{version} is not loaded")))
}

/// A visible case with its whole record, for what shows it.
pub async fn visible_case(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<(CaseId, Arc<Procedure>, StoredCase), Error> {
    let id = visible_id(app, user, folio).await?;
    let stored = app.store.load_case(id).await?;
    let procedure = procedure_of(app, &stored.procedure_key, stored.procedure_version)?;
    Ok((id, procedure, stored))
}

/// A visible case as it stands ([`visible`]) and the definition version it runs on.
async fn visible_found(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<(Arc<Procedure>, FoundCase), Error> {
    let found = visible(app, user, folio).await?;
    let stored = &found.stored;
    let procedure = procedure_of(app, &stored.procedure_key, stored.procedure_version)?;
    Ok((procedure, found))
}

/// A visible case as it stands, without its record: its row and its state's snapshot.
pub async fn visible_now(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<(CaseId, Arc<Procedure>, StoredCase, Case), Error> {
    let (procedure, found) = visible_found(app, user, folio).await?;
    Ok((found.stored.id, procedure, found.stored, found.current.case))
}

/// A visible case's current state only, for acting on it (no need to read its record).
pub async fn visible_current(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<(CaseId, Arc<Procedure>, CurrentCase), Error> {
    let (procedure, found) = visible_found(app, user, folio).await?;
    let found = in_working_tables(found)?;
    Ok((found.stored.id, procedure, found.current))
}

/// The participants a work item is turned to.
pub fn responsible(procedure: &Procedure, case: &Case, item: &WorkItem) -> Vec<ParticipantId> {
    turned_to(procedure, &case.fields, item.activity, item.participant)
}

/// The codes of the units a work item is turned to: a turn's unit, or its responsible's.
pub fn units_of(procedure: &Procedure, case: &Case, item: &WorkItem) -> Vec<String> {
    if let Some(turn) = &item.turn {
        return vec![turn.unit.clone()];
    }
    let mut units: Vec<String> = responsible(procedure, case, item)
        .into_iter()
        .map(|p| procedure.unit_of(p))
        .collect();
    units.sort();
    units.dedup();
    units
}

/// Whom a person acts for on a work item: the first responsible participant in their units;
/// `Some(None)` for an administrator, or on a turn to one of their units, acting for none in
/// particular; `None` when they may not.
pub fn acting_for(
    procedure: &Procedure,
    case: &Case,
    item: &WorkItem,
    user: &Principal,
) -> Option<Option<ParticipantId>> {
    let visible = &user.visible_units;
    if !user.can_act() {
        return None;
    }
    if let Some(turn) = &item.turn {
        return answers_turns_of(user, &turn.unit).then_some(None);
    }
    let mine = responsible(procedure, case, item)
        .into_iter()
        .find(|p| visible.contains(&procedure.unit_of(*p)));
    match mine {
        Some(p) => {
            // An outside party's work is recorded by the user for the internal unit.
            let actor = match procedure.participant(p).kind {
                ParticipantKind::External { recorded_by } => recorded_by,
                ParticipantKind::Internal => p,
            };
            Some(Some(actor))
        }
        None if user.is_admin() => Some(None),
        None => None,
    }
}

/// Whether a person answers what is turned to `unit`: a turn is its unit's, and whoever works
/// there (or above it) answers it for no participant in particular; administrators too.
pub fn answers_turns_of(user: &Principal, unit: &str) -> bool {
    user.can_act() && (user.visible_units.iter().any(|u| u == unit) || user.is_admin())
}

/// Whether a person acts on a correspondence turn to `unit`, given to one of its people
/// (`person`, a login) or to the whole unit: a turn to the unit, as [`answers_turns_of`]; a
/// turn to a person, that person, the unit's titular (or whoever substitutes them), the people
/// of the units above it and administrators, but not the unit's other people, who see it and
/// do not act on it.
pub fn acts_on_turn(user: &Principal, unit: &str, person: Option<&str>) -> bool {
    let Some(person) = person else {
        return answers_turns_of(user, unit);
    };
    user.can_act()
        && (user.login == person
            || (answers_turns_of(user, unit)
                && user
                    .memberships
                    .iter()
                    .filter(|m| m.unit_code == unit && m.role != Role::Administrador)
                    .all(|m| m.role == Role::Titular)))
}

/// Who acts on a case, as the record keeps it: the person, the participant they act for and,
/// when only a suplencia lets them act on the unit concerned (the item's, or the
/// participant's), the titular they substitute.
pub fn actor(
    procedure: &Procedure,
    item: Option<&WorkItem>,
    user: &Principal,
    participant: Option<ParticipantId>,
) -> Actor {
    let unit = match (item.and_then(|w| w.turn.as_ref()), participant) {
        (Some(turn), _) => Some(turn.unit.clone()),
        (None, Some(p)) => Some(procedure.unit_of(p)),
        (None, None) => None,
    };
    Actor {
        user: user.login.clone(),
        participant,
        substituting: unit.and_then(|u| user.substituting_for(&u).map(str::to_owned)),
    }
}

/// Who registers a case: in a titular's name when the person reaches the first activity's
/// units only through a suplencia.
pub fn registering_actor(procedure: &Procedure, user: &Principal) -> Actor {
    let first = procedure.activity(procedure.first_activity());
    let units: Vec<String> = match &first.assignment {
        turno_domain::definition::Assignment::Fixed(ids) => {
            ids.iter().map(|p| procedure.unit_of(*p)).collect()
        }
        turno_domain::definition::Assignment::FromField(_) => Vec::new(),
    };
    let mine: Vec<&String> = units
        .iter()
        .filter(|u| user.visible_units.contains(u))
        .collect();
    let substituting = if mine.iter().any(|u| user.substituting_for(u).is_none()) {
        None
    } else {
        mine.iter()
            .find_map(|u| user.substituting_for(u).map(str::to_owned))
    };
    Actor {
        user: user.login.clone(),
        participant: None,
        substituting,
    }
}

/// Citizen attention's own units (procedures 96–98): the Subdirección de Atención Ciudadana
/// and its Departamento de Vinculación Social, which receive every petition.
pub const ATTENTION_UNITS: [&str; 2] = ["CNPSS-SAC", "CNPSS-DVS"];

/// The units of an entidad federativa that see its petitions: the entidad's own, and its
/// REPSS, where its Enlace de Atención Ciudadana works and the volantes are turned
/// (`liaison_unit`).
fn entidad_units(state: State) -> [String; 2] {
    [format!("EF-{}", state.code()), liaison_unit(state)]
}

/// Which petitions a person sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PetitionScope {
    /// Administrators and the attention units (and the units above them): every entidad.
    All,
    /// People of entidades' units: those entidades only.
    States(Vec<State>),
}

impl PetitionScope {
    pub fn includes(&self, state: State) -> bool {
        match self {
            PetitionScope::All => true,
            PetitionScope::States(states) => states.contains(&state),
        }
    }
}

/// The petitions a person sees, or `None` when they see none.
pub fn petition_scope(user: &Principal) -> Option<PetitionScope> {
    let visible = &user.visible_units;
    if user.is_admin()
        || ATTENTION_UNITS
            .iter()
            .any(|u| visible.iter().any(|v| v == u))
    {
        return Some(PetitionScope::All);
    }
    let states: Vec<State> = State::all()
        .filter(|s| entidad_units(*s).iter().any(|u| visible.contains(u)))
        .collect();
    (!states.is_empty()).then_some(PetitionScope::States(states))
}

/// Whether a person works petitions at an attention unit (titular or operador): they classify,
/// import the call-center file and call petitioners back.
fn works_petitions(user: &Principal) -> bool {
    user.memberships.iter().any(|m| {
        matches!(m.role, Role::Titular | Role::Operador)
            && ATTENTION_UNITS.contains(&m.unit_code.as_str())
    })
}

/// Whether a person sees a petition's personal data whole: administrators, the attention
/// units' titulares and operadores, and the Enlace of the petition's entidad, of the entidad's
/// unit or its REPSS (who contacts the petitioner to answer). Everyone else, consulta included, sees them masked.
pub fn sees_personal_data(user: &Principal, state: State) -> bool {
    user.is_admin()
        || works_petitions(user)
        || user
            .memberships
            .iter()
            .any(|m| m.role == Role::EnlaceExterno && entidad_units(state).contains(&m.unit_code))
}

/// Who may upload the call-center file and record the calls its provider declares:
/// administrators and the attention units' titulares and operadores.
pub fn may_work_petitions(user: &Principal) -> bool {
    user.is_admin() || works_petitions(user)
}
