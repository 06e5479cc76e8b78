//! The acuse de registro of a matter (`/asuntos/{folio}/acuse`): what it was registered as, by
//! whom and when, and where its first work went, as the case stood when it was registered
//! (the record before its first completion), not as it stands now.

use crate::access::{responsible, visible_case};
use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use turno_domain::engine::{Case, Event};

/// A registered matter's acuse, for a person who sees the case.
pub struct Receipt {
    pub folio: String,
    pub title: String,
    pub procedure_title: String,
    /// When it was registered, as stored.
    pub created_at: String,
    pub channel: Option<String>,
    pub requester: Option<String>,
    /// The codes of the units its first work was turned to, in the order it opened.
    pub turned_to: Vec<String>,
    /// Who registered it.
    pub registered_by: String,
}

/// The acuse of case `folio`, when `user` sees the case.
pub async fn receipt(app: &App, user: &Principal, folio: &str) -> Result<Receipt, Error> {
    let (_, procedure, stored) = visible_case(app, user, folio).await?;
    let registered: Vec<Event> = stored
        .events
        .iter()
        .take_while(|e| !matches!(e.event, Event::WorkCompleted { .. }))
        .map(|e| e.event.clone())
        .collect();
    let at_start = Case::replay(&registered)
        .ok_or_else(|| Error::internal(format!("case {folio} has no start")))?;
    let turned_to = at_start
        .open
        .iter()
        .flat_map(|item| responsible(&procedure, &at_start, item))
        .map(|p| procedure.unit_of(p))
        .collect();
    Ok(Receipt {
        folio: stored.folio.clone(),
        title: stored.title.clone(),
        procedure_title: procedure.title.clone(),
        created_at: stored.created_at.clone(),
        channel: stored.channel.clone(),
        requester: stored.requester.clone(),
        turned_to,
        registered_by: stored
            .events
            .first()
            .map(|e| e.actor.clone())
            .unwrap_or_default(),
    })
}
