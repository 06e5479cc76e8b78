//! Who may see and act on what. A person sees a case when one of its work items was turned to
//! one of their units or a unit below it; administrators see everything. A case that is not
//! theirs answers 403 with no data in it.

use crate::auth::SignedIn;
use crate::error::AppError;
use crate::state::AppState;
use turno_domain::definition::{Assignment, ParticipantId, ParticipantKind, Procedure};
use turno_domain::engine::{Case, Value, WorkItem};
use turno_store::{CaseId, Store};

/// The units whose work a person sees: theirs and every unit below them.
pub fn visible_units(user: &SignedIn) -> &[String] {
    &user.visible_units
}

pub async fn check_case(state: &AppState, user: &SignedIn, case: CaseId) -> Result<(), AppError> {
    if user.is_admin() {
        return Ok(());
    }
    let visible = visible_units(user);
    let involved = state.store.case_units(case).await?;
    if involved.iter().any(|u| visible.contains(u)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The unit code whose people work on a participant's items (an outside party's are the
/// internal unit that records for it). Must agree with the store's projection.
pub fn unit_of(procedure: &Procedure, id: ParticipantId) -> String {
    let participant = procedure.participant(id);
    match participant.kind {
        ParticipantKind::External { recorded_by } => unit_of(procedure, recorded_by),
        ParticipantKind::Internal => participant
            .unit
            .clone()
            .unwrap_or_else(|| format!("{}:{}", procedure.key, participant.key)),
    }
}

/// The participants a work item is turned to.
pub fn responsible(procedure: &Procedure, case: &Case, item: &WorkItem) -> Vec<ParticipantId> {
    if let Some(p) = item.participant {
        return vec![p];
    }
    match &procedure.activity(item.activity).assignment {
        Assignment::Fixed(ids) => ids.clone(),
        Assignment::FromField(field) => match case.fields.get(&procedure.field(*field).name) {
            Some(Value::Participants(keys)) => keys
                .iter()
                .filter_map(|k| procedure.participant_by_key(k))
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// Whom a person acts for on a work item: the first responsible participant in their units;
/// `Some(None)` for an administrator acting for none in particular; `None` when they may not.
pub fn acting_for(
    procedure: &Procedure,
    case: &Case,
    item: &WorkItem,
    user: &SignedIn,
    visible: &[String],
) -> Option<Option<ParticipantId>> {
    if !user.can_act() {
        return None;
    }
    let mine = responsible(procedure, case, item)
        .into_iter()
        .find(|p| visible.contains(&unit_of(procedure, *p)));
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
