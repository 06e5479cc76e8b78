//! `/archivo`: the archive (Ley General de Archivos; `docs/archive.md`,
//! `turno_app::archive`, as the API's `/api/v1/archive`): the classification chart and
//! disposition catalog (seeded from the procedures' Registros, imported and exported as CSV, a
//! serie edited); the expedientes (opened, closed, classified into, their carátula); the
//! archive's calendar; the lists (drawn up, approved by the coordinator, carried out) and
//! their inventories as CSV, XLSX or PDF; and the record of a case disposed of.

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::filters;
use crate::forms::{Again, Submitted, answered, shown_again, single};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::archive::{self, CalendarLine, ExpedienteDraft, SerieDraft, Sheet};
use turno_domain::archive::{Access, Chart, Destination, Disposal, Move};
use turno_store::archive::{StoredExpediente, StoredList};

/// The page of the expedientes, where their forms go back to.
const EXPEDIENTES: &str = "/archivo/expedientes";

/// The fields of the serie form, as the application names their problems.
const SERIE_FIELDS: [&str; 9] = [
    "name",
    "keeper",
    "administrative",
    "legal",
    "accounting",
    "tramite",
    "concentracion",
    "destination",
    "access",
];

/// A sheet of the archive as a download: `formato` `csv`, `xlsx` or `pdf` (`default` when not
/// given).
pub(crate) fn download(sheet: &Sheet, format: &str, default: &str) -> Result<Response, AppError> {
    let format = match format.trim() {
        "" => default,
        other => other,
    };
    let (mime, bytes) = match format {
        "csv" => ("text/csv; charset=utf-8", sheet.csv()),
        "xlsx" => (
            turno_app::report::XLSX,
            sheet.xlsx().map_err(anyhow::Error::from)?,
        ),
        "pdf" => (
            "application/pdf",
            crate::tables_pdf::tables(
                &sheet.title,
                &[(sheet.title.clone(), sheet.rows.clone())],
                &[],
            )?,
        ),
        other => {
            return Err(AppError::BadRequest(format!(
                "«{other}» no es un formato de descarga (csv, xlsx o pdf)."
            )));
        }
    };
    crate::documents::file_response(mime, &format!("{}.{format}", sheet.name), bytes)
        .map_err(|e| AppError::Internal(e.into()))
}

#[derive(Template)]
#[template(path = "archive.html")]
struct ChartPage {
    layout: Layout,
    chart: Option<Chart>,
    administers: bool,
    seeding: Again,
    /// The problems of an import refused, each by line and field.
    import_problems: Vec<String>,
}

async fn chart_page(
    state: &AppState,
    frame: Frame,
    seeding: Again,
    import_problems: Vec<String>,
) -> Result<ChartPage, AppError> {
    let user = signed_in(&frame)?;
    Ok(ChartPage {
        chart: archive::chart(state, user).await?,
        administers: archive::may_administer(user),
        layout: frame.layout,
        seeding,
        import_problems,
    })
}

/// `GET /archivo`: the chart and catalog.
pub async fn chart(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    crate::page::html(&chart_page(&state, frame, Again::default(), Vec::new()).await?)
}

/// `GET /archivo/catalogo.csv`: the catalog as CSV.
pub async fn export(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    let csv = archive::export(&state, signed_in(&frame)?).await?;
    crate::documents::file_response(
        "text/csv; charset=utf-8",
        "catalogo-disposicion.csv",
        csv.into_bytes(),
    )
    .map_err(|e| AppError::Internal(e.into()))
}

/// `POST /archivo/sembrar`: seeds the chart from the procedures' Registros.
pub async fn seed(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let seeded = archive::seed(&state, user, &text("fondo_code"), &text("fondo_name")).await;
    answered(
        frame,
        submitted,
        seeded,
        &["fondo_code", "fondo_name"],
        |chart| {
            let message = format!(
                "Cuadro de clasificación: {} secciones y {} series.",
                chart.sections.len(),
                chart.series.len()
            );
            (message, "/archivo".to_owned())
        },
        async |frame, again| chart_page(&state, frame, again, Vec::new()).await,
    )
    .await
}

