//! `turno demo`: a working system in one command. A local SQLite database with the seed
//! procedures, the units they name, a demo user for each role and a few dozen cases at
//! different stages, some started days or months ago so that the semáforo shows every colour
//! on the definitions' own terms; then it serves on http://127.0.0.1:8080.

mod efirma;
mod petitions;

use crate::commands::database::block_on;
use crate::commands::serve::{ServeArgs, listen, prepare};
use crate::data;
use anyhow::Context as _;
use clap::Args;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;
use turno_app::Principal;
use turno_app::commands::{RouteSigner, follow_route, follow_route_signing, start_case, sweep};
use turno_domain::definition::{ParticipantKind, Procedure};
use turno_domain::engine::{Actor, Context, DueStatus};
use turno_domain::simulate::{Driver, Step, route, sample_fields, showing};
use turno_store::calendar::{self, CalendarImportError};
use turno_store::organization::{self, ImportError};
use turno_store::{AnyStore, FolioRule, NewCase, NewUser, Role, Schedules, Store};
use turno_web::AppState;

#[derive(Args)]
pub struct DemoArgs {
    /// Address to serve on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: String,
    /// The demo database (created and filled when it has no users yet).
    #[arg(long, default_value = "turno-demo.db")]
    db: PathBuf,
    /// Folder of procedure definitions [default: the seed library built into turno].
    #[arg(long)]
    procedures: Option<PathBuf>,
    /// Folder of organization files (`*.toml`, docs/org-format.md) [default: the seeds'
    /// organizations built into turno].
    #[arg(long)]
    org: Option<PathBuf>,
    /// Folder of yearly non-working-day files (`*.toml`, docs/calendar-data.md), imported into
    /// the demo database [default: the DOF agreements built into turno].
    #[arg(long)]
    calendars: Option<PathBuf>,
    /// Folder where the demo's e.firma files are written when the database is filled: a
    /// certificate (`<login>.cer`) and an encrypted key (`<login>.key`) for each demo person who
    /// signs, issued by a demo certification authority made then.
    #[arg(long, default_value = "demo-efirma")]
    efirma: PathBuf,
}

/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "turno-demo";

/// Demo users: login, name, unit, role.
pub const DEMO_USERS: &[(&str, &str, &str, Role)] = &[
    (
        "admin",
        "Administración del sistema",
        "SIDSS-ST",
        Role::Administrador,
    ),
    (
        "secretario",
        "Secretario Técnico (SIDSS)",
        "SIDSS-ST",
        Role::Titular,
    ),
    (
        "asesores",
        "Coordinación de Asesores (SIDSS)",
        "SIDSS-CAS",
        Role::Operador,
    ),
    (
        "dgcef",
        "Titular de la DGCEF (CNPSS)",
        "CNPSS-DGCEF",
        Role::Titular,
    ),
    (
        "deef",
        "Dirección de Enlace con Entidades Federativas",
        "CNPSS-DEEF",
        Role::Operador,
    ),
    (
        "enlace",
        "Enlace de los REPSS (registra sus respuestas)",
        "CNPSS-DEEF",
        Role::EnlaceExterno,
    ),
    (
        "consulta",
        "Consulta de la DGCEF",
        "CNPSS-DGCEF",
        Role::Consulta,
    ),
    (
        "enlace.jal",
        "Enlace del REPSS de Jalisco (ve solo lo turnado a Jalisco)",
        "EF-JAL",
        Role::EnlaceExterno,
    ),
    (
        "atencion",
        "Módulo de atención: Subdirección de Atención Ciudadana (ve todas las peticiones)",
        "CNPSS-SAC",
        Role::Titular,
    ),
    (
        "vinculacion",
        "Departamento de Vinculación Social (clasifica, emite volantes y revisa los FUR)",
        "CNPSS-DVS",
        Role::Operador,
    ),
    (
        "enlace.ac.jal",
        "Enlace de Atención Ciudadana del REPSS de Jalisco (responde los volantes en el FUR)",
        "REPSS-JAL",
        Role::EnlaceExterno,
    ),
    (
        "doye",
        "Titular de la Dirección de Operación y Evaluación (IMSS)",
        "IMSS-DOYE",
        Role::Titular,
    ),
];

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    crate::logging::init();
    let settings = ServeArgs {
        addr: Some(args.addr.clone()),
        database_url: Some(format!("sqlite://{}", args.db.display())),
        procedures: args.procedures.clone(),
        // The demo serves http://127.0.0.1: a Secure cookie would never come back.
        insecure_cookies: true,
        trust_forwarded_for: false,
        ..ServeArgs::default()
    }
    .resolve()?;
    block_on(async {
        let state = prepare(&settings)
            .await
            .context("cannot prepare the demo")?;
        if state.store.user_by_login("admin").await?.is_none() {
            let org = data::read_or(args.org.as_slice(), data::ORG)?;
            let calendars = data::read_or(args.calendars.as_slice(), data::CALENDARS)?;
            seed(&state, &org, &calendars, &args.efirma).await?;
        }
        println!("Turno (demostración) en http://{}", settings.addr);
        println!("Usuarios de demostración, todos con la contraseña «{DEMO_PASSWORD}»:");
        for (login, name, unit, role) in DEMO_USERS {
            println!("  {login:<13} {:<14} {unit:<12} {name}", role.label());
        }
        if args.efirma.is_dir() {
            println!(
                "e.firma de demostración (autoridad certificadora de la demostración) en {}: \
                 <usuario>.cer y <usuario>.key de {}; contraseña de las llaves «{}»",
                args.efirma.display(),
                efirma::SIGNERS
                    .iter()
                    .map(|s| s.0)
                    .collect::<Vec<_>>()
                    .join(", "),
                efirma::KEY_PASSWORD
            );
        }
        listen(&settings, state).await
    })?
}

