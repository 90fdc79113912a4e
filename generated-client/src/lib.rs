//! A lean, fully typed client for Amazon SES v1 (API `2010-12-01`, awsQuery protocol), generated
//! from the Smithy model by this project's generator.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let client = ses_client::Client::from_env()?;
//! client
//!     .set_identity_mail_from_domain()
//!     .identity("example.com")
//!     .mail_from_domain("bounces.example.com")
//!     .behavior_on_mx_failure(ses_client::types::BehaviorOnMxFailure::UseDefaultValue)
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! Layout: `src/generated/` is produced by `cargo xtask codegen` and never edited by hand;
//! `src/runtime/` is the hand-written runtime it calls into.

#[rustfmt::skip]
mod generated;
pub mod runtime;

pub use generated::{Client, operation, types};
pub use runtime::client::RequestId;
pub use runtime::config::{Config, ConfigBuilder};
pub use runtime::credentials::{Credentials, ProvideCredentials};

/// Errors and their metadata.
pub mod error {
    pub use crate::runtime::error::{
        ConfigError, DispatchError, ErrorMetadata, ProvideErrorMetadata, ResponseError, SdkError,
        TimeoutError, ValidationError,
    };
    pub use crate::runtime::validate::Violation;
}

/// Primitive types used by the generated types.
pub mod primitives {
    pub use aws_smithy_types::{Blob, DateTime};

    /// An enum value this version of the client does not know, kept as sent.
    #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct UnknownVariantValue(String);

    impl UnknownVariantValue {
        pub fn new(value: impl Into<String>) -> Self {
            UnknownVariantValue(value.into())
        }

        pub fn as_str(&self) -> &str {
            &self.0
        }
    }
}
