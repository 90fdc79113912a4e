//! Any `aws_credential_types::provider::ProvideCredentials` as a [`ProvideCredentials`]
//! (feature `aws-config-bridge`), so the providers of `aws-config` (SSO, IMDS, web identity,
//! assume-role, its whole default chain) work with this client:
//!
//! ```text
//! let aws = aws_config::default_provider::credentials::default_provider().await;
//! let conf = aws_client_runtime::config::Config::from_env()?
//!     .to_builder()
//!     .credentials_provider(AwsCredentialsBridge::new(aws))
//!     .build();
//! ```
//!
//! The adapted provider is cached by [`CachingProvider`] (until 5 minutes before expiry).
//! `CredentialsNotLoaded` maps to [`CredentialsError::not_found`], every other error to
//! [`CredentialsError::new`].

use std::fmt;

use aws_credential_types::provider::ProvideCredentials as AwsProvideCredentials;
use aws_credential_types::provider::error::CredentialsError as AwsCredentialsError;

use super::{
    CachingProvider, Credentials, CredentialsError, CredentialsFuture, ProvideCredentials,
};

/// Adapts an aws-credential-types provider; cached.
pub struct AwsCredentialsBridge {
    cache: CachingProvider,
}

impl fmt::Debug for AwsCredentialsBridge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentialsBridge")
            .field("cache", &self.cache)
            .finish()
    }
}

impl AwsCredentialsBridge {
    pub fn new(provider: impl AwsProvideCredentials + 'static) -> Self {
        AwsCredentialsBridge {
            cache: CachingProvider::new(Uncached(provider)),
        }
    }
}

/// The adapter without the cache.
#[derive(Debug)]
struct Uncached<P>(P);

impl<P: AwsProvideCredentials> ProvideCredentials for Uncached<P> {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        Box::pin(async move {
            match self.0.provide_credentials().await {
                Ok(c) => Ok(convert(&c)),
                Err(e) => Err(convert_error(&e)),
            }
        })
    }
}

fn convert(c: &aws_credential_types::Credentials) -> Credentials {
    c.clone()
}

/// The error and its sources, in one line.
fn convert_error(e: &AwsCredentialsError) -> CredentialsError {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    match e {
        AwsCredentialsError::CredentialsNotLoaded(_) => CredentialsError::not_found(msg),
        _ => CredentialsError::new(msg),
    }
}

impl ProvideCredentials for AwsCredentialsBridge {
    fn provide_credentials(&self) -> CredentialsFuture<'_> {
        self.cache.provide_credentials()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_credential_types::provider::future;
    use std::time::{Duration, SystemTime};

    #[derive(Debug)]
    struct NotLoaded;

    impl AwsProvideCredentials for NotLoaded {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err(AwsCredentialsError::not_loaded("no SSO token")))
        }
    }

    #[derive(Debug)]
    struct Failing;

    impl AwsProvideCredentials for Failing {
        fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
        where
            Self: 'a,
        {
            future::ProvideCredentials::ready(Err(AwsCredentialsError::provider_error(
                "IMDS unreachable",
            )))
        }
    }

    #[tokio::test]
    async fn adapts_credentials_and_errors() {
        let exp = SystemTime::now() + Duration::from_secs(3600);
        let aws = aws_credential_types::Credentials::new(
            "AKBRIDGE",
            "SK",
            Some("TOK".into()),
            Some(exp),
            "test",
        );
        let c = AwsCredentialsBridge::new(aws)
            .provide_credentials()
            .await
            .unwrap();
        assert_eq!(
            (c.access_key_id(), c.secret_access_key(), c.session_token()),
            ("AKBRIDGE", "SK", Some("TOK"))
        );
        assert_eq!(c.expiry(), Some(exp));

        let e = AwsCredentialsBridge::new(NotLoaded)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            e.is_not_found() && e.message().contains("no SSO token"),
            "{e}"
        );
        let e = AwsCredentialsBridge::new(Failing)
            .provide_credentials()
            .await
            .unwrap_err();
        assert!(
            !e.is_not_found() && e.message().contains("IMDS unreachable"),
            "{e}"
        );
    }
}
