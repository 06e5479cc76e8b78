//! Recurring work (issue 19, item 4; `docs/recurring.md`): schedules that open a case of a
//! procedure, or a line of a follow-up program (the PTCI's quarterly report, a PAT's monthly
//! progress report), on each occurrence, by themselves, and seed 000's matriz de entrega.
//!
//! **Who.** Administrators define, list, switch and run schedules. The matriz is seen by the
//! people of the informes oficiales procedure's units (the Secretario Técnico and the
//! Coordinación de Asesores) and of the units above them, and by administrators.
//!
//! **Exactly once.** `run` computes each active schedule's occurrences up to today
//! (`turno_domain::recurrence`, on the calendar of the procedure's regime) and opens every one
//! not opened yet, oldest first, so that occurrences missed while no server ran are caught up.
//! Each case is opened with `Target::FromSchedule`: the store records the occurrence in the
//! case start's transaction under a key unique per schedule and occurrence, so that any number
//! of processes running at once open each occurrence once (the others' starts are rolled back,
//! `Refusal::OccurrenceOpened`). A line is opened likewise (`Schedules::open_line`: the
//! occurrence recorded in the transaction that adds the line).

use crate::app::App;
use crate::checked::Checked;
use crate::commands::CommandError;
use crate::commands::start_case;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use crate::programs::{ActivityDraft, ItemDraft};
use crate::register::asked_fields;
use jiff::civil::Date;
use std::collections::BTreeMap;
use turno_domain::definition::Procedure;
use turno_domain::engine::{Actor, Start};
use turno_domain::followup::LineKind;
use turno_domain::recurrence::matrix::{Expected, Matrix};
use turno_domain::recurrence::{
    Adjustment, FIRST_YEAR, Frequency, LAST_YEAR, Occurrence, Recurrence, period_label,
};
use turno_domain::text::day;
use turno_store::schedules::{LineLink, NewSchedule, Schedule};
use turno_store::{FolioRule, NewCase, Refusal, Schedules, Store, StoreError, Target, Unit};

/// Seed 000's informes oficiales, whose schedules the matriz de entrega reads.
pub const INFORMES: &str = "sidss-informes-oficiales";

/// The longest title a schedule gives its cases: the period is added to it.
pub const TITLE: usize = limits::NAME - 40;

/// The longest term to deliver, in días hábiles.
pub const MAX_TERM_DAYS: i32 = 365;

/// A schedule as typed (the page's form and the API's body alike); dates `AAAA-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub name: String,
    /// The procedure's key; each case starts on its newest version.
    pub procedure: String,
    /// The unit the cases are about (the Dirección General that reports).
    pub unit: String,
    pub title: String,
    /// `anual`, `semestral`, `trimestral`, `mensual` or `fechas`.
    pub frequency: String,
    /// The dates of a schedule `fechas`.
    pub dates: Vec<String>,
    pub first_date: String,
    /// Blank: no end.
    pub last_date: String,
    /// `ninguno`, `siguiente` or `anterior`.
    pub adjustment: String,
    /// Días hábiles to deliver, from each occurrence.
    pub term_days: String,
    /// The follow-up program whose lines it opens, by key; blank: it opens cases of
    /// `procedure` (then blank).
    pub program: String,
    /// The procedure's fields by name, as typed; for a program's line, the line's values by
    /// name ([`LINE_FIELDS`]).
    pub fields: BTreeMap<String, String>,
}

/// The values of a line a schedule opens, by name (besides its text, the schedule's `title`;
/// its responsible unit, `unit`; and its activity's term, `term_days`): the kind of line
/// (`agreement`, `commitment`, `observation`, `line`, `risk`, `control_action`), its activity
/// and what proves it, an observation's number, a PAT line's indicator, annual goal and
/// quarterly goals.
pub const LINE_FIELDS: [&str; 10] = [
    "kind",
    "activity",
    "products",
    "reference",
    "indicator",
    "goal",
    "quarter_goals[0]",
    "quarter_goals[1]",
    "quarter_goals[2]",
    "quarter_goals[3]",
];

/// A schedule as the pages and the API show it.
#[derive(Debug, Clone)]
pub struct ScheduleView {
    pub schedule: Schedule,
    pub recurrence: Recurrence,
    /// The procedure's title, when it is in the library.
    pub procedure_title: Option<String>,
    /// How many occurrences it opened.
    pub opened: usize,
    /// Its next occurrence after today, if any.
    pub next: Option<Occurrence>,
}

