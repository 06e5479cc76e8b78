//! `/api/v1/archive`: the archive (Ley General de Archivos; `turno_app::archive`, as the pages
//! under `/archivo`): the chart and catalog (read, seeded, imported, exported, a serie
//! edited), the expedientes (opened, closed, classified into, their carátula), the archive's
//! calendar, the lists (drawn up, approved, carried out) with their inventories, and the
//! record of a case disposed of.

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody, Json, Path, Query};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use turno_app::archive::{self, ExpedienteDraft, SerieDraft, Sheet};
use turno_domain::archive::{Chart, Disposal, Serie};
use turno_store::archive::{StoredExpediente, StoredList};
use utoipa::{IntoParams, ToSchema};

/// A serie of the chart and its line of the catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct SerieBody {
    #[schema(example = "CNPSS-91.1")]
    pub code: String,
    pub name: String,
    /// Its sección's code.
    pub section: String,
    /// The serie it is a subserie of.
    pub parent: Option<String>,
    /// Who keeps its expedientes in trámite.
    pub keeper: String,
    /// Its terms in years; `null` while «por valorar».
    pub terms: Option<TermsBody>,
    /// `baja` or `historico`.
    #[schema(example = "baja")]
    pub destination: String,
    /// `publica`, `reservada` or `confidencial`.
    #[schema(example = "publica")]
    pub access: String,
    /// The procedure whose Registros it was seeded from.
    pub procedure: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TermsBody {
    pub administrative: u16,
    pub legal: u16,
    pub accounting: u16,
    pub tramite: u16,
    pub concentracion: u16,
}

impl From<&Serie> for SerieBody {
    fn from(s: &Serie) -> SerieBody {
        SerieBody {
            code: s.code.clone(),
            name: s.name.clone(),
            section: s.section.clone(),
            parent: s.parent.clone(),
            keeper: s.keeper.clone(),
            terms: s.terms.as_ref().map(|t| TermsBody {
                administrative: t.administrative,
                legal: t.legal,
                accounting: t.accounting,
                tramite: t.tramite,
                concentracion: t.concentracion,
            }),
            destination: s.destination.code().to_owned(),
            access: s.access.code().to_owned(),
            procedure: s.procedure.clone(),
        }
    }
}

/// A sección of the chart.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectionBody {
    pub code: String,
    pub name: String,
}

/// The classification chart and the disposition catalog.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChartBody {
    pub fondo_code: String,
    pub fondo_name: String,
    pub sections: Vec<SectionBody>,
    pub series: Vec<SerieBody>,
}

impl From<&Chart> for ChartBody {
    fn from(c: &Chart) -> ChartBody {
        ChartBody {
            fondo_code: c.fondo.code.clone(),
            fondo_name: c.fondo.name.clone(),
            sections: c
                .sections
                .iter()
                .map(|s| SectionBody {
                    code: s.code.clone(),
                    name: s.name.clone(),
                })
                .collect(),
            series: c.series.iter().map(SerieBody::from).collect(),
        }
    }
}

fn no_chart() -> ApiError {
    ApiError::from(turno_app::Error::NotFound(
        "Todavía no hay cuadro de clasificación.".into(),
    ))
}

/// The chart and catalog (every person signed in reads them: they are public instruments).
#[utoipa::path(
    get,
    path = "/api/v1/archive/chart",
    operation_id = "get_archive_chart",
    tag = "archivo",
    responses(
        (status = 200, description = "El cuadro y el catálogo", body = ChartBody),
        (status = 404, description = "Todavía no hay cuadro de clasificación", body = ErrorBody),
    ),
)]
pub async fn chart(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<ChartBody>, ApiError> {
    let chart = archive::chart(&state, &user).await?.ok_or_else(no_chart)?;
    Ok(Json(ChartBody::from(&chart)))
}

/// The fondo to seed the chart under.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SeedRequest {
    #[schema(max_length = 40, example = "SS")]
    pub fondo_code: String,
    #[schema(max_length = 300, example = "Secretaría de Salud")]
    pub fondo_name: String,
}

