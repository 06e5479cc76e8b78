//! One row at a time: the row's petition, or every problem it has; duplicates of earlier rows
//! (the same call id, or the same contents); and the content key the store uses to import a
//! file twice without recording anything twice.

use super::RowProblem;
use super::mapping::{ColumnMapping, Layout};
use crate::citizen::{Channel, Draft, Field, Petition};
use crate::text::{Lines, control_reason};
use jiff::civil::{Date, DateTime, Time};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;

/// One call of the file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub row: usize,
    /// The provider's identifier, when the file has one.
    pub call_id: Option<String>,
    pub petition: Petition,
    pub key: ContentKey,
}

/// SHA-256 of a row's contents in canonical form (parsed values, whitespace collapsed), the
/// call id and the row number left out: the same call in the same or another file has the same
/// key, however its cells were spaced or its entidad spelt.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct ContentKey(pub [u8; 32]);

impl fmt::Display for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for ContentKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentKey({self})")
    }
}

/// Reads the rows of one file after its header.
pub struct CallReader {
    layout: Layout,
    today: Date,
    ids: HashMap<String, usize>,
    /// By the first 128 bits of the key: half the memory for a million rows, and a collision
    /// among them has a probability near 10⁻²⁷.
    contents: HashMap<u128, usize>,
}

impl CallReader {
    /// A reader for the file with this header; `today` bounds the dates of the calls.
    pub fn new(
        mapping: &ColumnMapping,
        header_row: usize,
        header: &[String],
        today: Date,
    ) -> Result<CallReader, Vec<RowProblem>> {
        Ok(CallReader {
            layout: mapping.locate(header_row, header)?,
            today,
            ids: HashMap::new(),
            contents: HashMap::new(),
        })
    }

    pub fn read(&mut self, row: usize, cells: &[String]) -> Result<Call, Vec<RowProblem>> {
        let mut problems = Vec::new();
        let layout = &self.layout;
        let cell = |field| layout.cell(cells, field).unwrap_or("");
        let extra = cells[layout.width().min(cells.len())..]
            .iter()
            .any(|c| !c.trim().is_empty());
        if extra {
            problems.push(RowProblem::new(
                row,
                None,
                format!(
                    "tiene {} celdas y el encabezado {}",
                    cells.len(),
                    layout.width()
                ),
            ));
        }
        let received_at = received_at(
            cell(Field::ReceivedOn),
            cell(Field::ReceivedTime),
            self.today,
        )
        .map_err(|(field, reason)| problems.push(RowProblem::new(row, Some(field), reason)))
        .ok();
        let draft = Draft {
            kind: cell(Field::Kind),
            state: cell(Field::State),
            health_unit: cell(Field::HealthUnit),
            narrative: cell(Field::Narrative),
            name: cell(Field::Name),
            curp: cell(Field::Curp),
            phone: cell(Field::Phone),
            email: cell(Field::Email),
            address: cell(Field::Address),
        };
        // The date only stamps the petition; a bad one is already reported.
        let stamp = received_at.unwrap_or_default();
        let petition = draft
            .check(Channel::CallCenter, stamp, false)
            .map_err(|found| {
                problems.extend(
                    found
                        .into_iter()
                        .map(|p| RowProblem::new(row, Some(p.field), p.reason)),
                )
            })
            .ok();
        if let Some(reason) = control_reason(cell(Field::CallId), Lines::One) {
            problems.push(RowProblem::new(row, Some(Field::CallId), reason));
        }
        let call_id = Some(cell(Field::CallId).trim())
            .filter(|id| !id.is_empty())
            .map(str::to_owned);
        if let Some(id) = &call_id
            && let Some(first) = self.ids.get(id)
        {
            problems.push(RowProblem::new(
                row,
                Some(Field::CallId),
                format!("la llamada «{id}» ya está en la fila {first}"),
            ));
        }
        let (Some(petition), true) = (petition, problems.is_empty()) else {
            return Err(problems);
        };
        let key = content_key(&petition);
        let short = u128::from_be_bytes(key.0[..16].try_into().unwrap_or_default());
        if let Some(first) = self.contents.get(&short) {
            return Err(vec![RowProblem::new(
                row,
                None,
                format!("repite el contenido de la fila {first}"),
            )]);
        }
        self.contents.insert(short, row);
        if let Some(id) = &call_id {
            self.ids.insert(id.clone(), row);
        }
        Ok(Call {
            row,
            call_id,
            petition,
            key,
        })
    }
}

