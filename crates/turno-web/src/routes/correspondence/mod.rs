//! `/correspondencia`: the correspondence of issue 17 (`docs/correspondence.md`). Outgoing
//! documents are under `/correspondencia/salida` (`outgoing`).

pub mod outgoing;
