//! Activities authorized with e.firma (issue 18, `docs/efirma.md`): what a case's record proves
//! of them. Each completion of an activity that asks for a signature keeps in the chained
//! events the signer, the certificate, the CMS signature and the SHA-256 of the signed text
//! (`turno_domain::engine::signed_text`). The case's constancia (its PDF) shows them; the
//! public verification page finds one by the case's folio and that digest and verifies the
//! signature again from the record alone: a detached signature signs the text's digest.

use std::collections::HashMap;

use turno_domain::definition::Procedure;
use turno_domain::engine::{Event, Signature, WorkItemId};
use turno_store::{Store, StoredEvent};

use crate::access::procedure_of;
use crate::app::App;
use crate::case_view::{CaseView, History};
use crate::correspondence::signed::{FoundBy, PublicCheck, Rechecked};
use crate::efirma;
use crate::error::Error;
use crate::principal::Principal;

/// One activity completed with e.firma, as the record keeps it.
#[derive(Debug, Clone)]
pub struct Authorization {
    /// The activity's number and text: «4.1 Recibe y revisa…».
    pub activity: String,
    /// The answer of a decision, as recorded.
    pub outcome: Option<String>,
    /// Who completed it (their login) and as which participant of the procedure.
    pub by: String,
    pub post: String,
    pub signature: Signature,
}

/// The authorizations in a record, in its order. The record holds the opening of every work
/// item it completes.
pub fn of_record(procedure: &Procedure, events: &[StoredEvent]) -> Vec<Authorization> {
    let mut activities: HashMap<WorkItemId, String> = HashMap::new();
    let mut found = Vec::new();
    for stored in events {
        match &stored.event {
            Event::WorkOpened { item, activity, .. } | Event::WorkTurned { item, activity, .. } => {
                let activity = procedure.activity(*activity);
                activities.insert(*item, format!("{} {}", activity.number, activity.text));
            }
            Event::WorkCompleted {
                item,
                by,
                outcome,
                signature: Some(signature),
                ..
            } => found.push(Authorization {
                activity: activities.get(item).cloned().unwrap_or_default(),
                outcome: outcome.clone(),
                by: by.user.clone(),
                post: by.participant.map_or_else(
                    || "Responsable de la actividad".to_owned(),
                    |p| procedure.participant(p).name.clone(),
                ),
                signature: (**signature).clone(),
            }),
            _ => {}
        }
    }
    found
}

/// A case's authorizations with what names the case, for its constancia.
#[derive(Debug, Clone)]
pub struct Constancia {
    pub folio: String,
    pub title: String,
    /// The procedure's title and the version the case runs on.
    pub procedure: String,
    pub version: u32,
    pub authorizations: Vec<Authorization>,
}

/// The constancia of the case `folio`, if the person may see it and one of its activities was
/// authorized with e.firma (else not found, in Spanish).
pub async fn constancia(app: &App, user: &Principal, folio: &str) -> Result<Constancia, Error> {
    let view = CaseView::load(app, user, folio, History::All).await?;
    let authorizations = of_record(&view.procedure, &view.stored.events);
    if authorizations.is_empty() {
        return Err(Error::NotFound(
            "Ninguna actividad de este asunto se ha firmado con e.firma: no hay constancia que \
             emitir."
                .into(),
        ));
    }
    Ok(Constancia {
        folio: view.stored.folio.clone(),
        title: view.stored.title.clone(),
        procedure: view.procedure.title.clone(),
        version: view.procedure.version,
        authorizations,
    })
}

/// The authorization of the case `folio` whose signed text has the SHA-256 `digest`, its
/// signature verified again (over that digest, at the moment it was verified when recorded,
/// against the authorities and lists loaded now): for the public page, without sign-in. None
/// when no case has that folio or none of its authorizations that digest.
pub(crate) async fn verify_public(
    app: &App,
    folio: &str,
    digest: &str,
) -> Result<Option<PublicCheck>, Error> {
    let Some(id) = app.store.find_case(folio).await? else {
        return Ok(None);
    };
    let stored = app.store.load_case(id).await?;
    let procedure = procedure_of(app, &stored.procedure_key, stored.procedure_version)?;
    let Some(found) = of_record(&procedure, &stored.events)
        .into_iter()
        .find(|a| a.signature.digest == digest)
    else {
        return Ok(None);
    };
    let signature = &found.signature;
    let trust = efirma::trust(&app.store).await?;
    let bytes = turno_efirma::digest_from_hex(&signature.digest);
    let verified = bytes
        .ok_or_else(|| "El resumen guardado no es un SHA-256.".to_owned())
        .and_then(|bytes| {
            turno_efirma::verify_digest(&bytes, &signature.cms, &trust, signature.verified_at, None)
                .map_err(|e| e.to_string())
        });
    let certificate_matches = verified
        .as_ref()
        .is_ok_and(|v| v.certificate == signature.certificate);
    let refusal = match &verified {
        Err(reason) => Some(reason.clone()),
        Ok(_) if !certificate_matches => {
            Some("El certificado guardado no es el que hizo la firma.".to_owned())
        }
        Ok(_) => None,
    };
    let rechecked = Rechecked {
        signature: turno_store::correspondence::outgoing::OutgoingSignature {
            ordinal: 1,
            signer_login: found.by.clone(),
            signer_name: signature.signer.clone(),
            rfc: signature.rfc.clone(),
            curp: signature.curp.clone(),
            serial: signature.serial.clone(),
            issuer: signature.issuer.clone(),
            certificate: signature.certificate.clone(),
            claimed_time: verified.as_ref().ok().and_then(|v| v.claimed_time),
            verified_at: signature.verified_at,
            digest: signature.digest.clone(),
            cms: signature.cms.clone(),
        },
        refusal,
    };
    Ok(Some(PublicCheck {
        found_by: FoundBy::FolioAndDigest,
        kind: format!("Autorización de la actividad {} del asunto", found.activity),
        number: Some(stored.folio),
        unit_name: procedure.title.clone(),
        cancelled: false,
        signatures: vec![rechecked],
    }))
}
