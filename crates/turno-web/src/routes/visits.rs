//! The evaluation visits (`docs/visits.md`): `GET /visitas`, the list by unit, period and
//! state with the form to plan one; `POST /visitas`, planning it; `GET /visitas/{id}`, a visit
//! with its findings, the form to record one and the form to make its improvement plan;
//! `POST /visitas/{id}/hallazgos`, a finding with its evidence file streamed to the blob store;
//! `GET /visitas/{id}/hallazgos/{number}/evidencia`, that file; `POST /visitas/{id}/plan`, the
//! improvement plan, whose progress, rounds and report are the follow-up program's pages;
//! `GET /visitas/{id}/pdf`, the visit's plan and improvement plan to print.
//! What they do is `turno_app::visits`'s, shared with the API; a refused form comes back with
//! every problem next to its field and what was typed.

use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::chooser::UnitGroups;
use crate::documents::file_response;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single, values};
use crate::held::{self, Held};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;
use turno_app::visits::{self, ActionDraft, FindingDraft, VisitDraft, VisitQuery};
use turno_app::{FieldProblem, limits};
use turno_domain::followup::{Modality, Severity, VisitState};
use turno_domain::text::day;
use turno_store::Store;
use turno_store::visits::StoredVisit;

/// A visit as the list shows it.
pub struct VisitLine {
    pub id: i64,
    pub modality: &'static str,
    pub units: String,
    pub dates: String,
    pub purpose: String,
    pub findings: usize,
    pub state: &'static str,
    pub plan: Option<String>,
    pub case_folio: Option<String>,
}

impl VisitLine {
    fn new(v: &StoredVisit) -> VisitLine {
        VisitLine {
            id: v.id,
            modality: v.visit.modality.label(),
            units: v.visit.units.join(", "),
            dates: dates(v),
            purpose: v.visit.purpose.clone(),
            findings: v.findings.len(),
            state: v.state().label(),
            plan: v.plan.clone(),
            case_folio: v.visit.case_folio.clone(),
        }
    }
}

fn dates(v: &StoredVisit) -> String {
    let (from, to) = v.visit.dates;
    if from == to {
        day(from)
    } else {
        format!("{} al {}", day(from), day(to))
    }
}

#[derive(Template)]
#[template(path = "visits.html")]
struct VisitsPage {
    layout: Layout,
    visits: Vec<VisitLine>,
    /// The filters as typed, with their problems.
    query: Again,
    states: Vec<(&'static str, &'static str)>,
    modalities: Vec<(&'static str, &'static str)>,
    /// Whether the person may plan a visit (not only consult).
    may_plan: bool,
    units: UnitGroups,
    /// The planning form, again when it was refused.
    form: Again,
    max_text: usize,
}

/// The codes and labels of a closed list, for a form's options.
fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|&t| (code(t), label(t))).collect()
}

/// A use case's problems on a list's entries (`units[2]`) told next to the list's input.
fn on_lists(e: turno_app::Error) -> turno_app::Error {
    match e {
        turno_app::Error::InvalidFields(problems) => turno_app::Error::InvalidFields(
            problems
                .into_iter()
                .map(|p| match p.field.split_once('[') {
                    Some((list, _)) if !p.field.starts_with("actions") => {
                        FieldProblem::new(list, p.message)
                    }
                    _ => p,
                })
                .collect(),
        ),
        other => other,
    }
}

pub async fn list(
    State(state): State<AppState>,
    frame: Frame,
    Query(query): Query<Submitted>,
) -> Result<Response, AppError> {
    let page = list_page(&state, frame, query, Again::default()).await?;
    let status = page.query.page_status();
    crate::page::html_with(status, &page)
}

async fn list_page(
    state: &AppState,
    frame: Frame,
    query: Submitted,
    form: Again,
) -> Result<VisitsPage, AppError> {
    let user = signed_in(&frame)?;
    let field = |name: &str| single(&query, name).unwrap_or_default().to_owned();
    let asked = VisitQuery {
        unit: field("unidad"),
        from: field("desde"),
        to: field("hasta"),
        state: field("estado"),
    };
    let (visits, query) = match visits::list(state, &asked).await {
        Ok(found) => (found, Again::filled(query)),
        Err(e) => (
            Vec::new(),
            Again::refused(query, e, &["unit", "from", "to", "state"])?,
        ),
    };
    let may_plan = user.can_act();
    let chosen = form.all("units");
    let units = if may_plan {
        UnitGroups::load(state, &chosen).await?
    } else {
        UnitGroups::none()
    };
    Ok(VisitsPage {
        layout: frame.layout,
        visits: visits.iter().map(VisitLine::new).collect(),
        query,
        states: options(&VisitState::ALL, VisitState::code, VisitState::label),
        modalities: options(&Modality::ALL, Modality::code, Modality::label),
        may_plan,
        units,
        form,
        max_text: limits::TEXT,
    })
}

