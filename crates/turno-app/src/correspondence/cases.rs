//! Cases and correspondence together (issue 17, item 4): an incoming document starts a case of
//! any procedure the person may start, its start form filled from the document; the document
//! records the case's folio in the case start's own transaction, once. The case lists the
//! documents it came from (and the outgoing documents its activities produced, `outgoing`).
//!
//! **One case per document.** A document that started a case starts no other: the second start
//! is refused with the first's folio («ya inició el asunto …»). A matter that needs a second
//! procedure is a turn of the document, or a case started from the first case's own work.

use crate::access;
use crate::app::App;
use crate::correspondence::incoming::{self, IncomingView, Sight, view};
use crate::error::Error;
use crate::principal::Principal;
use crate::register::{self, Registration};
use std::collections::BTreeMap;
use turno_domain::correspondence::Incoming;
use turno_domain::definition::{FieldDef, FieldType, Procedure};
use turno_store::{Committed, Correspondence};

/// The document `folio` as the person sees it, if it may start a case: they read its texts, it
/// started none yet, and they act (not only consult).
pub async fn startable(app: &App, user: &Principal, folio: &str) -> Result<IncomingView, Error> {
    let view = incoming::printed(app, user, folio).await?;
    may_start(user, &view)?;
    if let Some(case) = &view.case_folio {
        return Err(Error::Conflict(format!(
            "El documento {} ya inició el asunto {case}: un documento inicia un solo asunto.",
            view.folio
        )));
    }
    Ok(view)
}

/// Whether the document's page offers to start a case from it: it started none, the person
/// reads it and acts.
pub fn offers_start(user: &Principal, view: &IncomingView) -> bool {
    view.case_folio.is_none() && may_start(user, view).is_ok()
}

fn may_start(user: &Principal, view: &IncomingView) -> Result<(), Error> {
    if !user.can_act() {
        return Err(Error::Denied(
            "Inician asuntos las personas que actúan en una unidad; su papel solo consulta.".into(),
        ));
    }
    if !view.sight.content {
        return Err(Error::Denied(
            "El documento es clasificado y usted no puede leerlo: no puede iniciar un asunto \
             con él."
                .into(),
        ));
    }
    Ok(())
}

/// The start form of `procedure` filled from the document: the matter is its subject, it
/// arrived as its kind, from its sender; and each field of the procedure whose name and type
/// say it holds one of the document's data ([`matching`]) holds it.
pub fn prefill(doc: &Incoming, procedure: &Procedure) -> Registration {
    Registration {
        procedure: procedure.key.clone(),
        title: doc.subject.clone(),
        channel: Some(doc.kind.label().to_owned()),
        requester: Some(doc.sender.line()),
        fields: procedure
            .fields
            .iter()
            .filter_map(|f| matching(doc, f).map(|value| (f.name.clone(), value)))
            .collect::<BTreeMap<_, _>>(),
    }
}

/// The document's datum a procedure's field holds, by the words of its name and its type: a
/// date «de recepción» the day it was received; a date «del oficio» the date it bears; a text
/// «número de oficio» the sender's number; a text naming the sender («remitente»,
/// «solicitante», «promovente»); a text «asunto» or «materia» the subject; a long text
/// «resumen», «síntesis», «descripción» or «contenido» the summary. A field about what the
/// office sends («envío», «respuesta», «remisión», «salida») holds none of them.
pub fn matching(doc: &Incoming, field: &FieldDef) -> Option<String> {
    let name = field.name.to_lowercase();
    let words: Vec<&str> = name.split(['_', '-', ' ']).collect();
    let has = |any: &[&str]| words.iter().any(|w| any.contains(w));
    if has(&["envio", "respuesta", "remision", "salida"]) {
        return None;
    }
    match field.ty {
        FieldType::Date if has(&["recepcion", "recibido", "ingreso"]) => {
            Some(doc.received_at.date().to_string())
        }
        FieldType::Date if has(&["oficio", "documento"]) => doc.their_date.map(|d| d.to_string()),
        FieldType::Text if has(&["numero", "num", "no"]) && has(&["oficio", "documento"]) => {
            doc.their_number.clone()
        }
        FieldType::Text if has(&["remitente", "solicitante", "promovente", "peticionario"]) => {
            Some(doc.sender.line())
        }
        FieldType::Text if has(&["asunto", "materia"]) => Some(doc.subject.clone()),
        FieldType::LongText
            if has(&["resumen", "sintesis", "descripcion", "contenido", "asunto"]) =>
        {
            Some(doc.summary.clone()).filter(|s| !s.is_empty())
        }
        _ => None,
    }
}

