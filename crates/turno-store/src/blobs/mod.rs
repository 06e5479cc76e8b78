//! The files of attached documents, kept by content: a file's name in the store is its
//! SHA-256, the same digest the `DocumentAttached` event records. The event log (hash-chained)
//! says which digest a document has; the blob store holds the bytes; verification re-hashes
//! the bytes and compares ([`crate::verify_documents`]).
//!
//! [`LocalBlobs`] keeps them in a directory (the default); [`S3Blobs`] on S3-compatible object
//! storage, which several servers can share. [`Blobs`] is the one a process was configured
//! with ([`Location`], `turno serve --blobs`).

mod local;
mod s3;
mod sniff;

pub use local::LocalBlobs;
pub use s3::{S3Blobs, install_tls_provider};
pub use sniff::{Kind, SNIFF_LEN, check_mime, sniff};

use sha2::{Digest, Sha256};
use std::future::Future;
use std::path::PathBuf;
use thiserror::Error;
use tokio::io::AsyncRead;

/// The largest file accepted unless configured otherwise: 25 MiB, ample for the scanned
/// oficios and signed reports the agencies attach.
pub const DEFAULT_LIMIT: u64 = 25 * 1024 * 1024;

/// How much is read at a time while storing or re-hashing.
const CHUNK: usize = 64 * 1024;

/// A file as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Lowercase hex SHA-256 of the content: its name in the store.
    pub sha256: String,
    pub size: u64,
    /// False when the same content was already stored (nothing was written).
    pub created: bool,
}

/// A stored file read again: what its content hashes to now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashed {
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Error)]
pub enum BlobError {
    #[error("the file is larger than the limit of {}", describe_size(*limit))]
    TooLarge { limit: u64 },
    #[error("the file is declared as {declared} but it is not {expected}: its content is {found}")]
    MimeMismatch {
        declared: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("«{0}» is not a file type (expected type/subtype, such as application/pdf)")]
    InvalidMime(String),
    #[error("«{0}» is not a SHA-256 digest")]
    InvalidDigest(String),
    #[error("no stored file has SHA-256 {0}")]
    NotFound(String),
    /// The bytes stored under a digest no longer hash to it.
    #[error("the stored file {0} was changed: its content no longer matches its SHA-256")]
    Altered(String),
    #[error("cannot read the uploaded file: {0}")]
    Upload(#[source] std::io::Error),
    #[error("blob directory, {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("object storage: {0}")]
    ObjectStore(#[from] object_store::Error),
    #[error(
        "«{0}» is not s3://BUCKET or s3://BUCKET/PREFIX (a bucket name is 3 to 63 lowercase letters, digits, dots and hyphens)"
    )]
    InvalidLocation(String),
}

/// "25 MiB (26214400 bytes)": the limit as people read it, and exactly.
fn describe_size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    const KIB: u64 = 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB ({bytes} bytes)", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB ({bytes} bytes)", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Where documents' files are kept. Content-addressed: putting the same bytes twice stores
/// them once, and a digest always names the same bytes.
pub trait BlobStore: Send + Sync {
    /// The largest file accepted, in bytes.
    fn limit(&self) -> u64;

    /// Stores what `content` yields, refusing it as soon as it passes the limit. A file is
    /// visible under its digest only once complete.
    fn put_reader<R: AsyncRead + Unpin + Send>(
        &self,
        content: R,
    ) -> impl Future<Output = Result<Stored, BlobError>> + Send;

    fn put(&self, content: &[u8]) -> impl Future<Output = Result<Stored, BlobError>> + Send {
        self.put_reader(content)
    }

    /// The content stored under a digest. Refuses with [`BlobError::Altered`] content that no
    /// longer hashes to it, so a changed file is never served as the document.
    fn get(&self, sha256: &str) -> impl Future<Output = Result<Vec<u8>, BlobError>> + Send;

    fn exists(&self, sha256: &str) -> impl Future<Output = Result<bool, BlobError>> + Send;

    /// Reads the file stored under a digest and hashes it again; `None` when there is none.
    /// Verification compares the result with the record.
    fn rehash(
        &self,
        sha256: &str,
    ) -> impl Future<Output = Result<Option<Hashed>, BlobError>> + Send;

