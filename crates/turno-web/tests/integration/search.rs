//! "Buscar" and the filters of "Mi bandeja", on SQLite and PostgreSQL: finding matters by
//! folio, words, status, unit and dates, never one of another unit; filtering the inbox by
//! procedure and semáforo and ordering it.

use crate::common::{Browser, TestApp, expect_page, mexico, today};
use jiff::civil::Date;
use std::collections::BTreeMap;
use turno_app::commands::start_case;
use turno_domain::definition::{Procedure, parse_procedure};
use turno_domain::engine::{self, Actor, Calendars, Context, Start, Value};
use turno_store::{CaseHead, Commit, FolioRule, NewCase, Store, Target};

const SEED: &str = include_str!("../../../../procedures/sidss-informes-oficiales.toml");

/// Acts on the first open activity of a case and expects it to go through.
async fn act(browser: &Browser, folio: &str, outcome: Option<&str>, fields: &[(&str, &str)]) {
    let response = browser.act(folio, outcome, fields).await;
    assert_eq!(response.status(), 303, "{folio}: acting");
}

/// 1.1 → 2.1 → 2.2 «Sí» → 3.1: the informe is at 4.1, the Coordinación de Asesores'.
async fn turn_to_asesores(secretario: &Browser, folio: &str) {
    for outcome in [None, None, Some("Sí"), None] {
        act(secretario, folio, outcome, &[]).await;
    }
}

fn days(n: i64) -> Date {
    today().checked_add(jiff::Span::new().days(n)).unwrap()
}

fn calendars() -> &'static Calendars {
    static CALENDARS: std::sync::OnceLock<Calendars> = std::sync::OnceLock::new();
    CALENDARS.get_or_init(Calendars::statutory)
}

/// Noon of a day in Mexico City.
fn on(day: Date) -> Context<'static> {
    Context {
        now: day.at(12, 0, 0, 0).to_zoned(mexico()).unwrap().timestamp(),
        today: day,
        calendars: calendars(),
    }
}

/// Seed 000 under another key and folio prefix, with a term of 10 natural days on 1.1. It is
/// published in the store only: the application lists its work under its key.
fn timed_procedure() -> (Procedure, String) {
    let text = turno_store::fixtures::timed_seed(SEED);
    (parse_procedure(&text).unwrap(), text)
}

/// Starts an informe directly in the store, received on `day`; returns its folio.
async fn start_on(app: &TestApp, procedure: &Procedure, day: Date, title: &str) -> String {
    let fields: BTreeMap<String, Value> = [
        ("tipo_informe", "Informe mensual"),
        ("direccion_general", "DGPLADES"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), Value::Text(v.to_owned())))
    .collect();
    start_case(
        &app.store,
        procedure,
        NewCase {
            folio: FolioRule::for_procedure(procedure, None, today().year()),
            title: title.into(),
            channel: Some("Oficio".into()),
            requester: Some("DGPLADES".into()),
        },
        Start {
            by: secretario(),
            fields,
        },
        &on(day),
        None,
    )
    .await
    .unwrap()
    .folio
}

/// The secretario, as the engine records who acts.
fn secretario() -> Actor {
    Actor {
        user: "secretario".into(),
        participant: None,
        substituting: None,
    }
}

/// Records `events`, which the engine made of the case at `head` (now `case`), as the
/// secretario's, now.
async fn commit(
    app: &TestApp,
    procedure: &Procedure,
    head: CaseHead,
    case: &engine::Case,
    events: &[engine::Event],
) {
    app.store
        .commit(Commit {
            procedure,
            target: Target::Existing(head),
            case,
            events,
            actor: "secretario",
            at: jiff::Timestamp::now(),
            idempotency_key: None,
        })
        .await
        .unwrap();
}

/// Cancels a case through the engine and the store (the pages have no cancelling yet).
async fn cancel(app: &TestApp, folio: &str) {
    let procedure = parse_procedure(SEED).unwrap();
    let id = app.store.find_case(folio).await.unwrap().unwrap();
    let current = app.store.load_current(id).await.unwrap();
    let mut case = current.case;
    let events = engine::cancel(
        &procedure,
        &mut case,
        secretario(),
        "Duplicado".into(),
        &on(today()),
    )
    .unwrap();
    commit(app, &procedure, current.head, &case, &events).await;
}

/// The folios a page links to, in order.
fn folios(html: &str) -> Vec<String> {
    html.split("href=\"/asuntos/")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
        .collect()
}

