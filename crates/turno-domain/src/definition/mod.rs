//! Procedure definitions: the file format ([`document`]), its small languages ([`term`]),
//! validation ([`compile`]) and the validated model the engine runs ([`model`]).

pub mod compile;
pub mod document;
pub mod model;
pub mod term;

pub use compile::parse_procedure;
pub use model::*;
