//! A lean, fully typed client for Amazon SES v1 (API `2010-12-01`, awsQuery protocol), generated
//! from the Smithy model by this project's generator.
//!
//! # Setup
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Region, credentials and endpoint from the environment and the shared AWS config files.
//! let client = ses_client::Client::from_env()?;
//! // Or explicitly:
//! let conf = ses_client::Config::builder()
//!     .region("eu-west-1")
//!     .credentials(ses_client::Credentials::from_keys("AKID...", "SECRET...", None))
//!     .build();
//! let client = ses_client::Client::from_conf(conf);
//! # Ok(())
//! # }
//! ```
//!
//! # Configuration
//!
//! [`Config::builder`] sets the region, credentials (or any [`ProvideCredentials`]), an endpoint
//! URL, FIPS and dual-stack endpoints, attempts, backoff, timeouts and validation;
//! [`Config::from_env`] reads the same from `AWS_*` environment variables. The endpoint comes
//! from the model's endpoint rules (`https://email.<region>.amazonaws.com` in the standard
//! partition) unless overridden by `endpoint_url`, `AWS_ENDPOINT_URL_SES` or `AWS_ENDPOINT_URL`.
//! See the [`config`] module for every key.
//!
//! # Errors
//!
//! Every call returns `Result<Output, error::SdkError<OperationError>>`, with the variants of
//! aws-sdk-ses. Inputs are checked against the model's constraints before anything is sent: a
//! [`error::SdkError::ConstructionFailure`] lists every problem with its path
//! ([`error::ConstructionFailure::validation_error`]), and configuration problems (no region, no
//! credentials) arrive the same way ([`error::ConstructionFailure::config_error`]). Service
//! errors are [`error::SdkError::ServiceError`] holding the operation's error enum, whose
//! variants are the modeled errors and `Unhandled`. Every service error exposes its code,
//! message, `Type` (`Sender`/`Receiver`), HTTP status ([`error::ErrorMetadata`]) and request id
//! ([`operation::RequestId`]). Responses that cannot be parsed (an HTML page from a proxy) are
//! [`error::SdkError::ResponseError`], with the status and an excerpt of the body. [`Error`]
//! gathers every modeled error of the service: `?` converts any operation's error into it.
//!
//! # Retries
//!
//! Throttling (`Throttling`, `ThrottlingException`, ...), transient errors (HTTP 500, 502, 503,
//! 504) and connection failures are retried with exponential backoff and full jitter, at most
//! 3 attempts by default, within a retry quota so a failing service is not hammered. Other 4xx
//! errors are never retried. Each attempt is signed again.
//!
//! # The MAIL FROM workflow
//!
//! A custom MAIL FROM domain makes bounces and SPF alignment use your own subdomain:
//!
//! 1. Verify the parent domain: `verify_domain_identity().domain("example.com")`, publish the
//!    returned token as a TXT record, and wait: `client.wait_until_identity_exists()` (trait
//!    [`client::Waiters`]).
//! 2. Set the MAIL FROM domain (at most once per second):
//!    `set_identity_mail_from_domain().identity("example.com").mail_from_domain("bounces.example.com")`,
//!    with `behavior_on_mx_failure` `UseDefaultValue` (fall back to amazonses.com) or
//!    `RejectMessage`.
//! 3. Publish an MX record for `bounces.example.com` pointing at
//!    `feedback-smtp.<region>.amazonses.com` with priority 10, and an SPF TXT record
//!    `v=spf1 include:amazonses.com ~all`.
//! 4. Poll `get_identity_mail_from_domain_attributes().identities("example.com")` until
//!    `mail_from_domain_status` is `Success`.
//!
//! Calling `set_identity_mail_from_domain` without `mail_from_domain` disables it again.
//!
//! ```no_run
//! # async fn example(client: ses_client::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use ses_client::types::BehaviorOnMxFailure;
//! client
//!     .set_identity_mail_from_domain()
//!     .identity("example.com")
//!     .mail_from_domain("bounces.example.com")
//!     .behavior_on_mx_failure(BehaviorOnMxFailure::UseDefaultValue)
//!     .send()
//!     .await?;
//! let out = client.get_identity_mail_from_domain_attributes().identities("example.com").send().await?;
//! if let Some(attrs) = out.mail_from_domain_attributes().get("example.com") {
//!     println!("{} is {}", attrs.mail_from_domain(), attrs.mail_from_domain_status());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Layout
//!
//! `src/generated/` is produced by `cargo xtask codegen` and never edited by hand;
//! the hand-written runtime it calls into is the `aws-client-runtime` crate, shared by every
//! generated client.

