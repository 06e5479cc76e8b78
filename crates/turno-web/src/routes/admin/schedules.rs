//! `/admin/calendarizaciones`: recurring work (`turno_app::schedules`, as the API's
//! `/api/v1/schedules`): the schedules with their next occurrence and the cases each opened,
//! the form that defines one (the procedure chosen first, `?procedimiento=`, so that the form
//! asks for its fields; or a follow-up program, `?programa=`, whose lines it opens), running
//! them now, and switching one on or off. The scheduler of every
//! `turno serve` runs them by itself; running them here opens what is due, once.

use super::administrator;
use crate::auth::csrf::CsrfForm;
use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::filters;
use crate::forms::{
    Again, FieldInput, InputKind, Submitted, given, required, shown_again, single, values,
};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;
use turno_app::limits;
use turno_app::register::asked_fields;
use turno_app::schedules::{self, Asked, ScheduleView};
use turno_domain::definition::Procedure;
use turno_domain::recurrence::{Adjustment, Frequency};
use turno_store::Store;
use turno_store::followup::{Followup, ProgramHead};

/// The form's fields as the application names their problems.
const FIELDS: [&str; 11] = [
    "name",
    "procedure",
    "program",
    "unit",
    "title",
    "frequency",
    "dates",
    "first_date",
    "last_date",
    "adjustment",
    "term_days",
];

#[derive(Template)]
#[template(path = "admin_schedules.html")]
struct SchedulesPage {
    layout: Layout,
    schedules: Vec<ScheduleView>,
    /// The procedures a schedule may open, (key, title), and the one chosen.
    procedures: Vec<(String, String)>,
    procedure: Arc<Procedure>,
    units: UnitGroups,
    frequencies: Vec<(&'static str, &'static str)>,
    adjustments: Vec<(&'static str, &'static str)>,
    inputs: Vec<FieldInput>,
    /// The programs written down line by line a schedule may open lines of, (key, name), and
    /// the one chosen instead of a procedure, with the kinds of line it takes (code, label).
    programs: Vec<(String, String)>,
    program: Option<(String, String)>,
    line_kinds: Vec<(&'static str, String)>,
    adding: Again,
    max_name: usize,
    max_title: usize,
}

fn frequency_label(code: &str) -> &'static str {
    match code {
        "anual" => "Anual",
        "semestral" => "Semestral",
        "trimestral" => "Trimestral",
        "mensual" => "Mensual",
        _ => "En fechas dadas",
    }
}

fn adjustment_label(code: &str) -> &'static str {
    match Adjustment::from_code(code) {
        Some(Adjustment::None) => "Se queda en el día inhábil",
        Some(Adjustment::Preceding) => "Pasa al día hábil anterior",
        _ => "Pasa al día hábil siguiente",
    }
}

/// The procedure `key`, else the informes oficiales, else the first of the library.
fn chosen(state: &AppState, key: &str) -> Result<Arc<Procedure>, AppError> {
    let library = state.library.current();
    library
        .latest(key)
        .or_else(|| library.latest(schedules::INFORMES))
        .or_else(|| library.newest().next())
        .cloned()
        .ok_or_else(|| AppError::NotFound)
}

async fn page(
    state: &AppState,
    schedules: Vec<ScheduleView>,
    layout: Layout,
    (procedure, program): (Arc<Procedure>, &str),
    adding: Again,
) -> Result<SchedulesPage, AppError> {
    let chart = state.store.organization().await?;
    let heads: Vec<ProgramHead> = state
        .store
        .programs()
        .await?
        .into_iter()
        .filter(|p| p.plan.is_some())
        .collect();
    let chosen_program = heads.iter().find(|p| p.key == program.trim());
    let line_kinds = chosen_program.map_or_else(Vec::new, |p| {
        turno_app::programs::lines_of(p.plan.as_ref())
            .iter()
            .map(|k| (k.code(), turno_domain::text::capitalized(k.label())))
            .collect()
    });
    let unit = adding.value("unit").to_owned();
    let mut inputs: Vec<FieldInput> = procedure
        .fields
        .iter()
        .map(|f| FieldInput::new(&procedure, f, f.required))
        .collect();
    adding.fill(&mut inputs);
    Ok(SchedulesPage {
        layout,
        schedules,
        procedures: state
            .library
            .current()
            .newest()
            .map(|p| (p.key.clone(), p.title.clone()))
            .collect(),
        procedure,
        units: UnitGroups::new(&chart, |_| true, &[unit.as_str()]),
        frequencies: Frequency::CODES
            .iter()
            .map(|c| (*c, frequency_label(c)))
            .collect(),
        adjustments: Adjustment::CODES
            .iter()
            .map(|c| (*c, adjustment_label(c)))
            .collect(),
        inputs,
        program: chosen_program.map(|p| (p.key.clone(), p.name.clone())),
        programs: heads.into_iter().map(|p| (p.key, p.name)).collect(),
        line_kinds,
        adding,
        max_name: limits::NAME,
        max_title: schedules::TITLE,
    })
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let procedure = chosen(&state, single(&query, "procedimiento").unwrap_or_default())?;
    let program = single(&query, "programa").unwrap_or_default();
    let listed = schedules::list(&state, admin).await?;
    let page = page(
        &state,
        listed,
        frame.layout,
        (procedure, program),
        Again::default(),
    )
    .await?;
    crate::page::html(&page)
}

