//! Outgoing correspondence on both backends: a document's steps on record, its number taken
//! when it is signed, with neither gaps nor duplicates however many sign at once, and kept
//! when it is cancelled.

use crate::common::{POSTGRES_URL, Raw, user};
use jiff::Timestamp;
use std::sync::Arc;
use turno_domain::correspondence::{Act, DocumentKind, NumberFormat, Stage, Step};
use turno_domain::org::Level;
use turno_store::correspondence::outgoing::{
    Acuse, Change, Dispatch, Draft, Numbering, OutgoingSignature, Recipient, Signing,
};
use turno_store::seal::{self, RecordKey};
use turno_store::{Outgoing, RecordBreak, Refusal, SeriesKind, Store, StoreError, UnitInput};

on_both_backends!(
    a_signed_document_takes_the_next_number_and_keeps_it_when_cancelled,
    a_signature_that_does_not_commit_takes_no_number,
    dispatch_gives_units_their_acuse_and_others_wait_for_theirs,
    the_database_itself_bounds_and_cleans_the_texts_of_the_outgoing_documents,
    verify_counts_each_units_numbers_and_names_a_removed_document_or_a_changed_counter,
    a_draft_sent_twice_with_its_key_is_recorded_once,
    an_efirma_is_recorded_with_its_signature_and_found_by_its_digests,
);

const UNIT: &str = "SIDSS-ST";

async fn with_unit<S: Store>(store: &S) {
    let unit = UnitInput {
        code: UNIT.into(),
        name: "Secretaría Técnica".into(),
        level: Level::DireccionGeneral,
        parent_code: None,
    };
    store.upsert_unit(&unit, "prueba").await.unwrap();
}

fn draft(subject: &str) -> Draft {
    Draft {
        unit: UNIT.into(),
        kind: DocumentKind::Oficio,
        subject: subject.into(),
        body: "Por este medio le informo…".into(),
        attention_to: None,
        case_folio: None,
        answers_turn: None,
        recipients: vec![
            Recipient {
                copy: false,
                unit_code: None,
                name: "Lic. Rosa Pérez".into(),
                title: "Directora General".into(),
                institution: "Secretaría de Salud de Jalisco".into(),
                acuse: None,
            },
            Recipient {
                copy: true,
                unit_code: Some(UNIT.into()),
                name: "Secretaría Técnica".into(),
                title: String::new(),
                institution: String::new(),
                acuse: None,
            },
        ],
        reviewers: Vec::new(),
        signers: Vec::new(),
    }
}

/// The titular's signature with a scan, numbered `SIDSS/ST` in `year`, now.
pub(crate) fn signing(year: i16) -> Signing {
    Signing {
        by: "titular".into(),
        at: Timestamp::now(),
        year,
        numbering: Numbering {
            siglas: "SIDSS/ST".into(),
            format: NumberFormat::default(),
        },
        scan: Some(("0".repeat(64), "firmado.pdf".into())),
        efirma: None,
        note: None,
    }
}

async fn sign<S: Outgoing>(store: &S, id: i64) -> Result<String, StoreError> {
    let seen = store.outgoing(id).await?.unwrap().version;
    Ok(store.sign_outgoing(id, seen, &signing(2026)).await?.text)
}

async fn a_signed_document_takes_the_next_number_and_keeps_it_when_cancelled<
    S: Store + Outgoing,