/// What running the schedules did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ran {
    /// The folios of the cases opened, in the order they were.
    pub opened: Vec<String>,
    /// The lines opened, each as «PROGRAMA LÍNEA» (`PTCI-2026 CI3`), in the order they were.
    pub lines: Vec<String>,
    /// Occurrences another process opened first.
    pub taken: usize,
    /// Schedules that could not open a case (their procedure gone or its fields changed), by
    /// name with the reason; the others ran.
    pub failed: Vec<(String, String)>,
}

fn admin(user: &Principal) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo los administradores definen y ejecutan las calendarizaciones.".into(),
        ))
    }
}

/// A date typed `AAAA-MM-DD`, within the years a schedule may name; `None` (noted) otherwise.
fn date(checked: &mut Checked, field: &str, what: &str, text: &str) -> Option<Date> {
    match text.trim().parse::<Date>() {
        Ok(d) if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) => Some(d),
        Ok(_) => {
            checked.wrong(
                field,
                format!("{what} debe caer entre {FIRST_YEAR} y {LAST_YEAR}."),
            );
            None
        }
        Err(_) => {
            checked.wrong(
                field,
                format!("Escriba {} como AAAA-MM-DD.", what.to_lowercase()),
            );
            None
        }
    }
}

/// The recurrence a stored schedule holds.
fn recurrence_of(s: &Schedule) -> Result<Recurrence, Error> {
    let dates: Vec<Date> = serde_json::from_str(&s.dates)
        .map_err(|e| Error::internal(format!("schedule {}: dates {e}", s.id)))?;
    let frequency = Frequency::from_code(&s.frequency, dates)
        .ok_or_else(|| Error::internal(format!("schedule {}: frequency", s.id)))?;
    let adjustment = Adjustment::from_code(&s.adjustment)
        .ok_or_else(|| Error::internal(format!("schedule {}: adjustment", s.id)))?;
    Recurrence::new(frequency, s.first_date, s.last_date, adjustment)
        .map_err(|e| Error::internal(format!("schedule {}: {e}", s.id)))
}

/// Reads a schedule's fields through the procedure's own rules, every problem by its field.
fn fields_of(
    procedure: &Procedure,
    given: &BTreeMap<String, String>,
    checked: &mut Checked,
) -> BTreeMap<String, turno_domain::engine::Value> {
    crate::fields::read(
        given,
        &asked_fields(procedure),
        &|_| "El dato no existe en este procedimiento.".into(),
        checked,
    )
}

