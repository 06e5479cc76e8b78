//! Documents' files on S3-compatible object storage (AWS S3, MinIO, Ceph…), which several
//! `turno serve` processes on several machines share (`--blobs s3://BUCKET/PREFIX`). The keys follow the local layout, `PREFIX/ab/cd/abcd…`, so a blob directory can be
//! copied to a bucket (or back) as it is.
//!
//! Generic over object_store's [`ObjectStore`], so the same code runs on S3 in production
//! and on `InMemory` in the tests. A put of one object is atomic in S3: a key is never seen
//! half-written. Files are buffered in memory up to the size limit, because the key is the
//! digest and the digest is known only at the end.

use super::{BlobError, BlobStore, CHUNK, DEFAULT_LIMIT, Hashed, Meter, Stored};
use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path;
use object_store::{
    ClientConfigKey, GetOptions, ObjectStore, ObjectStoreExt as _, PutOptions, PutPayload,
    RetryConfig,
};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

#[derive(Debug, Clone)]
pub struct S3Blobs<O: ObjectStore = AmazonS3> {
    store: O,
    prefix: Path,
    limit: u64,
}

impl S3Blobs<AmazonS3> {
    /// A bucket configured from the standard variables: `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, and for S3-compatible servers `AWS_ENDPOINT_URL`
    /// (and `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint on a private network). Files go
    /// under `prefix` in the bucket.
    pub fn from_env(bucket: &str, prefix: &str) -> Result<S3Blobs<AmazonS3>, BlobError> {
        S3Blobs::from_builder(AmazonS3Builder::from_env(), bucket, prefix)
    }

    /// A bucket of the server `builder` is configured for, with Turno's timeouts.
    pub fn from_builder(
        builder: AmazonS3Builder,
        bucket: &str,
        prefix: &str,
    ) -> Result<S3Blobs<AmazonS3>, BlobError> {
        install_tls_provider();
        // object_store retries for three minutes by default: a person waiting on a page is
        // told the storage does not answer within seconds instead.
        let retry = RetryConfig {
            max_retries: 2,
            retry_timeout: Duration::from_secs(10),
            ..RetryConfig::default()
        };
        let store = builder
            .with_bucket_name(bucket)
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout),
                "5s",
            )
            .with_config(AmazonS3ConfigKey::Client(ClientConfigKey::Timeout), "60s")
            .with_retry(retry)
            .build()?;
        Ok(S3Blobs::new(store, prefix))
    }
}

