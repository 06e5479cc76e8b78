//! The lists a person approves before expedientes move: the inventories of transferencia
//! primaria and secundaria, and the baja documental. A list is drawn up (borrador) with the
//! expedientes the calendar found due, approved once by a person, then carried out; an
//! approved list never changes. What a baja disposes of leaves a [`Disposal`] in each case's
//! chain: who approved, the list, and the digests of what was disposed of.

use super::calendar::{Location, Move};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The kind of a list is the move it carries out.
pub type ListKind = Move;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListState {
    Borrador,
    Aprobada,
    Ejecutada,
}

impl ListState {
    pub fn code(self) -> &'static str {
        match self {
            ListState::Borrador => "borrador",
            ListState::Aprobada => "aprobada",
            ListState::Ejecutada => "ejecutada",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ListState::Borrador => "Borrador",
            ListState::Aprobada => "Aprobada",
            ListState::Ejecutada => "Ejecutada",
        }
    }

    pub fn parse(code: &str) -> Option<ListState> {
        [
            ListState::Borrador,
            ListState::Aprobada,
            ListState::Ejecutada,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// A list: its number, kind, the expedientes it names (by id) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    pub number: String,
    pub kind: ListKind,
    pub expedientes: Vec<i64>,
    pub state: ListState,
    pub approved_by: Option<String>,
    pub approved_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ListError {
    #[error("la lista {0} ya fue aprobada: no cambia")]
    AlreadyApproved(String),
    #[error("la lista {0} no está aprobada: nada se mueve ni se elimina sin una lista aprobada")]
    NotApproved(String),
    #[error("la lista {0} no tiene expedientes")]
    Empty(String),
    #[error("el expediente {expediente} está en «{at}»: la {kind} no lo puede incluir")]
    WrongPlace {
        expediente: String,
        at: &'static str,
        kind: &'static str,
    },
    #[error("el expediente {0} no ha cumplido su plazo")]
    NotDue(String),
}

impl List {
    pub fn new(number: String, kind: ListKind, expedientes: Vec<i64>) -> Result<List, ListError> {
        if expedientes.is_empty() {
            return Err(ListError::Empty(number));
        }
        Ok(List {
            number,
            kind,
            expedientes,
            state: ListState::Borrador,
            approved_by: None,
            approved_at: None,
        })
    }

    /// Whether an expediente at `location` may be carried by a list of `kind`.
    pub fn admits(kind: ListKind, location: Location) -> bool {
        matches!(
            (kind, location),
            (Move::Primaria, Location::Tramite)
                | (
                    Move::Secundaria,
                    Location::Tramite | Location::Concentracion
                )
                | (Move::Baja, Location::Tramite | Location::Concentracion)
        )
    }

    /// Approves a draft (who may approve is the application's rule).
    pub fn approve(&mut self, by: &str, at: &str) -> Result<(), ListError> {
        if self.state != ListState::Borrador {
            return Err(ListError::AlreadyApproved(self.number.clone()));
        }
        self.state = ListState::Aprobada;
        self.approved_by = Some(by.to_owned());
        self.approved_at = Some(at.to_owned());
        Ok(())
    }

    /// Marks an approved list carried out; anything else is refused.
    pub fn execute(&mut self) -> Result<(), ListError> {
        if self.state != ListState::Aprobada {
            return Err(ListError::NotApproved(self.number.clone()));
        }
        self.state = ListState::Ejecutada;
        Ok(())
    }
}

/// An event disposed of: its number in the case's chain and its hash, which stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisposedEvent {
    pub seq: i64,
    pub hash: String,
}

/// A document disposed of: its name and the SHA-256 of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisposedDocument {
    pub name: String,
    pub sha256: String,
}

/// The record a baja leaves in a case's chain, in place of what it disposed of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disposal {
    /// The approved list that named the case's expediente.
    pub list: String,
    pub expediente: String,
    pub serie: String,
    pub approved_by: String,
    pub approved_at: String,
    /// Who carried the list out, when.
    pub disposed_by: String,
    pub disposed_at: String,
    pub events: Vec<DisposedEvent>,
    pub documents: Vec<DisposedDocument>,
}

impl Disposal {
    /// Whether the record names exactly these events, in order (their seq and hash).
    pub fn covers(&self, events: &[(i64, &str)]) -> bool {
        self.events.len() == events.len()
            && self
                .events
                .iter()
                .zip(events)
                .all(|(d, (seq, hash))| d.seq == *seq && d.hash == *hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_carried_out_without_approval_and_an_approved_list_does_not_change() {
        assert_eq!(
            List::new("B-1".into(), Move::Baja, vec![]),
            Err(ListError::Empty("B-1".into()))
        );
        let mut list = List::new("B-1".into(), Move::Baja, vec![4, 7]).unwrap();
        assert_eq!(list.execute(), Err(ListError::NotApproved("B-1".into())));
        list.approve("coordinadora", "2026-01-02T10:00:00Z")
            .unwrap();
        assert_eq!(
            list.approve("otra", "2026-01-03T10:00:00Z"),
            Err(ListError::AlreadyApproved("B-1".into()))
        );
        assert_eq!(list.approved_by.as_deref(), Some("coordinadora"));
        list.execute().unwrap();
        assert_eq!(list.execute(), Err(ListError::NotApproved("B-1".into())));
    }

    #[test]
    fn a_list_takes_expedientes_from_where_its_move_starts() {
        assert!(List::admits(Move::Primaria, Location::Tramite));
        assert!(!List::admits(Move::Primaria, Location::Concentracion));
        assert!(List::admits(Move::Baja, Location::Concentracion));
        assert!(!List::admits(Move::Baja, Location::Historico));
        assert!(!List::admits(Move::Secundaria, Location::Baja));
    }

    #[test]
    fn a_disposal_covers_exactly_the_events_it_names() {
        let d = Disposal {
            list: "B-1".into(),
            expediente: "E".into(),
            serie: "S".into(),
            approved_by: "a".into(),
            approved_at: "t".into(),
            disposed_by: "b".into(),
            disposed_at: "t".into(),
            events: vec![
                DisposedEvent {
                    seq: 1,
                    hash: "h1".into(),
                },
                DisposedEvent {
                    seq: 2,
                    hash: "h2".into(),
                },
            ],
            documents: vec![],
        };
        assert!(d.covers(&[(1, "h1"), (2, "h2")]));
        assert!(!d.covers(&[(1, "h1")]));
        assert!(!d.covers(&[(1, "h1"), (2, "hx")]));
    }
}
