//! The matters of issue 19 by clicking, each activity by the person of the unit it belongs to:
//! an access-to-information request (turned to two units, a prevención answered, the Comité's
//! extension, a classification, the answer notified), an audit (a request for information, the
//! preliminary results, an observation followed to its solventación) and a meeting's
//! agreements (registered, followed to their conclusion). What each person sees is checked on
//! the way: the semáforo and the due dates in días hábiles, the data and the record.

use super::session::{Session, folio_in};
use crate::common::{TestApp, today, yesterday};
use jiff::civil::Date;
use turno_domain::calendar::{Calendar, Regime};
use turno_domain::text::day;
use turno_store::Role;

/// The people of the IMSS's Dirección de Operación y Evaluación (and its Unidad de Integridad
/// y Transparencia) who work these matters: login, unit, role.
const PEOPLE: &[(&str, &str, Role)] = &[
    ("transparencia", "IMSS-UIT", Role::Operador),
    ("enlace", "IMSS-DSRPI", Role::Operador),
    ("evaluacion", "IMSS-UEOD", Role::Operador),
    ("analisis", "IMSS-CAPSOI", Role::Operador),
    ("fiscalizacion", "IMSS-CAOF", Role::Operador),
    ("acuerdos", "IMSS-DSACE", Role::Operador),
];

/// The agency of the journeys with the people of [`PEOPLE`].
async fn agency() -> TestApp {
    let app = super::agency::spawn().await;
    app.add_people(PEOPLE).await;
    app
}

/// The calendar the definitions count on (the test application's: the statutory días
/// inhábiles of the LFPA).
fn calendar() -> Calendar {
    Calendar::new(Regime::Lfpa)
}

/// `n` días hábiles after `date`.
fn after(date: Date, n: i32) -> Date {
    calendar().add_business_days(date, n).unwrap()
}

/// A `YYYY-MM-DD` date as a date input takes it.
fn iso(date: Date) -> String {
    date.to_string()
}

/// One case walked by its people: who is signed in, and the case's folio.
struct Walk {
    s: Session,
    who: String,
    folio: String,
}

impl Walk {
    /// `login` signs in and opens the registration form of `procedure`.
    async fn register(app: &TestApp, journey: &str, login: &str, procedure: &str) -> Walk {
        let s = Session::signed_in(app, journey, login).await;
        s.click_text("Registrar asunto").await;
        s.wait_for("Elija el procedimiento").await;
        s.click(&format!("ul.procedures a[href='/registrar/{procedure}']"))
            .await;
        s.wait_for("<h1>Registrar asunto</h1>").await;
        Walk {
            s,
            who: login.to_owned(),
            folio: String::new(),
        }
    }

    /// Submits the registration form filled, and goes from its acuse to the case.
    async fn registered(&mut self) {
        self.s.shot("registro").await;
        self.s.submit().await;
        let receipt = self.s.wait_for("Acuse de registro").await;
        self.folio = folio_in(&receipt);
        self.s.shot("acuse").await;
        self.s.open_registered(&self.folio).await;
        self.s.shot("asunto").await;
    }

    /// `login` at the case: signed in (in place of whoever was) and on the case page from
    /// Mi bandeja.
    async fn as_person(&mut self, login: &str) {
        if self.who != login {
            self.s.sign_out().await;
            self.s.sign_in(login).await;
            self.who = login.to_owned();
            self.s.open_from_inbox(&self.folio).await;
        }
    }

    /// `login` attends `activity`, answering `outcome` when it is a decision.
    async fn act(&mut self, login: &str, activity: &str, outcome: Option<&str>) {
        self.as_person(login).await;
        self.s.act(activity, outcome).await;
    }

    /// Each step in turn: who, which activity, answering what.
    async fn steps(&mut self, steps: &[(&str, &str, Option<&str>)]) {
        for (login, activity, outcome) in steps {
            self.act(login, activity, *outcome).await;
        }
    }