/// Installs ring as the process's rustls crypto provider, unless one is installed already.
/// reqwest is built without a bundled provider (no aws-lc-rs next to sqlx's ring), and features
/// are unified: every reqwest client of the process, S3's or another's (the web tests'), is
/// built after this or panics.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl<O: ObjectStore> S3Blobs<O> {
    /// Files under `prefix` in `store`. An `AmazonS3` built by hand needs a rustls crypto
    /// provider installed first, as [`S3Blobs::from_env`] does.
    pub fn new(store: O, prefix: &str) -> S3Blobs<O> {
        S3Blobs {
            store,
            prefix: Path::from(prefix),
            limit: DEFAULT_LIMIT,
        }
    }

    /// The largest file accepted, in bytes.
    pub fn with_limit(mut self, limit: u64) -> S3Blobs<O> {
        self.limit = limit;
        self
    }

    /// The object store itself (tests use it to tamper with a file).
    pub fn inner(&self) -> &O {
        &self.store
    }

    /// The key of the file with this digest.
    pub fn key_of(&self, sha256: &str) -> Result<Path, BlobError> {
        let [a, b, name] = super::fan_out(sha256)?;
        Ok(self.prefix.clone().join(a).join(b).join(name))
    }

    /// The content under a key, or `None` when there is none.
    async fn fetch(&self, key: &Path) -> Result<Option<Vec<u8>>, BlobError> {
        match self.store.get_opts(key, GetOptions::default()).await {
            Ok(found) => Ok(Some(found.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

impl<O: ObjectStore> BlobStore for S3Blobs<O> {
    fn limit(&self) -> u64 {
        self.limit
    }

    async fn put_reader<R: AsyncRead + Unpin + Send>(
        &self,
        mut content: R,
    ) -> Result<Stored, BlobError> {
        let mut meter = Meter::new(self.limit);
        let mut bytes = Vec::new();
        let mut buffer = vec![0; CHUNK];
        loop {
            let n = content.read(&mut buffer).await.map_err(BlobError::Upload)?;
            if n == 0 {
                break;
            }
            meter.feed(&buffer[..n])?;
            bytes.extend_from_slice(&buffer[..n]);
        }
        let hashed = meter.finish();
        let key = self.key_of(&hashed.sha256)?;
        if self.exists(&hashed.sha256).await? {
            return Ok(Stored {
                sha256: hashed.sha256,
                size: hashed.size,
                created: false,
            });
        }
        self.store
            .put_opts(&key, PutPayload::from(bytes), PutOptions::default())
            .await?;
        Ok(Stored {
            sha256: hashed.sha256,
            size: hashed.size,
            created: true,
        })
    }

    async fn get(&self, sha256: &str) -> Result<Vec<u8>, BlobError> {
        let bytes = self
            .fetch(&self.key_of(sha256)?)
            .await?
            .ok_or_else(|| BlobError::NotFound(sha256.to_owned()))?;
        if crate::chain::sha256_hex(&bytes) != sha256 {
            return Err(BlobError::Altered(sha256.to_owned()));
        }
        Ok(bytes)
    }

    async fn exists(&self, sha256: &str) -> Result<bool, BlobError> {
        let key = self.key_of(sha256)?;
        let head = GetOptions {
            head: true,
            ..GetOptions::default()
        };
        match self.store.get_opts(&key, head).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    async fn rehash(&self, sha256: &str) -> Result<Option<Hashed>, BlobError> {
        let Some(bytes) = self.fetch(&self.key_of(sha256)?).await? else {
            return Ok(None);
        };
        let mut meter = Meter::new(u64::MAX);
        meter.feed(&bytes)?;
        Ok(Some(meter.finish()))
    }

    async fn remove(&self, sha256: &str) -> Result<bool, BlobError> {
        if !self.exists(sha256).await? {
            return Ok(false);
        }
        match self.store.delete(&self.key_of(sha256)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(true),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::ObjectStoreExt;
    use object_store::memory::InMemory;

    #[test]
    fn an_s3_client_is_built_on_the_ring_provider() {
        // No request is made: building the HTTP client is where rustls without a provider
        // would fail.
        let blobs = S3Blobs::from_env("turno-documentos", "turno").unwrap();
        let key = blobs.key_of(&"a".repeat(64)).unwrap();
        assert!(key.as_ref().starts_with("turno/aa/aa/aaaa"), "{key}");
    }

    #[tokio::test]
    async fn the_object_store_backend_keeps_files_by_content() {
        let blobs = S3Blobs::new(InMemory::new(), "turno/documentos").with_limit(64);
        let first = blobs.put(b"%PDF-1.7 oficio").await.unwrap();
        assert!(first.created);
        assert!(!blobs.put(b"%PDF-1.7 oficio").await.unwrap().created);
        let key = blobs.key_of(&first.sha256).unwrap();
        assert_eq!(
            key.as_ref(),
            format!(
                "turno/documentos/{}/{}/{}",
                &first.sha256[..2],
                &first.sha256[2..4],
                first.sha256
            )
        );
        assert_eq!(blobs.get(&first.sha256).await.unwrap(), b"%PDF-1.7 oficio");
        assert!(blobs.exists(&first.sha256).await.unwrap());
        assert_eq!(
            blobs.rehash(&first.sha256).await.unwrap().unwrap().sha256,
            first.sha256
        );

        let e = blobs.put(&[b'x'; 65]).await.unwrap_err();
        assert!(matches!(e, BlobError::TooLarge { limit: 64 }), "{e}");

        // Someone with access to the bucket replaces the file, then removes it.
        blobs
            .inner()
            .put(&key, PutPayload::from_static(b"%PDF-1.7 forgery"))
            .await
            .unwrap();
        assert!(matches!(
            blobs.get(&first.sha256).await,
            Err(BlobError::Altered(_))
        ));
        assert_ne!(
            blobs.rehash(&first.sha256).await.unwrap().unwrap().sha256,
            first.sha256
        );
        blobs.inner().delete(&key).await.unwrap();
        assert_eq!(blobs.rehash(&first.sha256).await.unwrap(), None);
        assert!(!blobs.exists(&first.sha256).await.unwrap());
    }
}