/// Defines a schedule (administrators): every value checked together, each problem by its
/// field (`name`, `procedure`, `unit`, `title`, `frequency`, `dates`, `first_date`,
/// `last_date`, `adjustment`, `term_days`, and the procedure's fields by their names).
pub async fn create(app: &App, user: &Principal, asked: Asked) -> Result<i64, Error> {
    admin(user)?;
    let mut checked = Checked::default();
    let name = checked.line("name", "el nombre", &asked.name, limits::NAME, true);
    let title = checked.line("title", "el asunto de los casos", &asked.title, TITLE, true);
    let unit = checked.line("unit", "la unidad", &asked.unit, limits::CODE, true);
    let program = asked.program.trim().to_owned();
    let procedure = if program.is_empty() {
        let found = app
            .library
            .current()
            .latest(asked.procedure.trim())
            .cloned();
        if found.is_none() {
            checked.wrong("procedure", "Elija un procedimiento del catálogo.");
        }
        found
    } else {
        if !asked.procedure.trim().is_empty() {
            checked.wrong(
                "procedure",
                "Una calendarización abre asuntos de un procedimiento o líneas de un programa, \
                 no ambos: deje uno en blanco.",
            );
        }
        None
    };
    if !unit.is_empty() && !app.store.units().await?.iter().any(|u| u.code == unit) {
        checked.wrong("unit", format!("La unidad «{unit}» no existe."));
    }
    let first = date(
        &mut checked,
        "first_date",
        "La primera fecha",
        &asked.first_date,
    );
    let last = match asked.last_date.trim() {
        "" => None,
        text => date(&mut checked, "last_date", "La última fecha", text),
    };
    let mut dates = Vec::new();
    for text in asked
        .dates
        .iter()
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
    {
        if let Some(d) = date(&mut checked, "dates", &format!("La fecha «{text}»"), text) {
            dates.push(d);
        }
    }
    let frequency = Frequency::from_code(asked.frequency.trim(), dates);
    if frequency.is_none() {
        checked.wrong(
            "frequency",
            "Elija la periodicidad: anual, semestral, trimestral, mensual o en fechas dadas.",
        );
    }
    let adjustment = match asked.adjustment.trim() {
        "" => Some(Adjustment::Following),
        code => Adjustment::from_code(code),
    };
    if adjustment.is_none() {
        checked.wrong(
            "adjustment",
            "Elija qué pasa con una fecha inhábil: se queda, pasa al día hábil siguiente o al anterior.",
        );
    }
    let term_days = match asked.term_days.trim().parse::<i32>() {
        Ok(n) if (0..=MAX_TERM_DAYS).contains(&n) => n,
        _ => {
            checked.wrong(
                "term_days",
                format!("Escriba el plazo de entrega en días hábiles, de 0 a {MAX_TERM_DAYS}."),
            );
            0
        }
    };
    let fields = asked
        .fields
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), v.trim().to_owned()))
        .collect::<BTreeMap<_, _>>();
    let sample = first.unwrap_or_else(|| app.today());
    if let Some(procedure) = &procedure {
        fields_of(procedure, &on_date(&fields, sample), &mut checked);
    }
    if !program.is_empty() {
        if term_days == 0 && !checked.refuses("term_days") {
            checked.wrong(
                "term_days",
                format!(
                    "Escriba el plazo de la actividad de cada línea en días hábiles, de 1 a \
                     {MAX_TERM_DAYS}."
                ),
            );
        }
        let draft = LineTemplate {
            title: &title,
            unit: &unit,
            term_days,
            given: &fields,
        }
        .draft(&mut checked, sample, "");
        if let Some(draft) = draft
            && let Err(e) = crate::programs::scheduled_line(app, &program, &draft).await
        {
            refused_line(&mut checked, e)?;
        }
    }
    let recurrence = match (frequency, first, adjustment) {
        (Some(frequency), Some(first), Some(adjustment)) => {
            match Recurrence::new(frequency, first, last, adjustment) {
                Ok(r) => Some(r),
                Err(e) => {
                    let field = match e {
                        turno_domain::recurrence::RecurrenceError::LastBeforeFirst { .. } => {
                            "last_date"
                        }
                        _ => "dates",
                    };
                    checked.wrong(field, e.to_string());
                    None
                }
            }
        }
        _ => None,
    };
    checked.done()?;
    let (Some(recurrence), true) = (recurrence, procedure.is_some() || !program.is_empty()) else {
        return Err(Error::internal(
            "a schedule with problems passed the checks",
        ));
    };
    let dates = match recurrence.frequency() {
        Frequency::Dates(dates) => dates.iter().map(|d| d.to_string()).collect(),
        _ => Vec::new(),
    };
    let schedule = NewSchedule {
        name,
        procedure_key: procedure.map(|p| p.key.clone()).unwrap_or_default(),
        unit_code: unit,
        title,
        fields: serde_json::to_string(&fields).map_err(|e| Error::internal(e.to_string()))?,
        frequency: recurrence.frequency().code().to_owned(),
        dates: serde_json::to_string(&dates).map_err(|e| Error::internal(e.to_string()))?,
        first_date: recurrence.first(),
        last_date: recurrence.last(),
        adjustment: recurrence.adjustment().code().to_owned(),
        term_days,
        program_key: (!program.is_empty()).then_some(program),
    };
    let at = app.clock.now().to_string();
    let id = app
        .store
        .create_schedule(&schedule, &user.login, &at)
        .await
        .map_err(|e| match e {
            StoreError::Refused(Refusal::ScheduleNameTaken(name)) => {
                Error::InvalidFields(vec![crate::FieldProblem::new(
                    "name",
                    format!("Ya hay una calendarización llamada «{name}»: elija otro nombre."),
                )])
            }
            other => other.into(),
        })?;
    tracing::info!(schedule = id, user = %user.login, "schedule created");
    Ok(id)
}