>(
    store: S,
    _raw: Raw,
) {
    with_unit(&store).await;
    let first = store
        .draft_outgoing(&draft("Primero"), "ana", Timestamp::now())
        .await
        .unwrap();
    let second = store
        .draft_outgoing(&draft("Segundo"), "ana", Timestamp::now())
        .await
        .unwrap();
    assert_eq!(sign(&store, first).await.unwrap(), "SIDSS/ST/0001/2026");
    let cancel = Change {
        act: Act::Step(Step::Cancel),
        stage: Stage::Cancelled,
        review_at: 0,
        by: "titular".into(),
        at: Timestamp::now(),
        reason: Some("Se envió por error".into()),
    };
    let seen = store.outgoing(first).await.unwrap().unwrap().version;
    store.step_outgoing(first, seen, &cancel).await.unwrap();
    assert_eq!(sign(&store, second).await.unwrap(), "SIDSS/ST/0002/2026");

    let cancelled = store.outgoing(first).await.unwrap().unwrap();
    assert_eq!(cancelled.stage, Stage::Cancelled);
    assert_eq!(
        cancelled.number.map(|n| n.text).as_deref(),
        Some("SIDSS/ST/0001/2026"),
        "a cancelled document keeps its number on record"
    );
    let acts: Vec<_> = cancelled.history.iter().map(|h| h.act).collect();
    assert_eq!(
        acts,
        [Act::Draft, Act::Step(Step::Sign), Act::Step(Step::Cancel)]
    );
    assert_eq!(
        cancelled.history[2].reason.as_deref(),
        Some("Se envió por error")
    );

    // A new year starts again at 1, in the unit's own format.
    store
        .set_numbering(
            UNIT,
            &Numbering {
                siglas: "ST".into(),
                format: NumberFormat::parse("OF-{siglas}-{n:3}/{año}").unwrap(),
            },
            "admin",
        )
        .await
        .unwrap();
    let third = store
        .draft_outgoing(&draft("Tercero"), "ana", Timestamp::now())
        .await
        .unwrap();
    let seen = store.outgoing(third).await.unwrap().unwrap().version;
    let numbering = store.numbering(UNIT).await.unwrap().unwrap();
    let signed = store
        .sign_outgoing(
            third,
            seen,
            &Signing {
                numbering,
                ..signing(2027)
            },
        )
        .await
        .unwrap();
    assert_eq!(signed.text, "OF-ST-001/2027");
    let listed = store
        .outgoing_of_units(&[UNIT.to_owned()], Some(Stage::Signed))
        .await
        .unwrap();
    assert_eq!(
        listed.iter().map(|d| d.id).collect::<Vec<_>>(),
        [third, second]
    );
}

async fn a_signature_that_does_not_commit_takes_no_number<S: Store + Outgoing>(
    store: S,
    _raw: Raw,
) {
    with_unit(&store).await;
    let id = store
        .draft_outgoing(&draft("Uno"), "ana", Timestamp::now())
        .await
        .unwrap();
    let seen = store.outgoing(id).await.unwrap().unwrap().version;
    // Someone corrects the draft meanwhile: the signature on the old version is refused
    // after its counter moved, and the whole transaction is rolled back.
    store
        .correct_outgoing(id, seen, &draft("Uno, corregido"), "ana", Timestamp::now())
        .await
        .unwrap();
    let stale = store.sign_outgoing(id, seen, &signing(2026)).await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    assert_eq!(sign(&store, id).await.unwrap(), "SIDSS/ST/0001/2026");
    // Signed once, never again.
    let seen = store.outgoing(id).await.unwrap().unwrap().version;
    let again = store.sign_outgoing(id, seen, &signing(2026)).await;
    assert!(
        matches!(again, Err(StoreError::Conflict { .. })),
        "{again:?}"
    );
    let other = store
        .draft_outgoing(&draft("Dos"), "ana", Timestamp::now())
        .await
        .unwrap();
    assert_eq!(sign(&store, other).await.unwrap(), "SIDSS/ST/0002/2026");
}

