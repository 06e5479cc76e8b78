//! `GET /api/v1/dashboards`: a tablero, the figures of the page «Tableros»
//! (`turno_app::tablero`), as JSON or as its files (`formato=xlsx|pdf`); and
//! `GET /api/v1/dashboards/items`: the work items a figure counts (its drill-down). Who may see
//! which tablero is the application's.

use crate::api::auth::ApiUser;
use crate::api::error::{ApiError, ErrorBody, Json, Query};
use crate::documents::file_response;
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use turno_app::report::XLSX;
use turno_app::tablero::{self, Asked, Compared, DurationLine, Durations, Figure, Tablero};
use utoipa::{IntoParams, ToSchema};

/// The shapes a tablero comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DashboardFormat {
    Json,
    /// One sheet, the tables one under the other.
    Xlsx,
    /// The tables under their headings.
    Pdf,
}

/// Which tablero: a unit's (with the units below it), a procedure's, both, or neither (the
/// whole institution, for administrators); and its period in months.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DashboardQuery {
    /// The unit's code; its tablero counts the units below it.
    #[param(max_length = 40, pattern = "^[A-Za-z0-9-]*$", example = "SIDSS-ST")]
    unidad: Option<String>,
    /// The procedure's key.
    #[param(
        max_length = 40,
        pattern = "^[A-Za-z0-9_-]*$",
        example = "sidss-informes-oficiales"
    )]
    procedimiento: Option<String>,
    /// The period's first month (`AAAA-MM`); by default five months before the last.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2})?$", example = "2026-01")]
    desde: Option<String>,
    /// The period's last month (`AAAA-MM`), at most 24 months after the first; by default
    /// this month.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2})?$", example = "2026-06")]
    hasta: Option<String>,
    /// The shape of the answer: JSON when not given.
    formato: Option<DashboardFormat>,
}

/// The tablero the query's unit, procedure and months name.
fn asked<'a>(
    unit: &'a Option<String>,
    procedure: &'a Option<String>,
    from: &'a Option<String>,
    to: &'a Option<String>,
) -> Asked<'a> {
    let text = |v: &'a Option<String>| v.as_deref().unwrap_or_default();
    Asked {
        unit: text(unit),
        procedure: text(procedure),
        from: text(from),
        to: text(to),
    }
}

/// A figure in the period and in the period before it (as long, just before).
#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedBody {
    pub period: u64,
    pub previous: u64,
}

impl From<Compared> for ComparedBody {
    fn from(c: Compared) -> ComparedBody {
        ComparedBody {
            period: c.now,
            previous: c.before,
        }
    }
}

/// How many días hábiles completed work took: from the day it opened to the day it was
/// completed, on its activity's calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationsBody {
    /// Work items completed.
    pub completed: u64,
    /// The median (nearest rank); none when nothing was completed.
    pub median: Option<i32>,
    /// The 90th percentile (nearest rank).
    pub p90: Option<i32>,
}

impl From<Durations> for DurationsBody {
    fn from(d: Durations) -> DurationsBody {
        DurationsBody {
            completed: d.items,
            median: d.median,
            p90: d.p90,
        }
    }
}

/// The durations of an activity or a unit, in the period and the one before.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationLineBody {
    /// The procedure's key (lines per activity).
    pub procedure: Option<String>,
    /// The activity's number (lines per activity).
    pub activity: Option<String>,
    /// The unit's code (lines per unit).
    pub unit: Option<String>,
    pub label: String,
    pub period: DurationsBody,
    pub previous: DurationsBody,
}

impl From<&DurationLine> for DurationLineBody {
    fn from(l: &DurationLine) -> DurationLineBody {
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        DurationLineBody {
            procedure: some(&l.procedure),
            activity: some(&l.activity),
            unit: some(&l.unit),
            label: l.label.clone(),
            period: l.now.into(),
            previous: l.before.into(),
        }
    }
}

/// Open work by semáforo.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenBody {
    /// Verde (and work without a term).
    pub on_time: u64,
    /// Amarillo.
    pub due_soon: u64,
    /// Rojo: past its due date.
    pub overdue: u64,
}

impl From<[u64; 3]> for OpenBody {
    fn from(open: [u64; 3]) -> OpenBody {
        OpenBody {
            on_time: open[0],
            due_soon: open[1],
            overdue: open[2],
        }
    }
}

/// A unit's open work by semáforo.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOpenBody {
    pub unit: String,
    pub unit_name: String,
    pub open: OpenBody,
}

