//! The archive under the Ley General de Archivos (`docs/archive.md`): the classification chart
//! (cuadro general de clasificación archivística: fondo, sección, serie, subserie) and the
//! disposition catalog (catálogo de disposición documental: each serie's terms and final
//! destination), seeded from the procedures' *Registros* (`chart.rs`); the archive's calendar,
//! when an expediente closed on a day reaches the end of its term in trámite and in
//! concentración (`calendar.rs`); and the lists a person approves before anything moves or is
//! disposed of: transfer inventories and the baja documental, with the record each disposal
//! leaves in the case's chain (`list.rs`).
//!
//! **Invariant:** nothing is disposed of without an approved baja list that names it, and an
//! approved list is never changed (tests).

pub mod calendar;
pub mod chart;
pub mod list;
pub mod sheets;

pub use calendar::{Due, Location, Move, end_of_concentracion, end_of_tramite, next, plus_years};
pub use chart::{Access, Chart, ChartError, Destination, Fondo, Section, Serie, Terms};
pub use list::{Disposal, DisposedDocument, DisposedEvent, List, ListError, ListKind, ListState};