async fn found(browser: &Browser, query: &str) -> Vec<String> {
    let response = browser.get(&format!("/buscar?{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    folios(&response.text().await.unwrap())
}

async fn search_needs_a_signed_in_person(app: TestApp) {
    let response = app.browser().get("/buscar?q=DGPLADES").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/acceso?next=/buscar%3Fq%3DDGPLADES"
    );
    let page = app.signed_in("consulta").await.text("/buscar").await;
    assert!(
        page.contains("<a href=\"/buscar\">Buscar</a>"),
        "in the menu"
    );
    for label in [
        "<label for=\"b-q\">Folio o texto</label>",
        "<label for=\"b-estado\">Estado</label>",
        "<label for=\"b-unidad\">Unidad que participa</label>",
        "<label for=\"b-desde\">Registrado desde</label>",
        "<label for=\"b-hasta\">Registrado hasta</label>",
    ] {
        assert!(page.contains(label), "{label}");
    }
    assert!(page.contains("role=\"search\"") && page.contains("method=\"get\""));
    assert!(page.contains("0 asuntos encontrados"));
}

async fn matters_are_found_by_folio_words_and_status(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let trimestral = secretario
        .register(
            "Informe trimestral de la DGPLADES",
            "DGPLADES",
            "Informe trimestral",
        )
        .await;
    let vacunas = secretario
        .register(
            "Petición sobre vacunación",
            "Dirección General de Epidemiología",
            "Opinión técnica",
        )
        .await;
    let duplicada = secretario
        .register("Solicitud duplicada", "Oficialía", "Otro")
        .await;
    cancel(&app, &duplicada).await;
    // The petición goes all the way to its end.
    turn_to_asesores(&secretario, &vacunas).await;
    let certificate = crate::common::efirma_of(&app, "asesor").await;
    let signed = app
        .signed_in("asesor")
        .await
        .act_signed(&vacunas, Some("Sí"), &certificate)
        .await;
    assert_eq!(signed.status(), 303, "4.1 signed with e.firma");
    act(&secretario, &vacunas, None, &[("medio_envio", "Oficio")]).await;
    act(&secretario, &vacunas, None, &[]).await;

    assert_eq!(
        found(&secretario, "").await,
        [duplicada.as_str(), vacunas.as_str(), trimestral.as_str()],
        "every matter, newest first"
    );
    assert_eq!(
        found(&secretario, &format!("q={vacunas}")).await,
        [vacunas.as_str()]
    );
    assert_eq!(
        found(&secretario, &format!("q={}", vacunas.to_lowercase())).await,
        [vacunas.as_str()]
    );
    for words in [
        "vacunacion",
        "PETICI%C3%93N",
        "epidemiologia",
        "opinion+TECNICA",
    ] {
        assert_eq!(
            found(&secretario, &format!("q={words}")).await,
            [vacunas.as_str()],
            "{words}"
        );
    }
    assert_eq!(
        found(&secretario, "q=trimestral+dgplades").await,
        [trimestral.as_str()]
    );
    let none = secretario.text("/buscar?q=inexistente").await;
    assert!(none.contains("0 asuntos encontrados") && folios(&none).is_empty());

    let open = secretario.text("/buscar?estado=open").await;
    assert_eq!(folios(&open), [trimestral.as_str()]);
    assert!(open.contains("1 asunto encontrado") && open.contains("en trámite"));
    assert!(open.contains("<option value=\"open\" selected>En trámite</option>"));
    let ended = secretario.text("/buscar?estado=ended").await;
    assert_eq!(folios(&ended), [vacunas.as_str()]);
    assert!(ended.contains("concluido"));
    let cancelled = secretario.text("/buscar?estado=cancelled").await;
    assert_eq!(folios(&cancelled), [duplicada.as_str()]);
    assert!(cancelled.contains("cancelado"));
    // Criteria add up; an unknown status is no criterion.
    assert!(
        found(&secretario, "q=vacunacion&estado=open")
            .await
            .is_empty()
    );
    assert_eq!(found(&secretario, "estado=perdido").await.len(), 3);
    // The table names the procedure by its title.
    assert!(open.contains("Procedimiento para el monitoreo y análisis de los informes oficiales"));
}

async fn a_search_never_shows_a_matter_of_another_unit(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let first = secretario
        .register("Informe para asesores", "DGPLADES", "Informe")
        .await;
    let second = secretario
        .register("Informe interno", "DGPLADES", "Informe")
        .await;
    let ajeno = app.signed_in("ajeno").await;
    let asesor = app.signed_in("asesor").await;
    for browser in [&ajeno, &asesor] {
        assert!(found(browser, "").await.is_empty());
        assert!(found(browser, &format!("q={first}")).await.is_empty());
        assert!(found(browser, "q=DGPLADES").await.is_empty());
        // Naming the unit that has it does not widen what one sees.
        assert!(found(browser, "unidad=SIDSS-ST").await.is_empty());
    }
    let page = ajeno.text("/buscar").await;
    assert!(page.contains("value=\"OTRA-UNIDAD\"") && !page.contains("value=\"SIDSS-ST\""));

    turn_to_asesores(&secretario, &first).await;
    assert_eq!(found(&asesor, "").await, [first.as_str()]);
    assert_eq!(found(&asesor, "q=informe").await, [first.as_str()]);
    assert!(found(&ajeno, "").await.is_empty());
    // The Secretaría Técnica's people, consulta too, see both; an administrator sees all.
    assert_eq!(
        found(&app.signed_in("consulta").await, "").await,
        [second.as_str(), first.as_str()]
    );
    let admin = app.signed_in("admin").await;
    assert_eq!(found(&admin, "").await, [second.as_str(), first.as_str()]);
    assert!(admin.text("/buscar").await.contains("value=\"SIDSS-ST\""));
    // By the unit that takes part.
    assert_eq!(
        found(&secretario, "unidad=SIDSS-CAS").await,
        [first.as_str()]
    );
    assert_eq!(found(&admin, "unidad=SIDSS-CAS").await, [first]);
}

async fn a_search_by_dates_and_its_pages(app: TestApp) {
    let procedure = parse_procedure(SEED).unwrap();
    let secretario = app.signed_in("secretario").await;
    let old = start_on(&app, &procedure, days(-40), "Informe antiguo").await;
    let mut recent = Vec::new();
    for n in 0..26 {
        recent.push(start_on(&app, &procedure, days(-1), &format!("Informe {n}")).await);
    }
    let today = today();
    let yesterday = days(-1);
    let query = format!("q=informe&desde={yesterday}&hasta={today}");
    let first = secretario.text(&format!("/buscar?{query}")).await;
    assert!(
        first.contains("26 asuntos encontrados"),
        "the old one is out"
    );
    assert_eq!(folios(&first).len(), 25);
    assert!(first.contains("Página 1 de 2"));
    let next = format!("/buscar?{}&#38;pagina=2", query.replace('&', "&#38;"));
    assert!(
        first.contains(&format!("href=\"{next}\"")),
        "filters kept: {next}"
    );
    let second = secretario.text(&format!("/buscar?{query}&pagina=2")).await;
    assert_eq!(folios(&second), [recent[0].as_str()]);
    assert!(second.contains("rel=\"prev\""));
    assert_eq!(
        found(&secretario, &format!("hasta={}", days(-2))).await,
        [old.as_str()]
    );
    assert!(
        found(&secretario, &format!("desde={today}"))
            .await
            .is_empty()
    );

    // Dates that are not dates, or backwards, are pointed out and nothing is searched.
    let wrong = secretario.get("/buscar?desde=2026-02-30").await;
    let wrong = expect_page(wrong, 200).await;
    assert!(wrong.contains("aria-invalid=\"true\"") && wrong.contains("AAAA-MM-DD"));
    assert!(folios(&wrong).is_empty());
    let backwards = secretario
        .text(&format!("/buscar?desde={today}&hasta={yesterday}"))
        .await;
    assert!(backwards.contains("Es anterior a la fecha inicial."));
}

/// Work at the Secretaría Técnica: three timed informes received 30, 8 and 1 days ago (due
/// 20 days ago, in 2 days and in 9 days) and one registered today without a term.
async fn timed_work(app: &TestApp, secretario: &Browser) -> [String; 4] {
    let (timed, text) = timed_procedure();
    app.store
        .publish_procedure(&timed, &text, jiff::Timestamp::now())
        .await
        .unwrap();
    let overdue = start_on(app, &timed, days(-30), "Informe atrasado").await;
    let soon = start_on(app, &timed, days(-8), "Informe por vencer").await;
    let later = start_on(app, &timed, days(-1), "Informe a tiempo").await;
    let untimed = secretario
        .register("Informe sin plazo", "DGPLADES", "Informe")
        .await;
    [overdue, soon, later, untimed]
}

async fn the_inbox_is_filtered_and_ordered(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let work = timed_work(&app, &secretario).await;
    let [overdue, soon, later, untimed] =
        [&work[0], &work[1], &work[2], &work[3]].map(String::as_str);
    let inbox = |query: &str| {
        let browser = &secretario;
        let path = format!("/bandeja?{query}");
        async move {
            let response = browser.get(&path).await;
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.unwrap()
        }
    };

    let all = inbox("").await;
    assert_eq!(
        folios(&all),
        [overdue, soon, later, untimed],
        "soonest due first, no due date last"
    );
    for label in [
        "<label for=\"f-procedimiento\">Procedimiento</label>",
        "<label for=\"f-semaforo\">Semáforo</label>",
        "<label for=\"f-orden\">Ordenar por</label>",
    ] {
        assert!(all.contains(label), "{label}");
    }
    assert!(
        all.contains("próximos 3 días"),
        "the help text says what amarillo is"
    );
    assert!(all.contains("Vencido"));
    // The semáforo is explained once, in a legend.
    assert_eq!(all.matches("Qué indica el semáforo").count(), 1);
    // Each timed row says its días hábiles left on its term's calendar, and its due date.
    let (timed, _) = timed_procedure();
    let calendars = app.state.calendars.current();
    let calendar = calendars.get(turno_app::deadlines::regime_of(&timed, "1.1"));
    let left = |due: Date| calendar.count_business_days(today(), due);
    let dmy = |due: Date| due.strftime("%d/%m/%Y").to_string();
    let plural = |n: i32| match n {
        1 => "1 día hábil".to_owned(),
        n => format!("{n} días hábiles"),
    };
    let late = days(-20);
    assert!(left(late) < 0);
    let expected = format!(
        "Vencido hace {} · venció {}",
        plural(-left(late)),
        dmy(late)
    );
    assert!(all.contains(&expected), "{expected}");
    let ahead = days(9);
    let rest = if left(ahead) == 1 {
        "restante"
    } else {
        "restantes"
    };
    let expected = format!("{} {rest} · vence {}", plural(left(ahead)), dmy(ahead));
    assert!(all.contains(&expected), "{expected}");
    assert!(all.contains("Sin plazo"), "work without a term says so");

    // Semáforo.
    let red = inbox("semaforo=rojo").await;
    assert_eq!(folios(&red), [overdue]);
    assert!(red.contains("<option value=\"rojo\" selected>"));
    assert!(red.contains("con los filtros elegidos"));
    assert_eq!(folios(&inbox("semaforo=amarillo").await), [soon]);
    assert_eq!(folios(&inbox("semaforo=verde").await), [later, untimed]);
    assert_eq!(folios(&inbox("semaforo=morado").await).len(), 4);

    // Procedure.
    assert_eq!(
        folios(&inbox("procedimiento=sidss-plazos").await),
        [overdue, soon, later]
    );
    let seed = inbox("procedimiento=sidss-informes-oficiales").await;
    assert_eq!(folios(&seed), [untimed]);
    assert!(seed.contains("<option value=\"sidss-informes-oficiales\" selected>"));
    assert_eq!(
        folios(&inbox("procedimiento=sidss-plazos&semaforo=verde").await),
        [later]
    );

    // Orders: by folio (CAS before PLZ, then by number); the most recently received first.
    let by_folio = inbox("orden=folio").await;
    assert_eq!(folios(&by_folio), [untimed, overdue, soon, later]);
    assert!(by_folio.contains("<option value=\"folio\" selected>Folio</option>"));
    assert_eq!(
        folios(&inbox("orden=recibido").await),
        [untimed, later, soon, overdue]
    );
    assert_eq!(
        folios(&inbox("orden=recibido&semaforo=verde").await),
        [untimed, later]
    );

    // Another unit's inbox shows none of it, whatever the filters.
    let ajeno = app.signed_in("ajeno").await;
    for query in [
        "",
        "semaforo=rojo",
        "procedimiento=sidss-plazos",
        "orden=folio",
    ] {
        assert!(folios(&ajeno.text(&format!("/bandeja?{query}")).await).is_empty());
    }
}

async fn the_inbox_pages_keep_their_filters(app: TestApp) {
    let secretario = app.signed_in("secretario").await;
    let (timed, text) = timed_procedure();
    app.store
        .publish_procedure(&timed, &text, jiff::Timestamp::now())
        .await
        .unwrap();
    let mut overdue = Vec::new();
    for n in 0..51 {
        overdue.push(start_on(&app, &timed, days(-30), &format!("Atrasado {n}")).await);
    }
    start_on(&app, &timed, days(-1), "A tiempo").await;
    let first = secretario.text("/bandeja?semaforo=rojo&orden=folio").await;
    assert!(first.contains("51 pendientes") && first.contains("Página 1 de 2"));
    assert_eq!(folios(&first), overdue[..50]);
    assert!(first.contains("href=\"/bandeja?semaforo=rojo&#38;orden=folio&#38;pagina=2\""));
    let second = secretario
        .text("/bandeja?semaforo=rojo&orden=folio&pagina=2")
        .await;
    assert_eq!(folios(&second), overdue[50..]);
    assert!(second.contains("href=\"/bandeja?semaforo=rojo&#38;orden=folio&#38;pagina=1\""));
    // A page number that is not one is the first page.
    assert_eq!(
        folios(
            &secretario
                .text("/bandeja?semaforo=rojo&orden=folio&pagina=x")
                .await
        ),
        overdue[..50]
    );
}

/// Seed 000 under another key and folio prefix, with a term of 20 natural days on 2.1 counted
/// from the case's start: work that opens long after its term started.
fn from_start_procedure() -> (Procedure, String) {
    let text = SEED
        .replacen(
            "key = \"sidss-informes-oficiales\"",
            "key = \"sidss-desde-inicio\"",
            1,
        )
        .replacen("folio_prefix = \"CAS\"", "folio_prefix = \"DSI\"", 1)
        .replacen(
            "[[stages.activities]]\nnumber = \"2.2\"",
            "[stages.activities.deadline]\nterm = \"20 días naturales\"\nfrom = \"case\"\n\n\
             [[stages.activities]]\nnumber = \"2.2\"",
            1,
        );
    (parse_procedure(&text).unwrap(), text)
}

/// An informe received 19 days ago whose review (2.1) opens today, its 20 natural days counted
/// from the reception: the inbox, the case page and the API read the share of the whole term
/// left (amarillo), not the share since 2.1 opened (which would be verde).
async fn the_semaforo_counts_from_the_start_of_the_term(app: TestApp) {
    let (procedure, text) = from_start_procedure();
    // Served with it, so that its case page shows.
    let source = turno_domain::library::Source {
        name: "sidss-desde-inicio.toml",
        text: Box::leak(text.into_boxed_str()),
    };
    let app = crate::common::with_procedure(&app, source).await;
    let folio = start_on(&app, &procedure, days(-19), "Informe recibido hace tiempo").await;
    // 1.1 is completed today: 2.1 opens today.
    let id = app.store.find_case(&folio).await.unwrap().unwrap();
    let current = app.store.load_current(id).await.unwrap();
    let mut case = current.case;
    let item = case.open[0].id;
    let complete = engine::Complete {
        item,
        by: secretario(),
        outcome: None,
        fields: BTreeMap::new(),
        observations: None,
        signature: None,
    };
    let events = engine::complete(&procedure, &mut case, complete, &on(today())).unwrap();
    commit(&app, &procedure, current.head, &case, &events).await;
    let open = &case.open[0];
    let due = open.due.unwrap();
    assert_eq!(open.basis.map(|b| b.from), Some(days(-19)));
    // Whatever día inhábil moves the due date, little of the term is left: from the opening
    // it would be all of it.
    assert!((days(1)..=days(4)).contains(&due), "{due}");
    let thresholds = app.state.thresholds;
    assert_eq!(
        thresholds.status(today(), due, today()),
        engine::DueStatus::OnTime,
        "counted from the opening the bug would read verde"
    );

    let secretario = app.signed_in("secretario").await;
    let inbox = secretario.text("/bandeja").await;
    assert_eq!(folios(&inbox), [folio.as_str()]);
    let row = &inbox[inbox.find(&format!("href=\"/asuntos/{folio}\"")).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<span class=\"semaforo-amarillo\">Por vencer</span>"),
        "{row}"
    );
    let page = secretario.text(&format!("/asuntos/{folio}")).await;
    assert!(
        page.contains("<span class=\"semaforo-amarillo\">Por vencer</span>"),
        "the case page reads the same colour"
    );
    let api = app
        .api("secretario", reqwest::Method::GET, "/api/v1/inbox", None)
        .await;
    assert_eq!(api.status(), 200);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["items"][0]["folio"], folio.as_str(), "{body}");
    assert_eq!(body["items"][0]["due_status"], "due_soon", "{body}");
}

on_both_backends! {
    search_needs_a_signed_in_person,
    matters_are_found_by_folio_words_and_status,
    a_search_never_shows_a_matter_of_another_unit,
    a_search_by_dates_and_its_pages,
    the_inbox_is_filtered_and_ordered,
    the_inbox_pages_keep_their_filters,
    the_semaforo_counts_from_the_start_of_the_term,
}
