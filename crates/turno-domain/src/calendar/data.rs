//! Extra non-working days from data files (DOF agreements: Semana Santa, vacation periods).
//!
//! The format is documented in `docs/calendar-data.md`. The parser walks toml's spanned document
//! tree instead of using serde so that every error names the exact field and points at its value.

use std::ops::Range;

use jiff::civil::Date;
use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::{Regime, State};

/// Longest accepted `[[ranges]]` period, in days: a longer one is almost surely a typo in a year.
pub const MAX_RANGE_DAYS: i32 = 366;

/// One entry of a data file: a single day (`[[days]]`, `from == to`) or an inclusive period
/// (`[[ranges]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonWorkingPeriod {
    pub from: Date,
    pub to: Date,
    pub name: String,
    /// `None`: both regimes.
    pub regimes: Option<Vec<Regime>>,
    /// Upper-cased institution code; `None`: every institution.
    pub institution: Option<String>,
    /// `None`: every state.
    pub state: Option<State>,
    pub source: Option<String>,
}

impl NonWorkingPeriod {
    /// Whether this entry belongs in the calendar of `regime` for the given institution and state.
    pub fn applies_to(
        &self,
        regime: Regime,
        institution: Option<&str>,
        state: Option<State>,
    ) -> bool {
        let regime_ok = self.regimes.as_ref().is_none_or(|r| r.contains(&regime));
        let institution_ok = match &self.institution {
            None => true,
            Some(own) => institution.is_some_and(|i| i.trim().eq_ignore_ascii_case(own)),
        };
        let state_ok = self.state.is_none() || self.state == state;
        regime_ok && institution_ok && state_ok
    }

    /// The dates of the period, in order.
    pub fn dates(&self) -> impl Iterator<Item = Date> + '_ {
        self.from
            .series(jiff::Span::new().days(1))
            .take_while(|d| *d <= self.to)
    }
}

/// The extra non-working days of one or more data files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarData {
    periods: Vec<NonWorkingPeriod>,
}

/// A data file is invalid. Displays as `file:line:column: field: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {}{message}", field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default())]
pub struct CalendarDataError {
    /// The name the caller gave the text (usually its path).
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// Path of the offending field, e.g. `days[2].date`; `None` for TOML syntax errors.
    pub field: Option<String>,
    pub message: String,
}

impl CalendarData {
    /// An empty set: statutory days only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses one data file. `name` is only used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Self, CalendarDataError> {
        Parser { file: name, text }.document()
    }

    /// Adds the entries of `other` (e.g. the next file of the directory).
    pub fn merge(&mut self, other: CalendarData) {
        self.periods.extend(other.periods);
    }

    pub fn periods(&self) -> &[NonWorkingPeriod] {
        &self.periods
    }

    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }
}

/// Entries kept elsewhere (a database), already checked when they were parsed.
impl From<Vec<NonWorkingPeriod>> for CalendarData {
    fn from(periods: Vec<NonWorkingPeriod>) -> Self {
        CalendarData { periods }
    }
}

impl FromIterator<CalendarData> for CalendarData {
    fn from_iter<I: IntoIterator<Item = CalendarData>>(iter: I) -> Self {
        let mut all = CalendarData::new();
        for data in iter {
            all.merge(data);
        }
        all
    }
}

const DAY_KEYS: &[&str] = &["date", "name", "regimes", "institution", "state", "source"];
const RANGE_KEYS: &[&str] = &[
    "from",
    "to",
    "name",
    "regimes",
    "institution",
    "state",
    "source",
];