#[rustfmt::skip]
mod generated;
pub mod mail_from;

/// The shared runtime, as generated code names it (`crate::runtime::...`).
use aws_client_runtime as runtime;

pub use aws_client_runtime::{
    Config, ConfigBuilder, Credentials, Env, ProvideCredentials, RequestId, RetryMode,
    StalledStreamProtection,
};
pub use generated::*;

/// Configuration: [`Config`] (one value can configure the clients of several services), its
/// builder, timeouts, limits, the injectable clock and sleep.
pub mod config {
    pub use aws_client_runtime::config::*;
}

/// Credentials: [`Credentials`], the provider trait, the default chain and
/// its cache.
pub mod credentials {
    pub use aws_client_runtime::credentials::*;
}

pub mod error {
    //! Errors and their metadata.
    //!
    //! Every call returns `Result<Output, SdkError<OperationError>>`. [`SdkError`] has the
    //! variants of aws-sdk-ses and says where the call failed:
    //! [`SdkError::ConstructionFailure`] (nothing was sent: the input broke the model's
    //! constraints, every problem listed, or the client is misconfigured: no region, no
    //! credentials, a bad endpoint), [`SdkError::TimeoutError`], [`SdkError::DispatchFailure`] (no
    //! connection; `is_io()`, `is_timeout()`, ...), [`SdkError::ResponseError`] (an answer that
    //! could not be understood: not XML, too large, too deep, empty, a redirect) and
    //! [`SdkError::ServiceError`] (the service's error, as the operation's error enum: one
    //! variant per modeled error, then `Unhandled`; `into_service_error()` gives it, and the raw
    //! response is at `raw()`). Every service error gives its code and message through
    //! [`ProvideErrorMetadata`], its `Type` and HTTP status through [`ErrorMetadata`], and its
    //! request id through `RequestId`; its `Display` shows them all (service text capped, see
    //! [`DISPLAY_MESSAGE_CHARS`]). [`DisplayErrorContext`] prints an error with all its sources.

    pub use aws_client_runtime::error::*;
}

/// Test code that uses the client, offline: [`mock!`](crate::test_util::mock) makes a rule for
/// one operation, [`mock_client!`](crate::test_util::mock_client) a client answered by rules, in the shape of aws-smithy-mocks (feature
/// `test-util`; enable it in `[dev-dependencies]`). Nothing is sent: the client's endpoint is one
/// nothing listens on. Rule modes, sequences (`sequence().error(..).times(2).output(..)`) and
/// raw HTTP responses are described in [`aws_client_runtime::test_util`].
///
// SES crate only: generated crates for other services leave the example out (it names SES
// operations); see xtask/src/standalone.rs.
#[doc = include_str!("test_util_example.md")]
#[cfg(feature = "test-util")]
pub mod test_util {
    pub use aws_client_runtime::test_util::*;
}

/// Primitive types used by the generated types.
pub mod primitives {
    pub use aws_client_runtime::primitives::*;
}

/// The types paginators and waiters return.
pub mod paginator {
    pub use aws_client_runtime::paginator::*;
}

/// The types waiters return.
pub mod waiter {
    pub use aws_client_runtime::waiter::*;
}
