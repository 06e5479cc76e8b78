//! What the record teaches (issue 20, `docs/process-mining.md`): the event log exported as XES
//! for process-mining tools, and the paths a procedure's cases really took. Both read the log a
//! page at a time ([`turno_store::EventLog`]), so memory does not grow with the record.

use crate::{App, Error, Principal};
use jiff::civil::Date;
use std::future::Future;
use std::sync::Arc;
use turno_domain::definition::Procedure;
use turno_domain::mining::paths::{Paths, PathsBuilder};
use turno_domain::mining::xes::{Written, XesWriter};
use turno_store::{EventLog, LogEvent, LogQuery};

/// Events read per statement.
pub const PAGE: i64 = 2_000;

/// The cases a reading takes: those started between two days, both included, in the agency's
/// time zone; either bound may be left open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Period {
    /// Refuses a period whose first day is after its last.
    pub fn check(&self) -> Result<(), Error> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(Error::Invalid(
                "La fecha inicial del periodo es posterior a la final.".into(),
            )),
            _ => Ok(()),
        }
    }

    /// The instants that bound it, as the store writes them: the first day's start and the
    /// start of the day after the last.
    fn bounds(&self, app: &App) -> Result<(Option<String>, Option<String>), Error> {
        let start = |day: Date| {
            day.to_zoned(app.time_zone.clone())
                .map(|z| z.timestamp().to_string())
                .map_err(|_| Error::Invalid("La fecha está fuera del calendario.".into()))
        };
        let after = |day: Date| {
            day.tomorrow()
                .map_err(|_| Error::Invalid("La fecha está fuera del calendario.".into()))
                .and_then(start)
        };
        Ok((
            self.from.map(start).transpose()?,
            self.to.map(after).transpose()?,
        ))
    }
}

/// The procedure version a log event's case runs on.
fn procedure_of(app: &App, event: &LogEvent) -> Result<Arc<Procedure>, Error> {
    app.library
        .current()
        .get(&event.procedure_key, event.procedure_version)
        .cloned()
        .ok_or_else(|| {
            Error::Internal(
                format!(
                    "el caso {} es del procedimiento {} versión {}, que no está en la biblioteca",
                    event.folio, event.procedure_key, event.procedure_version
                )
                .into(),
            )
        })
}

/// The log of the cases of `procedure` (all when `None`) started in `period`, a page at a
/// time.
struct Pages {
    query: LogQuery,
    done: bool,
}

impl Pages {
    fn new(app: &App, procedure: Option<&str>, period: Period) -> Result<Pages, Error> {
        period.check()?;
        let (from, to) = period.bounds(app)?;
        Ok(Pages {
            query: LogQuery {
                procedure: procedure.map(str::to_owned),
                from,
                to,
                after: (0, 0),
                limit: PAGE,
            },
            done: false,
        })
    }

    /// The next page; `None` after the last.
    async fn next(&mut self, app: &App) -> Result<Option<Vec<LogEvent>>, Error> {
        if self.done {
            return Ok(None);
        }
        let page = app.store.log_page(&self.query).await?;
        self.done = page.len() < usize::try_from(PAGE).unwrap_or(usize::MAX);
        if let Some(event) = page.last() {
            self.query.after = (event.case_id, event.seq);
        }
        Ok(Some(page))
    }
}

/// The log as XES, written as it is read: the bytes of each page go to `sink` (a file, a
/// response body) before the next page is read. Answers how much was written.
pub async fn write_xes<S, F>(
    app: &App,
    procedure: Option<&str>,
    period: Period,
    mut sink: S,
) -> Result<Written, Error>
where
    S: FnMut(Vec<u8>) -> F,
    F: Future<Output = Result<(), Error>>,
{
    if let Some(key) = procedure
        && app.library.current().latest(key).is_none()
    {
        return Err(Error::NotFound(format!(
            "No existe el procedimiento «{key}»."
        )));
    }
    let name = match procedure {
        Some(key) => format!("Turno: {key}"),
        None => "Turno".to_owned(),
    };
    let mut pages = Pages::new(app, procedure, period)?;
    let mut xes = XesWriter::new(Vec::new(), app.time_zone.clone(), &name).map_err(internal)?;
    while let Some(page) = pages.next(app).await? {
        for event in &page {
            let definition = procedure_of(app, event)?;
            xes.event(&event.folio, &definition, &event.event)
                .map_err(internal)?;
        }
        sink(std::mem::take(xes.output())).await?;
    }
    let (rest, written) = xes.finish().map_err(internal)?;
    sink(rest).await?;
    Ok(written)
}

/// [`write_xes`] for a person: administrators only (the log names every person and case).
pub async fn export_xes<S, F>(
    app: &App,
    user: &Principal,
    procedure: Option<&str>,
    period: Period,
    sink: S,
) -> Result<Written, Error>
where
    S: FnMut(Vec<u8>) -> F,
    F: Future<Output = Result<(), Error>>,
{
    may_export(user)?;
    write_xes(app, procedure, period, sink).await
}

/// Whether a person may export the log, asked before a download starts.
pub fn may_export(user: &Principal) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::Denied(
            "Solo un administrador exporta el registro de eventos.".into(),
        ))
    }
}

/// A procedure's real paths, on the flowchart of its version in force.
#[derive(Debug, Clone)]
pub struct PathsView {
    pub procedure: Arc<Procedure>,
    pub period: Period,
    pub paths: Paths,
}

/// The paths the cases of procedure `key` started in `period` took. Administrators and the
/// people of the procedure's units see them.
pub async fn paths(
    app: &App,
    user: &Principal,
    key: &str,
    period: Period,
) -> Result<PathsView, Error> {
    let procedure = app
        .library
        .current()
        .latest(key)
        .cloned()
        .ok_or_else(|| Error::NotFound(format!("No existe el procedimiento «{key}».")))?;
    if !user.is_admin() && !takes_part(&procedure, user) {
        return Err(Error::Denied(
            "Solo un administrador o el personal de las unidades del procedimiento ven sus recorridos."
                .into(),
        ));
    }
    let mut pages = Pages::new(app, Some(key), period)?;
    let calendars = app.calendars.current();
    let mut builder = PathsBuilder::new(&calendars, app.time_zone.clone());
    let mut case = None;
    while let Some(page) = pages.next(app).await? {
        for event in &page {
            let definition = procedure_of(app, event)?;
            if case != Some(event.case_id) {
                builder.case();
                case = Some(event.case_id);
            }
            builder.event(&definition, &event.event);
        }
    }
    Ok(PathsView {
        procedure,
        period,
        paths: builder.finish(),
    })
}

/// Whether one of the units the person sees is one of the procedure's participants' units.
fn takes_part(procedure: &Procedure, user: &Principal) -> bool {
    (0..procedure.participants.len()).any(|index| {
        u16::try_from(index).is_ok_and(|id| {
            let unit = procedure.unit_of(turno_domain::definition::ParticipantId(id));
            user.visible_units.contains(&unit)
        })
    })
}

fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::Internal(Box::new(error))
}
