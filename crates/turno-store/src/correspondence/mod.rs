//! Correspondence in the database (docs/correspondence.md): the incoming documents and their
//! turns (`incoming`, migration 0025).

pub mod incoming;
