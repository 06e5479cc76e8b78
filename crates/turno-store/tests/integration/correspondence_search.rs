//! Searching the correspondence on both backends (migration 0030): words found whatever their
//! accents and case, the last one as a prefix, in the subject, summary, sender, folio and
//! numbers of incoming documents and in the number and texts of outgoing ones (a number taken
//! on signature and a corrected subject found at once: the indexes follow every change);
//! received and signed dates; the units the application passes; a classified document found by
//! its words only by whoever reads it; newest first, paged, with the count up to its cap; the
//! order stable across pages; a prefix of any length.

use crate::common::Raw;
use crate::correspondence_incoming::units;
use crate::correspondence_outgoing::signing;
use jiff::Timestamp;
use jiff::civil::{DateTime, date};
use turno_domain::correspondence::{DocumentKind, IncomingDraft, IncomingFolio};
use turno_store::correspondence::incoming::NewIncoming;
use turno_store::correspondence::outgoing::{Draft, Signing};
use turno_store::correspondence::search::{
    COUNT_CAP, CorrespondenceSearch, FoundKey, FoundPage, SearchScope, Seen, words,
};
use turno_store::{Correspondence, CorrespondenceFinder, Outgoing, Store};

struct Typed<'a> {
    unit: &'a str,
    subject: &'a str,
    summary: &'a str,
    sender: &'a str,
    position: &'a str,
    number: &'a str,
    received: &'a str,
    classification: &'a str,
}

async fn register<S: Correspondence>(store: &S, typed: Typed<'_>) -> IncomingFolio {
    let incoming = IncomingDraft {
        kind: "oficio",
        sender_kind: "externa",
        sender_name: typed.sender,
        sender_position: typed.position,
        sender_organization: "Servicios de Salud de Oaxaca",
        their_number: typed.number,
        received_at: typed.received,
        subject: typed.subject,
        summary: typed.summary,
        classification: typed.classification,
        ..Default::default()
    }
    .check(date(2026, 12, 7).at(12, 0, 0, 0))
    .unwrap();
    store
        .register_incoming(&NewIncoming {
            incoming,
            due_date: None,
            unit: typed.unit.into(),
            registered_by: "oficialia".into(),
            registered_at: "2026-12-04T16:20:00Z".parse().unwrap(),
            links: Vec::new(),
            attachments: Vec::new(),
        })
        .await
        .unwrap()
}

/// An oficio of SIDSS-ST, to nobody yet.
pub(crate) fn draft(subject: &str, body: &str) -> Draft {
    Draft {
        unit: "SIDSS-ST".into(),
        kind: DocumentKind::Oficio,
        subject: subject.into(),
        body: body.into(),
        attention_to: None,
        case_folio: None,
        answers_turn: None,
        recipients: Vec::new(),
        reviewers: Vec::new(),
        signers: Vec::new(),
    }
}

fn scope(seen: Seen, reads: &[&str]) -> SearchScope {
    SearchScope {
        seen,
        reads: reads.iter().map(|u| (*u).to_owned()).collect(),
        login: "nadie".into(),
    }
}

fn admin() -> SearchScope {
    scope(Seen::All, &[])
}

fn units_of(codes: &[&str]) -> Seen {
    Seen::Units(codes.iter().map(|u| (*u).to_owned()).collect())
}

fn search(text: &str, scope: SearchScope) -> CorrespondenceSearch {
    CorrespondenceSearch {
        words: words(text),
        received_from: None,
        received_before: None,
        signed_from: None,
        signed_before: None,
        scope,
        limit: 20,
        offset: 0,
    }
}

fn keys(page: &FoundPage) -> Vec<FoundKey> {
    page.found.iter().map(|f| f.key).collect()
}

/// Every document `search` finds, read in pages of `size` until the last, each page counting
/// `total`.
async fn in_pages<S: CorrespondenceFinder>(
    store: &S,
    search: &CorrespondenceSearch,
    size: u32,
    total: u64,
) -> Vec<FoundKey> {
    let mut asked = search.clone();
    asked.limit = size;
    let mut pages = Vec::new();
    while asked.offset <= total {
        let page = store.search_correspondence(&asked).await.unwrap();
        assert_eq!(page.total, total, "page from {}", asked.offset);
        pages.extend(keys(&page));
        asked.offset += u64::from(size);
    }
    pages
}

