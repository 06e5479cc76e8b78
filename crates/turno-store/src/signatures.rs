//! e.firma's stored material (migration 0028): the trust anchors and revocation lists an
//! administrator imported, and each person's RFC and CURP. The application reads and checks
//! the files (turno-efirma); the store keeps their bytes.

use crate::error::StoreError;
use crate::{PgStore, SqliteStore};

/// What a trust file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustKind {
    /// A certification authority's certificate.
    Anchor,
    /// A certificate revocation list.
    Crl,
}

impl TrustKind {
    fn code(self) -> &'static str {
        match self {
            TrustKind::Anchor => "anchor",
            TrustKind::Crl => "crl",
        }
    }

    fn from_code(code: &str) -> Result<TrustKind, StoreError> {
        match code {
            "anchor" => Ok(TrustKind::Anchor),
            "crl" => Ok(TrustKind::Crl),
            other => Err(StoreError::corrupt(format!("trust material kind {other}"))),
        }
    }
}

/// One imported file: its SHA-256, its authority's name, its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustItem {
    pub kind: TrustKind,
    pub fingerprint: String,
    pub name: String,
    pub der: Vec<u8>,
}

/// A person's identifiers as the administrators recorded them, upper case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignerIdentity {
    pub rfc: Option<String>,
    pub curp: Option<String>,
}

store_trait! {
    pub trait Signatures {
        /// Every anchor and list imported, in the order they were.
        async fn trust_material(&self) -> Result<Vec<TrustItem>, StoreError>;

        /// Stores a file the caller checked, on the audit log; false (nothing written) when
        /// the same file was imported before.
        async fn add_trust_material(&self, item: &TrustItem, actor: &str) -> Result<bool, StoreError>;

        /// The RFC and CURP of the person `user`; `None` when there is no such person.
        async fn signer_identity(&self, user: i64) -> Result<Option<SignerIdentity>, StoreError>;

        /// The RFC and CURP of every person who has either, by the person's id.
        async fn signer_identities(&self) -> Result<Vec<(i64, SignerIdentity)>, StoreError>;

        /// Records `user`'s RFC and CURP (checked by the caller), on the audit log.
        async fn set_signer_identity(
            &self,
            user: i64,
            identity: &SignerIdentity,
            actor: &str,
        ) -> Result<(), StoreError>;
    }
}

macro_rules! signatures_impl {
    ($store:ty) => {
        impl Signatures for $store {
            async fn trust_material(&self) -> Result<Vec<TrustItem>, StoreError> {
                // rowid on SQLite and ctid on PostgreSQL differ: the import order is the
                // audit log's, which the list's order need not follow; by kind then name.
                let rows: Vec<(String, String, String, Vec<u8>)> = sqlx::query_as(
                    "SELECT kind, fingerprint, name, der FROM trust_material \
                     ORDER BY kind, name, fingerprint",
                )
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|(kind, fingerprint, name, der)| {
                        Ok(TrustItem {
                            kind: TrustKind::from_code(&kind)?,
                            fingerprint,
                            name,
                            der,
                        })
                    })
                    .collect()
            }

            async fn add_trust_material(
                &self,
                item: &TrustItem,
                actor: &str,
            ) -> Result<bool, StoreError> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "INSERT INTO trust_material (fingerprint, kind, name, der) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (fingerprint) DO NOTHING",
                )
                .bind(&item.fingerprint)
                .bind(item.kind.code())
                .bind(&item.name)
                .bind(&item.der)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                let action = match item.kind {
                    TrustKind::Anchor => "trust_anchor_imported",
                    TrustKind::Crl => "crl_imported",
                };
                let detail = serde_json::json!({ "fingerprint": item.fingerprint }).to_string();
                Self::audit_on(&mut tx, actor, action, &item.name, detail).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn signer_identity(
                &self,
                user: i64,
            ) -> Result<Option<SignerIdentity>, StoreError> {
                let row: Option<(Option<String>, Option<String>)> =
                    sqlx::query_as("SELECT rfc, curp FROM users WHERE id = $1")
                        .bind(user)
                        .fetch_optional(&self.reader)
                        .await?;
                Ok(row.map(|(rfc, curp)| SignerIdentity { rfc, curp }))
            }

            async fn signer_identities(
                &self,
            ) -> Result<Vec<(i64, SignerIdentity)>, StoreError> {
                let rows: Vec<(i64, Option<String>, Option<String>)> = sqlx::query_as(
                    "SELECT id, rfc, curp FROM users \
                     WHERE rfc IS NOT NULL OR curp IS NOT NULL ORDER BY id",
                )
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, rfc, curp)| (id, SignerIdentity { rfc, curp }))
                    .collect())
            }

            async fn set_signer_identity(
                &self,
                user: i64,
                identity: &SignerIdentity,
                actor: &str,
            ) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let login: Option<String> = sqlx::query_scalar(
                    "UPDATE users SET rfc = $1, curp = $2 WHERE id = $3 RETURNING login",
                )
                .bind(&identity.rfc)
                .bind(&identity.curp)
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
                let login = login.ok_or($crate::Refusal::UserNotFound(user))?;
                let detail =
                    serde_json::json!({ "rfc": identity.rfc, "curp": identity.curp }).to_string();
                Self::audit_on(&mut tx, actor, "signer_identity_set", &login, detail).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

signatures_impl!(SqliteStore);
signatures_impl!(PgStore);
