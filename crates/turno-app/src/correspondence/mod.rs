//! Correspondence (issue 17, docs/correspondence.md): the documents that come in, registered with
//! their folio and acuse (`incoming`), turned to units with an instruction and a term, reassigned,
//! answered, read, returned and withdrawn (`turns`); the documents an office issues (`outgoing`)
//! and how each unit numbers them (`numbering`); finding both (`search`); a unit's report for a
//! period (`report`); a unit's existing register imported (`import`); a case started from an
//! incoming document (`cases`); outgoing documents signed with e.firma (`signed`). Who sees a document and what of it, and who may act on it, is
//! decided here once (`incoming::sight`, `outgoing`), for the pages, the API and the command line.

pub mod cases;
pub mod import;
pub mod incoming;
pub mod numbering;
pub mod outgoing;
pub mod report;
pub mod search;
pub mod signed;
pub mod turns;

use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use turno_store::Store;

/// The units whose correspondence a person's lists show: every unit for an administrator,
/// else the units whose work they see.
async fn listed_units(app: &App, user: &Principal) -> Result<Vec<String>, Error> {
    if user.is_admin() {
        Ok(app
            .store
            .units()
            .await?
            .into_iter()
            .map(|u| u.code)
            .collect())
    } else {
        Ok(user.visible_units.clone())
    }
}