async fn found<S: CorrespondenceFinder>(store: &S, search: &CorrespondenceSearch) -> Vec<FoundKey> {
    let page = store.search_correspondence(search).await.unwrap();
    assert_eq!(
        page.total,
        page.found.len() as u64,
        "one page holds them all here"
    );
    keys(&page)
}

async fn words_accents_prefixes_senders_numbers_dates_and_scopes<
    S: Store + Correspondence + Outgoing + CorrespondenceFinder,
>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let vaccination = register(
        &store,
        Typed {
            unit: "SIDSS-ST",
            subject: "Oficio número 15 sobre la campaña de vacunación",
            summary: "Se solicita información del abasto de biológicos.",
            sender: "José Ibáñez Núñez",
            position: "Director General",
            number: "SSO/DG/0456/2026",
            received: "2026-12-01T10:00",
            classification: "publica",
        },
    )
    .await;
    let audit = register(
        &store,
        Typed {
            unit: "SIDSS-CAS",
            subject: "Informe trimestral de auditoría",
            summary: "Observaciones de la Auditoría Superior.",
            sender: "María Pérez",
            position: "Auditora",
            number: "ASF/77/2026",
            received: "2026-11-10T09:00",
            classification: "publica",
        },
    )
    .await;
    let reserved = register(
        &store,
        Typed {
            unit: "SIDSS-CAS-A",
            subject: "Denuncia reservada sobre vacunación",
            summary: "Hechos bajo investigación.",
            sender: "Persona denunciante",
            position: "",
            number: "",
            received: "2026-12-02T11:00",
            classification: "reservada",
        },
    )
    .await;

    // Accents and case, on both sides.
    let all = admin();
    assert_eq!(
        found(&store, &search("oficio numero", all.clone())).await,
        [FoundKey::Incoming(vaccination)]
    );
    assert_eq!(
        found(&store, &search("OFICIO NÚMERO", all.clone())).await,
        [FoundKey::Incoming(vaccination)]
    );
    // The last word as a prefix; an earlier one whole.
    assert_eq!(
        found(&store, &search("campaña vacu", all.clone())).await,
        [FoundKey::Incoming(vaccination)]
    );
    assert!(
        found(&store, &search("vacu campaña", all.clone()))
            .await
            .is_empty()
    );
    // The sender: name, position, body.
    assert_eq!(
        found(&store, &search("ibanez nunez", all.clone())).await,
        [FoundKey::Incoming(vaccination)]
    );
    assert_eq!(
        found(&store, &search("auditora", all.clone())).await,
        [FoundKey::Incoming(audit)]
    );
    // Their number and the folio.
    assert_eq!(
        found(&store, &search("SSO/DG/0456", all.clone())).await,
        [FoundKey::Incoming(vaccination)]
    );
    assert_eq!(
        found(&store, &search(&audit.to_string(), all.clone())).await,
        [FoundKey::Incoming(audit)]
    );
    // Newest first: the reserved one (2 December) before the vaccination (1 December); the
    // administrator reads no classified text (`reads` empty), so finds it by no word.
    assert_eq!(
        found(&store, &search("vacunacion", all.clone())).await,
        [FoundKey::Incoming(vaccination)]
    );
    let member = scope(units_of(&["SIDSS-CAS-A"]), &["SIDSS-CAS-A"]);
    assert_eq!(
        found(&store, &search("vacunacion", member)).await,
        [FoundKey::Incoming(reserved)]
    );
    // A unit above sees it exists (by its dates), its texts withheld, but not by its words.
    let above = scope(units_of(&["SIDSS-CAS", "SIDSS-CAS-A"]), &["SIDSS-CAS"]);
    assert!(
        found(&store, &search("denuncia", above.clone()))
            .await
            .is_empty()
    );
    let mut dated = search("", above.clone());
    dated.received_from = Some(DateTime::from(date(2026, 12, 2)));
    dated.received_before = Some(DateTime::from(date(2026, 12, 3)));
    let page = store.search_correspondence(&dated).await.unwrap();
    assert_eq!(keys(&page), [FoundKey::Incoming(reserved)]);
    assert!(!page.found[0].readable);
    // Someone of another unit does not find it at all, nor the others' documents.
    let other = scope(units_of(&["SIDSS-ST"]), &["SIDSS-ST"]);
    assert!(
        found(&store, &search("denuncia", other.clone()))
            .await
            .is_empty()
    );
    let mut everything = search("", other.clone());
    everything.received_from = Some(DateTime::from(date(2026, 1, 1)));
    assert_eq!(
        found(&store, &everything).await,
        [FoundKey::Incoming(vaccination)]
    );
    // A date range.
    let mut november = search("", all.clone());
    november.received_from = Some(DateTime::from(date(2026, 11, 1)));
    november.received_before = Some(DateTime::from(date(2026, 12, 1)));
    assert_eq!(found(&store, &november).await, [FoundKey::Incoming(audit)]);

    // Outgoing: found by their texts at once, by the number taken on signature, and by
    // their units; a corrected subject replaces the old words.
    let mut draft = draft(
        "Respuesta sobre la campaña de vacunación",
        "Se remite el padrón actualizado.",
    );
    let answer = store
        .draft_outgoing(&draft, "ana", "2026-12-03T15:00:00Z".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(
        found(&store, &search("padron", all.clone())).await,
        [FoundKey::Outgoing(answer)]
    );
    draft.subject = "Respuesta sobre el abasto".into();
    store
        .correct_outgoing(
            answer,
            0,
            &draft,
            "ana",
            "2026-12-03T15:10:00Z".parse().unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(
        found(&store, &search("respuesta campana", all.clone())).await,
        []
    );
    let seen = store.outgoing(answer).await.unwrap().unwrap().version;
    let number = store
        .sign_outgoing(
            answer,
            seen,
            &Signing {
                at: "2026-12-03T17:00:00Z".parse::<Timestamp>().unwrap(),
                ..signing(2026)
            },
        )
        .await
        .unwrap();
    assert_eq!(number.text, "SIDSS/ST/0001/2026");
    assert_eq!(
        found(&store, &search("sidss/st/0001", all.clone())).await,
        [FoundKey::Outgoing(answer)]
    );
    // «abasto» in both: the outgoing one signed on 3 December comes first.
    assert_eq!(
        found(&store, &search("abasto", all.clone())).await,
        [FoundKey::Outgoing(answer), FoundKey::Incoming(vaccination)]
    );
    assert_eq!(
        found(&store, &search("abasto", other.clone())).await,
        [FoundKey::Outgoing(answer), FoundKey::Incoming(vaccination)]
    );
    let cas = scope(units_of(&["SIDSS-CAS"]), &["SIDSS-CAS"]);
    assert!(found(&store, &search("abasto", cas)).await.is_empty());
    let mut signed = search("abasto", all.clone());
    signed.signed_from = Some("2026-12-04T06:00:00Z".parse().unwrap());
    signed.received_from = Some(DateTime::from(date(2026, 12, 4)));
    assert!(found(&store, &signed).await.is_empty());

    // Paged, with the count of all.
    let mut paged = search("", all);
    paged.limit = 2;
    let first = store.search_correspondence(&paged).await.unwrap();
    assert_eq!(first.total, 3 + 1);
    assert!(!first.more);
    assert_eq!(
        keys(&first),
        [FoundKey::Outgoing(answer), FoundKey::Incoming(reserved)]
    );
    paged.offset = 2;
    let second = store.search_correspondence(&paged).await.unwrap();
    assert_eq!(
        keys(&second),
        [FoundKey::Incoming(vaccination), FoundKey::Incoming(audit)]
    );
}

/// Newest first by the second received (or signed, else drafted), then incoming before
/// outgoing, then the folio newest first: documents received out of their folios' order, the
/// same minute, and a draft of that minute, paged in twos, with a date range and without one;
/// the pages together are the whole list, none twice (migration 0038: each backend reads its
/// index in this order and stops).
async fn the_order_is_stable_and_pages_never_overlap<
    S: Store + Correspondence + Outgoing + CorrespondenceFinder,
>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let mut folios = Vec::new();
    // Registered in this order; received in another, three of them the same minute.
    for received in [
        "2026-12-03T15:00",
        "2026-11-20T08:30",
        "2026-12-03T15:00",
        "2026-12-05T10:00",
        "2026-12-03T15:00",
        "2025-12-31T23:59",
        "2026-12-01T10:00",
    ] {
        let folio = register(
            &store,
            Typed {
                unit: "SIDSS-ST",
                subject: "Solicitud de información",
                summary: "Se pide información.",
                sender: "José Ibáñez",
                position: "",
                number: "",
                received,
                classification: "publica",
            },
        )
        .await;
        folios.push(folio);
    }
    let draft = draft("Información solicitada", "Se remite.");
    let answer = store
        .draft_outgoing(&draft, "ana", "2026-12-03T15:00:00Z".parse().unwrap())
        .await
        .unwrap();
    let e = |i: usize| FoundKey::Incoming(folios[i]);
    let newest = [
        e(3),
        e(4),
        e(2),
        e(0),
        FoundKey::Outgoing(answer),
        e(6),
        e(1),
        e(5),
    ];
    for text in ["informacion", ""] {
        let whole = search(text, admin());
        assert_eq!(found(&store, &whole).await, newest, "«{text}»");
        assert_eq!(
            in_pages(&store, &whole, 2, 8).await,
            newest,
            "«{text}», in pages of two"
        );
        // Received from 1 to 3 December (the draft, signed on no date, with them); the same
        // order, paged.
        let mut december = search(text, admin());
        december.received_from = Some(DateTime::from(date(2026, 12, 1)));
        december.received_before = Some(DateTime::from(date(2026, 12, 4)));
        assert_eq!(
            found(&store, &december).await,
            [e(4), e(2), e(0), FoundKey::Outgoing(answer), e(6)],
            "«{text}», from 1 to 3 December"
        );
        december.limit = 3;
        december.offset = 3;
        let second = store.search_correspondence(&december).await.unwrap();
        assert_eq!(second.total, 5);
        assert_eq!(keys(&second), [FoundKey::Outgoing(answer), e(6)]);
    }
}

