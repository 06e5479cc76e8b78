//! Documents' files in a local directory, the default:
//!
//! ```text
//! ROOT/ab/cd/abcd…(64 hex digits)   a file, named by the SHA-256 of its content
//! ROOT/tmp/                          files being written; renamed into place when complete
//! ```
//!
//! A file is written under `tmp/` (same directory tree, so the same filesystem), synced, and
//! renamed to its digest's path: the rename is atomic, so a crash never leaves a half-written
//! file under a digest. Leftovers in `tmp/` after a crash are never referenced and may be
//! removed while no `turno` process runs.

use super::{BlobError, BlobStore, CHUNK, DEFAULT_LIMIT, Hashed, Meter, Stored};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::fs::{self, File, OpenOptions};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

#[derive(Debug, Clone)]
pub struct LocalBlobs {
    root: PathBuf,
    limit: u64,
}

impl LocalBlobs {
    /// The blob directory at `root`, with the default size limit. Nothing is touched until
    /// the first file is stored (then the directory is created).
    pub fn new(root: impl Into<PathBuf>) -> LocalBlobs {
        LocalBlobs {
            root: root.into(),
            limit: DEFAULT_LIMIT,
        }
    }

    /// The largest file accepted, in bytes.
    pub fn with_limit(mut self, limit: u64) -> LocalBlobs {
        self.limit = limit;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the file with this digest is (or would be) kept.
    pub fn path_of(&self, sha256: &str) -> Result<PathBuf, BlobError> {
        let [a, b, name] = super::fan_out(sha256)?;
        Ok(self.root.join(a).join(b).join(name))
    }

    fn temp_path(&self) -> PathBuf {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        self.root.join("tmp").join(format!(
            "{}-{}-{nanos}.part",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ))
    }

    /// Copies `content` into the open temporary file, hashing and counting it.
    async fn fill<R: AsyncRead + Unpin + Send>(
        &self,
        mut content: R,
        file: &mut File,
        temp: &Path,
    ) -> Result<Hashed, BlobError> {
        let mut meter = Meter::new(self.limit);
        let mut buffer = vec![0; CHUNK];
        loop {
            let n = content.read(&mut buffer).await.map_err(BlobError::Upload)?;
            if n == 0 {
                break;
            }
            meter.feed(&buffer[..n])?;
            file.write_all(&buffer[..n]).await.map_err(io(temp))?;
        }
        file.flush().await.map_err(io(temp))?;
        // On disk before the rename: the record may point to it as soon as it has a name.
        file.sync_all().await.map_err(io(temp))?;
        Ok(meter.finish())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BlobError + '_ {
    move |source| BlobError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Makes the directory entries of a new file durable (a rename is only on disk once its
/// directory is). Only Unix can open a directory to sync it.
async fn sync_dirs(dirs: &[&Path]) -> Result<(), BlobError> {
    if cfg!(unix) {
        for dir in dirs {
            File::open(dir)
                .await
                .map_err(io(dir))?
                .sync_all()
                .await
                .map_err(io(dir))?;
        }
    }
    Ok(())
}

impl BlobStore for LocalBlobs {
    fn limit(&self) -> u64 {
        self.limit
    }

    async fn put_reader<R: AsyncRead + Unpin + Send>(
        &self,
        content: R,
    ) -> Result<Stored, BlobError> {
        let temp = self.temp_path();
        let temp_dir = self.root.join("tmp");
        fs::create_dir_all(&temp_dir).await.map_err(io(&temp_dir))?;
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .await
            .map_err(io(&temp))?;
        let filled = self.fill(content, &mut file, &temp).await;
        drop(file);
        let hashed = match filled {
            Ok(hashed) => hashed,
            Err(error) => {
                let _ = fs::remove_file(&temp).await;
                return Err(error);
            }
        };
        let path = self.path_of(&hashed.sha256)?;
        if fs::try_exists(&path).await.map_err(io(&path))? {
            // Same digest, same content: the file is already kept.
            let _ = fs::remove_file(&temp).await;
            return Ok(Stored {
                sha256: hashed.sha256,
                size: hashed.size,
                created: false,
            });
        }
        let (Some(dir), Some(fan)) = (path.parent(), path.parent().and_then(Path::parent)) else {
            return Err(BlobError::InvalidDigest(hashed.sha256));
        };
        let placed = async {
            fs::create_dir_all(dir).await.map_err(io(dir))?;
            // Atomic: the file appears under its digest whole or not at all. Two processes
            // storing the same content at once rename identical files; either wins.
            fs::rename(&temp, &path).await.map_err(io(&path))
        }
        .await;
        if let Err(error) = placed {
            let _ = fs::remove_file(&temp).await;
            return Err(error);
        }
        sync_dirs(&[dir, fan, &self.root]).await?;
        Ok(Stored {
            sha256: hashed.sha256,
            size: hashed.size,
            created: true,
        })
    }

    async fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        let path = self.path_of(sha256)?;
        let bytes = match fs::read(&path).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(BlobError::NotFound(sha256.to_owned()));
            }
            Err(e) => return Err(io(&path)(e)),
        };
        if crate::chain::sha256_hex(&bytes) != sha256 {
            return Err(BlobError::Altered(sha256.to_owned()));
        }
        Ok(bytes)
    }

    async fn exists(&self, sha256: &str) -> Result<bool, BlobError> {
        let path = self.path_of(sha256)?;
        fs::try_exists(&path).await.map_err(io(&path))
    }

    async fn rehash(&self, sha256: &str) -> Result<Option<Hashed>, BlobError> {
        let path = self.path_of(sha256)?;
        let mut file = match File::open(&path).await {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(&path)(e)),
        };
        // No limit: this measures what is there, whatever its size.
        let mut meter = Meter::new(u64::MAX);
        let mut buffer = vec![0; CHUNK];
        loop {
            let n = file.read(&mut buffer).await.map_err(io(&path))?;
            if n == 0 {
                break;
            }
            meter.feed(&buffer[..n])?;
        }
        Ok(Some(meter.finish()))
    }

