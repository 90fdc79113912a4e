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
//!     .credentials(ses_client::Credentials::new("AKID...", "SECRET...", None))
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
//! Every call returns `Result<Output, error::SdkError<OperationError>>`. Inputs are checked against
//! the model's constraints before anything is sent ([`error::SdkError::Validation`] lists every
//! problem with its path); configuration problems are [`error::SdkError::Config`]; service errors
//! are [`error::SdkError::Service`] holding the operation's error enum, whose variants are the
//! modeled errors and `Unhandled`. Every service error exposes its code, message, `Type`
//! (`Sender`/`Receiver`), HTTP status and request id ([`error::ProvideErrorMetadata`]).
//! Responses that cannot be parsed (an HTML page from a proxy) are
//! [`error::SdkError::Response`], with the status and an excerpt of the body.
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
//!    returned token as a TXT record, and wait: [`Client::wait_until_identity_exists`].
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
//! let attrs = client.get_identity_mail_from_domain_attributes().identities("example.com").send().await?;
//! println!("{:?}", attrs.mail_from_domain_attributes);
//! # Ok(())
//! # }
//! ```
//!
//! # Layout
//!
//! `src/generated/` is produced by `cargo xtask codegen` and never edited by hand;
//! the hand-written runtime it calls into is the `aws-query-runtime` crate, shared by every
//! generated client.

#[rustfmt::skip]
mod generated;
pub mod mail_from;

/// The shared runtime, as generated code names it (`crate::runtime::...`).
use aws_query_runtime as runtime;

pub use aws_query_runtime::{
    Config, ConfigBuilder, Credentials, Env, ProvideCredentials, RequestId, RetryMode,
    StalledStreamProtection,
};
pub use generated::*;

/// Configuration: [`Config`] (one value can configure the clients of several services), its
/// builder, timeouts, limits, the injectable clock and sleep.
pub mod config {
    pub use aws_query_runtime::config::*;
}

/// Credentials: [`Credentials`], the provider trait, the default chain and
/// its cache.
pub mod credentials {
    pub use aws_query_runtime::credentials::*;
}

pub mod error {
    //! Errors and their metadata.
    //!
    //! Every call returns `Result<Output, SdkError<OperationError>>`. [`SdkError`] says where the call
    //! failed: [`SdkError::Validation`] (the input broke the model's constraints; every problem is
    //! listed and nothing was sent), [`SdkError::Config`] (no region, no credentials, a bad endpoint;
    //! nothing was sent), [`SdkError::Timeout`], [`SdkError::Dispatch`] (no connection),
    //! [`SdkError::Response`] (an answer that could not be understood: not XML, too large, too deep,
    //! empty, a redirect) and [`SdkError::Service`] (the service's error, as the operation's error
    //! enum: one variant per modeled error, then `Unhandled`). Every service error gives its code,
    //! message, `Type`, HTTP status and request id through [`ProvideErrorMetadata`] and
    //! [`ErrorMetadata`]; its `Display` shows them all (service text capped, see
    //! [`DISPLAY_MESSAGE_CHARS`]).

    pub use aws_query_runtime::error::*;
}

/// Primitive types used by the generated types.
pub mod primitives {
    pub use aws_query_runtime::primitives::*;
}

/// The types paginators and waiters return.
pub mod paginator {
    pub use aws_query_runtime::paginator::*;
}

/// The types waiters return.
pub mod waiter {
    pub use aws_query_runtime::waiter::*;
}
