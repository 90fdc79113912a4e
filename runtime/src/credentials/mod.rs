//! AWS credentials and the providers that produce them.
//!
//! [`Config::from_env`](crate::config::Config::from_env) uses [`DefaultCredentialsChain`], which tries,
//! in order (credentials set explicitly with `Config::builder().credentials(..)` come before all
//! of these and replace the chain):
//!
//! 1. [`EnvironmentProvider`]: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
//! 2. [`ProfileProvider`]: `aws_access_key_id` / `aws_secret_access_key` / `aws_session_token`
//!    of the selected profile in the shared files (`~/.aws/credentials`, `~/.aws/config`).
//! 3. [`ProcessProvider`]: the `credential_process` command of the selected profile.
//!
//! A source with nothing to offer (a variable not set, no file, no such key) reports
//! [`CredentialsError::not_found`] and the chain moves on; a source that is configured but broken
//! (a malformed file, a failing command) stops the chain with its error, so a client never signs
//! with a different identity than the one configured. When no source yields credentials, the
//! error names every source tried and why each had none. The chain's result is cached by
//! [`CachingProvider`]: until 5 minutes before expiry, or 15 minutes for credentials that do not
//! expire, so rotated keys are picked up.
//!
//! # Limits
//!
//! No source can hang, exhaust or outlive the program (all defaults, see the modules for more):
//!
//! | What | Default | Set with |
//! |---|---|---|
//! | `credential_process` run time | [`DEFAULT_PROCESS_TIMEOUT`]: 60 s, then the command and its process group are killed | [`ProcessProvider::with_timeout`], [`DefaultCredentialsChain::with_process_timeout`], `ConfigBuilder::credential_process_timeout` |
//! | `credential_process` standard output | [`DEFAULT_PROCESS_OUTPUT_LIMIT`]: 64 KiB, more kills the command (of standard error, the first 4 KiB are kept, the rest read and dropped) | [`ProcessProvider::with_output_limit`], [`DefaultCredentialsChain::with_process_output_limit`], `ConfigBuilder::credential_process_output_limit` |
//! | Reading the output after the command exited | [`PROCESS_OUTPUT_DRAIN_TIME`]: 250 ms, then processes still holding it are killed | fixed |
//! | Waiting for another call's refresh | [`DEFAULT_REFRESH_WAIT`]: 70 s (the process timeout plus [`REFRESH_WAIT_MARGIN`], 10 s), then an error | [`CachingProvider::with_refresh_wait`], [`DefaultCredentialsChain::with_refresh_wait`] |
//! | Shared config and credentials files | [`MAX_SHARED_FILE_SIZE`]: 4 MiB; regular files only (a FIFO, device, socket or directory is an error naming it) | fixed |
//!
//! Calls that wait for one refresh share its result, a failure included: when
//! `credential_process` hangs, every waiting call fails at its timeout with its error, rather
//! than each running the command again.
//!
//! Anything else (SSO, IMDS, web identity, assume-role) plugs in by implementing
//! [`ProvideCredentials`], or with the `aws-config-bridge` feature, through
//! `bridge::AwsCredentialsBridge`, which adapts any
//! `aws_credential_types::provider::ProvideCredentials` (e.g. aws-config's default chain).
//!
//! Every loader takes an [`Env`], so tests and embedders can run them against a map instead of
//! the process environment.

use std::fmt;

#[cfg(feature = "aws-config-bridge")]
pub mod bridge;
mod chain;
mod env;
mod process;
pub mod profile;
mod scrub;

pub use chain::{
    CachingProvider, CredentialsChain, DEFAULT_CACHE_TIME, DEFAULT_REFRESH_WAIT,
    DefaultCredentialsChain, REFRESH_BEFORE_EXPIRY, REFRESH_WAIT_MARGIN,
};
pub use env::{Env, EnvironmentProvider};
pub(crate) use process::ProcessLimits;
pub use process::{
    DEFAULT_PROCESS_OUTPUT_LIMIT, DEFAULT_PROCESS_TIMEOUT, PROCESS_OUTPUT_DRAIN_TIME,
    ProcessProvider,
};
pub use profile::{MAX_SHARED_FILE_SIZE, ProfileError, ProfileProvider, ProfileSet};

/// A set of AWS credentials: aws-credential-types' type, as aws-sdk-ses uses it
/// (`Credentials::new(key, secret, token, expiry, provider_name)`, `Credentials::from_keys`).
/// `Debug` never prints the secret parts.
pub use aws_credential_types::Credentials;

/// Why a source gave no credentials.
///
/// [`CredentialsError::not_found`] means the source has nothing to offer and a chain tries the
/// next one; [`CredentialsError::new`] means the source is configured but failed, which stops a
/// chain. The message never contains secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
    not_found: bool,
}

impl CredentialsError {
    /// The source is configured but failed (malformed file, failing command, expired token).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_found: false,
        }
    }

    /// The source has no credentials to offer (not configured); a chain moves on.
    pub fn not_found(message: impl Into<String>) -> Self {
        CredentialsError {
            message: message.into(),
            not_found: true,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.not_found
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// A boxed future, as returned by [`ProvideCredentials`].
pub type CredentialsFuture<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>,
>;

/// A source of credentials. Implement it to plug in your own. The client calls it before every
/// attempt, so implementations that do I/O should cache (wrap them in [`CachingProvider`]).
pub trait ProvideCredentials: Send + Sync + fmt::Debug {
    fn provide_credentials(&self) -> CredentialsFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        let c = self.clone();
        Box::pin(async move { Ok(c) })
    }
}

impl<P: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        (**self).provide_credentials()
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Temporary directories for hermetic tests (no dependency on `tempfile`).

    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};

    /// A directory under the system temp dir, removed on drop.
    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new(tag: &str) -> TempDir {
            static N: AtomicU64 = AtomicU64::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("ses-client-{tag}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).expect("create temp dir");
            TempDir(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }

        /// Writes `name` with `contents` and returns its path.
        pub fn write(&self, name: &str, contents: &str) -> PathBuf {
            let p = self.0.join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("create parent");
            }
            std::fs::write(&p, contents).expect("write temp file");
            p
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let c = Credentials::from_keys(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG",
            Some("token-secret".into()),
        );
        let shown = format!("{c:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("wJalrXUtnFEMI"));
        assert!(!shown.contains("token-secret"));
    }

    #[test]
    fn error_kinds() {
        assert!(CredentialsError::not_found("x").is_not_found());
        let e = CredentialsError::new("broken");
        assert!(!e.is_not_found());
        assert_eq!(e.to_string(), "broken");
        assert_eq!(e.message(), "broken");
    }
}