/// The calendar, the organizations of the seeds, the demo users, and the cases.
async fn seed(
    state: &AppState,
    org: &data::Files,
    calendars: &data::Files,
    efirma_folder: &std::path::Path,
) -> anyhow::Result<()> {
    let store = &state.store;
    match calendar::import(store, &data::named(calendars), "demo").await {
        Ok(_) => {}
        Err(CalendarImportError::Invalid(problems)) => {
            return Err(invalid("the calendar files", &problems));
        }
        Err(CalendarImportError::Store(e)) => return Err(e.into()),
    }
    // The demo's cases count their terms on it.
    state.reload_calendars().await?;
    match organization::import(store, &data::named(org), "demo").await {
        Ok(_) => {}
        Err(ImportError::Invalid(problems)) => {
            return Err(invalid("the organization files", &problems));
        }
        Err(ImportError::Store(e)) => return Err(e.into()),
    }
    // Every responsible unit of the procedures must be one of the organization's.
    let known: HashSet<String> = store.units().await?.into_iter().map(|u| u.code).collect();
    for procedure in state.library.current().iter() {
        for participant in &procedure.participants {
            if let (ParticipantKind::Internal, Some(code)) = (&participant.kind, &participant.unit)
                && !known.contains(code)
            {
                anyhow::bail!(
                    "procedure {} names the unit {code}, which the organization files do not define",
                    procedure.key,
                );
            }
        }
    }
    let hash = turno_web::auth::hash_password(DEMO_PASSWORD)
        .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
    for (login, name, unit, role) in DEMO_USERS {
        let id = match store.user_by_login(login).await? {
            Some(record) => record.user.id,
            None => {
                store
                    .create_user(
                        &NewUser {
                            login: (*login).into(),
                            name: (*name).into(),
                            email: None,
                            password_hash: Some(hash.clone()),
                        },
                        "demo",
                    )
                    .await?
            }
        };
        store.add_membership(id, unit, *role, "demo").await?;
    }
    let authority = efirma::DemoAuthority::create(state, efirma_folder).await?;
    let procedures: Vec<_> = state.library.current().newest().cloned().collect();
    let moment = state.moment();
    for procedure in &procedures {
        let path = route(procedure, procedure.first_activity(), None).unwrap_or_default();
        // Three stages: just registered, half way, concluded.
        for (n, steps) in [0, path.len() / 2, path.len()].into_iter().enumerate() {
            let title = format!("ejemplo {}", n + 1);
            let ctx = moment.context();
            demo_case(state, procedure, &title, &path[..steps], &ctx, &authority).await?;
        }
    }
    // Cases of every colour of the semáforo: started as many days ago as their terms need,
    // with the clock of the simulator, and the overdue ones swept as the scheduler would.
    for (want, label) in [
        (DueStatus::OnTime, "en tiempo"),
        (DueStatus::DueSoon, "por vencer"),
        (DueStatus::Overdue, "vencido"),
    ] {
        let shown = procedures.iter().filter_map(|p| {
            showing(p, &moment.calendars, state.thresholds, moment.today, want).map(|s| (p, s))
        });
        for (procedure, show) in shown.take(SEMAFORO_CASES) {
            let driver = Driver::new(procedure, &moment.calendars, show.start);
            let title = format!("semáforo: {label}");
            let ctx = driver.context();
            demo_case(state, procedure, &title, &show.steps, &ctx, &authority).await?;
        }
    }
    sweep(
        &state.store,
        &state.library.current(),
        &state.moment().context(),
    )
    .await?;
    correspondence(state).await?;
    outgoing_documents(state).await?;
    signed_with_efirma(state, &authority).await?;
    answered_by_a_person(state).await?;
    petitions::petitions(state).await?;
    recurring(state).await?;
    indicator_tables(state).await?;
    evaluation_visit(state).await?;
    programs(state).await
}

/// The Direcciones Generales that deliver seed 000's informes oficiales in the demo.
const REPORTING: [&str; 6] = [
    "SSA-DGCS",
    "SSA-DGRI",
    "CNPSS-DGAO",
    "CNPSS-DGF",
    "CNPSS-DGGSS",
    "CNPSS-DGCEF",
];