    /// Removes the file stored under a digest; false when there was none. Only a baja
    /// documental removes files, and only those no record names any more
    /// (`turno_app::archive::execute`).
    fn remove(&self, sha256: &str) -> impl Future<Output = Result<bool, BlobError>> + Send;
}

/// Where a process keeps documents' files: a directory, or a bucket (and a prefix in it) of
/// S3-compatible storage, whose server and credentials come from the `AWS_*` variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Dir(PathBuf),
    S3 { bucket: String, prefix: String },
}

impl Location {
    /// `s3://BUCKET[/PREFIX]`, or else a directory.
    pub fn parse(text: &str) -> Result<Location, BlobError> {
        let Some(rest) = text.strip_prefix("s3://") else {
            return Ok(Location::Dir(PathBuf::from(text)));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        // S3's rules for bucket names, so that a typo is told here and not by the server.
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid {
            return Err(BlobError::InvalidLocation(text.chars().take(80).collect()));
        }
        Ok(Location::S3 {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
        })
    }
}

impl Location {
    /// The location a setting names, or the default directory of the database
    /// ([`default_dir`]) when none does.
    pub fn configured(setting: Option<&str>, database_url: &str) -> Result<Location, BlobError> {
        match setting {
            Some(text) => Location::parse(text),
            None => Ok(Location::Dir(default_dir(database_url))),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Dir(dir) => write!(f, "{}", dir.display()),
            Location::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Location::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
        }
    }
}

/// The blob store a process was configured with.
#[derive(Debug, Clone)]
pub enum Blobs {
    Local(LocalBlobs),
    S3(S3Blobs),
}

impl Blobs {
    /// The store at `location`; a bucket is configured from the `AWS_*` variables
    /// ([`S3Blobs::from_env`]). Nothing is read or written yet.
    pub fn open(location: &Location) -> Result<Blobs, BlobError> {
        Ok(match location {
            Location::Dir(dir) => Blobs::Local(LocalBlobs::new(dir)),
            Location::S3 { bucket, prefix } => Blobs::S3(S3Blobs::from_env(bucket, prefix)?),
        })
    }
}

impl From<LocalBlobs> for Blobs {
    fn from(blobs: LocalBlobs) -> Blobs {
        Blobs::Local(blobs)
    }
}

impl From<S3Blobs> for Blobs {
    fn from(blobs: S3Blobs) -> Blobs {
        Blobs::S3(blobs)
    }
}

impl BlobStore for Blobs {
    fn limit(&self) -> u64 {
        match self {
            Blobs::Local(blobs) => blobs.limit(),
            Blobs::S3(blobs) => blobs.limit(),
        }
    }

    async fn put_reader<R: AsyncRead + Unpin + Send>(
        &self,
        content: R,
    ) -> Result<Stored, BlobError> {
        match self {
            Blobs::Local(blobs) => blobs.put_reader(content).await,
            Blobs::S3(blobs) => blobs.put_reader(content).await,
        }
    }

    async fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        match self {
            Blobs::Local(blobs) => blobs.get(sha256).await,
            Blobs::S3(blobs) => blobs.get(sha256).await,
        }
    }

    async fn exists(&self, sha256: &str) -> Result<bool, BlobError> {
        match self {
            Blobs::Local(blobs) => blobs.exists(sha256).await,
            Blobs::S3(blobs) => blobs.exists(sha256).await,
        }
    }

    async fn rehash(&self, sha256: &str) -> Result<Option<Hashed>, BlobError> {
        match self {
            Blobs::Local(blobs) => blobs.rehash(sha256).await,
            Blobs::S3(blobs) => blobs.rehash(sha256).await,
        }
    }

    async fn remove(&self, sha256: &str) -> Result<bool, BlobError> {
        match self {
            Blobs::Local(blobs) => blobs.remove(sha256).await,
            Blobs::S3(blobs) => blobs.remove(sha256).await,
        }
    }
}

/// The blob directory of a database when none is configured: `blobs` beside a SQLite file
/// (`sqlite://data/turno.db` → `data/blobs`), so that copying the folder keeps them together;
/// `blobs` in the working directory for PostgreSQL or an in-memory database.
pub fn default_dir(database_url: &str) -> PathBuf {
    crate::beside_database(database_url, "blobs")
}