/// The schedule the form sent: a procedure's cases with its fields, or a program's lines
/// (`program`) with the line's values.
fn asked(procedure: &Procedure, submitted: &Submitted) -> Asked {
    let text = |name: &str| single(submitted, name).unwrap_or_default().to_owned();
    let program = text("program");
    let fields = if program.trim().is_empty() {
        given(&asked_fields(procedure), submitted)
    } else {
        schedules::LINE_FIELDS
            .into_iter()
            .map(|name| (name.to_owned(), text(name)))
            .collect()
    };
    Asked {
        name: text("name"),
        procedure: if program.trim().is_empty() {
            procedure.key.clone()
        } else {
            String::new()
        },
        program,
        unit: text("unit"),
        title: text("title"),
        frequency: text("frequency"),
        dates: values(submitted, "dates")
            .iter()
            .flat_map(|v| v.split(|c: char| c.is_whitespace() || c == ','))
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
            .collect(),
        first_date: text("first_date"),
        last_date: text("last_date"),
        adjustment: text("adjustment"),
        term_days: text("term_days"),
        fields,
    }
}

/// `POST /admin/calendarizaciones`: defines a schedule; refused, the form again with every
/// problem by its field and what was typed.
pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let procedure = chosen(&state, single(&submitted, "procedure").unwrap_or_default())?;
    match schedules::create(&state, admin, asked(&procedure, &submitted)).await {
        Ok(_) => {
            flash(
                &frame,
                &format!(
                    "Se guardó la calendarización «{}».",
                    single(&submitted, "name").unwrap_or_default()
                ),
            );
            Ok(Redirect::to("/admin/calendarizaciones").into_response())
        }
        Err(e) => {
            let mut shown: Vec<&str> = FIELDS.to_vec();
            let asked = asked_fields(&procedure);
            shown.extend(asked.iter().map(|(f, _)| f.name.as_str()));
            shown.extend(schedules::LINE_FIELDS);
            let program = single(&submitted, "program").unwrap_or_default().to_owned();
            let again = Again::refused(submitted, e, &shown)?;
            let status = again.status();
            let listed = schedules::list(&state, admin).await?;
            shown_again(
                status,
                &page(&state, listed, frame.layout, (procedure, &program), again).await?,
            )
        }
    }
}

/// `POST /admin/calendarizaciones/ejecutar`: opens now what the schedules owe.
pub async fn run(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(_submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let ran = schedules::run_now(&state, admin).await?;
    let mut message = match (ran.opened.len(), ran.lines.len()) {
        (0, 0) => "No había asuntos ni líneas pendientes de abrir.".to_owned(),
        (0, _) => String::new(),
        (1, _) => format!("Se abrió el asunto {}.", ran.opened[0]),
        (n, _) => format!("Se abrieron {n} asuntos: {}.", ran.opened.join(", ")),
    };
    match ran.lines.len() {
        0 => {}
        1 => message.push_str(&format!(" Se abrió la línea {}.", ran.lines[0])),
        n => message.push_str(&format!(
            " Se abrieron {n} líneas: {}.",
            ran.lines.join(", ")
        )),
    }
    for (name, why) in &ran.failed {
        message.push_str(&format!(" «{name}» no pudo abrir lo que le tocaba: {why}"));
    }
    flash(&frame, &message);
    Ok(Redirect::to("/admin/calendarizaciones"))
}

/// `POST /admin/calendarizaciones/estado`: switches a schedule on or off (`id`, `activa`).
pub async fn set_active(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let admin = administrator(&frame)?;
    let id: i64 = required(&submitted, "id", "Calendarización")?
        .parse()
        .map_err(|_| AppError::BadRequest("Esa calendarización no existe.".into()))?;
    let active = single(&submitted, "activa") == Some("si");
    schedules::set_active(&state, admin, id, active).await?;
    flash(
        &frame,
        if active {
            "La calendarización vuelve a abrir sus asuntos."
        } else {
            "La calendarización ya no abre asuntos."
        },
    );
    Ok(Redirect::to("/admin/calendarizaciones"))
}