async fn view(app: &App, schedule: Schedule, today: Date) -> Result<ScheduleView, Error> {
    let recurrence = recurrence_of(&schedule)?;
    let procedure = app
        .library
        .current()
        .latest(&schedule.procedure_key)
        .cloned();
    let calendars = app.calendars.current();
    let regime = procedure
        .as_ref()
        .map_or(turno_domain::calendar::Regime::Lfpa, |p| p.regime);
    let calendar = calendars.get(regime);
    let horizon = Date::new(LAST_YEAR, 12, 31).map_err(|e| Error::internal(e.to_string()))?;
    let next = today
        .tomorrow()
        .ok()
        .and_then(|from| recurrence.between(calendar, from, horizon).first().copied());
    let opened = app.store.opened_of(schedule.id).await?.len();
    Ok(ScheduleView {
        procedure_title: procedure.map(|p| p.title.clone()),
        schedule,
        recurrence,
        opened,
        next,
    })
}

/// Every schedule (administrators), by name.
pub async fn list(app: &App, user: &Principal) -> Result<Vec<ScheduleView>, Error> {
    admin(user)?;
    let today = app.today();
    let mut views = Vec::new();
    for schedule in app.store.schedules().await? {
        views.push(view(app, schedule, today).await?);
    }
    Ok(views)
}

/// One schedule (administrators).
pub async fn show(app: &App, user: &Principal, id: i64) -> Result<ScheduleView, Error> {
    admin(user)?;
    let schedule = app
        .store
        .schedule(id)
        .await?
        .ok_or_else(|| Error::NotFound("No existe esa calendarización.".into()))?;
    view(app, schedule, app.today()).await
}

/// Turns a schedule on or off (administrators).
pub async fn set_active(app: &App, user: &Principal, id: i64, active: bool) -> Result<(), Error> {
    admin(user)?;
    if app
        .store
        .set_schedule_active(id, active, &user.login)
        .await?
    {
        Ok(())
    } else {
        Err(Error::NotFound("No existe esa calendarización.".into()))
    }
}

/// Runs the schedules now, as the scheduler does (administrators).
pub async fn run_now(app: &App, user: &Principal) -> Result<Ran, Error> {
    admin(user)?;
    run(app).await
}

/// Opens every occurrence of the active schedules due by today that no case opened yet (the
/// scheduler's step; any number of processes may run it at once).
pub async fn run(app: &App) -> Result<Ran, Error> {
    let moment = app.moment();
    run_at(app, &moment.context()).await
}

/// The text a schedule's field may hold to be given each occurrence's date (`AAAA-MM-DD`): a
/// supervision's visit date, a report's cut-off.
pub const OCCURRENCE_DATE: &str = "{fecha}";

/// The fields as typed, with each occurrence's date where they say [`OCCURRENCE_DATE`].
fn on_date(given: &BTreeMap<String, String>, date: Date) -> BTreeMap<String, String> {
    given
        .iter()
        .map(|(k, v)| (k.clone(), v.replace(OCCURRENCE_DATE, &date.to_string())))
        .collect()
}