/// Seeds the chart and catalog from the procedures' Registros; what was edited stays.
#[utoipa::path(
    post,
    path = "/api/v1/archive/chart/seed",
    operation_id = "seed_archive_chart",
    tag = "archivo",
    request_body = SeedRequest,
    responses(
        (status = 200, description = "El cuadro sembrado", body = ChartBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 422, description = "Datos del fondo no válidos (`fields`)", body = ErrorBody),
    ),
)]
pub async fn seed(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<SeedRequest>,
) -> Result<Json<ChartBody>, ApiError> {
    let chart = archive::seed(&state, &user, &request.fondo_code, &request.fondo_name).await?;
    Ok(Json(ChartBody::from(&chart)))
}

/// The catalog as CSV, every cell a spreadsheet would run neutralized.
#[utoipa::path(
    get,
    path = "/api/v1/archive/catalog",
    operation_id = "export_archive_catalog",
    tag = "archivo",
    responses(
        (status = 200, description = "El catálogo", body = String, content_type = "text/csv"),
        (status = 422, description = "Todavía no hay cuadro de clasificación", body = ErrorBody),
    ),
)]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Response, ApiError> {
    let csv = archive::export(&state, &user).await?;
    crate::documents::file_response(
        "text/csv; charset=utf-8",
        "catalogo-disposicion.csv",
        csv.into_bytes(),
    )
    .map_err(ApiError::internal)
}

/// Replaces the catalog with a CSV file as exported: with any problem (each by line and
/// field), nothing is stored.
#[utoipa::path(
    put,
    path = "/api/v1/archive/catalog",
    operation_id = "import_archive_catalog",
    tag = "archivo",
    request_body(content = String, content_type = "text/csv", description = "El catálogo en CSV"),
    responses(
        (status = 200, description = "El cuadro importado", body = ChartBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 413, description = "Pasa de 8 MiB", body = ErrorBody),
        (status = 422, description = "El archivo tiene errores (`problems`); no se importó nada", body = ErrorBody),
    ),
)]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> Result<Json<ChartBody>, ApiError> {
    let chart = archive::import(&state, &user, &body).await?;
    Ok(Json(ChartBody::from(&chart)))
}

/// A serie's line of the catalog as it is changed: every value as typed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SerieChange {
    /// The serie changed.
    #[schema(max_length = 40, example = "CNPSS-91.1")]
    pub code: String,
    #[schema(max_length = 300)]
    pub name: String,
    #[schema(max_length = 300)]
    pub keeper: String,
    /// Years (0 to 100); all five empty leave the serie «por valorar».
    #[serde(default)]
    #[schema(max_length = 40)]
    pub administrative: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub legal: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub accounting: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub tramite: String,
    #[serde(default)]
    #[schema(max_length = 40)]
    pub concentracion: String,
    /// `baja` or `historico`.
    #[schema(max_length = 40, example = "baja")]
    pub destination: String,
    /// `publica`, `reservada` or `confidencial`.
    #[schema(max_length = 40, example = "publica")]
    pub access: String,
}