    async fn remove(&self, sha256: &str) -> Result<bool, BlobError> {
        let path = self.path_of(sha256)?;
        match fs::remove_file(&path).await {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(io(&path)(e)),
        }
        if let Some(dir) = path.parent() {
            sync_dirs(&[dir]).await?;
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    use tokio::io::ReadBuf;

    fn scratch(name: &str) -> LocalBlobs {
        let dir = std::env::temp_dir()
            .join("turno-blob-tests")
            .join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        LocalBlobs::new(dir)
    }

    fn files_under(dir: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        if let Ok(entries) = std::fs::read_dir(dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    found.extend(files_under(&path));
                } else {
                    found.push(path);
                }
            }
        }
        found
    }

    /// Yields some bytes, then fails: an upload cut off midway.
    struct CutOff {
        sent: bool,
    }

    impl AsyncRead for CutOff {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            if self.sent {
                Poll::Ready(Err(std::io::Error::new(
                    ErrorKind::ConnectionReset,
                    "connection reset",
                )))
            } else {
                self.sent = true;
                buf.put_slice(b"%PDF-1.7 the first half");
                Poll::Ready(Ok(()))
            }
        }
    }

    #[tokio::test]
    async fn the_same_content_is_stored_once_under_its_digest() {
        let blobs = scratch("idempotent");
        let first = blobs.put(b"%PDF-1.7 oficio").await.unwrap();
        assert!(first.created);
        assert_eq!(first.size, 15);
        assert_eq!(first.sha256, crate::chain::sha256_hex(b"%PDF-1.7 oficio"));
        let again = blobs.put(b"%PDF-1.7 oficio").await.unwrap();
        assert!(!again.created);
        assert_eq!(again.sha256, first.sha256);

        let path = blobs.path_of(&first.sha256).unwrap();
        let expected = blobs
            .root()
            .join(&first.sha256[..2])
            .join(&first.sha256[2..4])
            .join(&first.sha256);
        assert_eq!(path, expected);
        assert_eq!(files_under(blobs.root()), vec![expected]);
        assert!(blobs.exists(&first.sha256).await.unwrap());
        assert_eq!(blobs.get(&first.sha256).await.unwrap(), b"%PDF-1.7 oficio");
        assert_eq!(
            blobs.rehash(&first.sha256).await.unwrap(),
            Some(Hashed {
                sha256: first.sha256.clone(),
                size: 15
            })
        );
        std::fs::remove_dir_all(blobs.root()).unwrap();
    }

    #[tokio::test]
    async fn a_failed_upload_leaves_no_file_under_any_digest() {
        let blobs = scratch("atomic");
        let e = blobs.put_reader(CutOff { sent: false }).await.unwrap_err();
        assert!(matches!(e, BlobError::Upload(_)), "{e}");
        let limited = blobs.clone().with_limit(10);
        let e = limited.put(b"%PDF-1.7 too long").await.unwrap_err();
        assert!(matches!(e, BlobError::TooLarge { limit: 10 }), "{e}");
        // The temporary files are gone and nothing was placed.
        assert_eq!(files_under(blobs.root()), Vec::<PathBuf>::new());
        assert!(
            !blobs
                .exists(&crate::chain::sha256_hex(b"%PDF-1.7 the first half"))
                .await
                .unwrap()
        );
        // Exactly the limit is accepted.
        assert!(limited.put(b"0123456789").await.unwrap().created);
        std::fs::remove_dir_all(blobs.root()).unwrap();
    }

    #[tokio::test]
    async fn a_leftover_temporary_file_is_never_a_blob() {
        let blobs = scratch("leftover");
        // A crash mid-write leaves a part file in tmp/: it names no digest.
        std::fs::create_dir_all(blobs.root().join("tmp")).unwrap();
        std::fs::write(blobs.root().join("tmp").join("1-0-0.part"), b"%PDF-1.7 ha").unwrap();
        let stored = blobs.put(b"%PDF-1.7 half").await.unwrap();
        assert!(stored.created);
        assert_eq!(blobs.get(&stored.sha256).await.unwrap(), b"%PDF-1.7 half");
        std::fs::remove_dir_all(blobs.root()).unwrap();
    }

    #[tokio::test]
    async fn a_changed_or_missing_file_is_reported() {
        let blobs = scratch("changed");
        let stored = blobs.put(b"%PDF-1.7 original").await.unwrap();
        let path = blobs.path_of(&stored.sha256).unwrap();
        std::fs::write(&path, b"%PDF-1.7 forgery!").unwrap();
        assert!(matches!(
            blobs.get(&stored.sha256).await,
            Err(BlobError::Altered(_))
        ));
        let rehashed = blobs.rehash(&stored.sha256).await.unwrap().unwrap();
        assert_ne!(rehashed.sha256, stored.sha256);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(blobs.rehash(&stored.sha256).await.unwrap(), None);
        assert!(matches!(
            blobs.get(&stored.sha256).await,
            Err(BlobError::NotFound(_))
        ));
        assert!(matches!(
            blobs.get("../../etc/passwd").await,
            Err(BlobError::InvalidDigest(_))
        ));
        std::fs::remove_dir_all(blobs.root()).unwrap();
    }
}
