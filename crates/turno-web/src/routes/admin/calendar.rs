//! `GET /admin/calendario`: the non-working days of a year per regime (those of the law and
//! those of the DOF agreements stored, with where each came from); `POST
//! /admin/calendario/importar`: a file of días inhábiles (docs/calendar-data.md) imported all
//! or nothing, every problem listed by line; `POST /admin/calendario/agregar`: one día inhábil
//! or period; `GET /admin/calendario?editar=ID` and `POST /admin/calendario/cambiar`: a stored
//! entry changed; `POST /admin/calendario/quitar`: a stored entry removed; `POST
//! /admin/calendario/alcance`: whose institution's and state's days the agency counts on. After
//! a change, the due dates that moved are listed; a form with problems comes back with each
//! next to its field and what was typed. The changes are `turno_app::calendar`'s, as the API's.

use super::administrator;
use crate::auth::csrf::{CsrfForm, CsrfMultipart};
use crate::error::AppError;
use crate::forms::{Submitted, required, single, values};
use crate::page::{Frame, Layout};
use crate::state::AppState;
use crate::views::when;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use turno_app::FieldProblem;
use turno_app::calendar::{self, NewEntry, YEARS};
use turno_app::commands::Moved;
use turno_domain::calendar::{NonWorkingPeriod, Regime, State as MexicanState};
use turno_domain::text::day;
use turno_store::Store;
use turno_store::calendar::CalendarImport;

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarPage {
    layout: Layout,
    year: i16,
    /// Per regime: its law, and the days (date, name) the deadlines count on.
    regimes: Vec<(&'static str, Vec<(String, String)>)>,
    entries: Vec<EntryView>,
    report: Option<Report>,
    /// The agency's institution code, if any.
    institution: String,
    /// Whether the agency is in no state, and every state (code, name, chosen) to choose from.
    no_state: bool,
    states: Vec<(&'static str, &'static str, bool)>,
    /// The form to add a día inhábil, or to change the entry being edited.
    form: EntryForm,
}

/// The form of one día inhábil or period: blank to add one, an entry's values to change it, or
/// what was typed with each problem next to its field.
struct EntryForm {
    /// The entry being changed; none: a new one.
    id: Option<i64>,
    from: String,
    to: String,
    name: String,
    lfpa: bool,
    lft: bool,
    institution: String,
    state: String,
    source: String,
    /// Each problem by the application's field name (`from`, `name`…).
    problems: Vec<FieldProblem>,
}

impl EntryForm {
    fn blank() -> EntryForm {
        EntryForm {
            id: None,
            from: String::new(),
            to: String::new(),
            name: String::new(),
            lfpa: false,
            lft: false,
            institution: String::new(),
            state: String::new(),
            source: String::new(),
            problems: Vec::new(),
        }
    }

    /// A stored entry's values, to change them.
    fn of(id: i64, p: &NonWorkingPeriod) -> EntryForm {
        let has = |regime: Regime| p.regimes.as_ref().is_some_and(|r| r.contains(&regime));
        EntryForm {
            id: Some(id),
            from: p.from.to_string(),
            to: if p.to == p.from {
                String::new()
            } else {
                p.to.to_string()
            },
            name: p.name.clone(),
            lfpa: has(Regime::Lfpa),
            lft: has(Regime::Lft),
            institution: p.institution.clone().unwrap_or_default(),
            state: p.state.map(|s| s.code().to_owned()).unwrap_or_default(),
            source: p.source.clone().unwrap_or_default(),
            problems: Vec::new(),
        }
    }

    /// What the person submitted, as they typed it.
    fn submitted(id: Option<i64>, submitted: &Submitted) -> EntryForm {
        let field = |name: &str| single(submitted, name).unwrap_or_default().to_owned();
        let regimes = values(submitted, "regimen");
        EntryForm {
            id,
            from: field("desde"),
            to: field("hasta"),
            name: field("nombre"),
            lfpa: regimes.contains(&"lfpa"),
            lft: regimes.contains(&"lft"),
            institution: field("institucion"),
            state: field("entidad"),
            source: field("fuente"),
            problems: Vec::new(),
        }
    }

    /// The entry as the application reads it.
    fn entry<'a>(&'a self, regimes: &'a [String]) -> NewEntry<'a> {
        NewEntry {
            from: &self.from,
            to: &self.to,
            name: &self.name,
            regimes,
            institution: &self.institution,
            state: &self.state,
            source: &self.source,
        }
    }

    fn regimes(&self) -> Vec<String> {
        [(self.lfpa, Regime::Lfpa), (self.lft, Regime::Lft)]
            .into_iter()
            .filter(|(chosen, _)| *chosen)
            .map(|(_, r)| r.code().to_owned())
            .collect()
    }

    /// The problem of the application's field `name`, if any (for the template).
    fn problem(&self, name: &str) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == name)
            .map(|p| p.message.as_str())
    }
}

