//! Who people are and what they may see: units (the organization chart), users, their
//! memberships with a role, web sessions, sign-in throttling and API tokens. The store keeps
//! them; deciding who may do what is the application layer's (`turno_app`). Passwords arrive
//! hashed (a PHC string) and API tokens as the SHA-256 of the token: neither is ever stored in
//! clear.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How precisely a token's "last used" is kept: a use within this long of the recorded one is
/// not written again, so that reading the API does not cost a durable commit per request.
pub const TOKEN_USE_GRANULARITY: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// What a person does in a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The head of the unit: signs and authorizes.
    Titular,
    /// Works the unit's cases.
    Operador,
    /// Someone outside the agency who answers a unit's requests.
    EnlaceExterno,
    /// Reads the unit's cases, acts on none.
    Consulta,
    /// Administers units, users and procedures.
    Administrador,
    /// The archive's administrator (responsable del área coordinadora de archivos' staff):
    /// edits the chart and catalog, opens and closes expedientes, classifies, draws up and
    /// carries out transfer inventories and baja lists (`docs/archive.md`).
    Archivista,
    /// The archive coordinator (LGA art. 27): approves transfer inventories and baja lists.
    CoordinadorArchivos,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Titular,
        Role::Operador,
        Role::EnlaceExterno,
        Role::Consulta,
        Role::Administrador,
        Role::Archivista,
        Role::CoordinadorArchivos,
    ];

    /// The text stored in the database (and accepted by [`FromStr`]).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Titular => "titular",
            Role::Operador => "operador",
            Role::EnlaceExterno => "enlace_externo",
            Role::Consulta => "consulta",
            Role::Administrador => "administrador",
            Role::Archivista => "archivista",
            Role::CoordinadorArchivos => "coordinador_archivos",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Role::Titular => "Titular",
            Role::Operador => "Operador",
            Role::EnlaceExterno => "Enlace externo",
            Role::Consulta => "Consulta",
            Role::Administrador => "Administrador",
            Role::Archivista => "Archivista",
            Role::CoordinadorArchivos => "Coordinador de archivos",
        }
    }
}

/// Text that names no role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "«{}» is not a role (titular, operador, enlace_externo, consulta, administrador, archivista, coordinador_archivos)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRole {}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(text: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text)
            .ok_or_else(|| UnknownRole(text.to_owned()))
    }
}

/// A unit to create or update, identified by its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub level: turno_domain::org::Level,
    /// The unit above it; it must exist already.
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    /// The password's PHC string (argon2, hashed by the web crate); none for a user who
    /// signs in only with API tokens, or has not been given a password yet.
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    pub active: bool,
}

/// The user of an API token, with the identity revision read in the same statement
/// ([`crate::Store::user_by_api_token`]): the user and their memberships at that revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenUser {
    pub user: User,
    pub identity_revision: i64,
}

/// Whether a person may sign in and use their API tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatus {
    Active,
    Inactive,
}

/// A user with what signing in checks.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRecord {
    #[sqlx(flatten)]
    pub user: User,
    pub password_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub unit_code: String,
    pub unit_name: String,
    pub role: Role,
    /// The titular (login) whose place the person takes in this unit, for a membership that
    /// comes from a suplencia in force.
    pub substituting: Option<String>,
}

/// A user with their own memberships (suplencias aside), for administration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user: User,
    pub memberships: Vec<Membership>,
}

/// A membership as read, before its role is parsed.
#[derive(sqlx::FromRow)]
pub(crate) struct MembershipRow {
    #[sqlx(default)]
    pub(crate) user_id: i64,
    unit_code: String,
    unit_name: String,
    role: String,
    substituting: Option<String>,
}

impl TryFrom<MembershipRow> for Membership {
    type Error = crate::StoreError;

    fn try_from(row: MembershipRow) -> Result<Membership, crate::StoreError> {
        Ok(Membership {
            role: row.role.parse().map_err(|e| {
                crate::StoreError::corrupt(format!("membership in {}: {e}", row.unit_code))
            })?,
            unit_code: row.unit_code,
            unit_name: row.unit_name,
            substituting: row.substituting,
        })
    }
}

/// A suplencia to record: the titular of a unit names a delegate for a range of days, with
/// the written delegation kept in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelegation {
    pub titular: i64,
    pub delegate: i64,
    pub unit_code: String,
    pub starts_on: jiff::civil::Date,
    pub ends_on: jiff::civil::Date,
    pub document_sha256: String,
    pub document_name: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Delegation {
    pub id: i64,
    pub titular_login: String,
    pub titular_name: String,
    pub delegate_login: String,
    pub delegate_name: String,
    pub unit_code: String,
    pub unit_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub document_sha256: String,
    pub document_name: String,
    pub reason: String,
    pub created_at: String,
    pub created_by: String,
    pub revoked_at: Option<String>,
    pub revoked_by: Option<String>,
}

/// `$first, $first+1, …` for `count` values bound in a list (`IN (…)`).
pub(crate) fn list_placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Given units and every unit below them (`UNION` also ends the walk on a cycle).
pub(crate) fn units_below_sql(units: usize) -> String {
    format!(
        "WITH RECURSIVE below (id, code) AS ( \
         SELECT id, code FROM units WHERE code IN ({}) \
         UNION SELECT u.id, u.code FROM units u JOIN below b ON u.parent_id = b.id) \
         SELECT code FROM below",
        list_placeholders(1, units)
    )
}

/// A unique key refused the row.
pub(crate) fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_back_what_they_store() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(
                serde_json::to_string(&role).unwrap(),
                format!("\"{}\"", role.as_str())
            );
        }
        assert_eq!(Role::EnlaceExterno.label(), "Enlace externo");
        assert!("Titular".parse::<Role>().is_err());
    }

    #[test]
    fn lists_are_numbered_from_where_they_start() {
        assert_eq!(list_placeholders(1, 3), "$1, $2, $3");
        assert_eq!(list_placeholders(4, 1), "$4");
    }
}
