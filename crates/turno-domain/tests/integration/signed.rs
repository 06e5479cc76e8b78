//! Activities completed with e.firma (`signature = true`): the engine refuses them without a
//! signature over this very completion's signed text, and the signed text is one canonical
//! text that changes with the case, the activity, the answer, the data and the observations.

use jiff::civil::date;
use proptest::prelude::*;
use std::collections::BTreeMap;
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{
    self, Actor, Calendars, Case, Complete, Context, EngineError, Event, Signature, Start, Value,
    WorkItemId,
};
use turno_domain::text::sha256_hex;

const AUTHORIZATION: &str = r#"
key = "autorizacion"
version = 1
title = "Autorización"
purpose = ["p"]
scope = ["s"]

[participants.DG]
name = "Dirección General"

[[fields]]
name = "monto"
label = "Monto autorizado"
type = "decimal"
required = false

[[stages]]
number = "1.0"
name = "Autorización"
responsible = ["DG"]

[[stages.activities]]
number = "1.1"
text = "Revisa la solicitud."

[[stages.activities]]
number = "1.2"
text = "Revisa y autoriza."
fields = ["monto"]
signature = true
decision = "¿Procede?"
branches = [
  { answer = "Sí", text = "Autoriza.", end = true },
  { answer = "No", text = "Regresa.", goto = "1.1" },
]
"#;

fn procedure() -> Procedure {
    parse_procedure(AUTHORIZATION).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn context(calendars: &Calendars) -> Context<'_> {
    Context {
        now: jiff::Timestamp::constant(1_772_467_200, 0),
        today: date(2026, 3, 2),
        calendars,
    }
}

fn actor() -> Actor {
    Actor {
        user: "ana".into(),
        participant: None,
        substituting: None,
    }
}

/// A case waiting on 1.2, the activity that is signed.
fn at_authorization(p: &Procedure, calendars: &Calendars) -> Case {
    let ctx = context(calendars);
    let (mut case, _) = engine::start(
        p,
        Start {
            by: actor(),
            fields: BTreeMap::new(),
        },
        &ctx,
    )
    .unwrap();
    let first = case.open[0].id;
    engine::complete(p, &mut case, completion(first, None, "1"), &ctx).unwrap();
    case
}

fn completion(item: WorkItemId, outcome: Option<&str>, monto: &str) -> Complete {
    Complete {
        item,
        by: actor(),
        outcome: outcome.map(str::to_owned),
        fields: if outcome.is_some() {
            BTreeMap::from([("monto".to_owned(), Value::Decimal(monto.into()))])
        } else {
            BTreeMap::new()
        },
        observations: None,
        signature: None,
    }
}

/// A signature whose digest is the SHA-256 of `text` (the verification of the CMS itself is
/// the application's, before the engine runs).
fn signature_over(folio: &str, text: &str) -> Box<Signature> {
    Box::new(Signature {
        folio: folio.into(),
        signer: "ANA GÓMEZ".into(),
        rfc: Some("GOYA780416GM0".into()),
        curp: None,
        serial: "00001000000500000001".into(),
        issuer: "AC de pruebas".into(),
        certificate: vec![1],
        cms: vec![2],
        verified_at: jiff::Timestamp::constant(1_772_467_200, 0),
        digest: sha256_hex(text.as_bytes()),
    })
}

#[test]
fn a_signed_activity_is_not_completed_without_a_signature() {
    let p = procedure();
    let calendars = Calendars::statutory();
    let mut case = at_authorization(&p, &calendars);
    let before = case.clone();
    let item = case.open[0].id;
    let refused = engine::complete(
        &p,
        &mut case,
        completion(item, Some("Sí"), "1250.50"),
        &context(&calendars),
    );
    assert_eq!(refused, Err(EngineError::SignatureRequired("1.2".into())));
    assert_eq!(case, before, "a refused command changes nothing");
}

