//! Follow-up programs: lists of items (aspects, recommendations, agreements, commitments) with
//! activities, dates, responsible areas, evidence and progress, which the agencies keep today in
//! spreadsheets. The Programa de Aspectos Susceptibles de Mejora (seed 003) is read from and
//! written to its three tables (`docs/asm-format.md`); a table with any problem is reported
//! whole, row and column, and builds nothing. Evaluation visits to any units, their findings and
//! improvement plans (`visit.rs`) are followed as programs too.

mod asm;
mod files;
mod kinds;
mod layout;
mod lines;
mod model;
mod problem;
mod read;
mod revision;
mod supervision;
mod table;
mod visit;
mod write;

pub use asm::{
    Acceptance, Aspect, DocumentType, Justification, ManagementArea, Recommendation, SignOff,
};
pub use files::{Unreadable, missing, place, read_file};
pub use kinds::{
    LineKind, Plan, PlanField, ProgramKind, Quarter, QuarterReport, Rollup, Tally, UnitTally,
    rollup,
};
pub use layout::{DATE_COLUMNS, Layout};
pub use lines::{ActivityText, LINES_LAYOUT, LineText, MAX_LINE_ROWS, read_lines, write_lines};
pub use model::{
    Activity, Change, Closure, Cutoff, Evidence, FollowupError, Goal, Item, ItemKind, ItemState,
    NewItem, Program, Progress, Status, Update,
};
pub use problem::{Problem, ProblemKind};
pub use read::{Tables, parse_date, read_program};
pub use revision::{RevisionError, changes, revise};
pub use supervision::{Round, RoundOutcome, close_round, supervision_program};
pub use table::{Column, Columns, Row, Table, to_csv};
pub use visit::{Finding, Modality, PlanAction, PlanError, Severity, VisitState, improvement_plan};
pub use write::{workbook, write_activities, write_aspects, write_recommendations, write_sign_off};