struct EntryView {
    id: i64,
    days: String,
    name: String,
    regimes: String,
    scope: String,
    source: String,
    imported: String,
}

struct Report {
    title: String,
    done: Option<String>,
    problems: Vec<String>,
    /// (folio, activity, before, after)
    moved: Vec<(String, String, String, String)>,
}

#[derive(Deserialize)]
pub struct Params {
    anio: Option<String>,
    /// The entry whose form to show filled in, to change it.
    editar: Option<String>,
}

fn days(period: &NonWorkingPeriod) -> String {
    if period.from == period.to {
        day(period.from)
    } else {
        format!("{} al {}", day(period.from), day(period.to))
    }
}

/// The file an entry came from, without the folders it was read from on the server.
fn file_name(file: &str) -> &str {
    file.rsplit(['/', '\\']).next().unwrap_or(file)
}

async fn page(
    state: &AppState,
    layout: Layout,
    year: i16,
    report: Option<Report>,
    form: EntryForm,
) -> Result<Response, AppError> {
    let calendars = state.calendars.current();
    let regimes = Regime::ALL
        .iter()
        .map(|regime| {
            let listed = calendars
                .get(*regime)
                .non_working_days(year)
                .into_iter()
                .map(|d| (day(d.date), d.name))
                .collect();
            (regime.law(), listed)
        })
        .collect();
    let stored = state.store.calendar().await?;
    let (institution, agency_state) =
        (stored.institution.clone().unwrap_or_default(), stored.state);
    let entries = stored
        .entries
        .into_iter()
        .filter(|e| e.period.from.year() <= year && year <= e.period.to.year())
        .map(|e| {
            let p = &e.period;
            let mut scope = Vec::new();
            if let Some(institution) = &p.institution {
                scope.push(format!("Institución {institution}"));
            }
            if let Some(state) = p.state {
                scope.push(format!("{} ({})", state.name(), state.code()));
            }
            EntryView {
                id: e.id,
                days: days(p),
                regimes: match &p.regimes {
                    None => "LFPA y LFT".to_owned(),
                    Some(r) => r
                        .iter()
                        .map(|r| r.code().to_uppercase())
                        .collect::<Vec<_>>()
                        .join(" y "),
                },
                scope: if scope.is_empty() {
                    "General".to_owned()
                } else {
                    scope.join(", ")
                },
                source: p.source.clone().unwrap_or_default(),
                imported: format!(
                    "{}, {} ({})",
                    file_name(&e.file),
                    when(&e.imported_at, &state.time_zone),
                    e.imported_by
                ),
                name: p.name.clone(),
            }
        })
        .collect();
    let page = CalendarPage {
        layout,
        year,
        regimes,
        entries,
        report,
        institution,
        no_state: agency_state.is_none(),
        states: MexicanState::all()
            .map(|s| (s.code(), s.name(), Some(s) == agency_state))
            .collect(),
        form,
    };
    crate::page::html(&page)
}

fn moved(list: Vec<Moved>) -> Vec<(String, String, String, String)> {
    list.into_iter()
        .map(|m| (m.folio, m.activity, day(m.before), day(m.after)))
        .collect()
}

pub async fn get(
    State(state): State<AppState>,
    frame: Frame,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    administrator(&frame)?;
    let year = match params.anio.as_deref().map(str::trim) {
        None | Some("") => state.today().year(),
        Some(text) => text
            .parse::<i16>()
            .ok()
            .filter(|y| YEARS.contains(y))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "«{text}» no es un año entre {} y {}.",
                    YEARS.start(),
                    YEARS.end()
                ))
            })?,
    };
    let form = match params.editar.as_deref().map(str::trim) {
        None | Some("") => EntryForm::blank(),
        Some(text) => {
            let stored = state.store.calendar().await?;
            text.parse::<i64>()
                .ok()
                .and_then(|id| stored.entries.iter().find(|e| e.id == id))
                .map(|e| EntryForm::of(e.id, &e.period))
                .ok_or_else(|| AppError::from(gone()))?
        }
    };
    page(&state, frame.layout, year, None, form).await
}

/// An entry that is not stored (any longer).
fn gone() -> turno_app::Error {
    turno_app::Error::NotFound("Esa entrada del calendario ya no existe.".into())
}

