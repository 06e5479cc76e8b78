//! The record's seal: a secret key kept outside the database, and checkpoints signed with it.
//!
//! The hash chains show that a record holds together, but anyone who can write the database
//! can rewrite an event and compute the chain again. A checkpoint is every case's head (its
//! number of events and last hash), every folio counter (and every outgoing documents'
//! counter) and the audit log's chain up to its
//! last entry, HMAC-SHA256'd with the record key and linked to the checkpoint before it.
//! Without the key nobody can write a checkpoint that verifies, so whatever was rewritten
//! before the last checkpoint no longer matches it: an event, a removed case, a lowered
//! counter, an audit entry.

use crate::chain::hex;
use crate::error::StoreError;
use crate::store::Store;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::path::{Path, PathBuf};

/// The key that signs the record's checkpoints: 32 random bytes, written as 64 hexadecimal
/// digits. Every process that writes or verifies checkpoints of one database uses the same.
#[derive(Clone)]
pub struct RecordKey([u8; 32]);

impl std::fmt::Debug for RecordKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordKey(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("la clave del registro {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("la clave del registro {place} no son 64 dígitos hexadecimales")]
    Malformed { place: String },
    #[error("el sistema no dio números aleatorios para la clave del registro: {0}")]
    Random(getrandom::Error),
}

impl RecordKey {
    /// The key written as 64 hexadecimal digits (surrounding blanks ignored); `place` names
    /// where it came from, for the error.
    pub fn from_hex(text: &str, place: &str) -> Result<Self, KeyError> {
        let malformed = || KeyError::Malformed {
            place: place.to_owned(),
        };
        let text = text.trim().as_bytes();
        if text.len() != 64 {
            return Err(malformed());
        }
        let mut key = [0u8; 32];
        for (byte, pair) in key.iter_mut().zip(text.chunks_exact(2)) {
            let digits = std::str::from_utf8(pair).map_err(|_| malformed())?;
            *byte = u8::from_str_radix(digits, 16).map_err(|_| malformed())?;
        }
        Ok(Self(key))
    }

    /// The key of the file at `path`.
    pub fn read(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::from_hex(&text, &path.display().to_string())
    }

    /// The key of the file at `path`, created first (readable by its owner only) when there is
    /// none; true when it was created. Two processes creating it at once keep the first.
    pub fn read_or_create(path: &Path) -> Result<(Self, bool), KeyError> {
        let io = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        if path.exists() {
            return Ok((Self::read(path)?, false));
        }
        let mut bytes = [0u8; 32];
        getrandom::getrandom(&mut bytes).map_err(KeyError::Random)?;
        // Written whole under a name of this process's, then linked into place: a process
        // starting at the same moment reads a whole key or creates its own link, never half.
        let partial = path.with_extension(format!("{}.partial", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&partial).and_then(|mut file| {
            std::io::Write::write_all(&mut file, format!("{}\n", hex(&bytes)).as_bytes())?;
            file.sync_all()
        });
        let linked = written.and_then(|()| std::fs::hard_link(&partial, path));
        let _ = std::fs::remove_file(&partial);
        match linked {
            Ok(()) => Ok((Self(bytes), true)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Ok((Self::read(path)?, false))
            }
            Err(e) => Err(io(e)),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC takes a key of any length: this cannot fail.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!())
    }

    /// The HMAC-SHA256 of a text, in hexadecimal.
    pub fn sign(&self, text: &str) -> String {
        let mut mac = self.mac();
        mac.update(text.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// Whether `signature` is this key's HMAC of `text` (compared in constant time).
    pub fn signed(&self, text: &str, signature: &str) -> bool {
        let Ok(expected) = Self::from_hex(signature, "") else {
            return false;
        };
        let mut mac = self.mac();
        mac.update(text.as_bytes());
        mac.verify_slice(&expected.0).is_ok()
    }
}

/// What a checkpoint certifies, stored as this JSON text next to its signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// The signature of the checkpoint before it, none for the first.
    pub previous: Option<String>,
    /// Every case: folio, number of events, last event's hash.
    pub cases: Vec<(String, i64, String)>,
    /// Every folio counter: scope, year, last number given.
    pub counters: Vec<(String, i64, i64)>,
    /// Every outgoing documents' counter: issuing unit, year, last consecutive given (absent
    /// from the checkpoints taken before it was certified).
    #[serde(default)]
    pub outgoing: Vec<(String, i64, i64)>,
    /// The audit log's last entry and its chain's hash up to it (0 and the genesis when empty).
    pub audit: (i64, String),
}

/// A checkpoint as stored: its text and its signature.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredCheckpoint {
    pub id: i64,
    pub content: String,
    pub signature: String,
}

/// Takes a checkpoint of the record as it stands and stores it signed, unless nothing changed
/// since the last one or another process wrote one at the same moment (`None` then). The
/// audit log is certified by its last entry's hash, which covers every entry before it.
pub async fn take<S: Store>(store: &S, key: &RecordKey) -> Result<Option<Checkpoint>, StoreError> {
    let last = store.last_checkpoint().await?;
    let last_content: Option<Checkpoint> = match &last {
        Some(stored) if key.signed(&stored.content, &stored.signature) => {
            serde_json::from_str(&stored.content).ok()
        }
        _ => None,
    };
    let audit = store.audit_head().await?;
    let counters = store.folio_counters().await?;
    let outgoing = store.outgoing_counters().await?;
    let cases = store.record_heads().await?;
    let previous = last.map(|stored| stored.signature);
    let checkpoint = Checkpoint {
        taken_at: jiff::Timestamp::now().to_string(),
        previous: previous.clone(),
        cases,
        counters,
        outgoing,
        audit,
    };
    if last_content.is_some_and(|last| {
        (&last.cases, &last.counters, &last.outgoing, &last.audit)
            == (
                &checkpoint.cases,
                &checkpoint.counters,
                &checkpoint.outgoing,
                &checkpoint.audit,
            )
    }) {
        return Ok(None);
    }
    let content = serde_json::to_string(&checkpoint).map_err(StoreError::corrupt)?;
    let signature = key.sign(&content);
    let written = store
        .add_checkpoint(previous.as_deref().unwrap_or(""), &content, &signature)
        .await?;
    Ok(written.then_some(checkpoint))
}

/// Whatever does not agree with the signed checkpoints, in words: a checkpoint not signed with
/// the key or removed from between two others, and what the last good checkpoint certified
/// that is no longer so.
pub async fn verify<S: Store>(store: &S, key: &RecordKey) -> Result<Vec<String>, StoreError> {
    let mut found = Vec::new();
    let mut previous: Option<String> = None;
    let mut good: Vec<(i64, Checkpoint)> = Vec::new();
    for stored in store.checkpoints().await? {
        let id = stored.id;
        if !key.signed(&stored.content, &stored.signature) {
            found.push(format!(
                "punto de control {id}: su firma no corresponde a su contenido con esta clave \
                 (fue alterado, o escrito sin la clave de este registro)"
            ));
            previous = Some(stored.signature);
            continue;
        }
        let Ok(checkpoint) = serde_json::from_str::<Checkpoint>(&stored.content) else {
            found.push(format!(
                "punto de control {id}: su contenido no se puede leer"
            ));
            previous = Some(stored.signature);
            continue;
        };
        if checkpoint.previous != previous {
            found.push(format!(
                "punto de control {id}: no sigue al punto de control anterior (se eliminó uno)"
            ));
        }
        previous = Some(stored.signature);
        good.push((id, checkpoint));
    }
    // The audit log at each checkpoint's last entry: its hash covers every entry up to it.
    let hashes: std::collections::BTreeMap<i64, Option<String>> = store
        .audit_chain()
        .await?
        .into_iter()
        .map(|row| (row.entry.id, row.hash))
        .collect();
    for (id, checkpoint) in &good {
        let (upto, certified) = &checkpoint.audit;
        if *upto == 0 {
            continue;
        }
        match hashes.get(upto) {
            None => found.push(format!(
                "bitácora: falta la entrada {upto}, que certificó el punto de control {id} (se \
                 eliminó)"
            )),
            Some(hash) if hash.as_deref() != Some(certified.as_str()) => found.push(format!(
                "bitácora: las entradas hasta la {upto} no son las que certificó el punto de \
                 control {id} (se alteró, eliminó o agregó una entrada y se rehízo la cadena)"
            )),
            Some(_) => {}
        }
    }
    // The last good checkpoint against the record as it stands.
    if let Some((id, last)) = good.last() {
        let counters: std::collections::BTreeMap<(String, i64), i64> = store
            .folio_counters()
            .await?
            .into_iter()
            .map(|(scope, year, last)| ((scope, year), last))
            .collect();
        for (scope, year, certified) in &last.counters {
            let now = counters.get(&(scope.clone(), *year)).copied().unwrap_or(0);
            if now < *certified {
                found.push(format!(
                    "folios {scope}-{year}: el contador bajó de {certified} (punto de control \
                     {id}) a {now}"
                ));
            }
        }
        let outgoing: std::collections::BTreeMap<(String, i64), i64> = store
            .outgoing_counters()
            .await?
            .into_iter()
            .map(|(unit, year, last)| ((unit, year), last))
            .collect();
        for (unit, year, certified) in &last.outgoing {
            let now = outgoing.get(&(unit.clone(), *year)).copied().unwrap_or(0);
            if now < *certified {
                found.push(format!(
                    "números de salida de {unit} {year}: el contador bajó de {certified} (punto \
                     de control {id}) a {now}"
                ));
            }
        }
        for (folio, version, head) in &last.cases {
            match store.event_hash(folio, *version).await? {
                None if store.find_case(folio).await?.is_none() => found.push(format!(
                    "asunto {folio}: eliminado (el punto de control {id} lo certificó con \
                     {version} eventos)"
                )),
                None => found.push(format!(
                    "asunto {folio}: le faltan eventos (el punto de control {id} certificó \
                     {version})"
                )),
                Some(hash) if hash != *head => found.push(format!(
                    "asunto {folio}: sus primeros {version} eventos no son los que certificó el \
                     punto de control {id} (se reescribió su registro)"
                )),
                Some(_) => {}
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_file_is_created_once_readable_by_its_owner_only() {
        let dir = std::env::temp_dir().join(format!("turno-key-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("record.key");
        let _ = std::fs::remove_file(&path);
        let (key, created) = RecordKey::read_or_create(&path).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (again, created) = RecordKey::read_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(key.sign("texto"), again.sign("texto"));
        assert!(key.signed("texto", &key.sign("texto")));
        assert!(!key.signed("otro texto", &key.sign("texto")));
        assert!(!key.signed("texto", "no es una firma"));
        std::fs::write(&path, "corta").unwrap();
        assert!(matches!(
            RecordKey::read(&path),
            Err(KeyError::Malformed { .. })
        ));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