/// A month of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthBody {
    #[schema(example = "2026-03")]
    pub month: String,
    pub received: u64,
    pub completed: u64,
    pub returned: u64,
}

/// Returns for correction to an activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReturnBody {
    pub procedure: String,
    pub activity: String,
    pub label: String,
    pub returned: ComparedBody,
}

/// A tablero, as the page shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardBody {
    pub title: String,
    pub unit: Option<String>,
    pub procedure: Option<String>,
    /// The units counted; none: every one.
    pub units: Option<Vec<String>>,
    #[schema(example = "2026-01")]
    pub from: String,
    #[schema(example = "2026-06")]
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    /// The day the semáforo was read on.
    #[schema(format = Date)]
    pub as_of: String,
    pub open: OpenBody,
    /// Open work per unit, those with the most overdue first.
    pub open_by_unit: Vec<UnitOpenBody>,
    pub months: Vec<MonthBody>,
    /// Work received by the units (a work item seen by two units counts in each).
    pub received: ComparedBody,
    pub completed: ComparedBody,
    /// Returns for correction: a decision that sent the case back to an activity it had
    /// completed.
    pub returned: ComparedBody,
    pub business_days: DurationLinePair,
    pub by_activity: Vec<DurationLineBody>,
    pub by_unit: Vec<DurationLineBody>,
    pub returns: Vec<ReturnBody>,
}

/// Días hábiles of all the work completed, in the period and the one before.
#[derive(Debug, Serialize, ToSchema)]
pub struct DurationLinePair {
    pub period: DurationsBody,
    pub previous: DurationsBody,
}

impl From<&Tablero> for DashboardBody {
    fn from(t: &Tablero) -> DashboardBody {
        DashboardBody {
            title: t.title(),
            unit: t.unit.as_ref().map(|u| u.code.clone()),
            procedure: t.procedure.as_ref().map(|(k, _)| k.clone()),
            units: t.units.clone(),
            from: t.period.from.to_string(),
            to: t.period.to.to_string(),
            previous_from: t.previous.from.to_string(),
            previous_to: t.previous.to.to_string(),
            as_of: t.today.to_string(),
            open: t.open.into(),
            open_by_unit: t
                .by_unit
                .iter()
                .map(|u| UnitOpenBody {
                    unit: u.code.clone(),
                    unit_name: u.name.clone(),
                    open: u.open.into(),
                })
                .collect(),
            months: t
                .months
                .iter()
                .map(|m| MonthBody {
                    month: m.month.to_string(),
                    received: m.received,
                    completed: m.closed,
                    returned: m.returned,
                })
                .collect(),
            received: t.received.into(),
            completed: t.closed.into(),
            returned: t.returned.into(),
            business_days: DurationLinePair {
                period: t.durations.into(),
                previous: t.previous_durations.into(),
            },
            by_activity: t.by_activity.iter().map(Into::into).collect(),
            by_unit: t.by_unit_durations.iter().map(Into::into).collect(),
            returns: t
                .returns
                .iter()
                .map(|r| ReturnBody {
                    procedure: r.procedure.clone(),
                    activity: r.activity.clone(),
                    label: r.label.clone(),
                    returned: r.returned.into(),
                })
                .collect(),
        }
    }
}

