//! Searching the correspondence (issue 17, item 5): incoming and outgoing documents by the
//! words of their number, folio, subject, summary or body and sender, insensitive to accents
//! and case (each database's own full-text search, `turno_store::correspondence::search`), and
//! by dates: received for incoming documents, signed for outgoing ones. Paged, newest first,
//! with the count.
//!
//! **Who finds what is decided here**, by the rules of seeing each document: an incoming one
//! by its units and those above them (`incoming::sight`), an outgoing one by its unit and those
//! above, its reviewers and, once dispatched, its addressed units (`outgoing`); administrators
//! every one. A classified (reservada, confidencial) incoming document is found by its words
//! only by the people of its units themselves, who read its texts; others who see it find it
//! only by its dates, its texts withheld.

use crate::app::App;
use crate::checked::Checked;
use crate::correspondence::incoming::{WITHHELD, member_units};
use crate::error::Error;
use crate::principal::Principal;
use jiff::civil::Date;
use turno_domain::correspondence::{Classification, IncomingFolio};
use turno_store::CorrespondenceFinder;
use turno_store::correspondence::search::{
    COUNT_CAP, CorrespondenceSearch, Found, FoundKey, FoundState, SearchScope, Seen, words,
};

/// A search is read up to this many characters.
pub const MAX_QUERY: usize = 200;

/// Results on one page.
pub const PAGE_SIZE: u32 = 20;

/// The last page that is read: the store counts up to `COUNT_CAP` documents, and beyond them
/// the search should be narrowed.
pub const MAX_PAGE: u64 = COUNT_CAP / PAGE_SIZE as u64;

/// A search as typed: the words, the dates (`AAAA-MM-DD`, both inclusive) and the page
/// (from 1); empty is none.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    pub q: &'a str,
    pub from: &'a str,
    pub until: &'a str,
    pub page: &'a str,
}

/// Which way a document went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Incoming,
    Outgoing,
}

impl Direction {
    pub fn code(self) -> &'static str {
        match self {
            Direction::Incoming => "entrada",
            Direction::Outgoing => "salida",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Incoming => "Entrada",
            Direction::Outgoing => "Salida",
        }
    }
}

/// One document found, as the person may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub direction: Direction,
    /// An incoming document's folio.
    pub folio: Option<IncomingFolio>,
    /// An outgoing document's id.
    pub id: Option<i64>,
    /// Their number (incoming) or ours (outgoing, once signed).
    pub number: Option<String>,
    /// [`WITHHELD`] where the person may not read it.
    pub subject: String,
    /// Who sent it (name, position, body) or the issuing unit, in one line.
    pub sender: String,
    /// When it was received, or signed (else drafted), as stored: a local date and time for
    /// incoming documents, an instant for outgoing ones.
    pub at: String,
    /// The day of `at`, in the agency's time zone.
    pub day: Option<Date>,
    pub classification: Classification,
    /// Where it stands: the turns of an incoming document, the stage of an outgoing one.
    pub state: String,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    /// How many documents match, up to `COUNT_CAP`…
    pub total: u64,
    /// …and whether there are more.
    pub more: bool,
    /// This page (from 1) and how many there are.
    pub page: u64,
    pub pages: u64,
    pub hits: Vec<Hit>,
    /// Whether anything was asked (words or dates): an empty search lists the newest.
    pub asked: bool,
}

/// The query read: every problem by its field (`q`, `desde`, `hasta`, `pagina`).
struct Read {
    words: Vec<String>,
    from: Option<Date>,
    until: Option<Date>,
    page: u64,
}

fn read(query: &Query<'_>) -> Result<Read, Error> {
    let mut checked = Checked::default();
    let q = checked.line("q", "la búsqueda", query.q, MAX_QUERY, false);
    let (from, until) = crate::search::dates(query.from, query.until);
    let from = from.unwrap_or_else(|why| {
        checked.wrong("desde", format!("La fecha inicial: {why}"));
        None
    });
    let until = until.unwrap_or_else(|why| {
        checked.wrong("hasta", format!("La fecha final: {why}"));
        None
    });
    let page = match query.page.trim() {
        "" => 1,
        text => match text.parse::<u64>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                checked.wrong(
                    "pagina",
                    format!("La página es un número de 1 a {MAX_PAGE}."),
                );
                1
            }
        },
    };
    checked.done()?;
    Ok(Read {
        words: words(&q),
        from,
        until,
        page,
    })
}

/// What `user` may find: the units whose documents they see and those whose classified
/// texts they read.
fn scope(user: &Principal) -> SearchScope {
    SearchScope {
        seen: if user.is_admin() {
            Seen::All
        } else {
            Seen::Units(user.visible_units.clone())
        },
        reads: member_units(user).map(str::to_owned).collect(),
        login: user.login.clone(),
    }
}

/// Searches the correspondence `user` sees: every problem of the query named by its field.
pub async fn search(app: &App, user: &Principal, query: &Query<'_>) -> Result<Results, Error> {
    let read = read(query)?;
    let zone = &app.time_zone;
    let midnight = |day: Date| day.to_datetime(jiff::civil::Time::midnight());
    let next = |day: Date| day.tomorrow().ok().map(midnight);
    let instant = |at: jiff::civil::DateTime| at.to_zoned(zone.clone()).ok().map(|z| z.timestamp());
    let received_from = read.from.map(midnight);
    let received_before = read.until.and_then(next);
    let search = CorrespondenceSearch {
        words: read.words.clone(),
        received_from,
        received_before,
        signed_from: received_from.and_then(instant),
        signed_before: received_before.and_then(instant),
        scope: scope(user),
        limit: PAGE_SIZE,
        offset: (read.page - 1) * u64::from(PAGE_SIZE),
    };
    let page = app.store.search_correspondence(&search).await?;
    let pages = page.total.div_ceil(u64::from(PAGE_SIZE)).max(1);
    Ok(Results {
        total: page.total,
        more: page.more,
        page: read.page,
        pages,
        hits: page.found.into_iter().map(|f| hit(app, f)).collect(),
        asked: !read.words.is_empty() || read.from.is_some() || read.until.is_some(),
    })
}

fn hit(app: &App, found: Found) -> Hit {
    let (direction, folio, id) = match found.key {
        FoundKey::Incoming(folio) => (Direction::Incoming, Some(folio), None),
        FoundKey::Outgoing(id) => (Direction::Outgoing, None, Some(id)),
    };
    let readable = found.readable || !found.classification.is_restricted();
    let sender = if readable {
        [
            found.sender_name.as_str(),
            found.sender_position.as_str(),
            found.sender_organization.as_str(),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    } else {
        WITHHELD.to_owned()
    };
    let day = match direction {
        Direction::Incoming => found
            .at
            .parse::<jiff::civil::DateTime>()
            .ok()
            .map(|at| at.date()),
        Direction::Outgoing => found
            .at
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|at| at.to_zoned(app.time_zone.clone()).date()),
    };
    let state = match found.state {
        FoundState::NotTurned => "Sin turnar",
        FoundState::Open => "En trámite",
        FoundState::Closed => "Concluido",
        FoundState::Stage(stage) => stage.label(),
    };
    Hit {
        direction,
        folio,
        id,
        number: found.number.filter(|_| readable),
        subject: if readable {
            found.subject
        } else {
            WITHHELD.to_owned()
        },
        sender,
        at: found.at,
        day,
        classification: found.classification,
        state: state.to_owned(),
    }
}