/// The count stops at its cap and says there are more, the page still newest first; a prefix
/// of every length finds its word (migration 0042: SQLite reads a prefix of 1 to 20 letters from
/// a prefix index, and merges a longer one), accents and case aside, and finds no word it does
/// not begin.
async fn the_count_stops_at_its_cap_and_every_prefix_length_finds_its_word<
    S: Store + Correspondence + Outgoing + CorrespondenceFinder,
>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let mut folios = Vec::new();
    for n in 0..=COUNT_CAP {
        let received = format!(
            "2026-11-{:02}T{:02}:{:02}",
            1 + n / 60,
            8 + n / 60 % 10,
            n % 60
        );
        let subject = if n == COUNT_CAP {
            // The newest: a word of 23 letters.
            "Opinión del ELECTROENCEFALOGRAFISTA"
        } else {
            "Campaña de vacunación"
        };
        let folio = register(
            &store,
            Typed {
                unit: "SIDSS-ST",
                subject,
                summary: "Sin otro particular.",
                sender: "Inés Núñez",
                position: "",
                number: "",
                received: &received,
                classification: "publica",
            },
        )
        .await;
        folios.push(folio);
    }
    let newest = FoundKey::Incoming(folios[folios.len() - 1]);
    let next = FoundKey::Incoming(folios[folios.len() - 2]);
    for text in ["nunez", "ines n", "particular"] {
        let page = store
            .search_correspondence(&search(text, admin()))
            .await
            .unwrap();
        assert_eq!((page.total, page.more), (COUNT_CAP, true), "«{text}»");
        assert_eq!(page.found.len(), 20, "«{text}»");
        assert_eq!(keys(&page)[..2], [newest, next], "«{text}»");
    }
    let page = store
        .search_correspondence(&search("vacuna", admin()))
        .await
        .unwrap();
    assert_eq!((page.total, page.more), (COUNT_CAP, false), "«vacuna»");
    assert_eq!(keys(&page)[0], next);
    let word = "electroencefalografista";
    for letters in 1..=word.len() {
        let prefix = &word[..letters];
        let asked = search(&format!("opinion {prefix}"), admin());
        let page = store.search_correspondence(&asked).await.unwrap();
        assert_eq!(keys(&page), [newest], "«{prefix}», {letters} letters");
    }
    for text in [
        "electroencefalografistas",
        "opinion x",
        "electroencefalografiste",
    ] {
        assert_eq!(found(&store, &search(text, admin())).await, [], "«{text}»");
    }
}