/// Starts a case of `registration`'s procedure from the document `folio`: the case and the
/// document's link to it in one transaction. A document that started a case already is
/// refused by the store in that transaction (two people starting at once start one case); a
/// form sent twice with its one-time key answers the first case.
pub async fn start(
    app: &App,
    user: &Principal,
    folio: &str,
    registration: Registration,
    idempotency_key: Option<&str>,
) -> Result<Committed, Error> {
    let view = incoming::printed(app, user, folio).await?;
    may_start(user, &view)?;
    let committed =
        register::register_from(app, user, registration, idempotency_key, Some(view.folio)).await?;
    tracing::info!(case = %committed.folio, document = %view.folio, "case started from an incoming document");
    Ok(committed)
}

/// A case to start from a document, as the API asks it: what is not given is the document's
/// ([`prefill`]); a field given replaces the document's.
#[derive(Debug, Default)]
pub struct StartInput {
    pub procedure: String,
    pub title: Option<String>,
    pub channel: Option<String>,
    pub requester: Option<String>,
    pub fields: BTreeMap<String, String>,
}

/// Starts a case from the document `folio` with what `input` gives over the document's own
/// data ([`prefill`] on the procedure asked).
pub async fn start_filled(
    app: &App,
    user: &Principal,
    folio: &str,
    input: StartInput,
    idempotency_key: Option<&str>,
) -> Result<Committed, Error> {
    let view = incoming::printed(app, user, folio).await?;
    may_start(user, &view)?;
    let procedure = register::procedure(app, user, &input.procedure)?;
    let mut registration = prefill(&view.incoming, &procedure);
    if let Some(title) = input.title {
        registration.title = title;
    }
    registration.channel = input.channel.or(registration.channel);
    registration.requester = input.requester.or(registration.requester);
    registration.fields.extend(input.fields);
    start(app, user, folio, registration, idempotency_key).await
}

/// The incoming documents a case was started from, for those who see the case: each as the
/// person sees it (a document they do not see shows its folio, its texts withheld).
pub async fn incoming_of_case(
    app: &App,
    user: &Principal,
    case_folio: &str,
) -> Result<Vec<IncomingView>, Error> {
    access::visible_folio(app, user, case_folio).await?;
    incoming_listed(app, user, case_folio).await
}

/// The incoming documents of a case the person was found to see, each as they see it.
pub(crate) async fn incoming_listed(
    app: &App,
    user: &Principal,
    case_folio: &str,
) -> Result<Vec<IncomingView>, Error> {
    let documents = app.store.incoming_of_case(case_folio).await?;
    Ok(documents
        .into_iter()
        .map(|doc| {
            let sight = incoming::sight(user, &doc).unwrap_or(Sight {
                content: false,
                files: false,
            });
            view(app, user, doc, sight)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::field;
    use jiff::civil::date;
    use turno_domain::correspondence::{
        Classification, DocumentKind, Priority, Sender, SenderKind,
    };

    fn document() -> Incoming {
        Incoming {
            kind: DocumentKind::Oficio,
            sender: Sender {
                kind: SenderKind::External,
                name: "Dip. Laura Méndez".into(),
                position: "Secretaria".into(),
                organization: "Cámara de Diputados".into(),
            },
            their_number: Some("CD/LXVI/0456/2026".into()),
            their_date: Some(date(2026, 11, 30)),
            received_at: date(2026, 12, 2).at(10, 15, 0, 0),
            subject: "Opinión sobre la iniciativa de reforma".into(),
            summary: "Solicita la opinión institucional.".into(),
            priority: Priority::Ordinary,
            classification: Classification::Public,
            annexes: 0,
            term_days: None,
        }
    }

    #[test]
    fn fields_take_the_datum_their_name_and_type_say() {
        let doc = document();
        let cases = [
            ("fecha_recepcion", FieldType::Date, Some("2026-12-02")),
            ("fecha_oficio", FieldType::Date, Some("2026-11-30")),
            ("numero_oficio", FieldType::Text, Some("CD/LXVI/0456/2026")),
            (
                "instancia_remitente",
                FieldType::Text,
                Some("Dip. Laura Méndez, Secretaria, Cámara de Diputados"),
            ),
            (
                "materia",
                FieldType::Text,
                Some("Opinión sobre la iniciativa de reforma"),
            ),
            (
                "resumen",
                FieldType::LongText,
                Some("Solicita la opinión institucional."),
            ),
            // What the office sends, a choice, a number: none of the document's data.
            ("numero_oficio_envio", FieldType::Text, None),
            ("fecha_respuesta", FieldType::Date, None),
            ("materia", FieldType::Choice, None),
            ("ejercicio", FieldType::Integer, None),
        ];
        for (name, ty, expected) in cases {
            assert_eq!(
                matching(&doc, &field(name, ty)).as_deref(),
                expected,
                "{name}"
            );
        }
    }
}
