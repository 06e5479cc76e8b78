//! The archive (Ley General de Archivos; `docs/archive.md`), for the pages, the API and the
//! commands alike: the chart and catalog seeded from the procedures' Registros, imported and
//! exported; expedientes opened, closed and classified into; the archive's calendar; transfer
//! inventories and baja lists drawn up, approved and carried out.
//!
//! Access: everyone signed in reads the chart and catalog (they are public instruments, LGA
//! art. 13); the archive's administrator (role `archivista`) changes them, opens, closes and
//! classifies into expedientes, reads the calendar and draws up and carries out lists; only the
//! archive coordinator (role `coordinador_archivos`) approves a list, and nothing moves or is
//! disposed of without an approved one.

use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use jiff::civil::Date;
use turno_domain::archive::{Chart, Due, Fondo, List, ListError, Move, Serie, next};
use turno_domain::followup::parse_date;
use turno_store::archive::{Archive, NewExpediente, StoredExpediente, StoredList, Subject};
use turno_store::{Role, Store};

/// The largest catalog file taken (CSV).
pub const MAX_CATALOG_BYTES: usize = 8 * 1024 * 1024;

fn has(user: &Principal, role: Role) -> bool {
    user.memberships.iter().any(|m| m.role == role)
}

/// Whether `user` administers the archive.
pub fn may_administer(user: &Principal) -> bool {
    has(user, Role::Archivista)
}

/// Whether `user` approves the archive's lists.
pub fn may_approve(user: &Principal) -> bool {
    has(user, Role::CoordinadorArchivos)
}

fn administrator(user: &Principal) -> Result<(), Error> {
    if may_administer(user) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo el personal del archivo (rol archivista) administra el archivo.".into(),
        ))
    }
}

fn archive_role(user: &Principal) -> Result<(), Error> {
    if may_administer(user) || may_approve(user) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo el personal del archivo y su coordinación consultan el calendario y las listas del archivo."
                .into(),
        ))
    }
}

fn list_refused(e: ListError) -> Error {
    Error::Refused(e.to_string())
}

/// The chart and catalog; `None` before they are seeded or imported.
pub async fn chart(app: &App, _user: &Principal) -> Result<Option<Chart>, Error> {
    Ok(app.store.chart().await?)
}

async fn stored_chart(app: &App) -> Result<Chart, Error> {
    app.store.chart().await?.ok_or_else(|| {
        Error::Refused(
            "Todavía no hay cuadro de clasificación: siémbrelo de los procedimientos o impórtelo."
                .into(),
        )
    })
}

/// Seeds the chart and catalog from the newest version of every procedure in the library
/// (`Chart::seed`); a serie already stored keeps what the administrator edited. Answers the
/// chart as stored.
pub async fn seed(
    app: &App,
    user: &Principal,
    fondo_code: &str,
    fondo_name: &str,
) -> Result<Chart, Error> {
    administrator(user)?;
    let mut checked = Checked::default();
    let code = checked.line(
        "fondo_code",
        "la clave del fondo",
        fondo_code,
        limits::CODE,
        true,
    );
    let name = checked.line(
        "fondo_name",
        "el nombre del fondo",
        fondo_name,
        limits::NAME,
        true,
    );
    checked.done()?;
    let seeded = Chart::seed(Fondo { code, name }, &app.library);
    let existing = app.store.chart().await?;
    let mut chart = seeded.clone();
    if let Some(existing) = existing {
        // What was edited stays: only sections and series not stored yet are added.
        chart.sections = existing.sections.clone();
        chart.series = existing.series.clone();
        for s in seeded.sections {
            if !chart.sections.iter().any(|e| e.code == s.code) {
                chart.sections.push(s);
            }
        }
        for s in seeded.series {
            if chart.serie(&s.code).is_none() {
                chart.series.push(s);
            }
        }
    }
    chart.check().map_err(problems)?;
    app.store.save_chart(&chart, &user.login).await?;
    stored_chart(app).await
}

fn problems(found: Vec<turno_domain::archive::ChartError>) -> Error {
    Error::InvalidFile(found.iter().map(ToString::to_string).collect())
}