/// Documents received on the edges of the ten days by which PostgreSQL reads a search's words
/// (migration 0051: days 1 to 10, 11 to 20, 21 to the month's end), across months, a leap day
/// and years, are found newest first, by a word and by a prefix, paged across the edges, within
/// a range that cuts through ten days, and only those of the units a person sees.
async fn the_ten_day_edges_keep_the_order_the_pages_and_the_ranges<
    S: Store + Correspondence + Outgoing + CorrespondenceFinder,
>(
    store: S,
    _raw: Raw,
) {
    units(&store).await;
    let received = [
        "2026-02-21T00:00",
        "2024-02-29T23:59",
        "2026-02-10T23:59",
        "2026-03-01T00:00",
        "2026-02-11T00:00",
        "2025-12-31T23:59",
        "2026-01-31T23:59",
        "2026-02-20T23:59",
        "2026-02-01T00:00",
        "2026-02-28T12:00",
        "2026-01-21T00:00",
        "2026-01-20T23:59",
    ];
    let mut folios = Vec::new();
    for (i, at) in received.iter().enumerate() {
        let folio = register(
            &store,
            Typed {
                unit: if i % 3 == 0 { "SIDSS-CAS" } else { "SIDSS-ST" },
                subject: "Vigilancia epidemiológica del dengue",
                summary: if i % 2 == 0 {
                    "Brote en Chiapas."
                } else {
                    "Sin casos."
                },
                sender: "Héctor Peña",
                position: "",
                number: "",
                received: at,
                classification: "publica",
            },
        )
        .await;
        folios.push(folio);
    }
    // Newest first: the indexes of `received` by their dates, descending.
    let mut order: Vec<usize> = (0..received.len()).collect();
    order.sort_by(|a, b| received[*b].cmp(received[*a]));
    let newest = |keep: &dyn Fn(usize) -> bool| -> Vec<FoundKey> {
        order
            .iter()
            .filter(|i| keep(**i))
            .map(|i| FoundKey::Incoming(folios[*i]))
            .collect()
    };
    let all = newest(&|_| true);
    for text in ["dengue", "epidemiologica deng", "pena hec"] {
        let asked = search(text, admin());
        assert_eq!(found(&store, &asked).await, all, "«{text}»");
        assert_eq!(
            in_pages(&store, &asked, 5, 12).await,
            all,
            "«{text}», in pages of five"
        );
    }
    // Two words, the last begun: every other one.
    assert_eq!(
        found(&store, &search("dengue chia", admin())).await,
        newest(&|i| i % 2 == 0)
    );
    // From 10 February at noon, before 21 February: cuts the first ten days and ends at the
    // edge of the third.
    let mut february = search("dengue", admin());
    february.received_from = Some(date(2026, 2, 10).at(12, 0, 0, 0));
    february.received_before = Some(DateTime::from(date(2026, 2, 21)));
    assert_eq!(
        found(&store, &february).await,
        newest(&|i| ("2026-02-10T12:00"..="2026-02-20T23:59").contains(&received[i]))
    );
    // A person of SIDSS-CAS sees its own only.
    let member = scope(units_of(&["SIDSS-CAS"]), &["SIDSS-CAS"]);
    assert_eq!(
        found(&store, &search("dengue", member)).await,
        newest(&|i| i % 3 == 0)
    );
}

on_both_backends!(
    words_accents_prefixes_senders_numbers_dates_and_scopes,
    the_order_is_stable_and_pages_never_overlap,
    the_count_stops_at_its_cap_and_every_prefix_length_finds_its_word,
    the_ten_day_edges_keep_the_order_the_pages_and_the_ranges
);