/// Recurring work (issue 19): seed 000's semestral informes oficiales of the Direcciones
/// Generales since January of last year, the DGCEF's monthly report, and the annual
/// supervision plan of the 32 entidades federativas (procedure 94, from next year); opened as
/// the scheduler would have opened each on its day, and most reports received, some late,
/// some not, so that the matriz de entrega shows every state.
async fn recurring(state: &AppState) -> anyhow::Result<()> {
    use turno_app::schedules::{self, Asked, INFORMES, OCCURRENCE_DATE};
    let admin = principal(state, "admin").await?;
    let today = state.today();
    let units = state.store.units().await?;
    let name_of = |code: &str| {
        units
            .iter()
            .find(|u| u.code == code)
            .map_or(code.to_owned(), |u| u.name.clone())
    };
    let fields = |pairs: &[(&str, &str)]| {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let informe =
        |name: String, unit: &str, frequency: &str, first: String, term: &str, kind: &str| {
            let dg = name_of(unit);
            Asked {
                name,
                procedure: INFORMES.into(),
                unit: unit.into(),
                title: format!("{kind} de la {dg}"),
                frequency: frequency.into(),
                dates: Vec::new(),
                first_date: first,
                last_date: String::new(),
                adjustment: "siguiente".into(),
                term_days: term.into(),
                program: String::new(),
                fields: fields(&[("tipo_informe", kind), ("direccion_general", &dg)]),
            }
        };
    for unit in REPORTING {
        let asked = informe(
            format!("Informe semestral: {}", name_of(unit)),
            unit,
            "semestral",
            format!("{}-01-15", today.year() - 1),
            "10",
            "Informe semestral de avance",
        );
        schedules::create(state, &admin, asked).await?;
    }
    let monthly = informe(
        "Informe mensual de la DGCEF".into(),
        "CNPSS-DGCEF",
        "mensual",
        format!("{}-01-05", today.year()),
        "5",
        "Informe mensual de avance del Sistema de Protección Social en Salud",
    );
    schedules::create(state, &admin, monthly).await?;
    let entidades: Vec<_> = units.iter().filter(|u| u.code.starts_with("EF-")).collect();
    for (i, entidad) in entidades.iter().enumerate() {
        // Four visits a month from February, a week apart.
        let month = 2 + i / 4;
        let day = 2 + 7 * (i % 4);
        let asked = Asked {
            name: format!("Plan anual de supervisión: {}", entidad.name),
            procedure: "cnpss-94".into(),
            unit: entidad.code.clone(),
            title: format!("Supervisión del SPSS en {}", entidad.name),
            frequency: "anual".into(),
            dates: Vec::new(),
            first_date: format!("{}-{month:02}-{day:02}", today.year() + 1),
            last_date: String::new(),
            adjustment: "siguiente".into(),
            term_days: "30".into(),
            program: String::new(),
            fields: fields(&[
                ("entidad_federativa", &entidad.name),
                ("fecha_visita", OCCURRENCE_DATE),
                ("direcciones_supervisoras", "DGAO,DGF,DGGSS,DGPO"),
            ]),
        };
        schedules::create(state, &admin, asked).await?;
    }
    // As the scheduler would have: each occurrence opened on the día hábil it fell on.
    let moment = state.moment();
    let mut days: Vec<jiff::civil::Date> = Vec::new();
    for view in schedules::list(state, &admin).await? {
        let calendar = moment.calendars.get(turno_domain::calendar::Regime::Lfpa);
        days.extend(
            view.recurrence
                .between(calendar, view.schedule.first_date, today)
                .iter()
                .map(|o| o.date),
        );
    }
    days.sort_unstable();
    days.dedup();
    let noon = |day: jiff::civil::Date| -> anyhow::Result<jiff::Timestamp> {
        Ok(day
            .at(12, 0, 0, 0)
            .to_zoned(state.time_zone.clone())?
            .timestamp())
    };
    for day in days {
        let ctx = Context {
            now: noon(day)?,
            today: day,
            calendars: &moment.calendars,
        };
        schedules::run_at(state, &ctx).await?;
    }
    // The Secretario Técnico receives most reports: four días hábiles after they were asked
    // for, some thirteen (late, past their ten), some never.
    let procedure = state
        .library
        .current()
        .latest(INFORMES)
        .context("the informes oficiales procedure is missing")?
        .clone();
    let first = route(&procedure, procedure.first_activity(), None).unwrap_or_default();
    let secretario = Actor {
        user: "secretario".into(),
        participant: None,
        substituting: None,
    };
    let calendar = moment.calendars.get(procedure.regime);
    let opened = state
        .store
        .opened_occurrences(Some(INFORMES), jiff::civil::Date::MIN, today)
        .await?;
    for (k, occurrence) in opened.iter().enumerate() {
        let after = match k % 4 {
            0 | 3 => 4,
            1 => 13,
            _ => continue,
        };
        let received = calendar.add_business_days(occurrence.falls_on, after)?;
        if received > today {
            continue;
        }
        let Some(case_id) = state.store.find_case(&occurrence.case_folio).await? else {
            continue;
        };
        let ctx = Context {
            now: noon(received)?,
            today: received,
            calendars: &moment.calendars,
        };
        follow_route(
            &state.store,
            &procedure,
            case_id,
            &first[..1.min(first.len())],
            &secretario,
            &ctx,
        )
        .await?;
    }
    Ok(())
}

/// The demo's report with indicator tables (`docs/indicators.md`).
const INDICATORS_REPORT: &str = "Informe semestral de afiliación y atención";

/// Three periods of one Dirección General's informe oficial with their indicator tables, as the
/// Secretario Técnico uploads them to its cases (the oldest first), with something for the
/// review of each: a total that does not add up, then a cumulative value that falls, a change
/// beyond 30 %, an indicator missing and a new one.
async fn indicator_tables(state: &AppState) -> anyhow::Result<()> {
    use turno_app::indicators::{Upload, upload};
    use turno_domain::indicators::{Indicator, Value, to_rows};
    let secretario = principal(state, "secretario").await?;
    let opened = state
        .store
        .opened_occurrences(
            Some(turno_app::indicators::PROCEDURE),
            jiff::civil::Date::MIN,
            state.today(),
        )
        .await?;
    // The schedule with the most occurrences opened, its first three.
    let Some(schedule) = opened
        .iter()
        .map(|o| o.schedule_id)
        .max_by_key(|id| opened.iter().filter(|o| o.schedule_id == *id).count())
    else {
        return Ok(());
    };
    let cases: Vec<_> = opened
        .iter()
        .filter(|o| o.schedule_id == schedule)
        .take(3)
        .collect();
    let row = |key: &str,
               name: &str,
               unit: &str,
               value: &str,
               cumulative: bool,
               total_of: Option<&str>| {
        Value::parse(value).map(|value| Indicator {
            key: key.into(),
            name: name.into(),
            unit: unit.into(),
            value,
            cumulative,
            total_of: total_of.map(str::to_owned),
        })
    };
    // Key, name, unit, cumulative, total, and each period's value ("" where it is missing).
    type Line<'a> = (
        &'a str,
        &'a str,
        &'a str,
        bool,
        Option<&'a str>,
        [&'a str; 3],
    );
    let lines: [Line; 7] = [
        (
            "AF",
            "Personas afiliadas",
            "personas",
            true,
            None,
            ["1200000", "1250000", "1230000"],
        ),
        (
            "AF-H",
            "Hombres afiliados",
            "personas",
            true,
            Some("AF"),
            ["580000", "600000", "600000"],
        ),
        (
            "AF-M",
            "Mujeres afiliadas",
            "personas",
            true,
            Some("AF"),
            ["620000", "640000", "630000"],
        ),
        (
            "COB",
            "Cobertura de la población objetivo",
            "%",
            false,
            None,
            ["78.5", "80.1", "55"],
        ),
        (
            "CONS",
            "Consultas otorgadas",
            "consultas",
            true,
            None,
            ["350000", "720000", "1100000"],
        ),
        (
            "QUE",
            "Quejas atendidas",
            "quejas",
            false,
            None,
            ["1200", "1300", ""],
        ),
        (
            "SAT",
            "Satisfacción de las personas usuarias",
            "%",
            false,
            None,
            ["", "", "91.2"],
        ),
    ];
    for (n, occurrence) in cases.iter().enumerate() {
        let indicators = lines
            .iter()
            .filter_map(|(key, name, unit, cumulative, total, values)| {
                row(key, name, unit, values[n], *cumulative, *total)
            })
            .collect::<Vec<_>>();
        let csv = turno_domain::followup::to_csv(&to_rows(&indicators));
        let end = occurrence.occurrence.to_string();
        let period = format!(
            "Periodo con corte al {}",
            turno_domain::text::day(occurrence.occurrence)
        );
        let file_name = format!("indicadores-{end}.csv");
        upload(
            state,
            &secretario,
            &occurrence.case_folio,
            Upload {
                report: INDICATORS_REPORT,
                period: &period,
                end: &end,
                file_name: &file_name,
                content: csv.as_bytes(),
            },
        )
        .await?;
    }
    Ok(())
}

/// A remote evaluation of an OOAD and a UMAE by the Dirección de Operación y Evaluación (seed
/// 004, §7.1.1: evaluation of the desconcentrated organs, also at a distance, and the
/// improvement plans they owe), with two findings, its plan and one action done with evidence.
async fn evaluation_visit(state: &AppState) -> anyhow::Result<()> {
    use turno_app::programs::{ProgressChange, record};
    use turno_app::visits::{
        ActionDraft, FindingDraft, VisitDraft, make_plan, plan, record_finding,
    };
    use turno_domain::org::Level;
    use turno_store::UnitInput;
    use turno_store::blobs::BlobStore;
    use turno_store::followup::{ActivityAt, EvidenceFile};
    // The organs evaluated, which the manual names but the organization files do not list.
    for (code, name) in [
        (
            "IMSS-OOAD-JAL",
            "Órgano de Operación Administrativa Desconcentrada Estatal Jalisco",
        ),
        (
            "IMSS-UMAE-CMNO",
            "UMAE Hospital de Especialidades, Centro Médico Nacional de Occidente",
        ),
    ] {
        let unit = UnitInput {
            code: code.into(),
            name: name.into(),
            level: Level::OrganoDesconcentrado,
            parent_code: Some("IMSS".into()),
        };
        state.store.upsert_unit(&unit, "demo").await?;
    }
    let doye = principal(state, "doye").await?;
    let day = |days: i64| -> anyhow::Result<String> {
        Ok(state
            .today()
            .checked_sub(jiff::Span::new().days(days))?
            .to_string())
    };
    let lines = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
    let id = plan(
        state,
        &doye,
        &VisitDraft {
            modality: "remote".into(),
            units: lines(&["IMSS-OOAD-JAL", "IMSS-UMAE-CMNO"]),
            from: day(24)?,
            to: day(22)?,
            team: lines(&["doye"]),
            purpose: "Evaluación a distancia del cumplimiento de los documentos normativos \
                      internos en el funcionamiento del OOAD Jalisco y de la UMAE del CMN de \
                      Occidente, conforme al esquema de evaluación de la Coordinación de \
                      Evaluación de la Calidad Médica (manual de organización, 7.1.1.1)."
                .into(),
            aspects: lines(&[
                "Abasto de medicamentos e insumos",
                "Atención de quejas de derechohabientes",
                "Congruencia y veracidad de la información reportada",
            ]),
        },
    )
    .await?;
    let cedula = b"Cedula de resultados de la evaluacion a distancia\n".as_slice();
    let stored = state.blobs.put(cedula).await?;
    let file = EvidenceFile {
        sha256: stored.sha256,
        mime: "text/plain".into(),
    };
    for (aspect, description, severity, evidence) in [
        (
            "Abasto de medicamentos e insumos",
            "El 12 % de las recetas del trimestre se surtió incompleto en la UMAE; el inventario \
             del almacén no concilia con el sistema.",
            "high",
            Some(("cedula-abasto.txt".to_owned(), file.clone())),
        ),
        (
            "Atención de quejas de derechohabientes",
            "El OOAD respondió fuera de plazo 18 de 60 quejas del periodo.",
            "medium",
            None,
        ),
    ] {
        let draft = FindingDraft {
            aspect: aspect.into(),
            description: description.into(),
            severity: severity.into(),
        };
        record_finding(state, &doye, id, &draft, evidence).await?;
    }
    let action = |finding: &str, description: &str, responsible: &str, products: &str| {
        Ok::<_, anyhow::Error>(ActionDraft {
            finding: finding.into(),
            description: description.into(),
            responsible: responsible.into(),
            start: day(15)?,
            end: "20 días hábiles".into(),
            products: products.into(),
        })
    };
    let key = make_plan(
        state,
        &doye,
        id,
        "PM-OOAD-JAL-2026",
        &[
            action(
                "1",
                "Conciliar el inventario del almacén con el sistema",
                "IMSS-UMAE-CMNO",
                "Acta de conciliación del inventario",
            )?,
            action(
                "2",
                "Responder las quejas pendientes y reforzar el control de plazos",
                "IMSS-OOAD-JAL",
                "Reporte de quejas atendidas",
            )?,
        ],
    )
    .await?;
    let admin = principal(state, "admin").await?;
    record(
        state,
        &admin,
        ActivityAt {
            program: &key,
            item: "R1",
            activity: 1,
        },
        ProgressChange {
            progress: 100,
            note: "Inventario conciliado".into(),
            ..ProgressChange::default()
        },
        Some(("acta-conciliacion.txt".into(), file)),
    )
    .await?;
    Ok(())
}

/// A line of a demo program: its kind, text, unit, what its kind adds (an observation's
/// number; a PAT line's indicator, annual goal and quarterly goals), and its activities
/// (description, first and last quarter of this year).
type DemoLine = (
    turno_domain::followup::LineKind,
    &'static str,
    &'static str,
    &'static str,
    Option<(&'static str, &'static str, [u8; 4])>,
    &'static [(&'static str, u8, u8)],
);

