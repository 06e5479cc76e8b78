//! `/api/v1/correspondence`: the correspondence of issue 17 (`docs/correspondence.md`), through
//! the same use cases as the pages under `/correspondencia`: outgoing documents and how each
//! unit numbers them (`outgoing`).

pub mod outgoing;
