//! Suplencias (procedure 92, policy 3.5): a unit's titular names who acts in their place from
//! one day to another, with the written delegation ("por escrito": a signed oficio, a PDF kept
//! in the blob store); an administrator may record one for any titular. Each person sees the
//! suplencias they take part in, administrators all; the titular or an administrator revokes
//! one. The page `/suplencias` and `/api/v1/delegations` both go through here; the store checks
//! the rest (the titular holds the role in the unit, not oneself, the order of the days, no
//! overlap) and refuses with the reason (`messages::delegation`).

use crate::app::App;
use crate::checked::Checked;
use crate::documents::{size_label, too_large};
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use crate::search::day;
use jiff::civil::Date;
use turno_store::blobs::{BlobError, BlobStore, Kind, sniff};
use turno_store::{Delegation, NewDelegation, Refusal, Store, StoreError};

/// The largest written delegation accepted (a scanned, signed oficio).
pub const MAX_DOCUMENT: usize = 10 * 1024 * 1024;

/// Whether a person takes part in a suplencia, as its titular or its delegate.
fn takes_part(user: &Principal, d: &Delegation) -> bool {
    d.titular_login == user.login || d.delegate_login == user.login
}

/// Whether a person sees a suplencia (and its written delegation): those who take part in it,
/// and administrators.
pub fn concerns(user: &Principal, d: &Delegation) -> bool {
    user.is_admin() || takes_part(user, d)
}

/// The suplencias a person sees, newest first.
pub async fn list(app: &App, user: &Principal) -> Result<Vec<Delegation>, Error> {
    Ok(app
        .store
        .delegations()
        .await?
        .into_iter()
        .filter(|d| concerns(user, d))
        .collect())
}

/// The suplencia of `id`, whoever asks (for what its recording answers).
async fn by_id(app: &App, id: i64) -> Result<Delegation, Error> {
    app.store
        .delegations()
        .await?
        .into_iter()
        .find(|d| d.id == id)
        .ok_or_else(|| Error::NotFound(format!("No existe la suplencia {id}.")))
}

/// The suplencia of `id` when the person sees it.
pub async fn concerning(app: &App, user: &Principal, id: i64) -> Result<Delegation, Error> {
    let delegation = by_id(app, id).await?;
    if concerns(user, &delegation) {
        Ok(delegation)
    } else {
        Err(Error::Denied(
            "Esta suplencia no es suya: solo la ven su titular, su suplente y los \
             administradores."
                .into(),
        ))
    }
}

/// The suplencia of `id` and its written delegation, to those it concerns.
pub async fn document(
    app: &App,
    user: &Principal,
    id: i64,
) -> Result<(Delegation, Vec<u8>), Error> {
    let delegation = concerning(app, user, id).await?;
    let content = app
        .blobs
        .get(&delegation.document_sha256)
        .await
        .map_err(|e| Error::internal(format!("the written delegation of suplencia {id}: {e}")))?;
    Ok((delegation, content))
}

/// Whether `user` may name a suplencia for the titular `titular` (a login): their own, or
/// anyone's for an administrator. Checked before the written delegation is read.
pub fn naming(user: &Principal, titular: &str) -> Result<(), Error> {
    if user.is_admin() || titular.trim() == user.login {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo el titular registra su suplencia (o un administrador).".into(),
        ))
    }
}

/// A suplencia as asked for: logins, the unit's code, the days as `AAAA-MM-DD`, the reason, and
/// the written delegation with its file name (as it is kept); `None` when none was sent.
pub struct Naming<'a> {
    pub titular: &'a str,
    pub delegate: &'a str,
    pub unit: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
    pub reason: &'a str,
    pub document_name: String,
    pub document: Option<Vec<u8>>,
}

/// The id of the person a field names, or none with the field noted as wrong.
async fn person(
    app: &App,
    checked: &mut Checked,
    field: &str,
    what: &str,
    login: &str,
) -> Result<Option<i64>, Error> {
    let login = checked.line(field, what, login, limits::LOGIN, true);
    if login.is_empty() || login.chars().count() > limits::LOGIN {
        return Ok(None);
    }
    let found = app.store.user_by_login(&login).await?;
    if found.is_none() {
        checked.wrong(
            field,
            format!("No existe una persona con el usuario «{login}»."),
        );
    }
    Ok(found.map(|r| r.user.id))
}