/// A demo program: its kind, key, name, heading (body, reference, and whether it has the
/// meeting's date) and lines.
type DemoProgram = (
    turno_domain::followup::ProgramKind,
    &'static str,
    &'static str,
    [&'static str; 3],
    &'static [DemoLine],
);

/// One program of each kind written down line by line, from the functions seed 004 gives the
/// Dirección de Operación y Evaluación and its units (`org/imss-doye.toml`), registered by the
/// administrator through the application's use case, as the page would; the first activity of
/// each is a quarter along.
async fn programs(state: &AppState) -> anyhow::Result<()> {
    use turno_app::programs::{
        ActivityDraft, ItemDraft, ProgramDraft, ProgressChange, create_program, record,
    };
    use turno_domain::followup::{LineKind as L, ProgramKind as K};
    use turno_store::followup::ActivityAt;
    let admin = principal(state, "admin").await?;
    let year = state.today().year();
    let quarter_days = |q: u8, last: bool| {
        let end = turno_domain::followup::Quarter::new(year, q).map(|q| q.end());
        match (last, end) {
            (true, Some(end)) => end.to_string(),
            _ => jiff::civil::date(year, (q as i8 - 1) * 3 + 1, 1).to_string(),
        }
    };
    let programs: [DemoProgram; 6] = [
        (
            K::Agreements,
            "REUNION-DOYE-1",
            "Acuerdos de la reunión multidisciplinaria de la DOyE",
            [
                "Reunión de trabajo multidisciplinaria",
                "Primera sesión ordinaria",
                "held",
            ],
            &[
                (
                    L::Agreement,
                    "Identificar las áreas de oportunidad operativas transversales de los Órganos de Operación Administrativa Desconcentrada y proponer su solución.",
                    "IMSS-UEOD",
                    "",
                    None,
                    &[("Presentar el análisis de áreas de oportunidad", 1, 1)],
                ),
                (
                    L::Commitment,
                    "Remitir a las Direcciones Normativas la información captada de las peticiones de la derechohabiencia para implementar acciones de mejora.",
                    "IMSS-CGAOD",
                    "",
                    None,
                    &[("Enviar el concentrado trimestral", 1, 2)],
                ),
            ],
        ),
        (
            K::Commitments,
            "COMPROMISOS-HCT",
            "Compromisos ante el H. Consejo Técnico",
            ["H. Consejo Técnico del IMSS", "", ""],
            &[(
                L::Commitment,
                "Informar los resultados de las visitas de evaluación a los Órganos de Operación Administrativa Desconcentrada.",
                "IMSS-UEOD",
                "",
                None,
                &[("Integrar el informe semestral de resultados", 1, 2)],
            )],
        ),
        (
            K::Audit,
            "ASF-DOYE",
            "Observaciones de la auditoría de desempeño a la evaluación de órganos desconcentrados",
            [
                "Auditoría Superior de la Federación",
                "Auditoría 2024-1-19GYR-07-0230",
                "",
            ],
            &[(
                L::Observation,
                "La evaluación de las delegaciones no verificó el seguimiento de los planes de mejora con fechas de cumplimiento.",
                "IMSS-CECM",
                "2024-1-19GYR-07-0230-07-001",
                None,
                &[(
                    "Documentar el seguimiento de los planes de mejora y remitir la evidencia al ente fiscalizador",
                    1,
                    2,
                )],
            )],
        ),
        (
            K::Pat,
            "PAT-UEOD",
            "Programa Anual de Trabajo de la Unidad de Evaluación de Órganos Desconcentrados",
            ["", "", ""],
            &[
                (
                    L::Line,
                    "Ejecutar el calendario anual de evaluación de los Órganos de Operación Administrativa Desconcentrada.",
                    "IMSS-CECM",
                    "",
                    Some((
                        "Porcentaje de órganos evaluados",
                        "35 órganos evaluados",
                        [25, 50, 75, 100],
                    )),
                    &[
                        ("Visitas de evaluación del primer semestre", 1, 2),
                        ("Visitas de evaluación del segundo semestre", 3, 4),
                    ],
                ),
                (
                    L::Line,
                    "Evaluar la administración y finanzas de los órganos desconcentrados.",
                    "IMSS-CEAF",
                    "",
                    Some((
                        "Evaluaciones administrativas concluidas",
                        "35 evaluaciones",
                        [20, 50, 80, 100],
                    )),
                    &[("Evaluaciones administrativas y financieras", 1, 4)],
                ),
            ],
        ),
        (
            K::Ptar,
            "PTAR-DOYE",
            "Programa de Trabajo de Administración de Riesgos de la DOyE",
            ["", "", ""],
            &[(
                L::Risk,
                "Planes de mejora de los órganos desconcentrados sin seguimiento a su cumplimiento.",
                "IMSS-CECM",
                "",
                None,
                &[
                    (
                        "Establecer un tablero de seguimiento de los planes de mejora",
                        1,
                        2,
                    ),
                    (
                        "Verificar trimestralmente el cumplimiento de los planes",
                        2,
                        4,
                    ),
                ],
            )],
        ),
        (
            K::Ptci,
            "PTCI-DOYE",
            "Programa de Trabajo de Control Interno de la DOyE",
            ["", "", ""],
            &[(
                L::ControlAction,
                "Actualizar y difundir los documentos normativos internos de las áreas de la Dirección.",
                "IMSS-DOYE",
                "",
                None,
                &[("Actualizar el manual de procedimientos de evaluación", 1, 3)],
            )],
        ),
    ];
    for (kind, key, name, [body, reference, held], lines) in programs {
        let drafts: Vec<ItemDraft> = lines
            .iter()
            .map(|(line, text, unit, observation, goal, activities)| {
                let mut draft = ItemDraft::new(
                    *line,
                    (*text).to_owned(),
                    (*unit).to_owned(),
                    activities
                        .iter()
                        .map(|(description, from, to)| ActivityDraft {
                            description: (*description).to_owned(),
                            start: quarter_days(*from, false),
                            end: quarter_days(*to, true),
                            ..ActivityDraft::default()
                        })
                        .collect(),
                );
                draft.reference = (*observation).to_owned();
                if let Some((indicator, annual, quarters)) = goal {
                    draft.indicator = (*indicator).to_owned();
                    draft.goal = (*annual).to_owned();
                    draft.quarters = quarters.map(|q| q.to_string());
                }
                draft
            })
            .collect();
        let held_on = if held.is_empty() {
            String::new()
        } else {
            quarter_days(1, false)
        };
        let program = create_program(
            state,
            &admin,
            ProgramDraft {
                key,
                name,
                kind: Some(kind),
                body,
                reference,
                held_on: &held_on,
                year: &year.to_string(),
                folio: None,
            },
            &drafts,
        )
        .await?;
        if let Some(first) = program.items.first() {
            let at = ActivityAt {
                program: key,
                item: &first.key(),
                activity: 1,
            };
            let change = ProgressChange {
                progress: 25,
                note: "Avance reportado en la reunión de seguimiento.".into(),
                ..ProgressChange::default()
            };
            record(state, &admin, at, change, None).await?;
        }
    }
    scheduled_report(state, &admin, year).await
}

/// The PTCI's quarterly progress report as a schedule of lines (issue 19): from the year's
/// first quarter, each occurrence adds a line «Reporte de avance trimestral» to PTCI-DOYE with
/// ten días hábiles to deliver; run now, as a server catching up would.
async fn scheduled_report(state: &AppState, admin: &Principal, year: i16) -> anyhow::Result<()> {
    use turno_app::schedules::{self, Asked};
    let fields = [
        ("kind", "control_action"),
        (
            "activity",
            "Integrar y entregar al Órgano Interno de Control el reporte de avance con corte al {fecha}",
        ),
        ("products", "Reporte de avance trimestral firmado"),
    ];
    let asked = Asked {
        name: "Reporte de avance trimestral del PTCI de la DOyE".into(),
        procedure: String::new(),
        unit: "IMSS-DOYE".into(),
        title: "Reporte de avance trimestral del PTCI".into(),
        frequency: "trimestral".into(),
        dates: Vec::new(),
        first_date: format!("{year}-01-10"),
        last_date: String::new(),
        adjustment: "siguiente".into(),
        term_days: "10".into(),
        program: "PTCI-DOYE".into(),
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    };
    schedules::create(state, admin, asked).await?;
    let ran = schedules::run(state).await?;
    anyhow::ensure!(
        ran.failed.is_empty(),
        "the PTCI's schedule: {:?}",
        ran.failed
    );
    Ok(())
}

/// The version of an outgoing document a step is taken on.
async fn version(state: &AppState, user: &Principal, id: i64) -> anyhow::Result<i64> {
    let view = turno_app::correspondence::outgoing::show(state, user, id).await?;
    Ok(view.document.version)
}

/// A demo user as the application loads them.
async fn principal(state: &AppState, login: &str) -> anyhow::Result<Principal> {
    let user = state
        .store
        .user_by_login(login)
        .await?
        .with_context(|| format!("the demo user {login} is missing"))?
        .user;
    Ok(Principal::load(&state.store, &user, state.today()).await?)
}

/// An incoming document of the demo: where it is registered and by whom, what it is, how
/// many days ago it came, and what is then done with it.
struct Incoming {
    by: &'static str,
    unit: &'static str,
    kind: &'static str,
    sender: (&'static str, &'static str, &'static str, &'static str),
    subject: &'static str,
    days_ago: i64,
    term_days: &'static str,
    classification: &'static str,
    turns: &'static [(&'static str, &'static str, &'static str)],
    /// After turning: who answers (`atender`), returns (`devolver`) or opens the document
    /// (`leer`) for the turn to which unit, with what text.
    then: Option<(&'static str, &'static str, &'static str, &'static str)>,
    /// How many days ago that was done (the document is turned as it comes): so that the
    /// correspondence report has turns answered in time and late.
    then_days_ago: i64,
}