/// A tablero: the page's figures, as JSON, XLSX or PDF.
#[utoipa::path(
    get,
    path = "/api/v1/dashboards",
    operation_id = "get_dashboard",
    tag = "tableros",
    params(DashboardQuery),
    responses(
        (status = 200, description = "El tablero", content(
            (DashboardBody = "application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("application/pdf"),
        ), headers(("Content-Disposition" = String, description = "Con XLSX o PDF: `attachment` con el nombre del archivo"))),
        (status = 403, description = "Una unidad que el usuario no ve, o toda la institución sin ser administrador", body = ErrorBody),
        (status = 422, description = "Una unidad o un procedimiento que no existen, o meses fuera de los años del calendario, invertidos o a más de 24 meses (`fields`)", body = ErrorBody),
    ),
)]
pub async fn show(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, ApiError> {
    let asked = asked(
        &query.unidad,
        &query.procedimiento,
        &query.desde,
        &query.hasta,
    );
    let made = tablero::tablero(&state, &user, asked).await?;
    let name = made.file_name();
    let file = |bytes: Vec<u8>, mime: &str, extension: &str| {
        file_response(mime, &format!("{name}.{extension}"), bytes).map_err(ApiError::internal)
    };
    match query.formato.unwrap_or(DashboardFormat::Json) {
        DashboardFormat::Json => Ok(Json(DashboardBody::from(&made)).into_response()),
        DashboardFormat::Xlsx => file(made.xlsx().map_err(ApiError::internal)?, XLSX, "xlsx"),
        DashboardFormat::Pdf => {
            let bytes = crate::routes::tablero::pdf(&made)?;
            file(bytes, "application/pdf", "pdf")
        }
    }
}

/// The figure whose work items are asked, within a tablero.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    #[param(max_length = 40, pattern = "^[A-Za-z0-9-]*$", example = "SIDSS-ST")]
    unidad: Option<String>,
    #[param(max_length = 40, pattern = "^[A-Za-z0-9_-]*$")]
    procedimiento: Option<String>,
    #[param(pattern = r"^([0-9]{4}-[0-9]{2})?$", example = "2026-01")]
    desde: Option<String>,
    #[param(pattern = r"^([0-9]{4}-[0-9]{2})?$", example = "2026-06")]
    hasta: Option<String>,
    /// The figure: `abiertos`, `recibidos`, `devoluciones` or `atendidos`.
    #[param(
        pattern = "^(abiertos|recibidos|devoluciones|atendidos)$",
        example = "recibidos"
    )]
    cifra: String,
    /// Open work of one colour of the semáforo.
    #[param(pattern = "^(verde|amarillo|rojo)?$")]
    semaforo: Option<String>,
    /// One month of the period (`AAAA-MM`) instead of the whole.
    #[param(pattern = r"^([0-9]{4}-[0-9]{2})?$")]
    mes: Option<String>,
    /// `anterior`: the period before.
    #[param(pattern = "^(actual|anterior)?$")]
    periodo: Option<String>,
    /// One of the tablero's units (a line of a table per unit).
    #[param(max_length = 40, pattern = "^[A-Za-z0-9-]*$")]
    en: Option<String>,
    /// One procedure (a line of a table per activity).
    #[param(max_length = 40, pattern = "^[A-Za-z0-9_-]*$")]
    de: Option<String>,
    /// One activity of that procedure, by its number.
    #[param(max_length = 40, pattern = r"^[A-Za-z0-9.\-]*$")]
    actividad: Option<String>,
}

/// A work item a figure counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardItemBody {
    pub folio: String,
    pub title: String,
    pub procedure: String,
    pub unit: String,
    pub activity: String,
    pub opened_at: String,
    /// None: without a term.
    #[schema(format = Date)]
    pub due: Option<String>,
    pub completed_at: Option<String>,
}

/// The work items of a figure.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardItemsBody {
    pub label: String,
    /// False when the list stopped at its limit (500): there are more.
    pub complete: bool,
    pub items: Vec<DashboardItemBody>,
}

/// The work items a figure of a tablero counts: the same the figure counts, at most 500.
#[utoipa::path(
    get,
    path = "/api/v1/dashboards/items",
    operation_id = "get_dashboard_items",
    tag = "tableros",
    params(ItemsQuery),
    responses(
        (status = 200, description = "Las tareas de la cifra", body = DashboardItemsBody),
        (status = 403, description = "Una unidad que el usuario no ve, o toda la institución sin ser administrador", body = ErrorBody),
        (status = 422, description = "Una cifra, un semáforo, un mes o un periodo que no existen (`fields`)", body = ErrorBody),
    ),
)]
pub async fn items(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ItemsQuery>,
) -> Result<Response, ApiError> {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let figure = Figure::read(
        &query.cifra,
        &text(&query.semaforo),
        &text(&query.mes),
        &text(&query.periodo),
    )?;
    let narrowed = crate::routes::tablero::narrowed(
        query.en.as_deref(),
        query.de.as_deref(),
        query.actividad.as_deref(),
    );
    let asked = asked(
        &query.unidad,
        &query.procedimiento,
        &query.desde,
        &query.hasta,
    );
    let drilled = tablero::items(&state, &user, asked, &figure, &narrowed).await?;
    Ok(Json(DashboardItemsBody {
        label: drilled.label,
        complete: !drilled.full,
        items: drilled
            .rows
            .into_iter()
            .map(|r| DashboardItemBody {
                folio: r.folio,
                title: r.title,
                procedure: r.procedure_key,
                unit: r.unit_code,
                activity: r.activity,
                opened_at: r.opened_at,
                due: (!r.due.starts_with("9999")).then_some(r.due),
                completed_at: r.completed_at,
            })
            .collect(),
    })
    .into_response())
}