async fn dispatch_gives_units_their_acuse_and_others_wait_for_theirs<S: Store + Outgoing>(
    store: S,
    _raw: Raw,
) {
    with_unit(&store).await;
    let id = store
        .draft_outgoing(&draft("Uno"), "ana", Timestamp::now())
        .await
        .unwrap();
    sign(&store, id).await.unwrap();
    let seen = store.outgoing(id).await.unwrap().unwrap().version;
    let on: jiff::civil::DateTime = "2026-03-02T10:30:00".parse().unwrap();
    store
        .dispatch_outgoing(
            id,
            seen,
            &Dispatch {
                by: "ana".into(),
                at: Timestamp::now(),
                on,
                closes: None,
                arrivals: Vec::new(),
            },
        )
        .await
        .unwrap();
    let dispatched = store.outgoing(id).await.unwrap().unwrap();
    assert_eq!(dispatched.stage, Stage::Dispatched);
    assert_eq!(
        dispatched.recipients[0].acuse, None,
        "external: recorded later"
    );
    let automatic = dispatched.recipients[1].acuse.clone().unwrap();
    assert_eq!(
        (automatic.on, automatic.received_by.as_str()),
        (on, "sistema")
    );

    let acuse = Acuse {
        on: "2026-03-03T12:00:00".parse().unwrap(),
        received_by: "Juan López, oficialía de partes".into(),
        scan: Some(("1".repeat(64), "acuse.pdf".into())),
        recorded_by: "ana".into(),
    };
    store.record_acuse(id, 0, &acuse).await.unwrap();
    let twice = store.record_acuse(id, 0, &acuse).await;
    assert!(
        matches!(twice, Err(StoreError::Conflict { .. })),
        "recorded once"
    );
    let recorded = store.outgoing(id).await.unwrap().unwrap();
    assert_eq!(recorded.recipients[0].acuse, Some(acuse));
}

/// The rule a database refusal names: PostgreSQL's constraint, SQLite's trigger message.
fn rule(e: sqlx::Error) -> String {
    let sqlx::Error::Database(db) = e else {
        panic!("not a database refusal: {e}")
    };
    db.constraint().unwrap_or(db.message()).to_owned()
}

/// Migration 0035: whatever writes them, the texts of the outgoing documents (and a person's
/// RFC and CURP) refuse control characters (line breaks and tabs only in the body and the
/// reasons) and more characters than the application allows, in the database itself.
async fn the_database_itself_bounds_and_cleans_the_texts_of_the_outgoing_documents<
    S: Store + Outgoing,
>(
    store: S,
    raw: Raw,
) {
    with_unit(&store).await;
    let id = store
        .draft_outgoing(&draft("Uno"), "ana", Timestamp::now())
        .await
        .unwrap();
    store
        .create_user(&user("ana", "Ana"), "prueba")
        .await
        .unwrap();
    let numbering = |column: &str, value: &str| {
        let (siglas, format) = match column {
            "siglas" => (value.to_owned(), "'{siglas}/{n:4}/{año}'".to_owned()),
            _ => ("'ST'".to_owned(), value.to_owned()),
        };
        format!(
            "INSERT INTO outgoing_numbering (unit_id, siglas, format, changed_by, changed_at) \
             SELECT id, {siglas}, {format}, 'prueba', 'ahora' FROM units"
        )
    };
    // (table, column, limit, several lines): the statement that writes `value` there.
    let columns: [(&str, &str, usize, bool); 15] = [
        ("outgoing_numbering", "siglas", 40, false),
        ("outgoing_numbering", "format", 60, false),
        ("outgoing_documents", "subject", 300, false),
        ("outgoing_documents", "body", 20_000, true),
        ("outgoing_documents", "attention_to", 300, false),
        ("outgoing_documents", "case_folio", 20, false),
        ("outgoing_documents", "scan_name", 200, false),
        ("outgoing_recipients", "name", 300, false),
        ("outgoing_recipients", "title", 300, false),
        ("outgoing_recipients", "institution", 300, false),
        ("outgoing_recipients", "acuse_by", 300, false),
        ("outgoing_recipients", "acuse_name", 200, false),
        ("outgoing_steps", "reason", 4000, true),
        ("users", "rfc", 13, false),
        ("users", "curp", 18, false),
    ];
    for (table, column, limit, lines) in columns {
        raw.exec("DELETE FROM outgoing_numbering").await;
        let named = format!("text:{table}.{column}");
        let write = |value: &str| match table {
            "outgoing_numbering" => numbering(column, &format!("'{value}'")),
            "outgoing_documents" => {
                format!("UPDATE outgoing_documents SET {column} = '{value}' WHERE id = {id}")
            }
            "outgoing_recipients" => {
                format!(
                    "UPDATE outgoing_recipients SET {column} = '{value}' WHERE document_id = {id}"
                )
            }
            "outgoing_steps" => format!(
                "INSERT INTO outgoing_steps (document_id, seq, step, stage, by_login, taken_at, \
                 reason) VALUES ({id}, 99, 'paso', 'borrador', 'ana', 'ahora', '{value}')"
            ),
            _ => format!("UPDATE users SET {column} = '{value}' WHERE login = 'ana'"),
        };
        let mut refused = vec![
            "a".repeat(limit + 1),
            "Uno\u{7}".to_owned(),
            "Uno\u{1b}[31m".to_owned(),
            "Uno\u{85}".to_owned(),
        ];
        if !lines {
            refused.push("Uno\nDos".to_owned());
            refused.push("Uno\tDos".to_owned());
        }
        for value in &refused {
            let e = raw.try_exec(&write(value)).await.unwrap_err();
            assert_eq!(rule(e), named, "{value:?}");
        }
        // As many characters as allowed, accents counting one each, are taken; so are line
        // breaks and tabs in a text of several lines.
        let mut longest = "é".repeat(limit);
        if lines {
            longest.replace_range(0..4, "\n\t");
        }
        raw.try_exec(&write(&longest))
            .await
            .unwrap_or_else(|e| panic!("{named}: {e}"));
    }
    // Through the store, a refusal names its column.
    let refused = store
        .set_numbering(
            UNIT,
            &Numbering {
                siglas: "ST\u{7}".into(),
                format: NumberFormat::default(),
            },
            "admin",
        )
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Refused(Refusal::Text { column: Some(c) })) if c == "outgoing_numbering.siglas"),
        "{refused:?}"
    );
}