/// Incoming correspondence at every stage for the demo's units, drawn from the seeds: an
/// opinion on a legislative initiative (procedure 103), requests for the quarterly reports
/// (procedure 93), the Programa de ASM's progress (seed 003), a petition by letter, a
/// classified complaint for the Dirección de Operación y Evaluación (seed 004).
const INCOMING: &[Incoming] = &[
    Incoming {
        by: "doye",
        unit: "IMSS-DOYE",
        kind: "oficio",
        sender: (
            "externa",
            "Dip. Laura Méndez",
            "Presidenta de la Comisión de Seguridad Social",
            "Cámara de Diputados",
        ),
        subject: "Solicitud de opinión institucional sobre la iniciativa que reforma el artículo 251 de la Ley del Seguro Social",
        days_ago: 6,
        term_days: "10",
        classification: "publica",
        turns: &[
            ("IMSS-UEOD", "opinion", "5"),
            ("IMSS-COSCOA", "conocimiento", ""),
        ],
        then: None,
        then_days_ago: 0,
    },
    Incoming {
        by: "secretario",
        unit: "SIDSS-ST",
        kind: "memorandum",
        sender: (
            "unidad",
            "Titular de la DGCEF",
            "Director General",
            "CNPSS-DGCEF",
        ),
        subject: "Solicitud del reporte cuantitativo y cualitativo de avances del Sistema de Protección Social en Salud, tercer trimestre",
        days_ago: 3,
        term_days: "5",
        classification: "publica",
        turns: &[("SIDSS-CAS", "preparar_respuesta", "5")],
        then: None,
        then_days_ago: 0,
    },
    Incoming {
        by: "secretario",
        unit: "SIDSS-ST",
        kind: "circular",
        sender: (
            "unidad",
            "Titular de la DGCEF",
            "Director General",
            "CNPSS-DGCEF",
        ),
        subject: "Calendario de entrega de los informes oficiales del ejercicio",
        days_ago: 2,
        term_days: "",
        classification: "publica",
        turns: &[("SIDSS-CAS", "conocimiento", "")],
        then: Some(("asesores", "leer", "SIDSS-CAS", "")),
        then_days_ago: 1,
    },
    Incoming {
        by: "secretario",
        unit: "SIDSS-ST",
        kind: "oficio",
        sender: (
            "externa",
            "Dra. Ana López",
            "Directora de Planeación",
            "Servicios de Salud del Estado de Querétaro",
        ),
        subject: "Remite el avance del Programa de Aspectos Susceptibles de Mejora 2017",
        days_ago: 9,
        term_days: "15",
        classification: "publica",
        turns: &[("SIDSS-CAS", "atencion", "10")],
        then: Some((
            "asesores",
            "devolver",
            "SIDSS-CAS",
            "Corresponde a la Dirección General de Evaluación del Desempeño: devuélvase para su turno a esa unidad.",
        )),
        then_days_ago: 7,
    },
    Incoming {
        by: "secretario",
        unit: "SIDSS-ST",
        kind: "oficio",
        sender: (
            "externa",
            "Lic. Jorge Ramírez",
            "Secretario del Consejo",
            "Consejo Nacional de Salud",
        ),
        subject: "Invitación a la sesión ordinaria del Consejo Nacional de Salud",
        days_ago: 12,
        term_days: "3",
        classification: "publica",
        turns: &[("SIDSS-CAS", "atencion", "3")],
        then: Some((
            "asesores",
            "atender",
            "SIDSS-CAS",
            "Se confirmó la asistencia del Secretario Técnico por correo del Consejo.",
        )),
        // Answered today, days after its term of 3 días hábiles: late.
        then_days_ago: 0,
    },
    Incoming {
        by: "secretario",
        unit: "SIDSS-ST",
        kind: "oficio",
        sender: (
            "externa",
            "Mtro. Óscar Villalobos",
            "Director de Financiamiento",
            "Régimen Estatal de Protección Social en Salud de Jalisco",
        ),
        subject: "Solicita la conciliación de las cuotas sociales transferidas en el segundo trimestre",
        days_ago: 20,
        term_days: "10",
        classification: "publica",
        turns: &[("SIDSS-CAS", "atencion", "10")],
        // Answered five days after it came: in time.
        then: Some((
            "asesores",
            "atender",
            "SIDSS-CAS",
            "Se remitió la conciliación con las cifras del segundo trimestre.",
        )),
        then_days_ago: 15,
    },
    Incoming {
        by: "secretario",
        unit: "SIDSS-ST",
        kind: "oficio",
        sender: (
            "externa",
            "C.P. Rosa Elena Medina",
            "Titular del Órgano Interno de Control",
            "Órgano Interno de Control en la Secretaría de Salud",
        ),
        subject: "Requiere la documentación soporte de las transferencias del ejercicio anterior",
        days_ago: 35,
        term_days: "5",
        classification: "publica",
        // Still pending, long past its term: red, more than 20 días hábiles old.
        turns: &[("SIDSS-CAS", "atencion", "5")],
        then: None,
        then_days_ago: 0,
    },
    Incoming {
        by: "dgcef",
        unit: "CNPSS-DGCEF",
        kind: "escrito",
        sender: ("particular", "María Hernández Ruiz", "", ""),
        subject: "Solicita información sobre su afiliación al Sistema de Protección Social en Salud en Jalisco",
        days_ago: 0,
        term_days: "10",
        classification: "confidencial",
        turns: &[],
        then: None,
        then_days_ago: 0,
    },
];

