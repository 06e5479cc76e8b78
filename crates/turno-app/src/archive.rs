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
use turno_domain::archive::{
    Access, Chart, Destination, Disposal, Due, Fondo, List, ListError, ListState, Move, Serie,
    Terms, next, sheets,
};
use turno_domain::followup::parse_date;
use turno_store::archive::{Archive, NewExpediente, StoredExpediente, StoredList, Subject};
use turno_store::blobs::BlobStore;
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

pub(crate) fn administrator(user: &Principal) -> Result<(), Error> {
    if may_administer(user) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo el personal del archivo (rol archivista) administra el archivo.".into(),
        ))
    }
}

/// Whether `user` reads the expedientes, the calendar and the lists: the archive's people
/// and administrators.
pub fn may_read(user: &Principal) -> bool {
    may_administer(user) || may_approve(user) || user.is_admin()
}

fn archive_role(user: &Principal) -> Result<(), Error> {
    if may_read(user) {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo el personal del archivo, su coordinación y la administración consultan el calendario y las listas del archivo."
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
    let seeded = Chart::seed(Fondo { code, name }, &app.library.current());
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
    if bytes.is_empty() {
        return Err(Error::InvalidFile(vec![
            "Elija el archivo CSV del catálogo.".into(),
        ]));
    }
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

/// A serie of the catalog as a person edits it: every value as typed. Terms all empty leave
/// the serie «por valorar».
#[derive(Debug, Default, Clone)]
pub struct SerieDraft {
    pub code: String,
    pub name: String,
    pub keeper: String,
    pub administrative: String,
    pub legal: String,
    pub accounting: String,
    pub tramite: String,
    pub concentracion: String,
    /// `baja` or `historico`.
    pub destination: String,
    /// `publica`, `reservada` or `confidencial`.
    pub access: String,
}

impl SerieDraft {
    /// The draft of a serie as stored, to edit.
    pub fn of(serie: &Serie) -> SerieDraft {
        let term = |f: fn(&Terms) -> u16| {
            serie
                .terms
                .as_ref()
                .map_or(String::new(), |t| f(t).to_string())
        };
        SerieDraft {
            code: serie.code.clone(),
            name: serie.name.clone(),
            keeper: serie.keeper.clone(),
            administrative: term(|t| t.administrative),
            legal: term(|t| t.legal),
            accounting: term(|t| t.accounting),
            tramite: term(|t| t.tramite),
            concentracion: term(|t| t.concentracion),
            destination: serie.destination.code().to_owned(),
            access: serie.access.code().to_owned(),
        }
    }
}

/// Serie `code` of the catalog as the form that edits it shows it: for the archivist.
pub async fn serie(app: &App, user: &Principal, code: &str) -> Result<SerieDraft, Error> {
    administrator(user)?;
    let chart = stored_chart(app).await?;
    chart
        .serie(code.trim())
        .map(SerieDraft::of)
        .ok_or_else(|| Error::NotFound(format!("No existe la serie «{}».", code.trim())))
}

/// Changes serie `draft.code` of the catalog from what a person typed: every problem by its
/// field, or it is stored.
pub async fn edit(app: &App, user: &Principal, draft: &SerieDraft) -> Result<(), Error> {
    administrator(user)?;
    let chart = stored_chart(app).await?;
    let Some(stored) = chart.serie(draft.code.trim()) else {
        return Err(Error::NotFound(format!(
            "No existe la serie «{}».",
            draft.code.trim()
        )));
    };
    let mut checked = Checked::default();
    let name = checked.line("name", "el nombre", &draft.name, limits::NAME, true);
    let keeper = checked.line(
        "keeper",
        "el responsable",
        &draft.keeper,
        limits::NAME,
        true,
    );
    let fields = [
        (
            "administrative",
            &draft.administrative,
            "el valor administrativo",
        ),
        ("legal", &draft.legal, "el valor legal"),
        ("accounting", &draft.accounting, "el valor contable"),
        ("tramite", &draft.tramite, "los años en trámite"),
        (
            "concentracion",
            &draft.concentracion,
            "los años en concentración",
        ),
    ];
    let blank = fields.iter().all(|(_, v, _)| v.trim().is_empty());
    let mut years = [0u16; 5];
    if !blank {
        for (i, (field, value, what)) in fields.iter().enumerate() {
            match value.trim().parse::<u16>() {
                Ok(n) if n <= turno_domain::archive::chart::MAX_YEARS => years[i] = n,
                _ => checked.wrong(
                    *field,
                    format!(
                        "Escriba {what} en años, de 0 a {}.",
                        turno_domain::archive::chart::MAX_YEARS
                    ),
                ),
            }
        }
    }
    let destination = Destination::parse(draft.destination.trim());
    if destination.is_none() {
        checked.wrong(
            "destination",
            "Elija el destino final: baja documental o histórico.",
        );
    }
    let access = Access::parse(draft.access.trim());
    if access.is_none() {
        checked.wrong(
            "access",
            "Elija la clasificación: pública, reservada o confidencial.",
        );
    }
    let terms = (!blank).then_some(Terms {
        administrative: years[0],
        legal: years[1],
        accounting: years[2],
        tramite: years[3],
        concentracion: years[4],
    });
    if let Some(t) = &terms
        && checked.is_empty()
        && t.vigencia() > t.tramite.saturating_add(t.concentracion)
    {
        checked.wrong(
            "concentracion",
            format!(
                "La vigencia ({} años, el mayor de los valores) debe caber en los años de trámite y concentración ({}).",
                t.vigencia(),
                t.tramite.saturating_add(t.concentracion)
            ),
        );
    }
    checked.done()?;
    let (Some(destination), Some(access)) = (destination, access) else {
        return Err(Error::Invalid("Destino o clasificación.".into()));
    };
    let serie = Serie {
        name,
        keeper,
        terms,
        destination,
        access,
        ..stored.clone()
    };
    edit_serie(app, user, serie).await
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

/// The calendar until the day typed (`AAAA-MM-DD`; today when empty).
pub async fn calendar_until(
    app: &App,
    user: &Principal,
    until: &str,
) -> Result<Vec<CalendarLine>, Error> {
    let until = if until.trim().is_empty() {
        app.today()
    } else {
        let Some(day) = parse_date(until) else {
            let mut checked = Checked::default();
            checked.wrong("until", "Escriba la fecha como AAAA-MM-DD.");
            return Err(checked.refused());
        };
        day
    };
    calendar(app, user, until).await
}

/// Draws up a list of the kind typed (`primaria`, `secundaria`, `baja`): [`draw`].
pub async fn draw_typed(
    app: &App,
    user: &Principal,
    kind: &str,
    number: &str,
) -> Result<i64, Error> {
    administrator(user)?;
    let Some(kind) = Move::parse(kind.trim()) else {
        let mut checked = Checked::default();
        checked.wrong(
            "kind",
            "Elija la lista: transferencia primaria, transferencia secundaria o baja documental.",
        );
        if number.trim().is_empty() {
            checked.wrong("number", "Escriba el número de la lista.");
        }
        return Err(checked.refused());
    };
    draw(app, user, kind, number).await
}

/// Classifies what is typed into expediente `id`: `kind` `asunto` (a folio), `documento` (a
/// document's number) or `correspondencia` (a folio of correspondence): [`classify`].
pub async fn classify_typed(
    app: &App,
    user: &Principal,
    id: i64,
    kind: &str,
    subject: &str,
) -> Result<(), Error> {
    administrator(user)?;
    let subject = subject.trim();
    let mut checked = Checked::default();
    if subject.is_empty() {
        checked.wrong(
            "subject",
            "Escriba el folio o el número de lo que clasifica.",
        );
    }
    let found = match kind.trim() {
        "asunto" => Some(Subject::Case(subject.to_owned())),
        "correspondencia" => Some(Subject::Correspondence(subject.to_owned())),
        "documento" => match subject.parse::<i64>() {
            Ok(n) if n > 0 => Some(Subject::Document(n)),
            _ => {
                if !subject.is_empty() {
                    checked.wrong("subject", "El número de un documento es un entero.");
                }
                None
            }
        },
        _ => {
            checked.wrong(
                "kind",
                "Elija qué clasifica: asunto, documento o correspondencia.",
            );
            None
        }
    };
    checked.done()?;
    let Some(found) = found else {
        return Err(Error::Invalid("Qué clasifica.".into()));
    };
    classify(app, user, &found, id).await
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

/// What carrying out a list did: the digests of the documents disposed of, and of those the
/// files removed from the blob store and those kept because another record still names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Executed {
    pub documents: Vec<String>,
    pub removed: Vec<String>,
    pub kept: Vec<String>,
}

/// Carries out an approved list: its expedientes move and, for a baja, what they hold is
/// disposed of (`docs/archive.md`); then the files of the documents disposed of that no record
/// names any more are removed from the blob store, and the audit log says which were removed
/// and which kept.
pub async fn execute(app: &App, user: &Principal, id: i64) -> Result<Executed, Error> {
    administrator(user)?;
    let mut found = list(app, user, id).await?;
    found.list.execute().map_err(list_refused)?;
    let at = app.clock.now().to_string();
    let documents = app.store.execute_list(id, &user.login, &at).await?;
    let mut digests = documents.clone();
    digests.sort();
    digests.dedup();
    let mut executed = Executed {
        documents,
        ..Executed::default()
    };
    let mut failure = None;
    for digest in digests {
        if app.store.blob_in_use(&digest).await? {
            executed.kept.push(digest);
            continue;
        }
        match app.blobs.remove(&digest).await {
            Ok(_) => executed.removed.push(digest),
            Err(e) => {
                // What was removed so far is recorded all the same; the rest stays.
                failure = Some(e);
                break;
            }
        }
    }
    if !executed.documents.is_empty() {
        app.store
            .record_blobs_removed(
                &found.list.number,
                &executed.removed,
                &executed.kept,
                &user.login,
            )
            .await?;
    }
    match failure {
        Some(e) => Err(Error::internal(format!(
            "list {} carried out, but its documents' files could not all be removed: {e}",
            found.list.number
        ))),
        None => Ok(executed),
    }
}

/// An expediente's carátula as rows of cells (`sheets::cover`), with its title.
pub async fn cover(app: &App, user: &Principal, id: i64) -> Result<Sheet, Error> {
    archive_role(user)?;
    let found = expediente(app, id).await?;
    let chart = stored_chart(app).await?;
    let serie = serie_of(&chart, &found)?;
    Ok(Sheet {
        title: format!("Carátula del expediente {}", found.number),
        name: format!("caratula-{}", file_name(&found.number)),
        rows: sheets::cover(&chart, &sheet(&found, serie)),
    })
}

/// A list's inventory as rows of cells (`sheets::inventory`), with its title: each expediente
/// with the day its term ended (until the list is carried out: then it is where the list took
/// it).
pub async fn inventory(app: &App, user: &Principal, id: i64) -> Result<Sheet, Error> {
    let found = list(app, user, id).await?;
    let chart = stored_chart(app).await?;
    let all = app.store.expedientes().await?;
    let mut lines = Vec::new();
    for e in all
        .iter()
        .filter(|e| found.list.expedientes.contains(&e.id))
    {
        let serie = serie_of(&chart, e)?;
        let due = (found.list.state != ListState::Ejecutada)
            .then(|| {
                next(
                    e.location,
                    e.closed_on,
                    serie.terms.as_ref(),
                    serie.destination,
                )
            })
            .flatten();
        lines.push((sheet(e, serie), due));
    }
    Ok(Sheet {
        title: format!("{} {}", found.list.kind.label(), found.list.number),
        name: format!("inventario-{}", file_name(&found.list.number)),
        rows: sheets::inventory(&found.list, &lines),
    })
}

/// A document of the archive as rows of cells, for every format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub title: String,
    /// Its file's name without extension: letters, digits and hyphens.
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// As CSV with a BOM, every cell neutralized (`report::tables_csv`).
    pub fn csv(&self) -> Vec<u8> {
        crate::report::tables_csv(&[(self.title.clone(), self.rows.clone())])
    }

    /// As a one-sheet workbook, never a formula (`report::tables_xlsx`).
    pub fn xlsx(&self) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        crate::report::tables_xlsx(&[(self.title.clone(), self.rows.clone())])
    }
}

fn file_name(number: &str) -> String {
    number
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

fn serie_of<'a>(chart: &'a Chart, e: &StoredExpediente) -> Result<&'a Serie, Error> {
    chart.serie(&e.serie).ok_or_else(|| {
        Error::Refused(format!(
            "La serie {} del expediente {} ya no está en el cuadro.",
            e.serie, e.number
        ))
    })
}

