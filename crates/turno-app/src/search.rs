//! Finding cases as the pages and the API read a search: by folio or words, status, a unit
//! that takes part and registration dates, among the cases the person may see (an
//! administrator sees all).

use crate::app::App;
use crate::checked::Checked;
use crate::error::Error;
use crate::limits;
use crate::principal::Principal;
use jiff::civil::Date;
use turno_store::CaseSearch;

/// The case statuses, as the store names them.
pub const STATUSES: [&str; 3] = ["open", "ended", "cancelled"];

/// A search is read up to this many characters.
const MAX_TEXT: usize = 200;

/// The folio or words to look for: trimmed, and no longer than a search reads.
pub fn text(typed: &str) -> String {
    typed.trim().chars().take(MAX_TEXT).collect()
}

/// A date as read: none, a day, or what is wrong with what was typed.
pub type Day = Result<Option<Date>, &'static str>;

/// A date as typed (`AAAA-MM-DD`); empty is none.
pub fn day(text: &str) -> Day {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Date>()
        .map(Some)
        .map_err(|_| "Escriba la fecha como AAAA-MM-DD.")
}

/// The registration dates from and to, as typed, or what is wrong with each.
pub fn dates(from: &str, to: &str) -> (Day, Day) {
    let from = day(from.trim());
    let mut to = day(to.trim());
    if let (Ok(Some(from)), Ok(Some(until))) = (&from, &to)
        && from > until
    {
        to = Err("Es anterior a la fecha inicial.");
    }
    (from, to)
}

/// The units whose cases a person may find: `None` for an administrator (every case).
pub fn searchable_units(user: &Principal) -> Option<Vec<String>> {
    if user.is_admin() {
        None
    } else {
        Some(user.visible_units.clone())
    }
}

/// What to look for; an empty criterion does not narrow the search.
pub struct Criteria {
    pub text: String,
    /// One of [`STATUSES`], or empty.
    pub status: String,
    /// A unit's code, or empty.
    pub unit: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

impl Criteria {
    /// The words and the unit as every text is checked (`Checked::line`): a control character
    /// (a NUL among them) finds nothing and is refused by its field, `q` or `unit`, before the
    /// store is asked.
    pub fn check(&self) -> Result<(), Error> {
        let mut checked = Checked::default();
        checked.line("q", "la búsqueda", &self.text, MAX_TEXT, false);
        checked.line("unit", "la unidad", &self.unit, limits::NAME, false);
        checked.done()
    }

    /// The store's search for these criteria among the cases `user` may see, newest first:
    /// `limit` cases from `offset`.
    pub fn search(&self, app: &App, user: &Principal, limit: i64, offset: i64) -> CaseSearch {
        let given = |text: &str| Some(text.to_owned()).filter(|t| !t.is_empty());
        CaseSearch {
            folio_or_text: given(&self.text),
            status: given(&self.status),
            unit: given(&self.unit),
            from: self.from,
            to: self.to,
            time_zone: Some(app.time_zone.clone()),
            visible_units: searchable_units(user),
            limit,
            offset,
        }
    }
}