/// The demo's incoming documents, registered and turned through the application's use cases,
/// as people would.
async fn correspondence(state: &AppState) -> anyhow::Result<()> {
    use turno_app::correspondence::incoming::{Registration, register, show};
    use turno_app::correspondence::turns::{Outcome, TurnTo, close, turn};
    // Each document is registered and turned as it came, and answered when it was: the
    // application with its clock set then.
    let then = |days: i64| -> anyhow::Result<turno_app::App> {
        let mut app: turno_app::App = (**state).clone();
        let at = state
            .clock
            .now()
            .checked_sub(jiff::SignedDuration::from_hours(24 * days))?;
        app.clock = turno_app::Clock::manual(at);
        Ok(app)
    };
    // The first document the Secretario Técnico registers starts a case (issue 17, item 4).
    let mut starts_case = None;
    for doc in INCOMING {
        let by = principal(state, doc.by).await?;
        let came = then(doc.days_ago)?;
        let received_at = came.local_now().strftime("%Y-%m-%dT%H:%M").to_string();
        let (sender_kind, sender_name, sender_position, sender_organization) = doc.sender;
        let folio = register(
            &came,
            &by,
            Registration {
                unit: doc.unit,
                draft: turno_domain::correspondence::IncomingDraft {
                    kind: doc.kind,
                    sender_kind,
                    sender_name,
                    sender_position,
                    sender_organization,
                    received_at: &received_at,
                    subject: doc.subject,
                    classification: doc.classification,
                    term_days: doc.term_days,
                    ..Default::default()
                },
                in_reply_to: "",
                files: Vec::new(),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("the demo document «{}»: {e:?}", doc.subject))?
        .to_string();
        if starts_case.is_none() && doc.by == "secretario" {
            starts_case = Some(folio.clone());
        }
        let to: Vec<TurnTo> = doc
            .turns
            .iter()
            .map(|(unit, instruction, days)| TurnTo {
                unit,
                person: "",
                instruction,
                days,
                note: "",
            })
            .collect();
        let ids = if to.is_empty() {
            Vec::new()
        } else {
            turn(&came, &by, &folio, None, &to)
                .await
                .map_err(|e| anyhow::anyhow!("turning {folio}: {e:?}"))?
        };
        if let Some((login, action, unit, text)) = doc.then {
            let who = principal(state, login).await?;
            let id = doc
                .turns
                .iter()
                .zip(&ids)
                .find(|((u, _, _), _)| *u == unit)
                .map(|(_, id)| *id)
                .with_context(|| format!("{folio} is not turned to {unit}"))?;
            let at = then(doc.then_days_ago)?;
            let done = match action {
                "atender" => close(&at, &who, &folio, id, Outcome::Answered, text).await,
                "devolver" => close(&at, &who, &folio, id, Outcome::Returned, text).await,
                _ => show(&at, &who, &folio).await.map(drop),
            };
            done.map_err(|e| anyhow::anyhow!("{action} {folio}: {e:?}"))?;
        }
    }
    if let Some(folio) = starts_case {
        use turno_app::correspondence::cases::{StartInput, start_filled};
        let secretario = principal(state, "secretario").await?;
        let input = StartInput {
            procedure: "sidss-informes-oficiales".into(),
            fields: [
                ("tipo_informe", "Reporte trimestral de avances"),
                ("direccion_general", "DGCEF"),
            ]
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .into(),
            ..StartInput::default()
        };
        start_filled(state, &secretario, &folio, input, None)
            .await
            .map_err(|e| anyhow::anyhow!("a case from {folio}: {e:?}"))?;
    }
    Ok(())
}

/// Outgoing documents at every stage (issue 17): the Secretario Técnico's, reviewed by the
/// Coordinación de Asesores, and the IMSS Dirección de Operación y Evaluación's, which signs
/// without review; each taken there through the use cases, the signed scan being the
/// document's own PDF.
async fn outgoing_documents(state: &AppState) -> anyhow::Result<()> {
    use turno_app::correspondence::outgoing::{self, DraftInput, RecipientInput};
    use turno_domain::correspondence::{Stage, Step};
    let outside = |name: &str, title: &str, institution: &str| RecipientInput {
        unit: None,
        name: name.into(),
        title: title.into(),
        institution: institution.into(),
    };
    let unit = |code: &str| RecipientInput {
        unit: Some(code.into()),
        ..RecipientInput::default()
    };
    let reviewed = |subject: &str| DraftInput {
        unit: "SIDSS-ST".into(),
        kind: "oficio".into(),
        subject: subject.into(),
        body: "Por este medio me permito enviarle el informe trimestral de la Subsecretaría, \
               con el avance de los compromisos de la Dirección General.\n\nSin otro \
               particular, le envío un cordial saludo."
            .into(),
        attention_to: "Su oficio DGPLADES/0456 del 2 de marzo".into(),
        case_folio: String::new(),
        answers_turn: String::new(),
        recipients: vec![
            outside(
                "Lic. Rosa Pérez Gómez",
                "Directora General",
                "Servicios de Salud de Jalisco",
            ),
            unit("SIDSS-CAS"),
        ],
        copies: vec![unit("CNPSS-DGCEF")],
        reviewers: vec!["asesores".into()],
        signers: Vec::new(),
    };
    let secretario = principal(state, "secretario").await?;
    let asesores = principal(state, "asesores").await?;
    let doye = principal(state, "doye").await?;
    // (who drafts, its draft, the stage it is taken to)
    let mut plan = Vec::new();
    for (subject, stage) in [
        ("Envío del informe trimestral", Stage::Draft),
        ("Solicitud de información sobre el padrón", Stage::InReview),
        ("Opinión sobre la iniciativa de ley", Stage::Approved),
        ("Respuesta a la solicitud de la DGPLADES", Stage::Signed),
        ("Envío del programa anual de trabajo", Stage::Dispatched),
        ("Convocatoria que se firmó por error", Stage::Cancelled),
    ] {
        plan.push((&secretario, reviewed(subject), stage));
    }
    for (kind, subject, stage) in [
        (
            "memorandum",
            "Calendario de la correspondencia",
            Stage::Draft,
        ),
        (
            "circular",
            "Horario de la oficialía de partes",
            Stage::Signed,
        ),
        (
            "tarjeta_informativa",
            "Avance de las auditorías",
            Stage::Dispatched,
        ),
    ] {
        let draft = DraftInput {
            unit: "IMSS-DOYE".into(),
            kind: kind.into(),
            subject: subject.into(),
            body: "Se informa a las coordinaciones de la Dirección lo siguiente.".into(),
            recipients: vec![unit("IMSS-UEOD")],
            ..DraftInput::default()
        };
        plan.push((&doye, draft, stage));
    }
    for (drafter, draft, stage) in plan {
        let id = outgoing::draft(state, drafter, &draft).await?;
        let reviewing = !draft.reviewers.is_empty();
        if stage == Stage::Draft {
            continue;
        }
        if reviewing {
            outgoing::step(
                state,
                drafter,
                id,
                version(state, drafter, id).await?,
                Step::SendToReview,
                "",
            )
            .await?;
            if stage == Stage::InReview {
                continue;
            }
            outgoing::step(
                state,
                &asesores,
                id,
                version(state, drafter, id).await?,
                Step::Approve,
                "",
            )
            .await?;
            if stage == Stage::Approved {
                continue;
            }
        }
        sign(state, drafter, id).await?;
        match stage {
            Stage::Cancelled => {
                let reason = "Se firmó con el destinatario equivocado.";
                outgoing::step(
                    state,
                    drafter,
                    id,
                    version(state, drafter, id).await?,
                    Step::Cancel,
                    reason,
                )
                .await?;
            }
            Stage::Dispatched => dispatch(state, drafter, id).await?,
            _ => {}
        }
    }
    Ok(())
}

/// Oficios signed with the demo's e.firma: the Secretario Técnico's alone, and one the
/// Coordinación de Asesores signs first and the Secretario Técnico last (issue 18).
async fn signed_with_efirma(
    state: &AppState,
    authority: &efirma::DemoAuthority,
) -> anyhow::Result<()> {
    use turno_app::correspondence::outgoing::{self, DraftInput, RecipientInput};
    let secretario = principal(state, "secretario").await?;
    let asesores = principal(state, "asesores").await?;
    for (subject, signers) in [
        ("Envío del informe semestral, firmado con e.firma", vec![]),
        (
            "Informe conjunto de la Secretaría Técnica y la Coordinación de Asesores",
            vec!["asesores".to_owned(), "secretario".to_owned()],
        ),
    ] {
        let draft = DraftInput {
            unit: "SIDSS-ST".into(),
            kind: "oficio".into(),
            subject: subject.into(),
            body: "Por este medio le envío el informe de los compromisos de la Subsecretaría.\n\n\
                   Sin otro particular, le envío un cordial saludo."
                .into(),
            recipients: vec![RecipientInput {
                unit: Some("CNPSS-DGCEF".into()),
                ..RecipientInput::default()
            }],
            signers: signers.clone(),
            ..DraftInput::default()
        };
        let id = outgoing::draft(state, &secretario, &draft).await?;
        if signers.is_empty() {
            authority.sign_outgoing(state, &secretario, id).await?;
        } else {
            authority.sign_outgoing(state, &asesores, id).await?;
            authority.sign_outgoing(state, &secretario, id).await?;
        }
    }
    Ok(())
}

/// Signs outgoing document `id` as `who`, the signed scan being its own PDF.
async fn sign(state: &AppState, who: &Principal, id: i64) -> anyhow::Result<()> {
    use turno_app::correspondence::outgoing::{self, Upload};
    let view = outgoing::show(state, who, id).await?;
    let scan = Upload {
        name: "firmado.pdf".into(),
        content: turno_web::letter::pdf(&view)?,
    };
    outgoing::sign(state, who, id, view.document.version, &scan).await?;
    Ok(())
}

/// Dispatches outgoing document `id` as `who`, and records the acuse of its first addressee
/// outside (the units' come by themselves).
async fn dispatch(state: &AppState, who: &Principal, id: i64) -> anyhow::Result<()> {
    use turno_app::correspondence::outgoing::{self, AcuseInput};
    outgoing::dispatch(state, who, id, version(state, who, id).await?).await?;
    let view = outgoing::show(state, who, id).await?;
    let outside = view
        .document
        .recipients
        .iter()
        .position(|r| r.acuse.is_none());
    if let Some(at) = outside {
        let acuse = AcuseInput {
            recipient: at + 1,
            received_at: state.local_now().strftime("%Y-%m-%dT%H:%M").to_string(),
            received_by: "Oficialía de partes de los Servicios de Salud".into(),
            scan: None,
        };
        outgoing::record_acuse(state, who, id, &acuse).await?;
    }
    Ok(())
}

/// An incoming document turned to a person, who answers it with an oficio (issue 17): the
/// DGCEF turns a state's request to the Secretario Técnico himself, who drafts the answer
/// without review, signs it and dispatches it; the dispatch closes the turn, and the copy
/// arrives in the DGCEF's register.
async fn answered_by_a_person(state: &AppState) -> anyhow::Result<()> {
    use turno_app::correspondence::incoming::{Registration, register};
    use turno_app::correspondence::outgoing::{self, DraftInput, RecipientInput};
    use turno_app::correspondence::turns::{TurnTo, turn};
    let dgcef = principal(state, "dgcef").await?;
    let secretario = principal(state, "secretario").await?;
    let received_at = state.local_now().strftime("%Y-%m-%dT%H:%M").to_string();
    let (name, title, institution) = (
        "Dr. Luis Gómez Arriaga",
        "Director General",
        "Régimen Estatal de Protección Social en Salud de Jalisco",
    );
    let folio = register(
        state,
        &dgcef,
        Registration {
            unit: "CNPSS-DGCEF",
            draft: turno_domain::correspondence::IncomingDraft {
                kind: "oficio",
                sender_kind: "externa",
                sender_name: name,
                sender_position: title,
                sender_organization: institution,
                received_at: &received_at,
                subject: "Solicita el criterio para reportar a los afiliados reincorporados en el informe trimestral",
                classification: "publica",
                term_days: "10",
                ..Default::default()
            },
            in_reply_to: "",
            files: Vec::new(),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("the demo document turned to a person: {e:?}"))?
    .to_string();
    let to = [TurnTo {
        unit: "SIDSS-ST",
        person: "secretario",
        instruction: "preparar_respuesta",
        days: "10",
        note: "Responda directamente al Régimen Estatal, con copia a esta Dirección General.",
    }];
    let ids = turn(state, &dgcef, &folio, None, &to)
        .await
        .map_err(|e| anyhow::anyhow!("turning {folio} to a person: {e:?}"))?;
    let draft = DraftInput {
        unit: "SIDSS-ST".into(),
        kind: "oficio".into(),
        subject: "Criterio para reportar a los afiliados reincorporados".into(),
        body: "En atención a su oficio, los afiliados reincorporados se reportan en el trimestre                de su reincorporación, con la fecha de su nueva póliza.\n\nSin otro particular,                le envío un cordial saludo."
            .into(),
        attention_to: format!("Su oficio turnado con el folio {folio}"),
        answers_turn: ids
            .first()
            .with_context(|| format!("{folio} was turned to nobody"))?
            .to_string(),
        recipients: vec![RecipientInput {
            unit: None,
            name: name.into(),
            title: title.into(),
            institution: institution.into(),
        }],
        copies: vec![RecipientInput {
            unit: Some("CNPSS-DGCEF".into()),
            ..RecipientInput::default()
        }],
        ..DraftInput::default()
    };
    let id = outgoing::draft(state, &secretario, &draft).await?;
    sign(state, &secretario, id).await?;
    dispatch(state, &secretario, id).await
}

/// How many cases show each colour of the semáforo.
const SEMAFORO_CASES: usize = 3;

/// A case of `procedure` started and taken along `steps` at the moment `ctx` says, its
/// signed activities signed by `signer`'s demo people.
async fn demo_case(
    state: &AppState,
    procedure: &Procedure,
    title: &str,
    steps: &[Step],
    ctx: &Context<'_>,
    signer: &dyn RouteSigner,
) -> anyhow::Result<()> {
    let store: &AnyStore = &state.store;
    let short: String = procedure.title.chars().take(70).collect();
    let committed = start_case(
        store,
        procedure,
        NewCase {
            folio: FolioRule::for_procedure(procedure, None, ctx.today.year()),
            title: format!("{short}… ({title})"),
            channel: Some("Oficio".into()),
            requester: Some("Dirección General solicitante".into()),
        },
        turno_domain::engine::Start {
            by: Actor::system(),
            fields: sample_fields(procedure, ctx.today),
        },
        ctx,
        None,
    )
    .await?;
    let admin = Actor {
        user: "admin".into(),
        participant: None,
        substituting: None,
    };
    follow_route_signing(
        store,
        procedure,
        committed.case_id,
        steps,
        &admin,
        ctx,
        Some(signer),
    )
    .await?;
    Ok(())
}

/// Files that did not import, with every problem.
fn invalid(files: &str, problems: &[impl std::fmt::Display]) -> anyhow::Error {
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    anyhow::anyhow!("{files} have problems:\n{}", list.join("\n"))
}