/// [`run`] at the moment `ctx` says (the demo's past, a test's clock): the occurrences due by
/// `ctx.today`, each case opened then.
pub async fn run_at(app: &App, ctx: &turno_domain::engine::Context<'_>) -> Result<Ran, Error> {
    let mut ran = Ran::default();
    for schedule in app.store.schedules().await? {
        if !schedule.active || schedule.first_date > ctx.today {
            continue;
        }
        if let Some(program) = &schedule.program_key {
            open_lines(app, ctx, &schedule, program, &mut ran).await?;
            continue;
        }
        let Some(procedure) = app
            .library
            .current()
            .latest(&schedule.procedure_key)
            .cloned()
        else {
            ran.failed.push((
                schedule.name.clone(),
                format!(
                    "El procedimiento «{}» ya no se publica.",
                    schedule.procedure_key
                ),
            ));
            continue;
        };
        let recurrence = recurrence_of(&schedule)?;
        let calendar = ctx.calendars.get(procedure.regime);
        let opened = app.store.opened_of(schedule.id).await?;
        let given: BTreeMap<String, String> =
            serde_json::from_str(&schedule.fields).map_err(|e| Error::internal(e.to_string()))?;
        for occurrence in recurrence.between(calendar, schedule.first_date, ctx.today) {
            if opened.binary_search(&occurrence.nominal).is_ok() {
                continue;
            }
            let mut checked = Checked::default();
            let fields = fields_of(&procedure, &on_date(&given, occurrence.date), &mut checked);
            if !checked.is_empty() {
                ran.failed.push(failure(&schedule.name, checked));
                break;
            }
            let case = NewCase {
                folio: FolioRule::for_procedure(&procedure, None, ctx.today.year()),
                title: format!(
                    "{} — {}",
                    schedule.title,
                    period_label(recurrence.frequency(), occurrence.nominal)
                ),
                channel: Some("Calendarización".into()),
                requester: Some(schedule.unit_code.clone()),
            };
            let target = Target::FromSchedule {
                case,
                schedule: schedule.id,
                nominal: occurrence.nominal,
                falls_on: occurrence.date,
            };
            let start = Start {
                by: Actor::system(),
                fields,
            };
            match start_case(&app.store, &procedure, target, start, ctx, None).await {
                Ok(committed) => {
                    tracing::info!(folio = %committed.folio, schedule = schedule.id, occurrence = %occurrence.nominal, "scheduled case opened");
                    ran.opened.push(committed.folio);
                }
                Err(CommandError::Store(StoreError::Refused(Refusal::OccurrenceOpened {
                    ..
                }))) => ran.taken += 1,
                Err(other) => return Err(other.into()),
            }
        }
    }
    Ok(ran)
}

/// A line schedule's values, as typed: what each occurrence's line is made of.
struct LineTemplate<'a> {
    title: &'a str,
    unit: &'a str,
    term_days: i32,
    given: &'a BTreeMap<String, String>,
}

impl LineTemplate<'_> {
    /// The line an occurrence falling on `date` opens (its text the title with `period`, its
    /// activity from that day for the term), or its kind's problem in `checked`.
    fn draft(&self, checked: &mut Checked, date: Date, period: &str) -> Option<ItemDraft> {
        let given = on_date(self.given, date);
        let value = |name: &str| given.get(name).cloned().unwrap_or_default();
        let Some(kind) = LineKind::parse(value("kind").trim()) else {
            checked.wrong(
                "kind",
                "Elija el tipo de línea: agreement, commitment, observation, line, risk o \
                 control_action.",
            );
            return None;
        };
        let text = match period {
            "" => self.title.to_owned(),
            period => format!("{} — {period}", self.title),
        };
        let activity = ActivityDraft {
            description: value("activity"),
            start: date.to_string(),
            end: String::new(),
            days: self.term_days.to_string(),
            products: value("products"),
        };
        Some(ItemDraft {
            reference: value("reference"),
            indicator: value("indicator"),
            goal: value("goal"),
            quarters: [0, 1, 2, 3].map(|q| value(&format!("quarter_goals[{q}]"))),
            ..ItemDraft::new(kind, text, self.unit.to_owned(), vec![activity])
        })
    }
}

/// A schedule's occurrence not opened: the schedule's name and its problems, each after its
/// field, on one line.
fn failure(schedule: &str, checked: Checked) -> (String, String) {
    let problems: Vec<String> = checked
        .into_problems()
        .into_iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect();
    (schedule.to_owned(), problems.join(" "))
}

/// A line's refusal as a schedule's: each problem by the schedule's field that gave it (the
/// line's text is the title, its unit the schedule's, its activity's term `term_days`), unless
/// that field was refused already by the schedule's own checks; a missing or unfit program by
/// `program`.
fn refused_line(checked: &mut Checked, e: Error) -> Result<(), Error> {
    match e {
        Error::InvalidFields(problems) => {
            for p in problems {
                let field = match p.field.as_str() {
                    "text" => "title",
                    "responsible" => "unit",
                    "activities" | "activities[0].description" => "activity",
                    "activities[0].products" => "products",
                    f if f.starts_with("activities[0].") => "term_days",
                    f => f,
                }
                .to_owned();
                if !checked.refuses(&field) {
                    checked.wrong(&field, p.message);
                }
            }
        }
        Error::NotFound(message) | Error::Refused(message) => checked.wrong("program", message),
        other => return Err(other),
    }
    Ok(())
}

