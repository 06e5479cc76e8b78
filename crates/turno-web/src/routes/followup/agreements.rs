//! `POST /seguimiento/acuerdos`: a program written down line by line (a meeting's agreements,
//! commitments, an audit's observations, a PAT, PTAR or PTCI; without a kind, a visit's
//! agreements) with its heading and first line; `POST /seguimiento/{key}/elementos`: one more
//! line. Both through `turno_app::programs`, as the API: for those who may act (not the
//! consulta role), who see the case the lines come from.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Submitted, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::Redirect;
use turno_app::programs::{self, ActivityDraft, ItemDraft, ProgramDraft};
use turno_domain::followup::{LineKind, ProgramKind};

/// The activity rows the forms offer; blank ones are left out.
pub const ACTIVITY_ROWS: usize = 3;

/// How the forms name each kind of line (`tipo`).
pub const LINE_KINDS: [(&str, LineKind); 6] = [
    ("acuerdo", LineKind::Agreement),
    ("compromiso", LineKind::Commitment),
    ("observacion", LineKind::Observation),
    ("linea", LineKind::Line),
    ("riesgo", LineKind::Risk),
    ("accion", LineKind::ControlAction),
];

/// How the forms name each kind of program (`programa`).
pub const PROGRAM_KINDS: [(&str, ProgramKind); 6] = [
    ("acuerdos", ProgramKind::Agreements),
    ("compromisos", ProgramKind::Commitments),
    ("auditoria", ProgramKind::Audit),
    ("pat", ProgramKind::Pat),
    ("ptar", ProgramKind::Ptar),
    ("ptci", ProgramKind::Ptci),
];

/// The options of a form's `tipo` for the kinds of line given: value and label.
pub fn line_options(kinds: &[LineKind]) -> Vec<(&'static str, String)> {
    LINE_KINDS
        .iter()
        .filter(|(_, k)| kinds.contains(k))
        .map(|(value, k)| (*value, turno_domain::text::capitalized(k.label())))
        .collect()
}

/// The item the form describes: its kind, text, responsible unit, what its kind adds
/// (`referencia`; `indicador`, `meta`, `meta_t1` to `meta_t4`) and activities (the rows of
/// `actividad`, `inicio`, `termino`, `plazo` and `productos`, by position).
fn draft(submitted: &Submitted) -> Result<ItemDraft, AppError> {
    let kind = single(submitted, "tipo")
        .and_then(|t| LINE_KINDS.iter().find(|(value, _)| *value == t))
        .map(|(_, kind)| *kind)
        .ok_or_else(|| AppError::BadRequest("Elija el tipo de línea.".into()))?;
    let column = |name: &str| -> Vec<&str> {
        submitted
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let columns = [
        column("actividad"),
        column("inicio"),
        column("termino"),
        column("productos"),
        column("plazo"),
    ];
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let cell = |c: usize, row: usize| columns[c].get(row).copied().unwrap_or_default();
    let activities = (0..rows)
        .filter(|&row| (0..columns.len()).any(|c| !cell(c, row).trim().is_empty()))
        .map(|row| ActivityDraft {
            description: cell(0, row).to_owned(),
            start: cell(1, row).to_owned(),
            end: cell(2, row).to_owned(),
            products: cell(3, row).to_owned(),
            days: cell(4, row).to_owned(),
        })
        .collect();
    let field = |name: &str| single(submitted, name).unwrap_or_default().to_owned();
    Ok(ItemDraft {
        reference: field("referencia"),
        indicator: field("indicador"),
        goal: field("meta"),
        quarters: ["meta_t1", "meta_t2", "meta_t3", "meta_t4"].map(field),
        ..ItemDraft::new(kind, field("texto"), field("unidad"), activities)
    })
}

pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let field = |name: &str| single(&submitted, name).unwrap_or_default();
    let key = field("clave");
    let kind = match field("programa") {
        "" => None,
        value => Some(
            PROGRAM_KINDS
                .iter()
                .find(|(v, _)| *v == value)
                .map(|(_, kind)| *kind)
                .ok_or_else(|| AppError::BadRequest("Elija el tipo de programa.".into()))?,
        ),
    };
    programs::create_program(
        &state,
        user,
        ProgramDraft {
            key,
            name: field("nombre"),
            kind,
            body: field("organo"),
            reference: field("referencia_programa"),
            held_on: field("fecha"),
            year: field("ejercicio"),
            folio: Some(field("folio")),
        },
        &[draft(&submitted)?],
    )
    .await?;
    flash(&frame, &format!("Programa {key} registrado."));
    Ok(Redirect::to(&format!("/seguimiento/{key}")))
}

pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Redirect, AppError> {
    let user = signed_in(&frame)?;
    let drafts = [(String::new(), String::new(), draft(&submitted)?)];
    let item = programs::add_lines(&state, user, &key, &drafts)
        .await?
        .pop()
        .ok_or_else(|| {
            AppError::from(turno_app::Error::internal("a line added and not answered"))
        })?;
    flash(&frame, &format!("Se agregó la línea {}.", item.key()));
    Ok(Redirect::to(&format!("/seguimiento/{key}/{}", item.key())))
}
