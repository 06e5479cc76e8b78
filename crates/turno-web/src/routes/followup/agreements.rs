//! `POST /seguimiento/acuerdos`: a program written down line by line (a meeting's agreements,
//! commitments, an audit's observations, a PAT, PTAR or PTCI; without a kind, a visit's
//! agreements) with its heading and first line; `POST /seguimiento/{key}/elementos`: one more
//! line. Both through `turno_app::programs`, as the API: for those who may act (not the
//! consulta role), who see the case the lines come from. A refused form is shown again (422,
//! 409 for a key taken) with what was typed and every problem next to its field.

use crate::auth::csrf::CsrfForm;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again, single};
use crate::page::{Frame, flash};
use crate::state::AppState;
use crate::views::signed_in;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
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

/// The program fields of the form creating one, as the application names them.
const HEAD_FIELDS: [&str; 7] = [
    "key",
    "name",
    "body",
    "reference",
    "held_on",
    "year",
    "folio",
];

/// A line's form (`followup_item_fields.html`), empty or shown again: what was typed, and each
/// problem next to its input; `place` is where the application puts the line's fields
/// (`items[0].` for the first line of a program being created, nothing for a line added).
#[derive(Default)]
pub struct LineForm {
    pub form: Again,
    place: &'static str,
}

impl LineForm {
    /// The form showing `form` again for the line at `place`.
    pub fn new(form: Again, place: &'static str) -> LineForm {
        LineForm { form, place }
    }

    /// The fields the form has an input for, as the application names them.
    fn shown(place: &str) -> Vec<String> {
        let line = [
            "kind",
            "text",
            "responsible",
            "reference",
            "indicator",
            "goal",
            "quarter_goals",
            "activities",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain((0..4).map(|q| format!("quarter_goals[{q}]")))
        .chain((0..ACTIVITY_ROWS).flat_map(|i| {
            ["description", "start", "end", "days", "products"]
                .map(|part| format!("activities[{i}].{part}"))
        }));
        line.map(|field| format!("{place}{field}")).collect()
    }

    /// What was typed in `name`.
    pub fn value(&self, name: &str) -> &str {
        self.form.value(name)
    }

    /// Whether `value` was chosen in `name`.
    pub fn chosen(&self, name: &str, value: &str) -> bool {
        self.form.chosen(name, value)
    }

    /// The problem of the line's `field` (as the application names it, without its place).
    pub fn error(&self, field: &str) -> Option<String> {
        self.form.error(&format!("{}{field}", self.place))
    }

    /// What was typed as the goal of quarter `q` (1 to 4).
    pub fn quarter(&self, q: &i32) -> &str {
        self.form.value(&format!("meta_t{q}"))
    }

    /// The problem of the goal of quarter `q` (1 to 4).
    pub fn quarter_error(&self, q: &i32) -> Option<String> {
        self.error(&format!("quarter_goals[{}]", q - 1))
    }

    /// What was typed in the activity row `row` (from 1) of `column`.
    pub fn cell(&self, column: &str, row: &usize) -> &str {
        self.form
            .all(column)
            .get(row.saturating_sub(1))
            .copied()
            .unwrap_or_default()
    }

    /// The problem of `part` of the activity row `row` (from 1): the application counts only
    /// the rows not left blank.
    pub fn activity_error(&self, row: &usize, part: &str) -> Option<String> {
        let blank = |r: usize| {
            ACTIVITY_COLUMNS
                .iter()
                .all(|c| self.cell(c, &r).trim().is_empty())
        };
        if blank(*row) {
            return None;
        }
        let index = (1..*row).filter(|&r| !blank(r)).count();
        self.error(&format!("activities[{index}].{part}"))
    }
}

/// The columns of an activity row, as the form names them.
const ACTIVITY_COLUMNS: [&str; 5] = ["actividad", "inicio", "termino", "productos", "plazo"];

/// The item the form describes: its kind, text, responsible unit, what its kind adds
/// (`referencia`; `indicador`, `meta`, `meta_t1` to `meta_t4`) and activities (the rows of
/// `actividad`, `inicio`, `termino`, `plazo` and `productos`, by position).
pub(super) fn draft(submitted: &Submitted) -> Result<ItemDraft, AppError> {
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
    let columns = ACTIVITY_COLUMNS.map(column);
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

/// The form's outcome: where to go, or the form shown again with `error` (`place` of the line,
/// the head's fields too when `head`).
pub(super) fn again(
    submitted: Submitted,
    error: turno_app::Error,
    place: &'static str,
    head: bool,
) -> Result<LineForm, AppError> {
    let line = LineForm::shown(place);
    let shown: Vec<&str> = line
        .iter()
        .map(String::as_str)
        .chain(HEAD_FIELDS.into_iter().filter(|_| head))
        .collect();
    let form = Again::refused(submitted, error, &shown)?.conflict_about("key");
    Ok(LineForm::new(form, place))
}

pub async fn create(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
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
    let created = programs::create_program(
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
    .await;
    match created {
        Ok(_) => {
            let key = key.trim();
            flash(&frame, &format!("Programa {key} registrado."));
            Ok(Redirect::to(&format!("/seguimiento/{key}")).into_response())
        }
        Err(e) => {
            let line = again(submitted, e, "items[0].", true)?;
            let status = line.form.status();
            shown_again(
                status,
                &super::list::page(&state, frame, Vec::new(), line).await?,
            )
        }
    }
}

pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    let drafts = [(String::new(), String::new(), draft(&submitted)?)];
    match programs::add_lines(&state, user, &key, &drafts).await {
        Ok(mut added) => {
            let item = added.pop().ok_or_else(|| {
                AppError::from(turno_app::Error::internal("a line added and not answered"))
            })?;
            flash(&frame, &format!("Se agregó la línea {}.", item.key()));
            Ok(Redirect::to(&format!("/seguimiento/{key}/{}", item.key())).into_response())
        }
        Err(e) => {
            let line = again(submitted, e, "", false)?;
            let status = line.form.status();
            let page = super::program::Forms {
                line,
                ..Default::default()
            };
            shown_again(
                status,
                &super::program::page(&state, frame, key, None, page).await?,
            )
        }
    }
}