#[test]
fn a_signature_over_this_completion_completes_it_and_is_recorded() {
    let p = procedure();
    let calendars = Calendars::statutory();
    let mut case = at_authorization(&p, &calendars);
    let item = case.open[0].id;
    let mut input = completion(item, Some("si"), "1250.50");
    let text = engine::signed_text(&p, "AUTORIZACION-2026-000001", &case, &input).unwrap();
    assert!(
        text.contains("Expediente: AUTORIZACION-2026-000001\n"),
        "{text}"
    );
    assert!(
        text.contains("Actividad: 1.2 Revisa y autoriza.\n"),
        "{text}"
    );
    assert!(
        text.contains("Respuesta: Sí\n"),
        "the answer as defined: {text}"
    );
    assert!(text.contains("Dato monto: 1250.50\n"), "{text}");
    input.signature = Some(signature_over("AUTORIZACION-2026-000001", &text));
    let events = engine::complete(&p, &mut case, input, &context(&calendars)).unwrap();
    let Some(Event::WorkCompleted {
        signature: Some(signature),
        ..
    }) = events.first()
    else {
        panic!("{events:?}");
    };
    assert_eq!(signature.digest, sha256_hex(text.as_bytes()));
    assert!(case.open.is_empty(), "«Sí» ends the case");
}

#[test]
fn a_signature_over_another_text_is_refused() {
    let p = procedure();
    let calendars = Calendars::statutory();
    let mut case = at_authorization(&p, &calendars);
    let item = case.open[0].id;
    // Signed for 1,250.50, sent with 9,999.
    let signed = completion(item, Some("Sí"), "1250.50");
    let text = engine::signed_text(&p, "AUTORIZACION-2026-000001", &case, &signed).unwrap();
    let mut sent = completion(item, Some("Sí"), "9999");
    sent.signature = Some(signature_over("AUTORIZACION-2026-000001", &text));
    let before = case.clone();
    let refused = engine::complete(&p, &mut case, sent, &context(&calendars));
    assert_eq!(refused, Err(EngineError::SignatureMismatch("1.2".into())));
    assert_eq!(case, before);
}

#[test]
fn an_activity_that_asks_for_no_signature_takes_none() {
    let p = procedure();
    let calendars = Calendars::statutory();
    let ctx = context(&calendars);
    let (mut case, _) = engine::start(
        &p,
        Start {
            by: actor(),
            fields: BTreeMap::new(),
        },
        &ctx,
    )
    .unwrap();
    let mut input = completion(case.open[0].id, None, "1");
    input.signature = Some(signature_over("X", "x"));
    assert_eq!(
        engine::complete(&p, &mut case, input, &ctx),
        Err(EngineError::UnexpectedSignature("1.1".into()))
    );
    assert!(!p.activity(case.open[0].activity).signature);
}

#[test]
fn an_activity_that_calls_a_sub_procedure_cannot_be_signed() {
    let text = AUTHORIZATION.replace(
        "text = \"Revisa la solicitud.\"",
        "text = \"Revisa la solicitud.\"\ncall = \"otro\"\nsignature = true",
    );
    let problems = parse_procedure(&text).unwrap_err();
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("nobody signs it")),
        "{problems:#?}"
    );
}

proptest! {
    /// The signed text is the same for the same completion, and differs when the folio, the
    /// answer, a field's value or the observations differ.
    #[test]
    fn the_signed_text_is_deterministic_and_says_everything(
        folio in "[A-Z]{3}-20[0-9]{2}-[0-9]{6}",
        monto in "[0-9]{1,6}\\.[0-9]{2}",
        other in "[0-9]{1,6}\\.[0-9]{2}",
        observations in proptest::option::of("[a-zñáé \\n\\\\]{0,40}"),
        more in "[a-z]{1,10}",
    ) {
        let p = procedure();
        let calendars = Calendars::statutory();
        let case = at_authorization(&p, &calendars);
        let item = case.open[0].id;
        let mut input = completion(item, Some("Sí"), &monto);
        input.observations.clone_from(&observations);
        let text = |folio: &str, input: &Complete| engine::signed_text(&p, folio, &case, input).unwrap();
        let once = text(&folio, &input);
        prop_assert_eq!(&once, &text(&folio, &input));
        prop_assert_ne!(&once, &text(&format!("{folio}9"), &input));
        let mut answer = completion(item, Some("No"), &monto);
        answer.observations.clone_from(&observations);
        prop_assert_ne!(&once, &text(&folio, &answer));
        if other != monto {
            let mut changed = completion(item, Some("Sí"), &other);
            changed.observations.clone_from(&observations);
            prop_assert_ne!(&once, &text(&folio, &changed));
        }
        let mut noted = completion(item, Some("Sí"), &monto);
        noted.observations = Some(format!("{}{more}", observations.clone().unwrap_or_default()));
        prop_assert_ne!(&once, &text(&folio, &noted));
        // A value's line break cannot pass for another line.
        prop_assert_eq!(once.lines().count(), 9);
    }
}
