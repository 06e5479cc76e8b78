//! `GET /seguimiento/{key}/concentrado?unidad=&corte=`: a program rolled up from units to a
//! direction as of a cut-off date (today by default): the activities the direction and each unit
//! below it in the organization answer for, their weighted progress, overdue and closed, and all
//! of them together (`turno_app::programs::rollup`, as `GET /api/v1/programs/{key}/rollup`).
//! Without a unit, the form to choose one.

use super::day;
use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use turno_app::programs;
use turno_domain::followup::{Rollup, Tally, UnitTally};

#[derive(Deserialize)]
pub struct Asked {
    unidad: Option<String>,
    corte: Option<String>,
}

/// A row of the roll-up: the unit, and its activities, progress, overdue and closed.
pub struct Row {
    pub unit: String,
    pub activities: u32,
    pub progress: u8,
    pub overdue: u32,
    pub closed: u32,
}

impl Row {
    fn new(unit: String, tally: &Tally) -> Row {
        Row {
            unit,
            activities: tally.activities,
            progress: tally.progress().percent(),
            overdue: tally.overdue,
            closed: tally.closed,
        }
    }

    fn of(u: &UnitTally) -> Row {
        Row::new(format!("{} ({})", u.name, u.code), &u.tally)
    }
}

#[derive(Template)]
#[template(path = "followup_rollup.html")]
struct RollupPage {
    layout: Layout,
    key: String,
    name: String,
    cut: String,
    cut_label: String,
    units: UnitGroups,
    /// The direction's row first, then its units', then the total; none before a unit is
    /// chosen.
    rows: Vec<Row>,
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    Query(asked): Query<Asked>,
) -> Result<Response, AppError> {
    let date = super::cut(&state, asked.corte.as_deref())?;
    let program = programs::program(&state, &key).await?;
    let unit = asked
        .unidad
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let rows = match unit {
        Some(unit) => {
            let rollup: Rollup = programs::rollup(&state, &key, unit, date).await?;
            std::iter::once(Row::of(&rollup.direction))
                .chain(rollup.units.iter().map(Row::of))
                .chain([Row::new("Total".to_owned(), &rollup.total)])
                .collect()
        }
        None => Vec::new(),
    };
    crate::page::html(&RollupPage {
        layout: frame.layout,
        units: UnitGroups::load(&state, &unit.into_iter().collect::<Vec<_>>()).await?,
        name: program.name,
        cut: date.to_string(),
        cut_label: day(date),
        rows,
        key,
    })
}
