//! The longest texts a request may carry, in characters, whatever edge it comes through. The
//! API's schema states the same numbers (`max_length`), and a test holds the document to them.

/// A key or a code: a program's key, a unit's or a motive's code, a folio.
pub const CODE: usize = 40;
/// A name or a title: a program's, a unit's, a día inhábil's.
pub const NAME: usize = 300;
/// A text: an agreement, a recommendation, an activity, a note, a reason, a case's field.
pub const TEXT: usize = 4000;
/// A person's login.
pub const LOGIN: usize = 64;
/// A file's name as it is kept (longer ones are cut, `documents::file_name`).
pub const FILE_NAME: usize = 200;
/// A telephone number as typed: ten digits, with spaces, hyphens, dots, parentheses or `+52`.
pub const PHONE: usize = 20;
/// A folio as typed (`AC-2026-000001`).
pub const FOLIO: usize = 20;
/// A petition's access code as typed, with hyphens or spaces.
pub const ACCESS_CODE: usize = 32;
/// The body of an issued document (an oficio runs to a few pages).
pub const LETTER: usize = 20_000;
/// A unit's numbering format (`{siglas}/{n:4}/{año}`), as the domain reads it.
pub const NUMBER_FORMAT: usize = 60;
/// An issued document's number as written (`SIDSS/ST/0123/2026`): its unit's siglas and the
/// rest of its format.
pub const ISSUED_NUMBER: usize = 80;
/// An RFC: 13 characters a person's, 12 a legal person's (`turno_domain::citizen::Rfc`).
pub const RFC: usize = 13;
/// A CURP: 18 characters (`turno_domain::citizen::Curp`).
pub const CURP: usize = 18;
/// A report period's label («Segundo trimestre 2026»).
pub const PERIOD: usize = 120;
/// A procedure's definition (TOML) as an administrator edits a draft: the longest of the
/// library is under 60 000 characters.
pub const DEFINITION: usize = 400_000;
/// The prefix of the keys of the drafts a manual gives (`cnpss` → `cnpss-91`).
pub const KEY_PREFIX: usize = 10;