/// Changes a serie's line of the catalog.
#[utoipa::path(
    put,
    path = "/api/v1/archive/series",
    operation_id = "change_archive_serie",
    tag = "archivo",
    request_body = SerieChange,
    responses(
        (status = 200, description = "La serie como quedó", body = SerieBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 404, description = "No existe esa serie", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`), o no hay cuadro", body = ErrorBody),
    ),
)]
pub async fn change_serie(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<SerieChange>,
) -> Result<Json<SerieBody>, ApiError> {
    let draft = SerieDraft {
        code: request.code,
        name: request.name,
        keeper: request.keeper,
        administrative: request.administrative,
        legal: request.legal,
        accounting: request.accounting,
        tramite: request.tramite,
        concentracion: request.concentracion,
        destination: request.destination,
        access: request.access,
    };
    archive::edit(&state, &user, &draft).await?;
    let chart = archive::chart(&state, &user).await?.ok_or_else(no_chart)?;
    let serie = chart.serie(draft.code.trim()).ok_or_else(no_chart)?;
    Ok(Json(SerieBody::from(serie)))
}

/// An expediente.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpedienteBody {
    pub id: i64,
    pub number: String,
    pub serie: String,
    pub title: String,
    #[schema(format = Date)]
    pub opened_on: String,
    #[schema(format = Date)]
    pub closed_on: Option<String>,
    /// `tramite`, `concentracion`, `historico` or `baja`.
    pub location: String,
    pub cases: i64,
    pub documents: i64,
    pub correspondence: i64,
}

impl From<&StoredExpediente> for ExpedienteBody {
    fn from(e: &StoredExpediente) -> ExpedienteBody {
        ExpedienteBody {
            id: e.id,
            number: e.number.clone(),
            serie: e.serie.clone(),
            title: e.title.clone(),
            opened_on: e.opened_on.to_string(),
            closed_on: e.closed_on.map(|d| d.to_string()),
            location: e.location.code().to_owned(),
            cases: e.cases,
            documents: e.documents,
            correspondence: e.correspondence,
        }
    }
}

/// Every expediente.
#[utoipa::path(
    get,
    path = "/api/v1/archive/expedientes",
    operation_id = "list_expedientes",
    tag = "archivo",
    responses(
        (status = 200, description = "Los expedientes", body = [ExpedienteBody]),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
    ),
)]
pub async fn expedientes(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ExpedienteBody>>, ApiError> {
    let all = archive::expedientes(&state, &user).await?;
    Ok(Json(all.iter().map(ExpedienteBody::from).collect()))
}

/// An expediente to open.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExpediente {
    #[schema(max_length = 40, example = "CNPSS-91.1/2026/1")]
    pub number: String,
    #[schema(max_length = 40, example = "CNPSS-91.1")]
    pub serie: String,
    #[schema(max_length = 300)]
    pub title: String,
    #[schema(format = Date, example = "2026-01-02")]
    pub opened_on: String,
}

async fn expediente_body(
    state: &AppState,
    user: &turno_app::Principal,
    id: i64,
) -> Result<ExpedienteBody, ApiError> {
    archive::expedientes(state, user)
        .await?
        .iter()
        .find(|e| e.id == id)
        .map(ExpedienteBody::from)
        .ok_or_else(|| ApiError::not_found("No existe ese expediente."))
}

/// Opens an expediente.
#[utoipa::path(
    post,
    path = "/api/v1/archive/expedientes",
    operation_id = "open_expediente",
    tag = "archivo",
    request_body = NewExpediente,
    responses(
        (status = 201, description = "Abierto", body = ExpedienteBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`), un número en uso o no hay cuadro", body = ErrorBody),
    ),
)]
pub async fn open(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewExpediente>,
) -> Result<Response, ApiError> {
    let draft = ExpedienteDraft {
        number: request.number,
        serie: request.serie,
        title: request.title,
        opened_on: request.opened_on,
    };
    let id = archive::open(&state, &user, &draft).await?;
    let body = expediente_body(&state, &user, id).await?;
    Ok(super::created(
        &format!("/api/v1/archive/expedientes/{id}"),
        body,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(names("id"))]
pub struct ExpedienteId(
    /// The expediente's id.
    pub i64,
);

/// The day an expediente closes.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    #[schema(format = Date, example = "2026-06-30")]
    pub closed_on: String,
}

/// Closes an expediente on a day: its terms count from it.
#[utoipa::path(
    post,
    path = "/api/v1/archive/expedientes/{id}/closure",
    operation_id = "close_expediente",
    tag = "archivo",
    params(ExpedienteId),
    request_body = Closure,
    responses(
        (status = 200, description = "Cerrado", body = ExpedienteBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 404, description = "No existe ese expediente", body = ErrorBody),
        (status = 409, description = "Ya estaba cerrado", body = ErrorBody),
        (status = 422, description = "Una fecha no válida o anterior a la apertura (`fields`)", body = ErrorBody),
    ),
)]
pub async fn close(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ExpedienteId(id)): Path<ExpedienteId>,
    Json(request): Json<Closure>,
) -> Result<Json<ExpedienteBody>, ApiError> {
    archive::close(&state, &user, id, &request.closed_on).await?;
    Ok(Json(expediente_body(&state, &user, id).await?))
}

