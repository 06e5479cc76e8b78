//! What the record teaches, for the pages and the API alike (`docs/process-mining.md`): the
//! paths of a procedure as figures (the API's [`PathsReport`], the page's tables) and as marks
//! on its flowchart, and the event log as a streamed XES download.

use crate::flowchart::{ActivityMark, ArrowMark, Marks};
use crate::state::AppState;
use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::sync::mpsc;
use turno_app::mining::{PathsView, Period};
use turno_app::{Error, Principal};
use turno_domain::mining::paths::{Node, Waits, is_return, manual_moves};
use utoipa::ToSchema;

/// A move between two points of the flow and how many times cases made it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoveLine {
    /// The activity's number it leaves, or `INICIO`.
    #[schema(example = "2.1")]
    pub from: String,
    /// The activity's number it reaches, or `TERMINA`.
    #[schema(example = "1.1")]
    pub to: String,
    pub count: u64,
    /// Whether the manual draws it (the version in force).
    pub in_manual: bool,
    /// Whether it goes back to the same or an earlier activity: a return for correction.
    pub returns: bool,
}

/// How long an activity or a unit kept the work, in días hábiles (nearest rank).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitLine {
    /// The activity's number, or the unit's code.
    #[schema(example = "2.1")]
    pub key: String,
    /// The activity's text, or the unit's code again.
    pub label: String,
    /// Pieces of work finished (completed or expired).
    pub finished: u64,
    pub median_days: Option<i32>,
    pub p90_days: Option<i32>,
    /// Pieces of work still open.
    pub open: u64,
}

/// The paths real cases of a procedure took, against the manual's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PathsReport {
    pub procedure: String,
    /// The version in force, whose flowchart the figures are drawn on.
    pub version: u32,
    /// The first day of the cases' start taken, if bounded.
    #[schema(format = Date)]
    pub from: Option<String>,
    /// The last day, if bounded.
    #[schema(format = Date)]
    pub to: Option<String>,
    pub cases: u64,
    /// Every move the manual draws (made or not) and those cases made outside it, most
    /// frequent first.
    pub moves: Vec<MoveLine>,
    /// By activity, in the manual's order.
    pub activities: Vec<WaitLine>,
    /// By unit, longest 90th percentile first: the bottlenecks.
    pub units: Vec<WaitLine>,
}

fn node_name(node: &Node) -> String {
    match node {
        Node::Start => "INICIO".to_owned(),
        Node::Activity(number) => number.clone(),
        Node::End => "TERMINA".to_owned(),
    }
}

fn wait_line(key: &str, label: String, waits: Option<&Waits>, open: u64) -> WaitLine {
    let times = waits.and_then(Waits::times);
    WaitLine {
        key: key.to_owned(),
        label,
        finished: waits.map_or(0, Waits::total),
        median_days: times.map(|t| t.median),
        p90_days: times.map(|t| t.p90),
        open,
    }
}

impl PathsReport {
    pub fn of(view: &PathsView) -> PathsReport {
        let procedure = &view.procedure;
        let paths = &view.paths;
        let manual = manual_moves(procedure);
        let mut moves: Vec<MoveLine> = manual
            .iter()
            .map(|pair| (pair, paths.moves.get(pair).copied().unwrap_or(0)))
            .chain(
                paths
                    .moves
                    .iter()
                    .filter(|(pair, _)| !manual.contains(*pair))
                    .map(|(pair, count)| (pair, *count)),
            )
            .map(|((from, to), count)| MoveLine {
                from: node_name(from),
                to: node_name(to),
                count,
                in_manual: manual.contains(&(from.clone(), to.clone())),
                returns: is_return(procedure, from, to),
            })
            .collect();
        moves.sort_by_key(|m| std::cmp::Reverse(m.count));
        let activities = procedure
            .activities
            .iter()
            .map(|a| {
                wait_line(
                    &a.number,
                    a.text.clone(),
                    paths.activities.get(&a.number),
                    paths.open.get(&a.number).copied().unwrap_or(0),
                )
            })
            .collect();
        let codes: std::collections::BTreeSet<&String> = paths
            .units
            .keys()
            .chain(paths.open_by_unit.keys())
            .collect();
        let mut units: Vec<WaitLine> = codes
            .into_iter()
            .map(|code| {
                wait_line(
                    code,
                    code.clone(),
                    paths.units.get(code),
                    paths.open_by_unit.get(code).copied().unwrap_or(0),
                )
            })
            .collect();
        units.sort_by(|a, b| {
            (b.p90_days, b.median_days, b.open).cmp(&(a.p90_days, a.median_days, a.open))
        });
        PathsReport {
            procedure: procedure.key.clone(),
            version: procedure.version,
            from: view.period.from.map(|d| d.to_string()),
            to: view.period.to.map(|d| d.to_string()),
            cases: paths.cases,
            moves,
            activities,
            units,
        }
    }