/// Opens every occurrence of `schedule` due by `ctx.today` and not opened yet as a line of
/// `program`, oldest first (on the LFPA calendar, as programs count their terms); a line that
/// no longer passes (the program gone, a unit retired) is told in `ran` and the schedule stops.
async fn open_lines(
    app: &App,
    ctx: &turno_domain::engine::Context<'_>,
    schedule: &Schedule,
    program: &str,
    ran: &mut Ran,
) -> Result<(), Error> {
    let recurrence = recurrence_of(schedule)?;
    let calendar = ctx.calendars.get(turno_domain::calendar::Regime::Lfpa);
    let opened = app.store.opened_of(schedule.id).await?;
    let given: BTreeMap<String, String> =
        serde_json::from_str(&schedule.fields).map_err(|e| Error::internal(e.to_string()))?;
    let template = LineTemplate {
        title: &schedule.title,
        unit: &schedule.unit_code,
        term_days: schedule.term_days,
        given: &given,
    };
    for occurrence in recurrence.between(calendar, schedule.first_date, ctx.today) {
        if opened.binary_search(&occurrence.nominal).is_ok() {
            continue;
        }
        let period = period_label(recurrence.frequency(), occurrence.nominal);
        let mut checked = Checked::default();
        let line = match template.draft(&mut checked, occurrence.date, &period) {
            Some(draft) => match crate::programs::scheduled_line(app, program, &draft).await {
                Ok(line) => Some(line),
                Err(e) => {
                    refused_line(&mut checked, e)?;
                    None
                }
            },
            None => None,
        };
        let Some(line) = line else {
            ran.failed.push(failure(&schedule.name, checked));
            break;
        };
        let link = LineLink {
            schedule: schedule.id,
            nominal: occurrence.nominal,
            falls_on: occurrence.date,
            program: program.to_owned(),
        };
        let by = Actor::system().user;
        match app
            .store
            .open_line(&link, line, &by, &ctx.now.to_string())
            .await
        {
            Ok(Some(item)) => {
                tracing::info!(program, item = %item.key(), schedule = schedule.id, occurrence = %occurrence.nominal, "scheduled line opened");
                ran.lines.push(format!("{program} {}", item.key()));
            }
            Ok(None) => {
                ran.failed.push((
                    schedule.name.clone(),
                    format!("El programa «{program}» ya no existe."),
                ));
                break;
            }
            Err(StoreError::Refused(Refusal::OccurrenceOpened { .. })) => ran.taken += 1,
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}

/// The matriz de entrega as made for a period.
#[derive(Debug, Clone)]
pub struct DeliveryMatrix {
    pub from: Date,
    pub to: Date,
    pub today: Date,
    pub matrix: Matrix,
    /// The units of the rows, by code.
    pub units: BTreeMap<String, String>,
}

/// Whether `user` sees the matriz: the people of the informes oficiales' units and of the units
/// above them, administrators.
pub fn may_see_matrix(app: &App, user: &Principal) -> bool {
    user.is_admin()
        || app.library.current().latest(INFORMES).is_some_and(|p| {
            p.participants
                .iter()
                .filter_map(|part| part.unit.as_ref())
                .any(|unit| user.visible_units.contains(unit))
        })
}

/// The matriz de entrega of the period `from..=to` (`AAAA-MM-DD`, as typed; each problem by
/// its field `desde`, `hasta`): every report the informes oficiales' schedules expect in it,
/// opened or not, and where each stands today.
pub async fn matrix(
    app: &App,
    user: &Principal,
    from: &str,
    to: &str,
) -> Result<DeliveryMatrix, Error> {
    if !may_see_matrix(app, user) {
        return Err(Error::Denied(
            "La matriz de entrega la ven el Secretario Técnico, la Coordinación de Asesores, \
             sus unidades superiores y los administradores."
                .into(),
        ));
    }
    let mut checked = Checked::default();
    let from = date(&mut checked, "desde", "La fecha inicial", from);
    let to = date(&mut checked, "hasta", "La fecha final", to);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        checked.wrong("hasta", "La fecha final es anterior a la inicial.");
    }
    checked.done()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::internal("a period with problems passed the checks"));
    };
    let moment = app.moment();
    let calendar = moment.calendars.get(
        app.library
            .current()
            .latest(INFORMES)
            .map_or(turno_domain::calendar::Regime::Lfpa, |p| p.regime),
    );
    let opened = app
        .store
        .opened_occurrences(Some(INFORMES), from, to)
        .await?;
    let mut expected = Vec::new();
    for schedule in app.store.schedules().await? {
        if schedule.procedure_key != INFORMES {
            continue;
        }
        let recurrence = recurrence_of(&schedule)?;
        for occurrence in recurrence.between(calendar, from, to) {
            let case = opened
                .iter()
                .find(|o| o.schedule_id == schedule.id && o.occurrence == occurrence.nominal);
            let received = match case.and_then(|c| c.received_at.as_deref()) {
                Some(at) => Some(
                    at.parse::<jiff::Timestamp>()
                        .map_err(|e| Error::internal(e.to_string()))?
                        .to_zoned(app.time_zone.clone())
                        .date(),
                ),
                None => None,
            };
            expected.push(Expected {
                unit: schedule.unit_code.clone(),
                period: period_label(recurrence.frequency(), occurrence.nominal),
                opened: occurrence.date,
                term_days: schedule.term_days,
                received,
                folio: case.map(|c| c.case_folio.clone()).unwrap_or_default(),
            });
        }
    }
    let units: BTreeMap<String, String> = app
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u: &Unit| expected.iter().any(|e| e.unit == u.code))
        .map(|u| (u.code, u.name))
        .collect();
    Ok(DeliveryMatrix {
        from,
        to,
        today: moment.today,
        matrix: Matrix::build(&expected, calendar, moment.today),
        units,
    })
}