/// `POST /archivo/importar`: replaces the catalog with a CSV file (`archivo`); with problems,
/// the page again with each by line and field, nothing stored.
pub async fn import(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let (_, file) = crate::forms::with_file(&mut multipart, "archivo", "").await?;
    let user = signed_in(&frame)?;
    let content = file.map(|(_, bytes)| bytes).unwrap_or_default();
    match archive::import(&state, user, &content).await {
        Ok(chart) => {
            flash(
                &frame,
                &format!("Catálogo importado: {} series.", chart.series.len()),
            );
            Ok(Redirect::to("/archivo").into_response())
        }
        Err(turno_app::Error::InvalidFile(problems)) => {
            let page = chart_page(&state, frame, Again::default(), problems).await?;
            shown_again(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "archive_serie.html")]
struct SeriePage {
    layout: Layout,
    code: String,
    editing: Again,
    destinations: &'static [Destination],
    accesses: &'static [Access],
}

/// `GET /archivo/serie?codigo=`: the form that edits a serie of the catalog.
pub async fn serie(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let draft = archive::serie(&state, user, single(&query, "codigo").unwrap_or_default()).await?;
    let filled: Submitted = [
        ("name", &draft.name),
        ("keeper", &draft.keeper),
        ("administrative", &draft.administrative),
        ("legal", &draft.legal),
        ("accounting", &draft.accounting),
        ("tramite", &draft.tramite),
        ("concentracion", &draft.concentracion),
        ("destination", &draft.destination),
        ("access", &draft.access),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    crate::page::html(&SeriePage {
        layout: frame.layout,
        code: draft.code,
        editing: Again::filled(filled),
        destinations: Destination::ALL,
        accesses: Access::ALL,
    })
}

/// `POST /archivo/serie`: changes a serie; refused, the form again with each problem.
pub async fn edit_serie(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let draft = SerieDraft {
        code: text("code"),
        name: text("name"),
        keeper: text("keeper"),
        administrative: text("administrative"),
        legal: text("legal"),
        accounting: text("accounting"),
        tramite: text("tramite"),
        concentracion: text("concentracion"),
        destination: text("destination"),
        access: text("access"),
    };
    let edited = archive::edit(&state, user, &draft).await;
    let message = format!("Se guardó la serie {}.", draft.code.trim());
    answered(
        frame,
        submitted,
        edited,
        &SERIE_FIELDS,
        |()| (message, "/archivo".to_owned()),
        async |frame, again| {
            Ok(SeriePage {
                layout: frame.layout,
                code: draft.code,
                editing: again,
                destinations: Destination::ALL,
                accesses: Access::ALL,
            })
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "archive_expedientes.html")]
struct ExpedientesPage {
    layout: Layout,
    expedientes: Vec<StoredExpediente>,
    series: Vec<(String, String)>,
    administers: bool,
    /// The form that was refused, and for the forms of one expediente, which.
    opening: Again,
    refused_on: Option<(i64, Again)>,
}

impl ExpedientesPage {
    /// The refused form of expediente `id`, if it was.
    fn again_of(&self, id: &i64) -> Option<&Again> {
        self.refused_on
            .as_ref()
            .filter(|(on, _)| on == id)
            .map(|(_, again)| again)
    }
}

async fn expedientes_page(
    state: &AppState,
    frame: Frame,
    opening: Again,
    refused_on: Option<(i64, Again)>,
) -> Result<ExpedientesPage, AppError> {
    let user = signed_in(&frame)?;
    let expedientes = archive::expedientes(state, user).await?;
    let series = archive::chart(state, user)
        .await?
        .map(|c| {
            c.series
                .into_iter()
                .map(|s| (s.code, s.name))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    Ok(ExpedientesPage {
        administers: archive::may_administer(user),
        layout: frame.layout,
        expedientes,
        series,
        opening,
        refused_on,
    })
}

/// `GET /archivo/expedientes`: every expediente, with the forms that open, close and classify.
pub async fn expedientes(
    State(state): State<AppState>,
    frame: Frame,
) -> Result<Response, AppError> {
    crate::page::html(&expedientes_page(&state, frame, Again::default(), None).await?)
}

/// `POST /archivo/expedientes`: opens an expediente.
pub async fn open(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let draft = ExpedienteDraft {
        number: text("number"),
        serie: text("serie"),
        title: text("title"),
        opened_on: text("opened_on"),
    };
    let opened = archive::open(&state, user, &draft).await;
    let message = format!("Se abrió el expediente {}.", draft.number.trim());
    answered(
        frame,
        submitted,
        opened,
        &["number", "serie", "title", "opened_on"],
        |_| (message, EXPEDIENTES.to_owned()),
        async |frame, again| expedientes_page(&state, frame, again, None).await,
    )
    .await
}

/// `POST /archivo/expedientes/{id}/cerrar`: closes an expediente on a day.
pub async fn close(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let on = single(&submitted, "closed_on")
        .unwrap_or_default()
        .to_owned();
    let closed = archive::close(&state, user, id, &on).await;
    on_expediente(
        &state,
        frame,
        id,
        submitted,
        closed,
        &["closed_on"],
        "Se cerró el expediente.",
    )
    .await
}

/// `POST /archivo/expedientes/{id}/clasificar`: classifies a case, a document or a
/// correspondence item into an expediente.
pub async fn classify(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let classified =
        archive::classify_typed(&state, user, id, &text("kind"), &text("subject")).await;
    let message = "Quedó clasificado en el expediente.";
    on_expediente(
        &state,
        frame,
        id,
        submitted,
        classified,
        &["kind", "subject"],
        message,
    )
    .await
}

/// The answer to a form of expediente `id`: done, `message` and the expedientes; refused, the
/// expedientes with that form again.
async fn on_expediente(
    state: &AppState,
    frame: Frame,
    id: i64,
    submitted: Submitted,
    result: Result<(), turno_app::Error>,
    shown: &[&str],
    message: &str,
) -> Result<Response, AppError> {
    answered(
        frame,
        submitted,
        result,
        shown,
        |()| (message.to_owned(), EXPEDIENTES.to_owned()),
        async |frame, again| {
            expedientes_page(state, frame, Again::default(), Some((id, again))).await
        },
    )
    .await
}

/// `GET /archivo/expedientes/{id}/caratula`: the carátula, as PDF (or `formato=csv|xlsx`).
pub async fn cover(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let sheet = archive::cover(&state, signed_in(&frame)?, id).await?;
    download(&sheet, single(&query, "formato").unwrap_or_default(), "pdf")
}

#[derive(Template)]
#[template(path = "archive_calendar.html")]
struct CalendarPage {
    layout: Layout,
    until: String,
    lines: Vec<CalendarLine>,
    asking: Again,
}

/// `GET /archivo/calendario?hasta=`: what reaches the end of its term until a day.
pub async fn calendar(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let until = single(&query, "hasta").unwrap_or_default().to_owned();
    let (lines, asking) = match archive::calendar_until(&state, user, &until).await {
        Ok(lines) => (lines, Again::default()),
        Err(turno_app::Error::InvalidFields(problems)) => (
            Vec::new(),
            Again::refused(
                vec![("until".to_owned(), until.clone())],
                turno_app::Error::InvalidFields(problems),
                &["until"],
            )?,
        ),
        Err(other) => return Err(other.into()),
    };
    let page = CalendarPage {
        layout: frame.layout,
        until,
        lines,
        asking,
    };
    shown_again(page.asking.page_status(), &page)
}

#[derive(Template)]
#[template(path = "archive_lists.html")]
struct ListsPage {
    layout: Layout,
    lists: Vec<StoredList>,
    administers: bool,
    drawing: Again,
    kinds: [Move; 3],
}

async fn lists_page(state: &AppState, frame: Frame, drawing: Again) -> Result<ListsPage, AppError> {
    let user = signed_in(&frame)?;
    Ok(ListsPage {
        lists: archive::lists(state, user).await?,
        administers: archive::may_administer(user),
        layout: frame.layout,
        drawing,
        kinds: [Move::Primaria, Move::Secundaria, Move::Baja],
    })
}

/// `GET /archivo/listas`: the transfer inventories and baja lists.
pub async fn lists(State(state): State<AppState>, frame: Frame) -> Result<Response, AppError> {
    crate::page::html(&lists_page(&state, frame, Again::default()).await?)
}

/// `POST /archivo/listas`: draws up a list of what is due today.
pub async fn draw(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let text = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let drawn = archive::draw_typed(&state, user, &text("kind"), &text("number")).await;
    answered(
        frame,
        submitted,
        drawn,
        &["kind", "number"],
        |id| {
            let message =
                "Se formuló la lista; espera la aprobación de la coordinación de archivos.";
            (message.to_owned(), format!("/archivo/listas/{id}"))
        },
        async |frame, again| lists_page(&state, frame, again).await,
    )
    .await
}

#[derive(Template)]
#[template(path = "archive_list.html")]
struct ListPage {
    layout: Layout,
    list: StoredList,
    inventory: Sheet,
    administers: bool,
    approves: bool,
}

/// `GET /archivo/listas/{id}`: a list with its inventory and what may be done with it.
pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let list = archive::list(&state, user, id).await?;
    let inventory = archive::inventory(&state, user, id).await?;
    crate::page::html(&ListPage {
        administers: archive::may_administer(user),
        approves: archive::may_approve(user),
        layout: frame.layout,
        list,
        inventory,
    })
}

/// `POST /archivo/listas/{id}/aprobar`: the coordinator approves a draft list.
pub async fn approve(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(_submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    archive::approve(&state, signed_in(&frame)?, id).await?;
    flash(&frame, "Se aprobó la lista.");
    Ok(Redirect::to(&format!("/archivo/listas/{id}")))
}

/// `POST /archivo/listas/{id}/ejecutar`: carries out an approved list.
pub async fn execute(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(_submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let done = archive::execute(&state, signed_in(&frame)?, id).await?;
    flash(
        &frame,
        &format!(
            "Se ejecutó la lista: {} documentos dados de baja, {} archivos borrados, {} conservados porque otro registro los nombra.",
            done.documents.len(),
            done.removed.len(),
            done.kept.len()
        ),
    );
    Ok(Redirect::to(&format!("/archivo/listas/{id}")))
}

/// `GET /archivo/listas/{id}/inventario?formato=csv|xlsx|pdf`: the list's inventory.
pub async fn inventory(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let sheet = archive::inventory(&state, signed_in(&frame)?, id).await?;
    download(&sheet, single(&query, "formato").unwrap_or_default(), "pdf")
}

#[derive(Template)]
#[template(path = "archive_disposed.html")]
pub struct DisposedPage {
    pub layout: Layout,
    pub folio: String,
    pub disposal: Disposal,
}