    /// The figures drawn on the flowchart: each arrow as thick as its share of the most
    /// frequent move and labelled `×N`; each activity filled by its 90th percentile against
    /// the longest one (four steps, pale to strong) and labelled with its median and p90.
    pub fn marks(&self) -> Marks {
        let most = self.moves.iter().map(|m| m.count).max().unwrap_or(0).max(1);
        let arrows = self
            .moves
            .iter()
            .filter(|m| m.in_manual)
            .map(|m| {
                let share = m.count as f64 / most as f64;
                (
                    (m.from.clone(), m.to.clone()),
                    ArrowMark {
                        width: 1.5 + 6.5 * share,
                        label: format!("×{}", m.count),
                    },
                )
            })
            .collect();
        let longest = self
            .activities
            .iter()
            .filter_map(|a| a.p90_days)
            .max()
            .unwrap_or(0)
            .max(1);
        let activities = self
            .activities
            .iter()
            .enumerate()
            .filter(|(_, a)| a.finished > 0 || a.open > 0)
            .map(|(index, a)| {
                let fill = match a.p90_days {
                    None => FILLS[0],
                    Some(p90) => FILLS[wait_step(p90, longest)],
                };
                let label = match (a.median_days, a.p90_days) {
                    (Some(median), Some(p90)) => {
                        format!("mediana {median} · p90 {p90} d. háb.")
                    }
                    _ => String::new(),
                };
                let label = match (label.is_empty(), a.open) {
                    (true, open) => format!("{open} en espera"),
                    (false, 0) => label,
                    (false, open) => format!("{label} · {open} en espera"),
                };
                (index, ActivityMark { fill, label })
            })
            .collect();
        Marks { activities, arrows }
    }
}

/// The fills of waiting, pale to strong (every one keeps the text's contrast above 7:1).
pub const FILLS: [&str; 4] = ["#e6f2e6", "#fff1bd", "#ffd8a8", "#f4b6b6"];

/// Which of [`FILLS`] a 90th percentile takes against the longest.
fn wait_step(p90: i32, longest: i32) -> usize {
    let quarter = (p90.max(0) * 4) / longest.max(1);
    usize::try_from(quarter).unwrap_or(0).min(FILLS.len() - 1)
}

/// A period from the texts of a query: `aaaa-mm-dd` or empty for an open bound.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<Period, String> {
    let day = |name: &str, text: Option<&str>| -> Result<Option<jiff::civil::Date>, String> {
        match text.map(str::trim) {
            None | Some("") => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| format!("«{name}» no es una fecha aaaa-mm-dd: «{text}».")),
        }
    };
    Ok(Period {
        from: day("desde", from)?,
        to: day("hasta", to)?,
    })
}

/// The chunks of a download as they are written.
struct Chunks(mpsc::Receiver<Result<Vec<u8>, std::io::Error>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Vec<u8>, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

/// The event log of `procedure` (all when `None`) as an XES download, streamed: the export
/// runs in a task of its own and each page of events goes to the response as soon as it is
/// written (a few pages at most wait in between). The access is checked before it starts; a
/// failure after the first bytes cuts the download short, which the client sees as an
/// incomplete file.
pub fn xes_download(
    state: &AppState,
    user: &Principal,
    procedure: Option<String>,
    period: Period,
) -> Result<Response, Error> {
    turno_app::mining::may_export(user)?;
    // Checked before the download starts: a refusal, not a file cut short.
    period.check()?;
    if let Some(key) = &procedure
        && state.library.current().latest(key).is_none()
    {
        return Err(Error::NotFound(format!(
            "No existe el procedimiento «{key}»."
        )));
    }
    let (sender, receiver) = mpsc::channel(4);
    let app = state.app.clone();
    let user = user.clone();
    let name = match &procedure {
        Some(key) => format!("registro-{key}.xes"),
        None => "registro-turno.xes".to_owned(),
    };
    tokio::spawn(async move {
        let chunks = sender.clone();
        let done =
            turno_app::mining::export_xes(&app, &user, procedure.as_deref(), period, |bytes| {
                let chunks = chunks.clone();
                async move {
                    chunks
                        .send(Ok(bytes))
                        .await
                        .map_err(|_| Error::Refused("La descarga se interrumpió.".to_owned()))
                }
            })
            .await;
        if let Err(e) = done {
            tracing::warn!(error = %e, "the XES export stopped");
            let _ = sender.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    let disposition = HeaderValue::from_str(&crate::documents::content_disposition(&name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        Body::from_stream(Chunks(receiver)),
    )
        .into_response())
}