/// Imports the catalog from CSV (as exported): every problem of every line, or it is stored.
pub async fn import(app: &App, user: &Principal, bytes: &[u8]) -> Result<Chart, Error> {
    administrator(user)?;
    if bytes.len() > MAX_CATALOG_BYTES {
        return Err(Error::TooLarge(format!(
            "El catálogo pasa de {} MiB.",
            MAX_CATALOG_BYTES / (1024 * 1024)
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Error::InvalidFile(vec!["El archivo no está en UTF-8.".into()]))?;
    let chart = Chart::from_csv(text).map_err(problems)?;
    app.store.save_chart(&chart, &user.login).await?;
    stored_chart(app).await
}

/// The catalog as CSV, cells neutralized.
pub async fn export(app: &App, _user: &Principal) -> Result<String, Error> {
    Ok(stored_chart(app).await?.to_csv())
}

/// Changes one serie of the catalog (its terms, destination, access, names).
pub async fn edit_serie(app: &App, user: &Principal, serie: Serie) -> Result<(), Error> {
    administrator(user)?;
    let mut chart = stored_chart(app).await?;
    let Some(slot) = chart.series.iter_mut().find(|s| s.code == serie.code) else {
        return Err(Error::NotFound(format!(
            "No existe la serie «{}».",
            serie.code
        )));
    };
    *slot = serie;
    chart.check().map_err(problems)?;
    app.store.save_chart(&chart, &user.login).await?;
    Ok(())
}

/// An expediente as a person opens it: every value as typed.
#[derive(Debug, Default, Clone)]
pub struct ExpedienteDraft {
    pub number: String,
    pub serie: String,
    pub title: String,
    /// `AAAA-MM-DD`.
    pub opened_on: String,
}

/// Opens an expediente: every value checked together; answers its id.
pub async fn open(app: &App, user: &Principal, draft: &ExpedienteDraft) -> Result<i64, Error> {
    administrator(user)?;
    let chart = stored_chart(app).await?;
    let mut checked = Checked::default();
    let number = checked.line(
        "number",
        "el número del expediente",
        &draft.number,
        limits::CODE,
        true,
    );
    let serie = checked.line("serie", "la serie", &draft.serie, limits::CODE, true);
    let title = checked.line("title", "el título", &draft.title, limits::NAME, true);
    if !serie.is_empty() && chart.serie(&serie).is_none() {
        checked.wrong("serie", format!("La serie «{serie}» no está en el cuadro."));
    }
    let opened_on = parse_date(&draft.opened_on);
    if opened_on.is_none() {
        checked.wrong("opened_on", "Escriba la fecha de apertura como AAAA-MM-DD.");
    }
    checked.done()?;
    let Some(opened_on) = opened_on else {
        return Err(Error::Invalid("Fecha de apertura.".into()));
    };
    Ok(app
        .store
        .open_expediente(
            &NewExpediente {
                number,
                serie,
                title,
                opened_on,
            },
            &user.login,
        )
        .await?)
}

async fn expediente(app: &App, id: i64) -> Result<StoredExpediente, Error> {
    app.store
        .expedientes()
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or_else(|| Error::NotFound("No existe ese expediente.".into()))
}

/// Closes an open expediente on a day (not before it opened).
pub async fn close(app: &App, user: &Principal, id: i64, on: &str) -> Result<(), Error> {
    administrator(user)?;
    let found = expediente(app, id).await?;
    let Some(on) = parse_date(on) else {
        let mut checked = Checked::default();
        checked.wrong("closed_on", "Escriba la fecha de cierre como AAAA-MM-DD.");
        return Err(checked.refused());
    };
    if on < found.opened_on {
        let mut checked = Checked::default();
        checked.wrong(
            "closed_on",
            "El expediente no puede cerrarse antes del día en que se abrió.",
        );
        return Err(checked.refused());
    }
    if !app.store.close_expediente(id, on, &user.login).await? {
        return Err(Error::Conflict(format!(
            "El expediente {} ya estaba cerrado.",
            found.number
        )));
    }
    Ok(())
}

/// Classifies a case, a document or a correspondence item into expediente `id`, which must be
/// in the archivo de trámite (what was transferred or disposed of takes nothing new).
pub async fn classify(
    app: &App,
    user: &Principal,
    subject: &Subject,
    id: i64,
) -> Result<(), Error> {
    administrator(user)?;
    let found = expediente(app, id).await?;
    if found.location != turno_domain::archive::Location::Tramite {
        return Err(Error::Refused(format!(
            "El expediente {} está en «{}»: solo se clasifica en expedientes del archivo de trámite.",
            found.number,
            found.location.label()
        )));
    }
    if let Subject::Case(folio) = subject
        && app.store.find_case(folio).await?.is_none()
    {
        return Err(Error::NotFound(format!("No existe el asunto {folio}.")));
    }
    app.store.classify(subject, id, &user.login).await?;
    Ok(())
}

/// The serie a case is classified in by default: its procedure's (the first of its Registros),
/// with the day the case started (in the agency's time zone).
pub async fn default_serie(app: &App, folio: &str) -> Result<(Option<Serie>, Date), Error> {
    let Some(found) = app.store.find_current(folio).await? else {
        return Err(Error::NotFound(format!("No existe el asunto {folio}.")));
    };
    let chart = stored_chart(app).await?;
    let started = found
        .stored
        .created_at
        .parse::<jiff::Timestamp>()
        .map_or_else(
            |_| app.today(),
            |t| t.to_zoned(app.time_zone.clone()).date(),
        );
    Ok((
        chart.default_serie(&found.current.procedure_key).cloned(),
        started,
    ))
}

/// Classifies a case into the expediente numbered `number` of its procedure's serie, opening
/// it (titled after the serie, on the day the case started) if there is none.
pub async fn classify_case_by_default(
    app: &App,
    user: &Principal,
    folio: &str,
    number: &str,
) -> Result<i64, Error> {
    administrator(user)?;
    let (serie, started) = default_serie(app, folio).await?;
    let Some(serie) = serie else {
        return Err(Error::Refused(format!(
            "El procedimiento del asunto {folio} no tiene serie en el cuadro: clasifíquelo a mano."
        )));
    };
    let existing = app
        .store
        .expedientes()
        .await?
        .into_iter()
        .find(|e| e.number == number);
    let id = match existing {
        Some(e) if e.serie == serie.code => e.id,
        Some(e) => {
            return Err(Error::Refused(format!(
                "El expediente {number} es de la serie {}, no de {}.",
                e.serie, serie.code
            )));
        }
        None => {
            open(
                app,
                user,
                &ExpedienteDraft {
                    number: number.to_owned(),
                    serie: serie.code.clone(),
                    title: serie.name.clone(),
                    opened_on: started.to_string(),
                },
            )
            .await?
        }
    };
    classify(app, user, &Subject::Case(folio.to_owned()), id).await?;
    Ok(id)
}

/// Every expediente.
pub async fn expedientes(app: &App, user: &Principal) -> Result<Vec<StoredExpediente>, Error> {
    archive_role(user)?;
    Ok(app.store.expedientes().await?)
}

/// A line of the archive's calendar: an expediente, its serie and what is due for it when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarLine {
    pub expediente: StoredExpediente,
    pub serie: Serie,
    pub due: Due,
}

/// The archive's calendar as of `today`: every closed expediente whose next move falls on or
/// before `until` (today, to see what is due now; later, to see what comes), by date.
pub async fn calendar(
    app: &App,
    user: &Principal,
    until: Date,
) -> Result<Vec<CalendarLine>, Error> {
    archive_role(user)?;
    let chart = stored_chart(app).await?;
    let mut lines = Vec::new();
    for expediente in app.store.expedientes().await? {
        let Some(serie) = chart.serie(&expediente.serie) else {
            continue;
        };
        let due = next(
            expediente.location,
            expediente.closed_on,
            serie.terms.as_ref(),
            serie.destination,
        );
        if let Some(due) = due
            && due.on <= until
        {
            lines.push(CalendarLine {
                serie: serie.clone(),
                expediente,
                due,
            });
        }
    }
    lines.sort_by(|a, b| (a.due.on, &a.expediente.number).cmp(&(b.due.on, &b.expediente.number)));
    Ok(lines)
}

/// Draws up a list of `kind` numbered `number` with every expediente the calendar finds due
/// for that move today; answers its id.
pub async fn draw(app: &App, user: &Principal, kind: Move, number: &str) -> Result<i64, Error> {
    administrator(user)?;
    let mut checked = Checked::default();
    let number = checked.line(
        "number",
        "el número de la lista",
        number,
        limits::CODE,
        true,
    );
    checked.done()?;
    let due: Vec<i64> = calendar(app, user, app.today())
        .await?
        .into_iter()
        .filter(|line| line.due.action == kind)
        .map(|line| line.expediente.id)
        .collect();
    let list = List::new(number, kind, due).map_err(|_| {
        Error::Refused(format!(
            "Ningún expediente ha cumplido su plazo para una {}.",
            kind.label().to_lowercase()
        ))
    })?;
    Ok(app.store.create_list(&list, &user.login).await?)
}

/// Every list, the latest first.
pub async fn lists(app: &App, user: &Principal) -> Result<Vec<StoredList>, Error> {
    archive_role(user)?;
    Ok(app.store.lists().await?)
}

pub async fn list(app: &App, user: &Principal, id: i64) -> Result<StoredList, Error> {
    archive_role(user)?;
    app.store
        .list(id)
        .await?
        .ok_or_else(|| Error::NotFound("No existe esa lista.".into()))
}

/// Approves a draft list: only the archive coordinator.
pub async fn approve(app: &App, user: &Principal, id: i64) -> Result<(), Error> {
    if !may_approve(user) {
        return Err(Error::Denied(
            "Solo la coordinación de archivos (rol coordinador_archivos) aprueba los inventarios de \
             transferencia y las listas de baja documental."
                .into(),
        ));
    }
    let mut found = list(app, user, id).await?;
    let at = app.clock.now().to_string();
    found.list.approve(&user.login, &at).map_err(list_refused)?;
    app.store.approve_list(id, &user.login, &at).await?;
    Ok(())
}

/// Carries out an approved list: its expedientes move and, for a baja, what they hold is
/// disposed of (`docs/archive.md`). Answers the digests of the documents disposed of.
pub async fn execute(app: &App, user: &Principal, id: i64) -> Result<Vec<String>, Error> {
    administrator(user)?;
    let mut found = list(app, user, id).await?;
    found.list.execute().map_err(list_refused)?;
    let at = app.clock.now().to_string();
    Ok(app.store.execute_list(id, &user.login, &at).await?)
}
