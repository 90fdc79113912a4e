//! Shared helpers of the moto integration tests (`moto_ses.rs`, `moto_auth.rs`).
//!
//! Both test binaries include this module; everything here is used by both, so no item is
//! dead code in either.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The endpoint in `var`. These tests are `#[ignore]`d (plain `cargo test` lists them as ignored,
/// with the reason); `cargo xtask test` starts moto, sets `var` and runs them with
/// `--include-ignored`. Run without `var`, a test fails, unless `AWS_QUERY_ALLOW_SKIP` is set:
/// then it prints a loud SKIPPED line (to the stderr handle itself, which the harness does not
/// capture) and returns `None`.
pub fn endpoint_or_skip(test: &str, var: &str) -> Option<String> {
    match std::env::var(var)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
    {
        Some(endpoint) => Some(endpoint),
        None if std::env::var_os("AWS_QUERY_ALLOW_SKIP").is_some() => {
            let line = format!("SKIPPED: {test}: {var} not set (AWS_QUERY_ALLOW_SKIP is set)\n");
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
            None
        }
        None => panic!(
            "{test}: {var} is not set, and this test needs the moto emulator: run `cargo xtask test` \
             (which starts it), or start moto and set {var}; AWS_QUERY_ALLOW_SKIP=1 skips instead"
        ),
    }
}

/// A client for `endpoint` signing for `region` with the given key pair. moto keeps its state
/// per account and region, so a test that needs exact counts uses a region of its own.
pub fn client(
    endpoint: &str,
    region: &str,
    access_key_id: &str,
    secret: &str,
) -> ses_client::Client {
    let conf = ses_client::Config::builder()
        .region(region)
        .endpoint_url(endpoint)
        .credentials(ses_client::Credentials::from_keys(
            access_key_id,
            secret,
            None,
        ))
        .build();
    ses_client::Client::from_conf(conf)
}

/// A suffix unique to this test run and call (process id, clock, counter), so names do not
/// collide with other tests, other test binaries, or earlier runs against the same server.
pub fn unique(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}-{}-{:x}-{n}",
        std::process::id(),
        nanos % (1 << 40)
    )
}

/// moto's request ids are 52 ASCII letters and digits.
pub fn assert_moto_request_id(id: Option<&str>, what: &str) {
    let id = id.unwrap_or_else(|| panic!("{what}: no request id"));
    assert_eq!(id.len(), 52, "{what}: unexpected request id {id:?}");
    assert!(
        id.chars().all(|c| c.is_ascii_alphanumeric()),
        "{what}: unexpected request id {id:?}"
    );
}
