//! `GET /seguimiento/{key}`: a program's dashboard as of a cut-off date (`?corte=aaaa-mm-dd`,
//! today by default): progress per item, status counts, overdue activities, evidence
//! completeness, and for a supervision its case and rounds.

use super::agreements::{ACTIVITY_ROWS, LineForm, line_options};
use super::day;
use crate::chooser::UnitGroups;
use crate::error::AppError;
use crate::filters;
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::signed_in;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use turno_app::programs::{self, Followed};
use turno_domain::followup::{Plan, Status};
use turno_store::followup::{ClosedRound, Followup};

#[derive(Deserialize)]
pub struct Cut {
    corte: Option<String>,
}

pub struct ItemLine {
    pub key: String,
    pub label: String,
    pub text: String,
    pub percent: u8,
    pub status: &'static str,
}

pub struct Overdue {
    pub item: String,
    pub number: u32,
    pub description: String,
    pub end: String,
    pub responsible: String,
}

pub struct Supervision {
    /// The supervision's case, or the visit, it follows.
    pub followed: Followed,
    pub rounds: Vec<(String, String, String, String)>,
    /// Whether another round may be closed, and by this person.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "followup_program.html")]
pub(super) struct ProgramPage {
    layout: Layout,
    key: String,
    name: String,
    cut: String,
    cut_label: String,
    items: Vec<ItemLine>,
    counts: Vec<(&'static str, usize)>,
    overdue: Vec<Overdue>,
    with_evidence: usize,
    activities: usize,
    supervision: Option<Supervision>,
    /// Whether the person may add an agreement or commitment here, and to which units.
    may_add: bool,
    units: UnitGroups,
    activity_rows: usize,
    /// The heading of a program written down line by line, and the kinds of line it takes.
    plan: Option<Plan>,
    line_kinds: Vec<(&'static str, String)>,
    /// The form adding a line.
    line: LineForm,
    /// Why the lines' import was refused, and the files it holds.
    import: Vec<String>,
    held: Vec<crate::held::Held>,
}

/// The page's forms that write, empty or shown again.
#[derive(Default)]
pub struct Forms {
    /// The form adding a line.
    pub line: LineForm,
    /// Why the lines' import was refused: by file, row and column.
    pub import: Vec<String>,
    /// The files of a refused import, held so that they need not be chosen again.
    pub held: Vec<crate::held::Held>,
}

const STATUSES: [Status; 6] = [
    Status::Pending,
    Status::InProgress,
    Status::Overdue,
    Status::Attended,
    Status::Justified,
    Status::NotAttended,
];

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Path(key): Path<String>,
    Query(cut): Query<Cut>,
) -> Result<Response, AppError> {
    let page = page(&state, frame, key, cut.corte.as_deref(), Forms::default()).await?;
    crate::page::html(&page)
}

/// The page of the program under `key` as of the cut-off date `cut` (today if none), with its
/// `forms`.
pub(super) async fn page(
    state: &AppState,
    frame: Frame,
    key: String,
    cut: Option<&str>,
    forms: Forms,
) -> Result<ProgramPage, AppError> {
    let date = super::cut(state, cut)?;
    let (program, head) = programs::as_of(state, &key, date).await?;
    let cutoff = program.cutoff(date);
    let items = cutoff
        .items
        .iter()
        .map(|s| ItemLine {
            key: s.item.key(),
            label: format!("{} {}", s.item.kind.label(), s.item.number),
            text: s.item.text.clone(),
            percent: s.progress.percent(),
            status: s.status.as_str(),
        })
        .collect();
    let all: Vec<_> = program
        .items
        .iter()
        .flat_map(|i| i.activities.iter().map(move |a| (i, a)))
        .collect();
    let counts = STATUSES
        .iter()
        .map(|&s| {
            (
                s.as_str(),
                all.iter().filter(|(_, a)| a.status(date) == s).count(),
            )
        })
        .collect();
    let overdue = all
        .iter()
        .filter(|(_, a)| a.status(date) == Status::Overdue)
        .map(|(i, a)| Overdue {
            item: i.key(),
            number: a.number,
            description: a.description.clone(),
            end: day(a.end()),
            responsible: a.responsible.join(", "),
        })
        .collect();
    let with_evidence = all.iter().filter(|(_, a)| !a.evidence().is_empty()).count();
    let supervision = match programs::followed(state, &head).await? {
        Some(followed) => {
            let rounds: Vec<ClosedRound> = state.store.rounds(&key).await?;
            // The form only for those `close_round` would accept.
            let may_close = programs::may_close(state, signed_in(&frame)?, &followed)
                .await
                .is_ok();
            let open =
                may_close && rounds.len() < 2 && rounds.iter().all(|r| r.outcome.continues());
            Some(Supervision {
                followed,
                open,
                rounds: rounds
                    .iter()
                    .map(|r| {
                        (
                            r.round.label().to_owned(),
                            r.outcome.label().to_owned(),
                            r.outcome.pending().to_string(),
                            day(r.day),
                        )
                    })
                    .collect(),
            })
        }
        None => None,
    };
    let may_add = program.holds_agreements() && signed_in(&frame)?.can_act();
    let page = ProgramPage {
        units: if may_add {
            UnitGroups::load(state, &[forms.line.value("unidad")]).await?
        } else {
            UnitGroups::none()
        },
        may_add,
        activity_rows: ACTIVITY_ROWS,
        line_kinds: line_options(programs::lines_of(head.plan.as_ref())),
        plan: head.plan,
        layout: frame.layout,
        name: program.name.clone(),
        cut: date.to_string(),
        cut_label: day(date),
        items,
        counts,
        overdue,
        with_evidence,
        activities: all.len(),
        supervision,
        key,
        line: forms.line,
        import: forms.import,
        held: forms.held,
    };
    Ok(page)
}
