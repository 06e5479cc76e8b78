//! Procedure definitions: the file format ([`document`]), its small languages ([`term`]),
//! validation ([`compile`]), the validated model the engine runs ([`model`]) and the pieces
//! drafts write it with ([`toml_text`]).

pub mod compile;
pub mod document;
pub mod model;
pub mod term;
pub mod toml_text;

pub use compile::parse_procedure;
pub use model::*;
