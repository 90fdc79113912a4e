//! Smoke test of the generated KMS client (awsJson 1.1) against moto (copied into the generated
//! crate's `tests/` folder by the `generated services` step of `cargo xtask test`; not compiled in
//! the workspace). Needs `SES_CLIENT_MOTO_ENDPOINT`; without it the test prints `SKIPPED: ...`.
//! The longer scenario is `xtask/dropin-json/main.rs`.

use std::io::Write;

use kms_client::RequestId;
use kms_client::error::ProvideErrorMetadata;
use kms_client::operation::describe_key::DescribeKeyError;
use kms_client::primitives::Blob;
use kms_client::types::{KeyState, KeyUsageType};

const MOTO_ENDPOINT_VAR: &str = "SES_CLIENT_MOTO_ENDPOINT";
/// moto keeps state per region; no other test uses this one.
const REGION: &str = "eu-north-1";

/// The endpoint, or `None` after writing a loud SKIPPED line straight to stderr (the harness
/// would hide an `eprintln!` of a passing test).
fn endpoint_or_skip(test: &str) -> Option<String> {
    let endpoint = std::env::var(MOTO_ENDPOINT_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty());
    if endpoint.is_none() {
        let line = format!("SKIPPED: {test}: {MOTO_ENDPOINT_VAR} not set (run cargo xtask test)\n");
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
    }
    endpoint
}

#[tokio::test]
async fn create_key_encrypt_decrypt() {
    let Some(endpoint) = endpoint_or_skip("kms smoke create_key_encrypt_decrypt") else {
        return;
    };
    let conf = kms_client::Config::builder()
        .region(REGION)
        .endpoint_url(endpoint.trim())
        .credentials(kms_client::Credentials::from_keys(
            "AKIDKMSSMOKE",
            "secret",
            None,
        ))
        .build();
    let client = kms_client::Client::from_conf(conf);

    let created = client
        .create_key()
        .description("kms smoke key")
        .key_usage(KeyUsageType::EncryptDecrypt)
        .send()
        .await
        .expect("CreateKey");
    assert!(created.request_id().is_some(), "{created:?}");
    let meta = created.key_metadata().expect("KeyMetadata");
    let key_id = meta.key_id().to_owned();
    assert!(!key_id.is_empty(), "{meta:?}");
    assert_eq!(meta.key_state(), Some(&KeyState::Enabled), "{meta:?}");
    assert!(
        meta.arn()
            .is_some_and(|arn| arn.starts_with(&format!("arn:aws:kms:{REGION}:"))),
        "{meta:?}"
    );

    let plaintext = b"kms smoke secret \x00\xff".to_vec();
    let encrypted = client
        .encrypt()
        .key_id(&key_id)
        .plaintext(Blob::new(plaintext.clone()))
        .encryption_context("purpose", "smoke")
        .send()
        .await
        .expect("Encrypt");
    let ciphertext = encrypted.ciphertext_blob().expect("CiphertextBlob").clone();
    assert_ne!(ciphertext.as_ref(), plaintext.as_slice());
    let decrypted = client
        .decrypt()
        .ciphertext_blob(ciphertext)
        .encryption_context("purpose", "smoke")
        .send()
        .await
        .expect("Decrypt");
    assert_eq!(
        decrypted.plaintext().map(|b| b.as_ref().to_vec()),
        Some(plaintext)
    );

    let listed = client.list_keys().send().await.expect("ListKeys");
    assert!(
        listed
            .keys()
            .iter()
            .any(|k| k.key_id() == Some(key_id.as_str())),
        "{key_id} not in {listed:?}"
    );

    // A key that does not exist: the modeled error, its code from `__type`.
    let err = client
        .describe_key()
        .key_id("00000000-0000-0000-0000-000000000000")
        .send()
        .await
        .expect_err("DescribeKey of a missing key");
    assert_eq!(err.code(), Some("NotFoundException"), "{err}");
    assert!(
        matches!(
            err.into_service_error(),
            DescribeKeyError::NotFoundException(_)
        ),
        "want NotFoundException"
    );
    println!(
        "kms smoke: CreateKey {key_id}, Encrypt, Decrypt, ListKeys, DescribeKey -> NotFoundException"
    );
}
