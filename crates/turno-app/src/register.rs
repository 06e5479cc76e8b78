//! Registering a matter on a procedure, from the page's form or the API: only on procedures
//! whose first activity belongs to one of the person's units (the case would not be theirs to
//! see otherwise); it gets its folio and its first activity is turned.

use crate::access::registering_actor;
use crate::app::App;
use crate::checked::Checked;
use crate::commands::start_case;
use crate::error::Error;
use crate::fields::{self, Asked};
use crate::limits;
use crate::principal::Principal;
use std::collections::BTreeMap;
use std::sync::Arc;
use turno_domain::correspondence::IncomingFolio;
use turno_domain::definition::{Assignment, Procedure};
use turno_domain::engine::Start;
use turno_store::{Committed, FolioRule, NewCase, Target};

/// Procedures whose first activity belongs to one of the person's units (administrators: all),
/// on their newest version.
pub fn registrable(app: &App, user: &Principal) -> Vec<Arc<Procedure>> {
    app.library
        .current()
        .newest()
        .filter(|p| {
            let first = p.activity(p.first_activity());
            let starts_here = match &first.assignment {
                Assignment::Fixed(ids) => ids
                    .iter()
                    .any(|id| user.visible_units.contains(&p.unit_of(*id))),
                Assignment::FromField(_) => false,
            };
            user.is_admin() || (user.can_act() && starts_here)
        })
        .cloned()
        .collect()
}

/// The procedure `key` (its newest version), if the person may register matters on it.
pub fn procedure(app: &App, user: &Principal, key: &str) -> Result<Arc<Procedure>, Error> {
    if app.library.current().latest(key).is_none() {
        return Err(Error::NotFound("No existe ese procedimiento.".into()));
    }
    registrable(app, user)
        .into_iter()
        .find(|p| p.key == key)
        .ok_or_else(|| {
            Error::Denied(
                "Ninguna de sus unidades inicia este procedimiento: no puede registrar asuntos \
                 en él."
                    .into(),
            )
        })
}

/// The data registering asks for: every field of the procedure, required as it defines.
pub fn asked_fields(procedure: &Procedure) -> Vec<Asked<'_>> {
    procedure.fields.iter().map(|f| (f, f.required)).collect()
}

/// A matter to register, as typed.
#[derive(Debug, Default)]
pub struct Registration {
    /// The procedure's key; the case starts on its newest version.
    pub procedure: String,
    /// The matter, in a line.
    pub title: String,
    /// How it arrived (Oficio, Correo electrónico…).
    pub channel: Option<String>,
    /// Who sends it.
    pub requester: Option<String>,
    /// The procedure's fields by name, as typed.
    pub fields: BTreeMap<String, String>,
}

/// Registers a matter: it gets its folio and its first activity is turned, at most once per
/// idempotency key.
pub async fn register(
    app: &App,
    user: &Principal,
    registration: Registration,
    idempotency_key: Option<&str>,
) -> Result<Committed, Error> {
    register_from(app, user, registration, idempotency_key, None).await
}

/// Registers a matter, started from the incoming document `from` when given: the document
/// records the case's folio in the same transaction, once (a second is refused).
pub(crate) async fn register_from(
    app: &App,
    user: &Principal,
    registration: Registration,
    idempotency_key: Option<&str>,
    from: Option<IncomingFolio>,
) -> Result<Committed, Error> {
    let procedure = procedure(app, user, &registration.procedure)?;
    let mut checked = Checked::default();
    let given = |text: &Option<String>| text.as_deref().unwrap_or_default().to_owned();
    let title = checked.line(
        "title",
        "el asunto",
        &registration.title,
        limits::NAME,
        true,
    );
    let channel = checked.line(
        "channel",
        "el medio de recepción",
        &given(&registration.channel),
        limits::NAME,
        false,
    );
    let requester = checked.line(
        "requester",
        "el solicitante",
        &given(&registration.requester),
        limits::NAME,
        false,
    );
    let fields = fields::read(
        &registration.fields,
        &asked_fields(&procedure),
        &|_| "El dato no existe en este procedimiento.".into(),
        &mut checked,
    );
    checked.done()?;
    let moment = app.moment();
    let ctx = moment.context();
    let text = |value: String| Some(value).filter(|v| !v.is_empty());
    let case = NewCase {
        folio: FolioRule::for_procedure(&procedure, None, ctx.today.year()),
        title,
        channel: text(channel),
        requester: text(requester),
    };
    let committed = start_case(
        &app.store,
        &procedure,
        match from {
            None => Target::New(case),
            Some(document) => Target::FromIncoming { case, document },
        },
        Start {
            by: registering_actor(&procedure, user),
            fields,
        },
        &ctx,
        idempotency_key,
    )
    .await?;
    if !committed.replayed {
        tracing::info!(folio = %committed.folio, procedure = %procedure.key, user = %user.login, from = ?from.map(|f| f.to_string()), "case registered");
    }
    Ok(committed)
}