/// What is classified into an expediente.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// `asunto` (a case's folio), `documento` (a document's number) or `correspondencia` (an
    /// incoming document's folio).
    #[schema(max_length = 40, example = "asunto")]
    pub kind: String,
    #[schema(max_length = 60, example = "CNPSS-91-2026-000001")]
    pub subject: String,
}

/// Classifies a case, a document or a correspondence item into an expediente of the archivo
/// de trámite (again, to move it).
#[utoipa::path(
    post,
    path = "/api/v1/archive/expedientes/{id}/contents",
    operation_id = "classify_into_expediente",
    tag = "archivo",
    params(ExpedienteId),
    request_body = Classification,
    responses(
        (status = 200, description = "Clasificado", body = ExpedienteBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 404, description = "No existe ese expediente o ese asunto", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`), o el expediente ya no está en trámite", body = ErrorBody),
    ),
)]
pub async fn classify(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ExpedienteId(id)): Path<ExpedienteId>,
    Json(request): Json<Classification>,
) -> Result<Json<ExpedienteBody>, ApiError> {
    archive::classify_typed(&state, &user, id, &request.kind, &request.subject).await?;
    Ok(Json(expediente_body(&state, &user, id).await?))
}

/// The shapes a carátula or an inventory comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SheetFormat {
    /// UTF-8 with a BOM, every cell neutralized.
    Csv,
    Xlsx,
    Pdf,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    /// The file's format: PDF when not given.
    format: Option<SheetFormat>,
}

fn sheet_response(sheet: &Sheet, format: Option<SheetFormat>) -> Result<Response, ApiError> {
    let format = match format.unwrap_or(SheetFormat::Pdf) {
        SheetFormat::Csv => "csv",
        SheetFormat::Xlsx => "xlsx",
        SheetFormat::Pdf => "pdf",
    };
    crate::routes::archive::download(sheet, format, "pdf").map_err(ApiError::from)
}

/// An expediente's carátula (cover sheet).
#[utoipa::path(
    get,
    path = "/api/v1/archive/expedientes/{id}/cover",
    operation_id = "get_expediente_cover",
    tag = "archivo",
    params(ExpedienteId, SheetQuery),
    responses(
        (status = 200, description = "La carátula", content(
            ("application/pdf"),
            (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ), headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
        (status = 404, description = "No existe ese expediente", body = ErrorBody),
    ),
)]
pub async fn cover(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ExpedienteId(id)): Path<ExpedienteId>,
    Query(query): Query<SheetQuery>,
) -> Result<Response, ApiError> {
    sheet_response(&archive::cover(&state, &user, id).await?, query.format)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The last day asked (`AAAA-MM-DD`): today when not given.
    #[param(format = Date, pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2030-12-31")]
    until: Option<String>,
}

/// A line of the archive's calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarLineBody {
    #[schema(format = Date)]
    pub due_on: String,
    /// `primaria`, `secundaria` or `baja`.
    pub action: String,
    pub expediente: ExpedienteBody,
}

/// The archive's calendar: every closed expediente whose term in trámite or in concentración
/// ends until a day, with what is due for it.
#[utoipa::path(
    get,
    path = "/api/v1/archive/calendar",
    operation_id = "get_archive_calendar",
    tag = "archivo",
    params(CalendarQuery),
    responses(
        (status = 200, description = "Lo que cumple su plazo, por fecha", body = [CalendarLineBody]),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
        (status = 422, description = "Una fecha no válida (`fields`), o no hay cuadro", body = ErrorBody),
    ),
)]
pub async fn calendar(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<CalendarQuery>,
) -> Result<Json<Vec<CalendarLineBody>>, ApiError> {
    let lines =
        archive::calendar_until(&state, &user, query.until.as_deref().unwrap_or_default()).await?;
    Ok(Json(
        lines
            .iter()
            .map(|l| CalendarLineBody {
                due_on: l.due.on.to_string(),
                action: l.due.action.code().to_owned(),
                expediente: ExpedienteBody::from(&l.expediente),
            })
            .collect(),
    ))
}

/// A transfer inventory or a baja list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListBody {
    pub id: i64,
    pub number: String,
    /// `primaria`, `secundaria` or `baja`.
    pub kind: String,
    /// `borrador`, `aprobada` or `ejecutada`.
    pub state: String,
    /// The expedientes' ids.
    pub expedientes: Vec<i64>,
    pub created_by: String,
    pub created_at: String,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
    pub executed_by: Option<String>,
    pub executed_at: Option<String>,
}

impl From<&StoredList> for ListBody {
    fn from(l: &StoredList) -> ListBody {
        ListBody {
            id: l.id,
            number: l.list.number.clone(),
            kind: l.list.kind.code().to_owned(),
            state: l.list.state.code().to_owned(),
            expedientes: l.list.expedientes.clone(),
            created_by: l.created_by.clone(),
            created_at: l.created_at.clone(),
            approved_by: l.list.approved_by.clone(),
            approved_at: l.list.approved_at.clone(),
            executed_by: l.executed_by.clone(),
            executed_at: l.executed_at.clone(),
        }
    }
}

/// Every list, the latest first.
#[utoipa::path(
    get,
    path = "/api/v1/archive/lists",
    operation_id = "list_archive_lists",
    tag = "archivo",
    responses(
        (status = 200, description = "Las listas", body = [ListBody]),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
    ),
)]
pub async fn lists(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ListBody>>, ApiError> {
    let all = archive::lists(&state, &user).await?;
    Ok(Json(all.iter().map(ListBody::from).collect()))
}

/// A list to draw up.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewList {
    /// `primaria`, `secundaria` or `baja`.
    #[schema(max_length = 40, example = "baja")]
    pub kind: String,
    #[schema(max_length = 40, example = "B-2026-1")]
    pub number: String,
}

/// Draws up a list with every expediente due today for its move; it waits for the
/// coordinator's approval.
#[utoipa::path(
    post,
    path = "/api/v1/archive/lists",
    operation_id = "draw_archive_list",
    tag = "archivo",
    request_body = NewList,
    responses(
        (status = 201, description = "Formulada", body = ListBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 422, description = "Datos no válidos (`fields`), un número en uso, o ningún expediente cumplió su plazo", body = ErrorBody),
    ),
)]
pub async fn draw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Json(request): Json<NewList>,
) -> Result<Response, ApiError> {
    let id = archive::draw_typed(&state, &user, &request.kind, &request.number).await?;
    let body = list_body(&state, &user, id).await?;
    Ok(super::created(&format!("/api/v1/archive/lists/{id}"), body))
}

/// List `id` as the operations answer it.
async fn list_body(
    state: &AppState,
    user: &turno_app::Principal,
    id: i64,
) -> Result<ListBody, ApiError> {
    Ok(ListBody::from(&archive::list(state, user, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(names("id"))]
pub struct ListId(
    /// The list's id.
    pub i64,
);

/// A list.
#[utoipa::path(
    get,
    path = "/api/v1/archive/lists/{id}",
    operation_id = "get_archive_list",
    tag = "archivo",
    params(ListId),
    responses(
        (status = 200, description = "La lista", body = ListBody),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
        (status = 404, description = "No existe esa lista", body = ErrorBody),
    ),
)]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ListId(id)): Path<ListId>,
) -> Result<Json<ListBody>, ApiError> {
    Ok(Json(list_body(&state, &user, id).await?))
}

/// Approves a draft list: only the archive coordinator; an approved list never changes.
#[utoipa::path(
    post,
    path = "/api/v1/archive/lists/{id}/approval",
    operation_id = "approve_archive_list",
    tag = "archivo",
    params(ListId),
    responses(
        (status = 200, description = "Aprobada", body = ListBody),
        (status = 403, description = "Solo el rol coordinador_archivos", body = ErrorBody),
        (status = 404, description = "No existe esa lista", body = ErrorBody),
        (status = 422, description = "La lista ya no es un borrador", body = ErrorBody),
    ),
)]
pub async fn approve(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ListId(id)): Path<ListId>,
) -> Result<Json<ListBody>, ApiError> {
    archive::approve(&state, &user, id).await?;
    Ok(Json(list_body(&state, &user, id).await?))
}

/// What carrying out a list did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExecutionBody {
    pub list: ListBody,
    /// The SHA-256 of the documents disposed of.
    pub documents: Vec<String>,
    /// Of those, the files removed from the blob store…
    pub removed: Vec<String>,
    /// …and those kept because another record still names them.
    pub kept: Vec<String>,
}

/// Carries out an approved list: its expedientes move; for a baja, the cases they hold are
/// disposed of (each leaves its signed record of disposal) and the files no record names any
/// more are removed.
#[utoipa::path(
    post,
    path = "/api/v1/archive/lists/{id}/execution",
    operation_id = "execute_archive_list",
    tag = "archivo",
    params(ListId),
    responses(
        (status = 200, description = "Ejecutada", body = ExecutionBody),
        (status = 403, description = "Solo el rol archivista", body = ErrorBody),
        (status = 404, description = "No existe esa lista", body = ErrorBody),
        (status = 422, description = "La lista no está aprobada o ya se ejecutó", body = ErrorBody),
    ),
)]
pub async fn execute(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ListId(id)): Path<ListId>,
) -> Result<Json<ExecutionBody>, ApiError> {
    let done = archive::execute(&state, &user, id).await?;
    Ok(Json(ExecutionBody {
        list: list_body(&state, &user, id).await?,
        documents: done.documents,
        removed: done.removed,
        kept: done.kept,
    }))
}

/// A list's inventory.
#[utoipa::path(
    get,
    path = "/api/v1/archive/lists/{id}/inventory",
    operation_id = "get_archive_inventory",
    tag = "archivo",
    params(ListId, SheetQuery),
    responses(
        (status = 200, description = "El inventario", content(
            ("application/pdf"),
            (String = "text/csv"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ), headers(("Content-Disposition" = String, description = "`attachment` con el nombre del archivo"))),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
        (status = 404, description = "No existe esa lista", body = ErrorBody),
    ),
)]
pub async fn inventory(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(ListId(id)): Path<ListId>,
    Query(query): Query<SheetQuery>,
) -> Result<Response, ApiError> {
    sheet_response(&archive::inventory(&state, &user, id).await?, query.format)
}

/// An event of a disposed case, by its number and hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisposedEventBody {
    pub seq: i64,
    pub hash: String,
}

/// A document of a disposed case, by its name and SHA-256.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisposedDocumentBody {
    pub name: String,
    pub sha256: String,
}

/// The record of disposal of a case, as its chain keeps it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisposalBody {
    pub folio: String,
    pub list: String,
    pub expediente: String,
    pub serie: String,
    pub approved_by: String,
    pub approved_at: String,
    pub disposed_by: String,
    pub disposed_at: String,
    pub events: Vec<DisposedEventBody>,
    pub documents: Vec<DisposedDocumentBody>,
}

impl DisposalBody {
    fn of(folio: String, d: Disposal) -> DisposalBody {
        DisposalBody {
            folio,
            list: d.list,
            expediente: d.expediente,
            serie: d.serie,
            approved_by: d.approved_by,
            approved_at: d.approved_at,
            disposed_by: d.disposed_by,
            disposed_at: d.disposed_at,
            events: d
                .events
                .into_iter()
                .map(|e| DisposedEventBody {
                    seq: e.seq,
                    hash: e.hash,
                })
                .collect(),
            documents: d
                .documents
                .into_iter()
                .map(|x| DisposedDocumentBody {
                    name: x.name,
                    sha256: x.sha256,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(names("folio"))]
pub struct DisposedFolio(
    /// The case's folio.
    pub String,
);

/// The record of disposal of a case given de baja (`GET /api/v1/cases/{folio}` answers 410
/// for it).
#[utoipa::path(
    get,
    path = "/api/v1/archive/disposed/{folio}",
    operation_id = "get_case_disposal",
    tag = "archivo",
    params(DisposedFolio),
    responses(
        (status = 200, description = "El registro de baja", body = DisposalBody),
        (status = 403, description = "Solo el personal del archivo y la administración", body = ErrorBody),
        (status = 404, description = "Ese asunto no se ha dado de baja", body = ErrorBody),
    ),
)]
pub async fn disposal(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(DisposedFolio(folio)): Path<DisposedFolio>,
) -> Result<Json<DisposalBody>, ApiError> {
    let found = archive::disposal(&state, &user, &folio).await?;
    Ok(Json(DisposalBody::of(folio, found)))
}
