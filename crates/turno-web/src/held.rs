//! A file uploaded with a form that was refused, held so that the person need not choose it
//! again: its bytes go to the blob store (content-addressed, under the store's size limit),
//! and the session remembers it for an hour, at most [`MAX_HELD`] at a time. The form shown
//! again carries its digest in a hidden field ([`FIELD`]); sent back without a new file, the
//! held one is taken, but only from the session that uploaded it: a digest typed by hand
//! names nothing.
//!
//! Nothing else refers to a held file's blob unless the form is then accepted; the blob store
//! keeps no unreferenced bytes apart (a document uploaded later with the same content simply
//! finds them there).

use crate::error::AppError;
use crate::state::AppState;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use turno_store::blobs::BlobStore;

/// The hidden field that carries a held file's digest.
pub const FIELD: &str = "archivo_retenido";
/// Files held per session; the oldest is forgotten first.
const MAX_HELD: usize = 4;
/// How long a file is held for a form shown again.
const LIFETIME: SignedDuration = SignedDuration::from_hours(1);
const KEY: &str = "held_uploads";

/// A file held for a form: its name as it was sent, its type as checked when it was stored
/// (empty when it was not), and the digest the form carries.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Held {
    pub sha256: String,
    pub name: String,
    pub mime: String,
    /// When it is forgotten (seconds since the epoch).
    until: i64,
}

async fn held(session: &Session) -> Vec<Held> {
    session
        .get::<Vec<Held>>(KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Holds the file `name` of `bytes` for this session; `None` when the blob store does not take
/// it (too large: the form says so anyway).
pub async fn hold(
    state: &AppState,
    session: &Session,
    name: &str,
    bytes: &[u8],
) -> Result<Option<Held>, AppError> {
    let Ok(stored) = state.blobs.put(bytes).await else {
        return Ok(None);
    };
    keep(state, session, name, &stored.sha256, "")
        .await
        .map(Some)
}

/// Holds for this session the file `name` already in the blob store under `sha256`, of type
/// `mime`.
pub async fn keep(
    state: &AppState,
    session: &Session,
    name: &str,
    sha256: &str,
    mime: &str,
) -> Result<Held, AppError> {
    let now = state.clock.now();
    let mut kept: Vec<Held> = held(session)
        .await
        .into_iter()
        .filter(|h| h.until > now.as_second() && h.sha256 != sha256)
        .collect();
    let entry = Held {
        sha256: sha256.to_owned(),
        name: name.to_owned(),
        mime: mime.to_owned(),
        until: (now + LIFETIME).as_second(),
    };
    kept.push(entry.clone());
    let excess = kept.len().saturating_sub(MAX_HELD);
    kept.drain(..excess);
    session
        .insert(KEY, &kept)
        .await
        .map_err(|e| anyhow::anyhow!("cannot keep a held upload in the session: {e}"))?;
    Ok(entry)
}

/// Holds for this session the evidence a refused form received (as [`form_with_evidence`]
/// gives it), so that it need not be chosen again; `None` without one.
pub async fn keep_evidence(
    state: &AppState,
    session: &Session,
    file: Option<(String, turno_store::followup::EvidenceFile)>,
) -> Result<Option<Held>, AppError> {
    match file {
        Some((name, stored)) => keep(state, session, &name, &stored.sha256, &stored.mime)
            .await
            .map(Some),
        None => Ok(None),
    }
}

/// The file this session holds under `sha256` (as a form's [`FIELD`] carries it); `None` when
/// it holds none such, or no longer.
pub async fn find(state: &AppState, session: &Session, sha256: &str) -> Option<Held> {
    let now: Timestamp = state.clock.now();
    held(session)
        .await
        .into_iter()
        .find(|h| h.sha256 == sha256 && h.until > now.as_second())
}

/// The file this session holds under `sha256` (as a form's [`FIELD`] carries it), with its
/// name and bytes; `None` when it holds none such, or no longer.
pub async fn take(
    state: &AppState,
    session: &Session,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, AppError> {
    let Some(entry) = find(state, session, sha256).await else {
        return Ok(None);
    };
    let bytes = state
        .blobs
        .get(&entry.sha256)
        .await
        .map_err(anyhow::Error::from)?;
    Ok(Some((entry.name, bytes)))
}

/// A form with an evidence file (field `file`), read as it arrives: its text fields, and the
/// file streamed to the blob store (`documents::stream_evidence`) once `may_store`, given the
/// fields sent before it, says it may be (its error answers the request); without a new file,
/// the one held for the form shown before. A file refused as it was stored (too large, not
/// its type) is the third value, for the form to show again.
pub async fn form_with_evidence<F, Fut>(
    state: &AppState,
    session: &Session,
    multipart: &mut axum::extract::Multipart,
    file: &str,
    may_store: F,
) -> Result<
    (
        crate::forms::Submitted,
        Option<(String, turno_store::followup::EvidenceFile)>,
        Option<turno_app::Error>,
    ),
    AppError,
>
where
    F: Fn(&crate::forms::Submitted) -> Fut,
    Fut: std::future::Future<Output = Result<(), AppError>>,
{
    let mut submitted: crate::forms::Submitted = Vec::new();
    let mut stored = None;
    let mut refused = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| {
        AppError::BadRequest("No se recibió el formulario completo. Intente de nuevo.".into())
    })? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file {
            // The fields before the file decide whether it is stored at all.
            may_store(&submitted).await?;
            let sent = crate::documents::file_name(field.file_name().unwrap_or_default());
            if sent.is_empty() {
                continue;
            }
            match crate::documents::stream_evidence(state, &mut field, &sent).await {
                Ok(file) => stored = file.map(|file| (sent, file)).or(stored),
                Err(e) => refused = Some(e),
            }
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|_| AppError::BadRequest("El formulario trae un dato no válido.".into()))?;
        submitted.push((name, text));
    }
    // Without a new file, the one held for the form shown before.
    if stored.is_none()
        && let Some(sha256) = crate::forms::single(&submitted, FIELD)
        && let Some(held) = find(state, session, sha256).await
    {
        let file = turno_store::followup::EvidenceFile {
            sha256: held.sha256,
            mime: held.mime,
        };
        stored = Some((held.name, file));
    }
    Ok((submitted, stored, refused))
}