struct Parser<'a> {
    file: &'a str,
    text: &'a str,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Parser<'_> {
    fn error(
        &self,
        span: Range<usize>,
        field: Option<String>,
        message: String,
    ) -> CalendarDataError {
        let (line, column) = line_column(self.text, span.start);
        CalendarDataError {
            file: self.file.to_owned(),
            line,
            column,
            field,
            message,
        }
    }

    fn document(&self) -> Result<CalendarData, CalendarDataError> {
        let root = DeTable::parse(self.text).map_err(|err| {
            let start = err.span().map_or(self.text.len(), |s| s.start);
            self.error(start..start, None, err.message().to_owned())
        })?;
        let root = root.get_ref();
        self.reject_unknown_keys(root, &["days", "ranges"], "")?;

        let mut periods = Vec::new();
        for (section, is_range) in [("days", false), ("ranges", true)] {
            let Some(value) = root.get(section) else {
                continue;
            };
            let DeValue::Array(items) = value.get_ref() else {
                return Err(self.error(
                    value.span(),
                    Some(section.to_owned()),
                    format!("expected an array of tables (`[[{section}]]`)"),
                ));
            };
            for (i, item) in items.iter().enumerate() {
                let path = format!("{section}[{i}]");
                let DeValue::Table(table) = item.get_ref() else {
                    return Err(self.error(item.span(), Some(path), "expected a table".to_owned()));
                };
                periods.push(self.entry(table, item.span(), &path, is_range)?);
            }
        }
        Ok(CalendarData { periods })
    }

    fn entry(
        &self,
        table: &DeTable<'_>,
        span: Range<usize>,
        path: &str,
        is_range: bool,
    ) -> Result<NonWorkingPeriod, CalendarDataError> {
        let keys = if is_range { RANGE_KEYS } else { DAY_KEYS };
        self.reject_unknown_keys(table, keys, path)?;
        let field = |key: &str| format!("{path}.{key}");

        let (from, to) = if is_range {
            let (from, _) = self.date(table, &span, path, "from")?;
            let (to, to_span) = self.date(table, &span, path, "to")?;
            if to < from {
                return Err(self.error(
                    to_span,
                    Some(field("to")),
                    format!("`to` ({to}) is before `from` ({from})"),
                ));
            }
            // Both dates are four-digit years, so the difference fits easily.
            let days = from.until(to).map(|s| s.get_days()).unwrap_or(i32::MAX);
            if days >= MAX_RANGE_DAYS {
                return Err(self.error(
                    to_span,
                    Some(field("to")),
                    format!(
                        "the period is {} days long; at most {MAX_RANGE_DAYS} are allowed",
                        days.saturating_add(1)
                    ),
                ));
            }
            (from, to)
        } else {
            let (date, _) = self.date(table, &span, path, "date")?;
            (date, date)
        };

        let name = self.required(table, &span, path, "name")?;
        let name = self.text_value(name, &field("name"))?;
        if name.is_empty() {
            return Err(self.error(
                table_value_span(table, "name"),
                Some(field("name")),
                "must not be empty".to_owned(),
            ));
        }

        let regimes = match table.get("regimes") {
            None => None,
            Some(value) => Some(self.regimes(value, &field("regimes"))?),
        };
        let institution = match table.get("institution") {
            None => None,
            Some(value) => {
                let code = self.text_value(value, &field("institution"))?;
                if code.is_empty() || code.contains(char::is_whitespace) {
                    return Err(self.error(
                        value.span(),
                        Some(field("institution")),
                        "expected a code without spaces, e.g. \"SSA\"".to_owned(),
                    ));
                }
                Some(code.to_uppercase())
            }
        };
        let state =
            match table.get("state") {
                None => None,
                Some(value) => {
                    let code = self.text_value(value, &field("state"))?;
                    Some(code.parse::<State>().map_err(|e| {
                        self.error(value.span(), Some(field("state")), e.to_string())
                    })?)
                }
            };
        let source = match table.get("source") {
            None => None,
            Some(value) => Some(self.string(value, &field("source"))?.to_owned()),
        };
        Ok(NonWorkingPeriod {
            from,
            to,
            name,
            regimes,
            institution,
            state,
            source,
        })
    }

    /// Unknown keys are errors: a misspelt optional key (`regime`, `estado`) would otherwise widen
    /// the entry silently.
    fn reject_unknown_keys(
        &self,
        table: &DeTable<'_>,
        allowed: &[&str],
        path: &str,
    ) -> Result<(), CalendarDataError> {
        // The map is sorted by key; report the first unknown key in file order.
        let unknown = table
            .iter()
            .filter(|(key, _)| !allowed.contains(&key.get_ref().as_ref()))
            .min_by_key(|(key, _)| key.span().start);
        if let Some((key, _)) = unknown {
            let name = key.get_ref();
            let field = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            return Err(self.error(
                key.span(),
                Some(field),
                format!("unknown field (expected one of: {})", allowed.join(", ")),
            ));
        }
        Ok(())
    }

    fn required<'t, 'i>(
        &self,
        table: &'t DeTable<'i>,
        table_span: &Range<usize>,
        path: &str,
        key: &str,
    ) -> Result<&'t Value<'i>, CalendarDataError> {
        table.get(key).ok_or_else(|| {
            self.error(
                table_span.clone(),
                Some(format!("{path}.{key}")),
                "missing required field".to_owned(),
            )
        })
    }

    fn date(
        &self,
        table: &DeTable<'_>,
        table_span: &Range<usize>,
        path: &str,
        key: &str,
    ) -> Result<(Date, Range<usize>), CalendarDataError> {
        let value = self.required(table, table_span, path, key)?;
        let field = format!("{path}.{key}");
        let fail = |message: String| self.error(value.span(), Some(field.clone()), message);
        let date = match value.get_ref() {
            DeValue::String(s) => parse_iso_date(s).map_err(fail)?,
            // TOML's own local date (`date = 2026-04-02`) is accepted too; with a time or offset
            // it is not a calendar day.
            DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    date_from_parts(i32::from(d.year), i32::from(d.month), i32::from(d.day))
                        .map_err(fail)?
                }
                _ => {
                    return Err(fail(format!(
                        "expected a date \"YYYY-MM-DD\", found date-time {dt}"
                    )));
                }
            },
            other => {
                return Err(fail(format!(
                    "expected a date \"YYYY-MM-DD\", found {}",
                    other.type_str()
                )));
            }
        };
        Ok((date, value.span()))
    }

    fn string<'v>(&self, value: &'v Value<'_>, field: &str) -> Result<&'v str, CalendarDataError> {
        match value.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            other => Err(self.error(
                value.span(),
                Some(field.to_owned()),
                format!("expected a string, found {}", other.type_str()),
            )),
        }
    }

    /// A one-line text: names are printed one per line, so control characters are rejected.
    fn text_value(&self, value: &Value<'_>, field: &str) -> Result<String, CalendarDataError> {
        let s = self.string(value, field)?;
        if crate::text::control(s, crate::text::Lines::One).is_some() {
            return Err(self.error(
                value.span(),
                Some(field.to_owned()),
                "must be a single line without control characters".to_owned(),
            ));
        }
        Ok(s.trim().to_owned())
    }

    fn regimes(&self, value: &Value<'_>, field: &str) -> Result<Vec<Regime>, CalendarDataError> {
        let DeValue::Array(items) = value.get_ref() else {
            return Err(self.error(
                value.span(),
                Some(field.to_owned()),
                format!(
                    "expected an array such as [\"lfpa\"], found {}",
                    value.get_ref().type_str()
                ),
            ));
        };
        self.regime_items(items, value.span(), field)
    }

    fn regime_items(
        &self,
        items: &DeArray<'_>,
        span: Range<usize>,
        field: &str,
    ) -> Result<Vec<Regime>, CalendarDataError> {
        if items.is_empty() {
            return Err(self.error(
                span,
                Some(field.to_owned()),
                "must name at least one regime (omit the field for both)".to_owned(),
            ));
        }
        let mut regimes = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_field = format!("{field}[{i}]");
            let text = self.string(item, &item_field)?;
            let regime = text
                .parse::<Regime>()
                .map_err(|e| self.error(item.span(), Some(item_field), e.to_string()))?;
            if !regimes.contains(&regime) {
                regimes.push(regime);
            }
        }
        Ok(regimes)
    }
}

