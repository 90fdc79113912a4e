//! What this crate's tests (unit and integration) share: finding the shared data.

use std::path::PathBuf;

/// The shared conformance and model data: `AWS_QUERY_SHARED_DIR`, else `<workspace>/../shared`.
/// Missing, it fails the calling test, unless `AWS_QUERY_ALLOW_SKIP` is set: then it prints a
/// loud SKIPPED line (saying what the test does `instead`) and returns `None`.
pub fn shared_dir(instead: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("AWS_QUERY_SHARED_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("AWS_QUERY_ALLOW_SKIP").is_some() {
        let line = format!(
            "SKIPPED: shared data directory {} not found (AWS_QUERY_ALLOW_SKIP is set); {instead}\n",
            dir.display()
        );
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
        return None;
    }
    panic!(
        "shared data directory {} not found: set AWS_QUERY_SHARED_DIR (AWS_QUERY_ALLOW_SKIP=1: \
         {instead})",
        dir.display()
    )
}