    /// What the open activity `number` says of its term: its semáforo's colour and the line
    /// («Fecha límite: En tiempo 20 días hábiles restantes · vence 05/01/2027»).
    async fn term(&self, number: &str) -> (String, String) {
        let found = self
            .s
            .client
            .execute(&format!(
                "const w = [...document.querySelectorAll('article.work')]
                   .find(a => a.querySelector('h3').textContent.startsWith('{number} '));
                 if (!w) return null;
                 const p = [...w.querySelectorAll('p')]
                   .find(p => p.textContent.startsWith('Fecha límite'));
                 if (!p) return ['', ''];
                 return [p.querySelector('span').className,
                   p.textContent.replace(/\\s+/g, ' ').trim()];"
            ))
            .await;
        let found = found
            .as_array()
            .unwrap_or_else(|| panic!("{number} is open"));
        (
            found[0].as_str().unwrap().to_owned(),
            found[1].as_str().unwrap().to_owned(),
        )
    }

    /// The open activity `number` is due on `due`, `left` días hábiles from today, and its
    /// semáforo is green.
    async fn due_in_time(&self, number: &str, due: Date, left: i32) {
        let (light, line) = self.term(number).await;
        assert_eq!(
            line,
            format!(
                "Fecha límite: En tiempo {left} días hábiles restantes · vence {}",
                day(due)
            ),
            "the term of {number}"
        );
        assert_eq!(light, "semaforo-verde", "the semáforo of {number}");
    }

    /// The case's row of Mi bandeja as the person signed in reads it.
    async fn inbox_row(&self) -> String {
        self.s.click_text("Mi bandeja").await;
        self.s.wait_for("<h1>Mi bandeja</h1>").await;
        let row = self
            .s
            .client
            .execute(&format!(
                "const a = [...document.querySelectorAll('main table a')]
                   .find(a => a.textContent.trim() === '{}');
                 return a ? a.closest('tr').textContent.replace(/\\s+/g, ' ').trim() : null;",
                self.folio
            ))
            .await;
        let row = row
            .as_str()
            .unwrap_or_else(|| panic!("{} is in the inbox of {}", self.folio, self.who))
            .to_owned();
        self.s.click_text(&self.folio).await;
        self.s.wait_for(&format!("<h1>{} ·", self.folio)).await;
        row
    }