/// The page again with the form as typed, each problem next to its field, when the application
/// refused its values; any other error as its page.
async fn refused(
    state: &AppState,
    layout: Layout,
    mut form: EntryForm,
    error: turno_app::Error,
) -> Result<Response, AppError> {
    let turno_app::Error::InvalidFields(problems) = error else {
        return Err(error.into());
    };
    form.problems = problems;
    let year = form
        .from
        .parse::<jiff::civil::Date>()
        .ok()
        .map(|d| d.year())
        .filter(|y| YEARS.contains(y))
        .unwrap_or_else(|| state.today().year());
    let page = page(state, layout, year, None, form).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

pub async fn import(
    State(state): State<AppState>,
    frame: Frame,
    CsrfMultipart(mut multipart): CsrfMultipart,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let (_, file) = crate::forms::with_file(&mut multipart, "archivo", "calendario").await?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(AppError::BadRequest(
            "Elija el archivo de días inhábiles.".into(),
        ));
    };
    let title = format!("Resultado de importar {name}");
    let mut year = state.today().year();
    let report = match turno_domain::citizen::calls::utf8_text(&bytes) {
        Err(at) => Report {
            title,
            done: None,
            problems: vec![format!("{name}: {at}.")],
            moved: Vec::new(),
        },
        Ok(text) => match calendar::import(&state, &name, text, &admin.login).await {
            Ok((imported, list)) => {
                if let Some(first) = imported.added.first() {
                    year = first.from.year();
                }
                imported_report(title, &imported, list)
            }
            Err(turno_app::Error::InvalidFile(problems)) => Report {
                title,
                done: None,
                problems,
                moved: Vec::new(),
            },
            Err(other) => return Err(other.into()),
        },
    };
    page(&state, frame.layout, year, Some(report), EntryForm::blank()).await
}

/// What an import or an addition did: the entries added, those stored already, the due dates
/// that moved.
fn imported_report(title: String, imported: &CalendarImport, list: Vec<Moved>) -> Report {
    let mut done = format!(
        "Días o periodos nuevos: {}; ya registrados: {}.",
        imported.added.len(),
        imported.unchanged
    );
    for p in &imported.added {
        done.push_str(&format!(" {} «{}».", days(p), p.name));
    }
    Report {
        title,
        done: Some(done),
        problems: Vec::new(),
        moved: moved(list),
    }
}

/// `POST /admin/calendario/agregar`: one día inhábil or period, written on the page.
pub async fn add(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let form = EntryForm::submitted(None, &submitted);
    let regimes = form.regimes();
    let (imported, list) = match calendar::add(&state, form.entry(&regimes), &admin.login).await {
        Ok(done) => done,
        Err(e) => return refused(&state, frame.layout, form, e).await,
    };
    let year = imported
        .added
        .first()
        .map_or_else(|| state.today().year(), |p| p.from.year());
    let title = format!("Resultado de agregar «{}»", form.name);
    let report = imported_report(title, &imported, list);
    page(&state, frame.layout, year, Some(report), EntryForm::blank()).await
}

/// `POST /admin/calendario/cambiar`: a stored entry changed on the page.
pub async fn change(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let id: i64 = required(&submitted, "entrada", "Entrada")?
        .parse()
        .map_err(|_| AppError::from(gone()))?;
    let form = EntryForm::submitted(Some(id), &submitted);
    let regimes = form.regimes();
    let changed = match calendar::change(&state, id, form.entry(&regimes), &admin.login).await {
        Ok(Some(changed)) => changed,
        Ok(None) => return Err(gone().into()),
        Err(e) => return refused(&state, frame.layout, form, e).await,
    };
    let report = Report {
        title: format!("Se cambió «{}»", changed.before.name),
        done: Some(format!(
            "Antes: {} «{}». Ahora: {} «{}».",
            days(&changed.before),
            changed.before.name,
            days(&changed.after),
            changed.after.name
        )),
        problems: Vec::new(),
        moved: moved(changed.moved),
    };
    let year = changed.after.from.year();
    page(&state, frame.layout, year, Some(report), EntryForm::blank()).await
}

pub async fn remove(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let id: i64 = required(&submitted, "entrada", "Entrada")?
        .parse()
        .map_err(|_| AppError::BadRequest("Esa entrada del calendario no existe.".into()))?;
    let Some((period, list)) = calendar::remove(&state, id, &admin.login).await? else {
        return Err(gone().into());
    };
    let report = Report {
        title: format!("Se quitó {} «{}»", days(&period), period.name),
        done: None,
        problems: Vec::new(),
        moved: moved(list),
    };
    let year = period.from.year();
    page(&state, frame.layout, year, Some(report), EntryForm::blank()).await
}

/// `POST /admin/calendario/alcance`: the agency's institution and state, whose entries apply
/// besides the general ones.
pub async fn scope(
    State(state): State<AppState>,
    frame: Frame,
    CsrfForm(submitted): CsrfForm<Submitted>,
) -> Result<Response, AppError> {
    let admin = administrator(&frame)?;
    let (done, list) = calendar::set_scope(
        &state,
        single(&submitted, "institucion").unwrap_or_default(),
        single(&submitted, "entidad").unwrap_or_default(),
        &admin.login,
    )
    .await?;
    let report = Report {
        title: "Alcance del calendario guardado".to_owned(),
        done: Some(done),
        problems: Vec::new(),
        moved: moved(list),
    };
    let year = state.today().year();
    page(&state, frame.layout, year, Some(report), EntryForm::blank()).await
}