/// The digest fan-out shared by every backend: `ab/cd/abcd…`, so that no directory (or
/// listing prefix) holds more than a few thousand files. Refuses anything but 64 lowercase hex
/// digits: digests become paths and keys, so nothing else (`..`, separators) may reach them.
pub(crate) fn fan_out(sha256: &str) -> Result<[&str; 3], BlobError> {
    if sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        Ok([&sha256[0..2], &sha256[2..4], sha256])
    } else {
        Err(BlobError::InvalidDigest(sha256.chars().take(80).collect()))
    }
}

/// Hashes and counts content as it is read, refusing it past the limit.
pub(crate) struct Meter {
    hasher: Sha256,
    size: u64,
    limit: u64,
}

impl Meter {
    pub(crate) fn new(limit: u64) -> Meter {
        Meter {
            hasher: Sha256::new(),
            size: 0,
            limit,
        }
    }

    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(BlobError::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        Ok(())
    }

    pub(crate) fn finish(self) -> Hashed {
        Hashed {
            sha256: format!("{:x}", self.hasher.finalize()),
            size: self.size,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_described_as_people_read_them() {
        assert_eq!(describe_size(DEFAULT_LIMIT), "25 MiB (26214400 bytes)");
        assert_eq!(describe_size(2048), "2 KiB (2048 bytes)");
        assert_eq!(describe_size(1000), "1000 bytes");
        let e = BlobError::TooLarge { limit: 1024 };
        assert_eq!(
            e.to_string(),
            "the file is larger than the limit of 1 KiB (1024 bytes)"
        );
    }

    #[test]
    fn a_location_is_a_directory_or_a_bucket() {
        assert_eq!(
            Location::parse("data/blobs").unwrap(),
            Location::Dir("data/blobs".into())
        );
        let bucket = Location::parse("s3://turno-documentos/sidss/").unwrap();
        assert_eq!(
            bucket,
            Location::S3 {
                bucket: "turno-documentos".into(),
                prefix: "sidss".into()
            }
        );
        assert_eq!(bucket.to_string(), "s3://turno-documentos/sidss");
        assert_eq!(
            Location::parse("s3://turno").unwrap().to_string(),
            "s3://turno"
        );
        for bad in ["s3://", "s3://Turno", "s3://ab", "s3://turno_docs/x"] {
            assert!(
                matches!(Location::parse(bad), Err(BlobError::InvalidLocation(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn blobs_default_to_beside_a_sqlite_database() {
        let dir = |url| default_dir(url).to_string_lossy().into_owned();
        assert_eq!(dir("sqlite://data/turno.db"), "data/blobs");
        assert_eq!(
            dir("sqlite:///srv/turno/turno.db?mode=rwc"),
            "/srv/turno/blobs"
        );
        assert_eq!(dir("sqlite:turno.db"), "blobs");
        assert_eq!(dir("turno.db"), "blobs");
        assert_eq!(dir("sqlite::memory:"), "blobs");
        assert_eq!(dir("postgres://postgres@127.0.0.1/test"), "blobs");
    }

    #[test]
    fn only_lowercase_hex_digests_name_files() {
        let ok = "a".repeat(64);
        for bad in [
            "A".repeat(64),
            "a".repeat(63),
            format!("../{}", "a".repeat(61)),
            String::new(),
        ] {
            assert!(matches!(fan_out(&bad), Err(BlobError::InvalidDigest(_))));
        }
        assert_eq!(fan_out(&ok).unwrap(), ["aa", "aa", ok.as_str()]);
    }

    #[test]
    fn the_meter_hashes_and_stops_past_the_limit() {
        let mut m = Meter::new(4);
        m.feed(b"ab").unwrap();
        m.feed(b"c").unwrap();
        let h = m.finish();
        assert_eq!(
            h.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(h.size, 3);
        let mut m = Meter::new(4);
        m.feed(b"abcd").unwrap();
        assert!(matches!(
            m.feed(b"e"),
            Err(BlobError::TooLarge { limit: 4 })
        ));
    }
}