/// `turno verify` counts each issuing unit's numbers of the year, cancelled ones included: a
/// document removed or a counter changed breaks the unit's series, and a signed checkpoint
/// names a counter set back.
async fn verify_counts_each_units_numbers_and_names_a_removed_document_or_a_changed_counter<
    S: Store + Outgoing,
>(
    store: S,
    raw: Raw,
) {
    with_unit(&store).await;
    let mut ids = Vec::new();
    for subject in ["Uno", "Dos", "Tres"] {
        let id = store
            .draft_outgoing(&draft(subject), "ana", Timestamp::now())
            .await
            .unwrap();
        sign(&store, id).await.unwrap();
        ids.push(id);
    }
    // A draft has no number yet, and a cancelled signed document keeps its own.
    store
        .draft_outgoing(&draft("Sin firmar"), "ana", Timestamp::now())
        .await
        .unwrap();
    let cancel = Change {
        act: Act::Step(Step::Cancel),
        stage: Stage::Cancelled,
        review_at: 0,
        by: "titular".into(),
        at: Timestamp::now(),
        reason: Some("Se envió por error".into()),
    };
    let seen = store.outgoing(ids[0]).await.unwrap().unwrap().version;
    store.step_outgoing(ids[0], seen, &cancel).await.unwrap();
    let outgoing = |report: &turno_store::VerifyReport| -> Vec<(String, i64, i64, i64)> {
        report
            .series
            .iter()
            .filter(|s| s.kind == SeriesKind::Outgoing)
            .map(|s| (s.name(), s.given, s.stored, s.missing))
            .collect()
    };
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks, []);
    assert_eq!(outgoing(&report), [("SIDSS-ST 2026".into(), 3, 3, 0)]);
    let key = RecordKey::from_hex(&"7e".repeat(32), "test").unwrap();
    assert!(seal::take(&store, &key).await.unwrap().is_some());

    // The counter moved on by hand: a number given that no document carries.
    raw.exec("UPDATE outgoing_counters SET last = 4").await;
    let report = store.verify().await.unwrap();
    assert_eq!(outgoing(&report), [("SIDSS-ST 2026".into(), 4, 3, 1)]);
    assert!(
        matches!(&report.breaks[..], [RecordBreak::Series(s)] if s.kind == SeriesKind::Outgoing)
    );
    // Set back: a document whose number the counter never gave, and the checkpoint says so.
    raw.exec("UPDATE outgoing_counters SET last = 2").await;
    let report = store.verify().await.unwrap();
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
    let found = seal::verify(&store, &key).await.unwrap();
    assert_eq!(
        found,
        ["números de salida de SIDSS-ST 2026: el contador bajó de 3 (punto de control 1) a 2"]
    );
    raw.exec("UPDATE outgoing_counters SET last = 3").await;
    assert_eq!(store.verify().await.unwrap().breaks, []);

    // A signed document removed, with everything that names it.
    let second = ids[1];
    raw.exec(&format!(
        "DELETE FROM outgoing_steps WHERE document_id = {second}; \
         DELETE FROM outgoing_recipients WHERE document_id = {second}; \
         DELETE FROM outgoing_reviewers WHERE document_id = {second}; \
         DELETE FROM outgoing_documents WHERE id = {second}"
    ))
    .await;
    let report = store.verify().await.unwrap();
    assert_eq!(outgoing(&report), [("SIDSS-ST 2026".into(), 3, 2, 1)]);
    assert_eq!(report.breaks.len(), 1, "{:?}", report.breaks);
}