/// The date and time of a call: `aaaa-mm-dd` or `dd/mm/aaaa`, with the time after a space or
/// `T` or in its own column (`hh:mm` or `hh:mm:ss`); no later than today.
fn received_at(date: &str, time: &str, today: Date) -> Result<DateTime, (Field, String)> {
    let text = date.trim();
    if text.is_empty() {
        return Err((Field::ReceivedOn, "falta".to_owned()));
    }
    let wrong = || {
        (
            Field::ReceivedOn,
            format!(
                "«{text}» no es una fecha válida (dd/mm/aaaa o aaaa-mm-dd, con hora hh:mm opcional)"
            ),
        )
    };
    let (day_part, time_part) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    let day = parse_date(day_part).ok_or_else(wrong)?;
    let at = match (time_part, time.trim()) {
        (Some(t), _) => parse_time(t).ok_or_else(wrong)?,
        (None, "") => Time::midnight(),
        (None, t) => parse_time(t).ok_or_else(|| {
            (
                Field::ReceivedTime,
                format!("«{t}» no es una hora válida (hh:mm o hh:mm:ss)"),
            )
        })?,
    };
    if day > today {
        return Err((
            Field::ReceivedOn,
            format!("«{text}» es posterior a hoy ({today})"),
        ));
    }
    Ok(day.to_datetime(at))
}

fn number(text: &str, min_len: usize, max_len: usize) -> Option<i16> {
    if !(min_len..=max_len).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_date(text: &str) -> Option<Date> {
    let (year, month, day) = if let Some((d, rest)) = text.split_once('/') {
        let (m, y) = rest.split_once('/')?;
        (number(y, 4, 4)?, number(m, 1, 2)?, number(d, 1, 2)?)
    } else {
        let mut parts = text.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (number(y, 4, 4)?, number(m, 2, 2)?, number(d, 2, 2)?)
    };
    Date::new(year, month as i8, day as i8).ok()
}

fn parse_time(text: &str) -> Option<Time> {
    let mut parts = text.split(':');
    let hour = number(parts.next()?, 1, 2)?;
    let minute = number(parts.next()?, 2, 2)?;
    let second = parts.next().map_or(Some(0), |s| number(s, 2, 2))?;
    if parts.next().is_some() {
        return None;
    }
    Time::new(hour as i8, minute as i8, second as i8, 0).ok()
}

/// See [`ContentKey`]. Each field is written with its key and separators that cannot occur in
/// a trimmed single-line value, so two different rows never write the same bytes.
fn content_key(petition: &Petition) -> ContentKey {
    let mut hasher = Sha256::new();
    let mut field = |field: Field, value: Option<&str>| {
        hasher.update(field.key());
        hasher.update([0x1f]);
        for (i, word) in value.unwrap_or("").split_whitespace().enumerate() {
            if i > 0 {
                hasher.update(b" ");
            }
            hasher.update(word);
        }
        hasher.update([0x1e]);
    };
    let contact = &petition.contact;
    field(Field::ReceivedOn, Some(&petition.received_at.to_string()));
    field(Field::Kind, Some(petition.kind.code()));
    field(Field::State, Some(petition.state.code()));
    field(Field::HealthUnit, petition.health_unit.as_deref());
    field(Field::Narrative, Some(&petition.narrative));
    field(Field::Name, contact.name.as_deref());
    field(Field::Curp, contact.curp.as_ref().map(|c| c.as_str()));
    field(Field::Phone, contact.phone.as_ref().map(|p| p.as_str()));
    field(Field::Email, contact.email.as_ref().map(|e| e.as_str()));
    field(Field::Address, contact.address.as_deref());
    ContentKey(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn citizen_dates_of_calls() {
        let today = date(2026, 3, 10);
        let at = |d: &str, t: &str| received_at(d, t, today).map(|dt| dt.to_string());
        assert_eq!(at("2026-03-02", ""), Ok("2026-03-02T00:00:00".into()));
        assert_eq!(at("2/3/2026 9:05", ""), Ok("2026-03-02T09:05:00".into()));
        assert_eq!(
            at("02/03/2026", "17:45:10"),
            Ok("2026-03-02T17:45:10".into())
        );
        assert_eq!(
            at("2026-03-02T17:45:10", ""),
            Ok("2026-03-02T17:45:10".into())
        );
        for bad in [
            "31/02/2026",
            "2026-3-2",
            "03/02/26",
            "ayer",
            "2026-03-02 25:00",
            "+2026-03-02",
        ] {
            assert_eq!(at(bad, "").unwrap_err().0, Field::ReceivedOn, "{bad}");
        }
        assert_eq!(at("2026-03-02", "5 pm").unwrap_err().0, Field::ReceivedTime);
        assert_eq!(
            at("11/03/2026", "").unwrap_err().1,
            "«11/03/2026» es posterior a hoy (2026-03-10)"
        );
    }

    #[test]
    fn citizen_field_indexes_follow_their_declaration() {
        for (i, field) in Field::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, i);
        }
    }
}