/// A day of the suplencia, or none with the field noted as wrong.
fn date(checked: &mut Checked, field: &str, what: &str, text: &str) -> Option<Date> {
    match day(text.trim()) {
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            checked.wrong(field, format!("Escriba {what} como AAAA-MM-DD."));
            None
        }
        Err(e) => {
            checked.wrong(
                field,
                format!("{}: {e}", turno_domain::text::capitalized(what)),
            );
            None
        }
    }
}

/// Records a suplencia with its written delegation, for its titular or an administrator:
/// every problem of what was typed at once (each by its field), then the store's rules.
pub async fn name(app: &App, user: &Principal, asked: Naming<'_>) -> Result<Delegation, Error> {
    naming(user, asked.titular)?;
    let mut checked = Checked::default();
    let titular = person(app, &mut checked, "titular", "el titular", asked.titular).await?;
    let delegate = person(app, &mut checked, "delegate", "el suplente", asked.delegate).await?;
    let unit = checked.line("unit", "la unidad", asked.unit, limits::CODE, true);
    let starts_on = date(&mut checked, "starts_on", "el primer día", asked.starts_on);
    let ends_on = date(&mut checked, "ends_on", "el último día", asked.ends_on);
    let reason = checked.text(
        "reason",
        "el motivo de la suplencia",
        asked.reason,
        limits::TEXT,
        true,
    );
    let document_name = checked.line(
        "document_name",
        "el nombre del archivo de la delegación",
        &asked.document_name,
        limits::FILE_NAME,
        true,
    );
    let document = match asked.document.filter(|d| !d.is_empty()) {
        None => {
            checked.wrong(
                "document",
                "Adjunte el oficio de delegación firmado: la suplencia requiere constancia \
                 escrita.",
            );
            None
        }
        Some(d) if d.len() > MAX_DOCUMENT => {
            checked.wrong(
                "document",
                format!(
                    "El oficio de delegación pasa de {}.",
                    size_label(MAX_DOCUMENT as u64)
                ),
            );
            None
        }
        Some(d) if sniff(&d) != Kind::Pdf => {
            checked.wrong("document", "La delegación por escrito debe ser un PDF.");
            None
        }
        Some(d) => Some(d),
    };
    checked.done()?;
    let (Some(titular), Some(delegate), Some(starts_on), Some(ends_on), Some(document)) =
        (titular, delegate, starts_on, ends_on, document)
    else {
        return Err(Error::internal("a suplencia checked without its values"));
    };
    let stored = app.blobs.put(&document).await.map_err(|e| match e {
        BlobError::TooLarge { limit } => Error::TooLarge(too_large(limit)),
        other => Error::internal(format!("cannot keep the written delegation: {other}")),
    })?;
    let id = app
        .store
        .create_delegation(
            &NewDelegation {
                titular,
                delegate,
                unit_code: unit.clone(),
                starts_on,
                ends_on,
                document_sha256: stored.sha256,
                document_name,
                reason,
            },
            &user.login,
        )
        .await
        .map_err(|e| match e {
            StoreError::Refused(Refusal::UnitNotFound(unit)) => {
                let mut checked = Checked::default();
                checked.wrong("unit", format!("No existe la unidad «{unit}»."));
                checked.refused()
            }
            other => other.into(),
        })?;
    tracing::info!(delegation = id, unit = %unit, by = %user.login, "suplencia recorded");
    by_id(app, id).await
}

/// Ends a suplencia at once, by its titular or an administrator; answers it as it is now.
pub async fn revoke(app: &App, user: &Principal, id: i64) -> Result<Delegation, Error> {
    let delegation = concerning(app, user, id).await?;
    if !user.is_admin() && delegation.titular_login != user.login {
        return Err(Error::Denied(
            "Solo su titular o un administrador puede revocar esta suplencia.".into(),
        ));
    }
    if !app.store.revoke_delegation(id, &user.login).await? {
        return Err(Error::Conflict(format!(
            "La suplencia {id} ya estaba revocada."
        )));
    }
    tracing::info!(delegation = id, by = %user.login, "suplencia revoked");
    by_id(app, id).await
}