/// The drafting form's one-time key: sent twice, even at once, one draft.
async fn a_draft_sent_twice_with_its_key_is_recorded_once<S: Store + Outgoing>(
    store: S,
    _raw: Raw,
) {
    with_unit(&store).await;
    let uno = draft("Uno");
    let once = || store.draft_outgoing_once(&uno, "pagina:1:clave", "ana", Timestamp::now());
    let both = tokio::join!(once(), once());
    let both = [both.0.unwrap(), both.1.unwrap()];
    assert_eq!(both[0], both[1]);
    let again = store
        .draft_outgoing_once(&draft("Uno"), "pagina:1:clave", "ana", Timestamp::now())
        .await
        .unwrap();
    assert_eq!(again, both[0]);
    let other = store
        .draft_outgoing_once(&draft("Dos"), "pagina:1:otra", "ana", Timestamp::now())
        .await
        .unwrap();
    assert_ne!(other, again);
    let drafts = store
        .outgoing_of_units(&[UNIT.to_owned()], None)
        .await
        .unwrap();
    assert_eq!(drafts.len(), 2);
}

/// Signs every draft with at most `in_flight` signatures at once per store, the stores taking
/// turns; the numbers each signature got.
async fn sign_all<S: Outgoing + Clone + Send + Sync + 'static>(
    stores: &[S],
    ids: Vec<i64>,
    in_flight: usize,
) -> Vec<u32> {
    let limits: Vec<_> = stores
        .iter()
        .map(|_| Arc::new(tokio::sync::Semaphore::new(in_flight)))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for (i, id) in ids.into_iter().enumerate() {
        let store = stores[i % stores.len()].clone();
        let limit = limits[i % stores.len()].clone();
        tasks.spawn(async move {
            let _turn = limit.acquire_owned().await.unwrap();
            let seen = store.outgoing(id).await.unwrap().unwrap().version;
            store
                .sign_outgoing(id, seen, &signing(2026))
                .await
                .unwrap()
                .issued
                .consecutive
        });
    }
    let mut numbers = Vec::new();
    while let Some(number) = tasks.join_next().await {
        numbers.push(number.unwrap());
    }
    numbers.sort_unstable();
    numbers
}

async fn drafts<S: Outgoing>(store: &S, count: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..count {
        ids.push(
            store
                .draft_outgoing(&draft(&format!("Oficio {i}")), "ana", Timestamp::now())
                .await
                .unwrap(),
        );
    }
    ids
}

