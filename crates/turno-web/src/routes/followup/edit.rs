//! `GET /seguimiento/{key}/{item}/editar`: the form to edit a line of a program written down
//! line by line, filled with what it holds; `POST` the same path: the edit
//! (`turno_app::programs::revise_line`, as `PUT /api/v1/programs/{key}/items/{item}`), for those
//! who may add lines. A refused form comes back (422, 409 when the line changed meanwhile) with
//! what was typed and every problem next to its field.

use super::agreements::{LineForm, again, draft, line_options};
use crate::auth::csrf::CsrfForm;
use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::forms::{Again, Submitted, shown_again};
use crate::page::{Frame, Layout, flash};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use turno_app::programs;
use turno_domain::followup::{Item, ItemKind, LineKind};

#[derive(Template)]
#[template(path = "followup_line_edit.html")]
struct EditPage {
    layout: Layout,
    key: String,
    program: String,
    item: String,
    label: String,
    line: LineForm,
    units: UnitGroups,
    /// One row per activity the line has: an edit neither adds nor removes them.
    activity_rows: usize,
    line_kinds: Vec<(&'static str, String)>,
}

/// The form's values for `line` as it is stored (dates `AAAA-MM-DD`, the term as its end).
fn filled(line: &Item, kind: LineKind) -> Submitted {
    let value = super::agreements::LINE_KINDS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("", |(value, _)| value);
    let mut form: Submitted = vec![
        ("tipo".into(), value.into()),
        ("texto".into(), line.text.clone()),
        (
            "unidad".into(),
            line.activities
                .first()
                .and_then(|a| a.responsible.first())
                .cloned()
                .unwrap_or_default(),
        ),
    ];
    match &line.kind {
        ItemKind::Observation { reference } => form.push(("referencia".into(), reference.clone())),
        ItemKind::Line(goal) => {
            form.push(("indicador".into(), goal.indicator.clone()));
            form.push(("meta".into(), goal.annual.clone()));
            for (q, progress) in (1..).zip(goal.quarters) {
                form.push((format!("meta_t{q}"), progress.percent().to_string()));
            }
        }
        _ => {}
    }
    for a in &line.activities {
        form.extend([
            ("actividad".into(), a.description.clone()),
            ("inicio".into(), a.start().to_string()),
            ("termino".into(), a.end().to_string()),
            ("plazo".into(), String::new()),
            ("productos".into(), a.products.clone()),
        ]);
    }
    form
}

async fn page(
    state: &AppState,
    frame: Frame,
    (key, item): (String, String),
    form: Option<LineForm>,
) -> Result<EditPage, AppError> {
    let user = signed_in(&frame)?;
    let (program, line) = programs::line_to_edit(state, user, &key, &item).await?;
    let kind = LineKind::of(&line.kind).ok_or(AppError::NotFound)?;
    let line_form = form.unwrap_or_else(|| LineForm::new(Again::filled(filled(&line, kind)), ""));
    Ok(EditPage {
        units: UnitGroups::load(state, &[line_form.value("unidad")]).await?,
        layout: frame.layout,
        program: program.name,
        label: format!(
            "{} {}",
            turno_domain::text::capitalized(kind.label()),
            line.key()
        ),
        activity_rows: line.activities.len(),
        line_kinds: line_options(&[kind]),
        line: line_form,
        key,
        item,
    })
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(at): Path<(String, String)>,
) -> Result<Response, AppError> {
    crate::page::html(&page(&state, frame, at, None).await?)
}

pub async fn post(
    State(state): State<AppState>,
    frame: Frame,
    Path((key, item)): Path<(String, String)>,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let user = signed_in(&frame)?;
    match programs::revise_line(&state, user, &key, &item, draft(&submitted)?).await {
        Ok(line) => {
            flash(
                &frame,
                &format!("Se guardaron los cambios de la línea {}.", line.key()),
            );
            Ok(Redirect::to(&format!("/seguimiento/{key}/{item}")).into_response())
        }
        Err(e) => {
            let line = again(submitted, e, "", false)?;
            let status = line.form.status();
            shown_again(status, &page(&state, frame, (key, item), Some(line)).await?)
        }
    }
}
