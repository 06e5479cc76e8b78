//! Who may do what to a follow-up program (docs/asm-format.md). Every signed-in person reads
//! them; an activity's progress is recorded by the people of its responsible areas and by
//! administrators; a supervision's rounds are closed by those who see its cnpss-94 case and
//! may act, and administrators.

use crate::access::visible_id;
use crate::app::App;
use crate::error::Error;
use crate::principal::Principal;
use turno_domain::followup::Activity;
use turno_domain::text::same;
use turno_store::Role;

/// Whether `user` may record progress on `activity`: an administrator, or a member (not only
/// for consultation) of one of its responsible areas, named by the unit's name or code
/// (without regard to accents or case).
pub fn may_edit(user: &Principal, activity: &Activity) -> bool {
    user.is_admin()
        || user.memberships.iter().any(|m| {
            m.role != Role::Consulta
                && activity
                    .responsible
                    .iter()
                    .any(|area| same(area, &m.unit_name) || same(area, &m.unit_code))
        })
}

/// Whether `user` may follow the supervision of case `folio` (register it, close its rounds):
/// seeing the case, and not only to consult it; administrators always may.
pub async fn may_follow(app: &App, user: &Principal, folio: &str) -> Result<(), Error> {
    if user.is_admin() {
        return Ok(());
    }
    if !user.can_act() {
        return Err(Error::Hidden);
    }
    visible_id(app, user, folio).await.map(|_| ())
}
