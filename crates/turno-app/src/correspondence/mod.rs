//! Correspondence (issue 17, `docs/correspondence.md`): the use cases of the documents an
//! office issues (`outgoing`) and how each unit numbers them (`numbering`).

pub mod numbering;
pub mod outgoing;