    /// The case is concluded, with `completions` activities attended on record.
    async fn concluded(&mut self, completions: usize) -> String {
        let page = self.s.text().await;
        assert!(page.contains("concluido"), "the case is concluded");
        assert!(page.contains("Ninguna: el asunto está"), "nothing is open");
        assert_eq!(
            page.matches("Atendió la actividad").count(),
            completions,
            "every step on record"
        );
        self.s.shot("concluido").await;
        page
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_access_to_information_request_from_its_presentation_to_its_notification() {
    let app = agency().await;
    let presented = yesterday();
    let mut w = Walk::register(
        &app,
        "solicitud-transparencia",
        "transparencia",
        "transparencia-solicitud",
    )
    .await;
    w.s.fill(
        "asunto",
        "Solicitud de los informes de evaluación de los OOAD de 2025",
    )
    .await;
    w.s.choose("medio", "Portal web").await;
    w.s.fill("folio_pnt", "330018026000123").await;
    w.s.set_date("fecha_presentacion", &iso(presented)).await;
    w.s.fill(
        "informacion_solicitada",
        "Los informes de evaluación de los órganos desconcentrados de 2025.",
    )
    .await;
    w.registered().await;

    // The Unidad de Transparencia turns it to the Dirección's enlace, which turns it to the two
    // units that hold the information; each reviews it.
    w.steps(&[
        ("transparencia", "1.1", None),
        ("transparencia", "1.2", Some("Sí")),
        ("transparencia", "2.1", None),
    ])
    .await;
    w.as_person("enlace").await;
    for unit in ["UEOD", "CAPSOI"] {
        w.s.click(&format!(
            "article.work input[name=areas_competentes][value={unit}]"
        ))
        .await;
    }
    w.s.act("2.2", None).await;
    let page = w.s.text().await;
    assert!(
        page.contains("Unidad de Evaluación de Órganos Desconcentrados")
            && page.contains(
                "Coordinación de Análisis, Prospectiva y Seguimiento a la Operación Institucional"
            ),
        "both units are shown at 2.3"
    );
    w.steps(&[("evaluacion", "2.3", None), ("analisis", "2.3", None)])
        .await;

    // The data do not suffice: the Unidad de Transparencia requires the applicant within five
    // días hábiles of the presentation; the applicant answers today, and the twenty días
    // hábiles of the answer count again from today.
    w.act("transparencia", "3.1", Some("No")).await;
    let prevention = after(presented, 5);
    let (light, line) = w.term("3.2").await;
    assert!(
        line.ends_with(&format!("vence {}", day(prevention))),
        "the prevención is due five días hábiles after the presentation: {line}"
    );
    assert_eq!(light, "semaforo-verde");
    w.act("transparencia", "3.2", None).await;
    w.s.set_date("fecha_desahogo", &iso(today())).await;
    w.act("transparencia", "3.3", None).await;
    let answer = after(today(), 20);
    w.as_person("evaluacion").await;
    w.due_in_time("4.1", answer, 20).await;
    let row = w.inbox_row().await;
    assert!(
        row.contains(&format!(
            "En tiempo 20 días hábiles restantes · vence {}",
            day(answer)
        )),
        "the inbox says the same: {row}"
    );
    w.s.shot("busqueda").await;
    w.steps(&[("evaluacion", "4.1", None), ("analisis", "4.1", None)])
        .await;

    // The units need more time: the Comité de Transparencia grants ten días hábiles more
    // (its resolutions are recorded by the Unidad), notified before the twenty run out.
    w.steps(&[
        ("enlace", "4.2", Some("Sí")),
        ("transparencia", "4.3", None),
        ("transparencia", "4.4", Some("Sí")),
    ])
    .await;
    w.due_in_time("4.5", answer, 20).await;
    w.act("transparencia", "4.5", None).await;
    let extended = after(answer, 10);
    assert_eq!(extended, after(today(), 30));
    w.as_person("evaluacion").await;
    w.due_in_time("4.6", extended, 30).await;
    w.s.shot("plazo-ampliado").await;
    w.steps(&[("evaluacion", "4.6", None), ("analisis", "4.6", None)])
        .await;

    // Part of it is confidential: the Comité modifies the classification (a public version),
    // the enlace integrates the answer and the Unidad notifies it within the extended term.
    w.steps(&[
        ("enlace", "5.1", Some("Clasificada")),
        ("enlace", "5.2", None),
        ("transparencia", "5.3", Some("Modifica")),
    ])
    .await;
    w.as_person("enlace").await;
    w.s.choose("sentido_respuesta", "Entrega de versión pública")
        .await;
    w.s.act("6.1", None).await;
    w.as_person("transparencia").await;
    w.due_in_time("6.2", extended, 30).await;
    w.act("transparencia", "6.2", None).await;

    let page = w.concluded(22).await;
    assert!(
        page.contains("Entrega de versión pública"),
        "the answer's sense"
    );
    assert!(page.contains("330018026000123"), "the PNT folio");
    w.s.client.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_audit_from_its_order_to_the_solventacion_of_its_observation() {
    let app = agency().await;
    let mut w = Walk::register(&app, "auditoria", "fiscalizacion", "auditoria").await;
    w.s.fill("asunto", "Auditoría 12/2026 del Órgano Interno de Control")
        .await;
    w.s.choose(
        "organo_fiscalizador",
        "Órgano Interno de Control en el Instituto",
    )
    .await;
    w.s.fill(
        "numero_auditoria",
        "12/2026 «Evaluación de los órganos desconcentrados»",
    )
    .await;
    w.s.fill(
        "objeto_auditoria",
        "Verificar la evaluación del desempeño de los OOAD en 2025.",
    )
    .await;
    w.registered().await;

    // The enlace names the audited unit; the OIC requires information by a date it sets, and
    // the unit has until three días hábiles before it.
    w.act("fiscalizacion", "1.1", None).await;
    w.as_person("enlace").await;
    w.s.click("article.work input[name=unidades_auditadas][value=UEOD]")
        .await;
    w.s.act("1.2", None).await;
    let limit = after(today(), 10);
    w.as_person("fiscalizacion").await;
    w.s.set_date("fecha_limite_requerimiento", &iso(limit))
        .await;
    w.s.act("2.1", None).await;
    w.as_person("evaluacion").await;
    w.due_in_time("2.2", after(today(), 7), 7).await;
    w.s.shot("requerimiento").await;

    // Delivered; the OIC asks nothing more and presents its preliminary results today: the
    // unit's justifications are due in five días hábiles.
    w.steps(&[
        ("evaluacion", "2.2", None),
        ("enlace", "2.3", Some("Sí")),
        ("fiscalizacion", "2.4", None),
        ("fiscalizacion", "2.5", Some("No")),
    ])
    .await;
    w.s.set_date("fecha_reunion_resultados", &iso(today()))
        .await;
    w.act("fiscalizacion", "3.1", None).await;
    w.as_person("evaluacion").await;
    w.due_in_time("3.2", after(today(), 5), 5).await;
    w.steps(&[
        ("evaluacion", "3.2", None),
        ("enlace", "3.3", None),
        ("fiscalizacion", "3.4", None),
        ("fiscalizacion", "3.5", Some("Sí")),
    ])
    .await;

    // One observation, to be solved by a date the OIC sets; the first evidence falls short and
    // the unit completes it; the OIC holds it solved.
    let solved_by = after(today(), 20);
    w.as_person("fiscalizacion").await;
    w.s.fill(
        "observaciones_por_solventar",
        "Observación 1: los planes de mejora de 2025 no tienen fechas de cumplimiento.",
    )
    .await;
    w.s.set_date("fecha_limite_solventacion", &iso(solved_by))
        .await;
    w.s.act("4.1", None).await;
    w.as_person("evaluacion").await;
    w.due_in_time("4.2", after(today(), 17), 17).await;
    w.s.shot("solventacion").await;
    w.steps(&[
        ("evaluacion", "4.2", None),
        ("enlace", "4.3", Some("No")),
        ("evaluacion", "4.2", None),
        ("enlace", "4.3", Some("Sí")),
        ("fiscalizacion", "4.4", None),
        ("fiscalizacion", "4.5", Some("Sí")),
        ("enlace", "4.6", None),
    ])
    .await;
    let page = w.concluded(20).await;
    assert!(page.contains("los planes de mejora de 2025 no tienen fechas"));
    w.s.client.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_meetings_agreements_from_their_registration_to_their_conclusion() {
    let app = agency().await;
    let mut w = Walk::register(&app, "acuerdos-reunion", "acuerdos", "acuerdos-reunion").await;
    w.s.fill(
        "asunto",
        "Acuerdos de la reunión nacional de evaluación de los OOAD",
    )
    .await;
    w.s.choose("tipo_reunion", "Reunión nacional").await;
    w.s.set_date("fecha_reunion", &iso(yesterday())).await;
    w.s.fill(
        "acuerdos",
        "1. Cada OOAD entregará su plan de mejora con fechas de cumplimiento.",
    )
    .await;
    w.registered().await;

    // The División names the unit responsible and its date; the unit programs its actions in
    // ten días hábiles and reports its progress each quarter (ninety natural days from the
    // meeting).
    w.act("acuerdos", "1.1", None).await;
    w.s.click("article.work input[name=unidades_responsables][value=UEOD]")
        .await;
    w.s.set_date("fecha_compromiso", &iso(after(today(), 60)))
        .await;
    w.s.act("1.2", None).await;
    w.as_person("evaluacion").await;
    w.due_in_time("1.3", after(today(), 10), 10).await;
    w.act("evaluacion", "1.3", None).await;
    let quarter = yesterday().checked_add(jiff::Span::new().days(90)).unwrap();
    let (light, line) = w.term("2.1").await;
    assert!(
        line.ends_with(&format!("vence {}", day(quarter))),
        "the quarter counts ninety natural days from the meeting: {line}"
    );
    assert_eq!(light, "semaforo-verde");
    w.s.shot("seguimiento").await;

    // The first report's evidence falls short and is completed; the División integrates the
    // quarter's report at 100 %, the Coordinación spreads it, and the agreements are done.
    w.steps(&[
        ("evaluacion", "2.1", None),
        ("acuerdos", "2.2", Some("No")),
        ("evaluacion", "2.3", None),
        ("acuerdos", "2.2", Some("Sí")),
    ])
    .await;
    w.s.fill("avance", "100").await;
    w.s.act("2.4", None).await;
    w.steps(&[
        ("analisis", "2.5", None),
        ("acuerdos", "2.6", Some("Sí")),
        ("acuerdos", "3.1", None),
        ("analisis", "3.2", None),
        ("acuerdos", "3.3", None),
    ])
    .await;
    let page = w.concluded(13).await;
    assert!(page.contains("Reunión nacional"));
    w.s.client.quit().await;
}