/// The lines of a textarea, each an entry of a list.
fn lines_of(submitted: &Submitted, name: &str) -> Vec<String> {
    single(submitted, name)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// `POST /visitas`: plans a visit; refused, the list again with the form as sent.
pub async fn plan(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let field = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let draft = VisitDraft {
        modality: field("modality"),
        units: values(&submitted, "units")
            .into_iter()
            .map(str::to_owned)
            .collect(),
        from: field("from"),
        to: field("to"),
        team: lines_of(&submitted, "team"),
        purpose: field("purpose"),
        aspects: lines_of(&submitted, "aspects"),
    };
    match visits::plan(&state, user, &draft).await {
        Ok(id) => {
            flash(&frame, &format!("Visita {id} programada."));
            Ok(Redirect::to(&format!("/visitas/{id}")).into_response())
        }
        Err(e) => {
            let shown = [
                "modality", "units", "from", "to", "team", "purpose", "aspects",
            ];
            let again = Again::refused(submitted, on_lists(e), &shown)?;
            let status = again.status();
            shown_again(status, &list_page(&state, frame, Vec::new(), again).await?)
        }
    }
}

/// A finding as the visit's page shows it.
pub struct FindingLine {
    pub number: u32,
    pub aspect: String,
    pub description: String,
    pub severity: &'static str,
    pub evidence: Option<String>,
}

#[derive(Template)]
#[template(path = "visit.html")]
struct VisitPage {
    layout: Layout,
    line: VisitLine,
    team: Vec<String>,
    aspects: Vec<String>,
    planned_by: String,
    findings: Vec<FindingLine>,
    /// Whether the person records findings and makes the plan.
    works: bool,
    severities: Vec<(&'static str, &'static str)>,
    /// The finding's form, again when it was refused, and the evidence held for it.
    finding: Again,
    evidence: Option<Held>,
    /// The plan's form, again when it was refused.
    plan: Again,
    action_rows: Vec<usize>,
    /// The units a plan's action may be given to: code and name.
    units: Vec<(String, String)>,
    max_text: usize,
}

/// The rows the plan's form offers: two per finding, at least three.
fn action_rows(findings: usize) -> Vec<usize> {
    (0..(findings * 2).clamp(3, turno_app::programs::MOST)).collect()
}

pub async fn show(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let page = visit_page(
        &state,
        frame,
        id,
        (Again::default(), None),
        Again::default(),
    )
    .await?;
    crate::page::html(&page)
}

async fn visit_page(
    state: &AppState,
    frame: Frame,
    id: i64,
    (finding, evidence): (Again, Option<Held>),
    plan: Again,
) -> Result<VisitPage, AppError> {
    let user = signed_in(&frame)?;
    let visit = visits::show(state, id).await?;
    let works = visits::may_work(state, user, &visit).await.is_ok();
    let people = state.store.people().await?;
    let units = if works && visit.plan.is_none() {
        let chart = state.store.organization().await?;
        chart
            .into_iter()
            .map(|u| (u.code, u.current.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(VisitPage {
        layout: frame.layout,
        line: VisitLine::new(&visit),
        team: visits::team_names(&visit, &people),
        aspects: visit.visit.aspects.clone(),
        planned_by: visit.planned_by.clone(),
        findings: visit
            .findings
            .iter()
            .map(|f| FindingLine {
                number: f.finding.number,
                aspect: f.finding.aspect.clone(),
                description: f.finding.description.clone(),
                severity: f.finding.severity.label(),
                evidence: f.file.as_ref().and(f.finding.evidence.clone()),
            })
            .collect(),
        works,
        severities: options(&Severity::ALL, Severity::code, Severity::label),
        finding,
        evidence,
        plan,
        action_rows: action_rows(visit.findings.len()),
        units,
        max_text: limits::TEXT,
    })
}

/// The file input's name in the finding's form.
const FILE_FIELD: &str = "evidence";

/// `POST /visitas/{id}/hallazgos`: refused, the form again with every problem and what was
/// typed, and the evidence received held so that it need not be chosen again.
pub async fn finding(
    State(state): State<AppState>,
    frame: Frame,
    session: Session,
    Path(id): Path<i64>,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    // Whether the file is stored at all: the visit is this person's to record.
    let may_store = |_: &Submitted| {
        let (state, frame) = (&state, &frame);
        async move {
            visits::worked(state, signed_in(frame)?, id).await?;
            Ok(())
        }
    };
    let (submitted, file, refused) =
        held::form_with_evidence(&state, &session, &mut multipart, FILE_FIELD, may_store).await?;
    let user = signed_in(&frame)?;
    let field = |name: &str| single(&submitted, name).unwrap_or_default().to_owned();
    let draft = FindingDraft {
        aspect: field("aspect"),
        description: field("description"),
        severity: field("severity"),
    };
    let recorded = match refused {
        Some(e) => Err(e),
        None => visits::record_finding(&state, user, id, &draft, file.clone()).await,
    };
    match recorded {
        Ok(found) => {
            flash(&frame, &format!("Hallazgo {} registrado.", found.number));
            Ok(Redirect::to(&format!("/visitas/{id}")).into_response())
        }
        Err(e) => {
            let shown = ["aspect", "description", "severity", "evidence"];
            let again = Again::refused(submitted, e, &shown)?;
            let held = held::keep_evidence(&state, &session, file).await?;
            let status = again.status();
            let page = visit_page(&state, frame, id, (again, held), Again::default()).await?;
            shown_again(status, &page)
        }
    }
}

pub async fn evidence(
    State(state): State<AppState>,
    Path((id, number)): Path<(i64, u32)>,
) -> Result<Response, AppError> {
    let (name, file, content) = visits::finding_evidence(&state, id, number).await?;
    file_response(&file.mime, &name, content).map_err(|e| AppError::Internal(e.into()))
}

/// A visit's plan and improvement plan as a PDF (`turno_app::visits::report` through the
/// tables' PDF of `turno export asm`): the page's `GET /visitas/{id}/pdf` and the API's.
pub(crate) async fn report_pdf(state: &AppState, id: i64) -> Result<Response, AppError> {
    let report = visits::report(state, id).await?;
    let bytes = crate::tables_pdf::tables(&report.title, &report.tables, &[])?;
    file_response(
        "application/pdf",
        &format!("{}.pdf", report.file_name),
        bytes,
    )
    .map_err(|e| AppError::Internal(e.into()))
}

/// `GET /visitas/{id}/pdf`: the visit's plan and its improvement plan, to print.
pub async fn pdf(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response, AppError> {
    report_pdf(&state, id).await
}

/// `POST /visitas/{id}/plan`: the improvement plan from the rows of actions (blank ones left
/// out); refused, the visit's page again with the form as sent.
pub async fn make_plan(
    State(state): State<AppState>,
    frame: Frame,
    Path(id): Path<i64>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let cell = |row: usize, name: &str| {
        single(&submitted, &format!("actions[{row}].{name}"))
            .unwrap_or_default()
            .to_owned()
    };
    let names = [
        "finding",
        "description",
        "responsible",
        "start",
        "end",
        "products",
    ];
    // The rows' indices are kept, so that a problem stays next to the row it is about.
    let rows = (0..turno_app::programs::MOST).filter(|&row| {
        names[1..]
            .iter()
            .any(|name| !cell(row, name).trim().is_empty())
    });
    let mut kept = Vec::new();
    let mut actions = Vec::new();
    for row in rows {
        kept.push(row);
        actions.push(ActionDraft {
            finding: cell(row, "finding"),
            description: cell(row, "description"),
            responsible: cell(row, "responsible"),
            start: cell(row, "start"),
            end: cell(row, "end"),
            products: cell(row, "products"),
        });
    }
    let key = single(&submitted, "key").unwrap_or_default().to_owned();
    match visits::make_plan(&state, user, id, &key, &actions).await {
        Ok(key) => {
            flash(&frame, &format!("Plan de mejora {key} registrado."));
            Ok(Redirect::to(&format!("/seguimiento/{key}")).into_response())
        }
        Err(e) => {
            // The problems of the n-th action sent are the problems of its row.
            let e = match e {
                turno_app::Error::InvalidFields(problems) => turno_app::Error::InvalidFields(
                    problems
                        .into_iter()
                        .map(|p| FieldProblem::new(&renumbered(&p.field, &kept), p.message))
                        .collect(),
                ),
                other => other,
            };
            let mut shown = vec!["key".to_owned(), "actions".to_owned()];
            for row in 0..turno_app::programs::MOST {
                shown.extend(names.iter().map(|name| format!("actions[{row}].{name}")));
            }
            let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
            let again = Again::refused(submitted, e, &shown)?;
            let status = again.status();
            let page = visit_page(&state, frame, id, (Again::default(), None), again).await?;
            shown_again(status, &page)
        }
    }
}

/// `actions[n].field` of the n-th action sent as the field of the row it came from.
fn renumbered(field: &str, kept: &[usize]) -> String {
    let Some((index, rest)) = field
        .strip_prefix("actions[")
        .and_then(|rest| rest.split_once(']'))
    else {
        return field.to_owned();
    };
    match index.parse::<usize>().ok().and_then(|n| kept.get(n)) {
        Some(row) => format!("actions[{row}]{rest}"),
        None => field.to_owned(),
    }
}
