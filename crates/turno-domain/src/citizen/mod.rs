//! Citizen attention (SINAC procedures 95–98 of seed 001, the IMSS SIADE of seed 004):
//! petitions received by telephone, the public mailbox, letters and other sources; their
//! classification; the Enlace's answer on the FUR; personal data masked for lists and
//! exports; the access code and folio of the mailbox; and the call-center provider's daily
//! file read row by row (`calls`). Formats in docs/citizen-format.md.

mod access;
pub mod calls;
mod contact;
mod field;
mod folio;
mod fur;
mod letter;
mod mask;
mod motive;
mod petition;
mod report;
mod suggest;

pub use access::{AccessCode, constant_time_eq};
pub use contact::{Contact, Curp, CurpError, Email, EmailError, Phone, PhoneError, Rfc, RfcError};
pub use field::{Field, FieldProblem, UnknownField};
pub(crate) use folio::canonical;
pub use folio::{FolioError, PetitionFolio};
pub use fur::{
    ContactMeans, FurError, FurField, Outcome, PetitionerContact, ResponseForm, Review,
    liaison_unit,
};
pub use letter::{Letter, LetterProblem};
pub use mask::{HIDDEN, MaskedContact, mask_address, mask_curp, mask_email, mask_name, mask_phone};
pub use motive::{
    CatalogError, Classification, ClassificationError, Motive, MotiveCatalog, motive_name,
};
pub use petition::{
    Channel, Draft, MAX_NARRATIVE_CHARS, MAX_SHORT_TEXT_CHARS, Petition, PetitionKind, UnknownKind,
};
/// Problems as the person reads them, in order (for the tests' expected messages).
#[cfg(test)]
fn messages<T: ToString>(problems: &[T]) -> Vec<String> {
    problems.iter().map(ToString::to_string).collect()
}

pub use report::{
    BadMonth, Breakdown, CallDay, Handled, Month, MonthlyReport, ResponseTimes, Tally,
    UNCLASSIFIED, call_supervision, nearest_rank,
};
pub use suggest::{Classifier, Suggestion, WORDS_SHOWN, words};