fn table_value_span(table: &DeTable<'_>, key: &str) -> Range<usize> {
    table.get(key).map_or(0..0, |v| v.span())
}

/// Strictly `YYYY-MM-DD`: jiff's parser also accepts date-times, which here would hide a typo.
fn parse_iso_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let digits = |r: Range<usize>| -> Option<i32> {
        b.get(r)?.iter().try_fold(0i32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + i32::from(c - b'0'))
        })
    };
    let parts = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| Some((digits(0..4)?, digits(5..7)?, digits(8..10)?)))
        .flatten();
    let Some((year, month, day)) = parts else {
        return Err(format!("expected a date \"YYYY-MM-DD\", found {s:?}"));
    };
    date_from_parts(year, month, day)
}

fn date_from_parts(year: i32, month: i32, day: i32) -> Result<Date, String> {
    let invalid = || format!("{year:04}-{month:02}-{day:02} is not a valid date");
    let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(year), i8::try_from(month), i8::try_from(day))
    else {
        return Err(invalid());
    };
    Date::new(y, m, d).map_err(|_| invalid())
}

/// 1-based line and column (in characters) of a byte offset. Works on bytes so that an offset
/// that is not on a character boundary cannot panic.
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let line_start = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    // Count characters by their first byte (continuation bytes are 0b10xx_xxxx).
    let column = bytes[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (line, column)
}