fn sheet<'a>(e: &'a StoredExpediente, serie: &'a Serie) -> sheets::Expediente<'a> {
    sheets::Expediente {
        number: &e.number,
        serie,
        title: &e.title,
        opened_on: e.opened_on,
        closed_on: e.closed_on,
        location: e.location,
        documents: e.documents,
    }
}

/// The record of disposal of case `folio`, for the archive's people and administrators;
/// `None` when it was not disposed of. Others are told nothing of it (its units are gone with
/// its work).
pub async fn disposed_case(
    app: &App,
    user: &Principal,
    folio: &str,
) -> Result<Option<Disposal>, Error> {
    let found = app.store.disposal(folio).await?;
    if found.is_some() && !(user.is_admin() || may_administer(user) || may_approve(user)) {
        return Err(Error::Hidden);
    }
    Ok(found)
}

/// The record of disposal of case `folio`, for the archive's people and administrators.
pub async fn disposal(app: &App, user: &Principal, folio: &str) -> Result<Disposal, Error> {
    archive_role(user)?;
    app.store
        .disposal(folio)
        .await?
        .ok_or_else(|| Error::NotFound(format!("El asunto {folio} no se ha dado de baja.")))
}

/// What a disposed case answers where its state is asked for.
pub fn disposed(folio: &str) -> Error {
    Error::Gone(format!(
        "El asunto {folio} fue dado de baja documental: solo queda su registro de baja."
    ))
}
