//! The archive's calendar: when an expediente, closed on a day, reaches the end of its term in
//! the archivo de trámite and in the archivo de concentración, and what is due then.
//!
//! Terms count in calendar years from the closing date (LGA art. 4 fr. LXI: the vigencia is a
//! period of time, not of business days): closed on 15/03/2020 with two years in trámite, it
//! ends on 15/03/2022. A 29 de febrero ends on the 28th of a year without one.

use super::chart::{Destination, Terms};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Where an expediente is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Location {
    Tramite,
    Concentracion,
    Historico,
    /// Disposed of by an approved baja list: only its record of disposal remains.
    Baja,
}

impl Location {
    pub const ALL: [Location; 4] = [
        Location::Tramite,
        Location::Concentracion,
        Location::Historico,
        Location::Baja,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Location::Tramite => "tramite",
            Location::Concentracion => "concentracion",
            Location::Historico => "historico",
            Location::Baja => "baja",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Location::Tramite => "Archivo de trámite",
            Location::Concentracion => "Archivo de concentración",
            Location::Historico => "Archivo histórico",
            Location::Baja => "Dado de baja",
        }
    }

    pub fn parse(code: &str) -> Option<Location> {
        Location::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// What the calendar asks for an expediente.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Move {
    /// Transferencia primaria: trámite → concentración.
    Primaria,
    /// Transferencia secundaria: to the archivo histórico.
    Secundaria,
    /// Baja documental.
    Baja,
}

impl Move {
    pub fn code(self) -> &'static str {
        match self {
            Move::Primaria => "primaria",
            Move::Secundaria => "secundaria",
            Move::Baja => "baja",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Move::Primaria => "Transferencia primaria",
            Move::Secundaria => "Transferencia secundaria",
            Move::Baja => "Baja documental",
        }
    }

    pub fn parse(code: &str) -> Option<Move> {
        [Move::Primaria, Move::Secundaria, Move::Baja]
            .into_iter()
            .find(|m| m.code() == code)
    }

    /// Where an expediente is after the move.
    pub fn to(self) -> Location {
        match self {
            Move::Primaria => Location::Concentracion,
            Move::Secundaria => Location::Historico,
            Move::Baja => Location::Baja,
        }
    }
}

/// A move the calendar asks for, and the day its term ended (or ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub action: Move,
    pub on: Date,
}

/// `date` plus whole years; the 29th of February becomes the 28th in a common year.
pub fn plus_years(date: Date, years: u16) -> Date {
    let year = i32::from(date.year()) + i32::from(years);
    let year = i16::try_from(year).unwrap_or(i16::MAX).min(9999);
    let day = date.day().min(days_in_month(year, date.month()));
    Date::new(year, date.month(), day).unwrap_or(date)
}

fn days_in_month(year: i16, month: i8) -> i8 {
    Date::new(year, month, 1)
        .map(|d| d.days_in_month())
        .unwrap_or(28)
}

/// The day the term in the archivo de trámite ends for an expediente closed on `closed`.
pub fn end_of_tramite(closed: Date, terms: &Terms) -> Date {
    plus_years(closed, terms.tramite)
}

/// The day the vigencia ends: trámite and concentración counted from the closing date.
pub fn end_of_concentracion(closed: Date, terms: &Terms) -> Date {
    plus_years(closed, terms.tramite.saturating_add(terms.concentracion))
}

/// The next move of an expediente kept at `location`, closed on `closed` (an open one has
/// none), under its serie's terms (none while they are to be valued) and destination: with the
/// day it is due. It is due when `today` is on or after that day (see [`Due::reached`]).
pub fn next(
    location: Location,
    closed: Option<Date>,
    terms: Option<&Terms>,
    destination: Destination,
) -> Option<Due> {
    let closed = closed?;
    let terms = terms?;
    let last = match destination {
        Destination::Baja => Move::Baja,
        Destination::Historico => Move::Secundaria,
    };
    match location {
        Location::Tramite if terms.concentracion > 0 => Some(Due {
            action: Move::Primaria,
            on: end_of_tramite(closed, terms),
        }),
        Location::Tramite | Location::Concentracion => Some(Due {
            action: last,
            on: end_of_concentracion(closed, terms),
        }),
        Location::Historico | Location::Baja => None,
    }
}

impl Due {
    pub fn reached(&self, today: Date) -> bool {
        today >= self.on
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn terms(tramite: u16, concentracion: u16) -> Terms {
        Terms {
            administrative: tramite + concentracion,
            legal: 0,
            accounting: 0,
            tramite,
            concentracion,
        }
    }

    #[test]
    fn terms_count_whole_calendar_years_from_the_closing_date() {
        let t = terms(2, 3);
        assert_eq!(end_of_tramite(date(2020, 3, 15), &t), date(2022, 3, 15));
        assert_eq!(
            end_of_concentracion(date(2020, 3, 15), &t),
            date(2025, 3, 15)
        );
        assert_eq!(plus_years(date(2024, 2, 29), 1), date(2025, 2, 28));
        assert_eq!(plus_years(date(2024, 2, 29), 4), date(2028, 2, 29));
        assert_eq!(plus_years(date(2024, 12, 31), 0), date(2024, 12, 31));
    }

    #[test]
    fn the_next_move_follows_the_location_and_destination() {
        let t = terms(2, 3);
        let closed = Some(date(2020, 3, 15));
        let due = next(Location::Tramite, closed, Some(&t), Destination::Baja).unwrap();
        assert_eq!((due.action, due.on), (Move::Primaria, date(2022, 3, 15)));
        assert!(!due.reached(date(2022, 3, 14)));
        assert!(due.reached(date(2022, 3, 15)));
        let due = next(Location::Concentracion, closed, Some(&t), Destination::Baja).unwrap();
        assert_eq!((due.action, due.on), (Move::Baja, date(2025, 3, 15)));
        let due = next(
            Location::Concentracion,
            closed,
            Some(&t),
            Destination::Historico,
        )
        .unwrap();
        assert_eq!(due.action, Move::Secundaria);
        // All kept in trámite: its destination is due when trámite ends.
        let due = next(
            Location::Tramite,
            closed,
            Some(&terms(5, 0)),
            Destination::Baja,
        )
        .unwrap();
        assert_eq!((due.action, due.on), (Move::Baja, date(2025, 3, 15)));
        assert_eq!(
            next(Location::Tramite, None, Some(&t), Destination::Baja),
            None
        );
        assert_eq!(
            next(Location::Tramite, closed, None, Destination::Baja),
            None
        );
        assert_eq!(
            next(
                Location::Historico,
                closed,
                Some(&t),
                Destination::Historico
            ),
            None
        );
    }
}