impl DeliveryMatrix {
    /// The unit's name, or its code.
    pub fn unit_name(&self, code: &str) -> String {
        self.units
            .get(code)
            .map_or(code.to_owned(), |name| format!("{code} — {name}"))
    }

    /// The matriz as titled tables (its CSV, XLSX and PDF): the period, the matriz (a row per
    /// Dirección General, a column per period), each report in detail, and the totals.
    pub fn tables(&self) -> Vec<(String, Vec<Vec<String>>)> {
        let m = &self.matrix;
        let mut grid = vec![
            std::iter::once("Dirección General".to_owned())
                .chain(m.periods.iter().cloned())
                .collect::<Vec<_>>(),
        ];
        let mut detail = vec![
            [
                "Dirección General",
                "Periodo",
                "Folio",
                "Fecha límite",
                "Recibido",
                "Estado",
                "Días hábiles de retraso",
            ]
            .map(str::to_owned)
            .to_vec(),
        ];
        for row in &m.rows {
            let mut line = vec![self.unit_name(&row.unit)];
            for (column, period) in m.periods.iter().enumerate() {
                let cells = row
                    .cells
                    .get(&column)
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                line.push(
                    cells
                        .iter()
                        .map(|c| c.delivery.label())
                        .collect::<Vec<_>>()
                        .join("; "),
                );
                for c in cells {
                    detail.push(vec![
                        row.unit.clone(),
                        period.clone(),
                        c.folio.clone(),
                        day(c.due),
                        c.received.map(day).unwrap_or_default(),
                        c.delivery.label().to_owned(),
                        c.days_late.to_string(),
                    ]);
                }
            }
            grid.push(line);
        }
        let totals = std::iter::once(vec!["Estado".to_owned(), "Informes".to_owned()])
            .chain(
                m.totals
                    .iter()
                    .map(|(d, n)| vec![d.label().to_owned(), n.to_string()]),
            )
            .collect();
        vec![
            (
                "Matriz de entrega de informes oficiales".to_owned(),
                vec![
                    vec![
                        "Periodo".to_owned(),
                        format!("{} a {}", day(self.from), day(self.to)),
                    ],
                    vec!["Fecha de corte".to_owned(), day(self.today)],
                ],
            ),
            ("Matriz".to_owned(), grid),
            ("Informes esperados".to_owned(), detail),
            ("Totales".to_owned(), totals),
        ]
    }

    pub fn csv(&self) -> Vec<u8> {
        crate::report::tables_csv(&self.tables())
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::report::tables_xlsx(&self.tables())
    }

    /// The files' name: `matriz-entrega-AAAA-MM-DD-AAAA-MM-DD`.
    pub fn file_name(&self) -> String {
        format!("matriz-entrega-{}-{}", self.from, self.to)
    }
}
