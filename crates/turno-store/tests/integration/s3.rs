//! Documents' files on a real S3-compatible server (moto's, started by `scripts/s3.sh`): the
//! same content-addressed store as the local directory, and a clear error, never a panic, when
//! a file is missing or the server does not answer.

use object_store::aws::AmazonS3Builder;
use object_store::{ObjectStoreExt, PutPayload};
use std::time::{Duration, Instant};
use turno_store::blobs::{BlobError, BlobStore, S3Blobs};
use turno_store::chain::sha256_hex;
use turno_store::fixtures::test_bucket;

/// A prefix of this test's own in the shared bucket.
fn bucket(name: &str) -> S3Blobs {
    let prefix = crate::common::unique(&format!("store-{name}"));
    test_bucket(&prefix).unwrap()
}

#[tokio::test]
async fn a_file_goes_to_the_bucket_and_back_by_its_digest() {
    let blobs = bucket("round-trip").with_limit(1024);
    let content = b"%PDF-1.7 oficio de respuesta";
    let stored = blobs.put(content).await.unwrap();
    assert!(stored.created);
    assert_eq!(stored.sha256, sha256_hex(content));
    assert_eq!(stored.size, content.len() as u64);
    // The same content is kept once.
    assert!(!blobs.put(content).await.unwrap().created);
    assert!(blobs.exists(&stored.sha256).await.unwrap());
    assert_eq!(blobs.get(&stored.sha256).await.unwrap(), content);
    assert_eq!(
        blobs.rehash(&stored.sha256).await.unwrap().unwrap().sha256,
        stored.sha256
    );
    // Over the limit, nothing is stored.
    let large = vec![b'x'; 1025];
    assert!(matches!(
        blobs.put(&large).await,
        Err(BlobError::TooLarge { limit: 1024 })
    ));
    assert!(!blobs.exists(&sha256_hex(&large)).await.unwrap());
}

#[tokio::test]
async fn a_missing_or_changed_file_is_reported() {
    let blobs = bucket("missing");
    let absent = sha256_hex(b"never stored");
    assert!(matches!(
        blobs.get(&absent).await,
        Err(BlobError::NotFound(digest)) if digest == absent
    ));
    assert!(!blobs.exists(&absent).await.unwrap());
    assert_eq!(blobs.rehash(&absent).await.unwrap(), None);

    let stored = blobs.put(b"%PDF-1.7 acta").await.unwrap();
    let key = blobs.key_of(&stored.sha256).unwrap();
    blobs
        .inner()
        .put(&key, PutPayload::from_static(b"%PDF-1.7 otra"))
        .await
        .unwrap();
    assert!(matches!(
        blobs.get(&stored.sha256).await,
        Err(BlobError::Altered(_))
    ));
}

#[tokio::test]
async fn a_server_that_does_not_answer_is_an_error_within_seconds() {
    // Nothing listens on the discard port of the loopback.
    let down = AmazonS3Builder::new()
        .with_endpoint("http://127.0.0.1:9")
        .with_allow_http(true)
        .with_region("us-east-1")
        .with_access_key_id("turno")
        .with_secret_access_key("turno");
    let blobs = S3Blobs::from_builder(down, "turno-test", "caido").unwrap();
    let started = Instant::now();
    let error = blobs.put(b"%PDF-1.7 oficio").await.unwrap_err();
    assert!(matches!(error, BlobError::ObjectStore(_)), "{error}");
    assert!(error.to_string().starts_with("object storage: "), "{error}");
    let error = blobs.get(&sha256_hex(b"x")).await.unwrap_err();
    assert!(matches!(error, BlobError::ObjectStore(_)), "{error}");
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
}