/// Issue 17, item 8: two stores (two servers' pools) on one PostgreSQL database sign 500
/// documents of one unit at once: 500 distinct consecutive numbers, 1 to 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgres_number_500_signatures_without_gaps() {
    let (store, raw) = crate::common::postgres().await;
    with_unit(&store).await;
    let Raw::Postgres(_, schema) = &raw else {
        unreachable!()
    };
    let options: sqlx::postgres::PgConnectOptions = POSTGRES_URL.parse().unwrap();
    let other = turno_store::PgStore::connect_with(options.options([("search_path", schema)]))
        .await
        .unwrap();
    let ids = drafts(&store, 500).await;
    let numbers = sign_all(&[store, other], ids, 32).await;
    assert_eq!(numbers, (1..=500).collect::<Vec<u32>>());
    raw.cleanup().await;
}

/// The same with SQLite's one writer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_server_on_sqlite_numbers_500_signatures_without_gaps() {
    let (store, raw) = crate::common::sqlite().await;
    with_unit(&store).await;
    let ids = drafts(&store, 500).await;
    let numbers = sign_all(&[store], ids, 32).await;
    assert_eq!(numbers, (1..=500).collect::<Vec<u32>>());
    raw.cleanup().await;
}

/// Issue 18: an e.firma is recorded in the signature's transaction with the number and its
/// history note; the document is found by the digest of its signed bytes, by its number and
/// that digest, and by the SHA-256 of a signed PDF issued (kept once); a signature refused as
/// stale stores no e.firma.
async fn an_efirma_is_recorded_with_its_signature_and_found_by_its_digests<S: Store + Outgoing>(
    store: S,
    _raw: Raw,
) {
    with_unit(&store).await;
    let id = store
        .draft_outgoing(&draft("Firmado con e.firma"), "ana", Timestamp::now())
        .await
        .unwrap();
    let digest = "ab".repeat(32);
    let at: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
    let signature = OutgoingSignature {
        ordinal: 1,
        signer_login: "titular".into(),
        signer_name: "ANA LOPEZ NUNEZ".into(),
        rfc: Some("LONA800101AB1".into()),
        curp: Some("LONA800101MDFPXN09".into()),
        serial: "00001000000700000001".into(),
        issuer: "AC DE PRUEBAS".into(),
        certificate: vec![0x30, 0x82, 1, 2],
        claimed_time: Some("2026-06-01T11:59:58Z".parse().unwrap()),
        verified_at: at,
        digest: digest.clone(),
        cms: vec![0x30, 0x80, 9],
    };
    let efirma = Signing {
        scan: None,
        efirma: Some(signature.clone()),
        note: Some("Firmado con e.firma por ANA LOPEZ NUNEZ.".into()),
        ..signing(2026)
    };
    // A stale version: refused, nothing stored.
    let stale = store.sign_outgoing(id, 99, &efirma).await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    assert!(
        store
            .outgoing(id)
            .await
            .unwrap()
            .unwrap()
            .signatures
            .is_empty()
    );
    assert_eq!(
        store.outgoing_by_signed_digest(&digest).await.unwrap(),
        None
    );

    let number = store.sign_outgoing(id, 0, &efirma).await.unwrap();
    let document = store.outgoing(id).await.unwrap().unwrap();
    assert_eq!(document.signatures, vec![signature]);
    assert_eq!(document.scan, None);
    assert_eq!(document.stage, Stage::Signed);
    let last = document.history.last().unwrap();
    assert_eq!(
        last.reason.as_deref(),
        Some("Firmado con e.firma por ANA LOPEZ NUNEZ.")
    );
    assert_eq!(
        store.outgoing_by_signed_digest(&digest).await.unwrap(),
        Some(id)
    );
    assert_eq!(
        store
            .outgoing_by_number(&number.text, &digest)
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(
        store
            .outgoing_by_number(&number.text, &"cd".repeat(32))
            .await
            .unwrap(),
        None
    );
    let issued = "ef".repeat(32);
    assert_eq!(store.outgoing_by_issued(&issued).await.unwrap(), None);
    store.record_issued(id, &issued, at).await.unwrap();
    store.record_issued(id, &issued, at).await.unwrap();
    assert_eq!(store.outgoing_by_issued(&issued).await.unwrap(), Some(id));
}
