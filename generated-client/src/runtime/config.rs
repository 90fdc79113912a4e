//! Client configuration: region, credentials, endpoint, retries, timeouts.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::credentials::{Credentials, EnvironmentProvider, ProvideCredentials};
use super::error::ConfigError;

/// How a client talks to the service. Build with [`Config::builder`] or [`Config::from_env`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<String>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    pub(crate) endpoint_url: Option<String>,
    /// Whether the service-specific `AWS_ENDPOINT_URL_<SERVICE>` variable is consulted.
    pub(crate) endpoint_from_env: bool,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) validation: bool,
    /// Source of `@idempotencyToken` values the caller left unset (default: random v4 UUIDs).
    pub(crate) idempotency_token: Option<IdempotencyTokenProvider>,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size: u32,
}

/// A source of idempotency tokens, see [`ConfigBuilder::idempotency_token_provider`].
pub type IdempotencyTokenProvider = Arc<dyn Fn() -> String + Send + Sync>;

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field(
                "credentials",
                &self.credentials.as_ref().map(|_| "** redacted **"),
            )
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("max_attempts", &self.max_attempts)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("validation", &self.validation)
            .field(
                "idempotency_token",
                &self
                    .idempotency_token
                    .as_ref()
                    .map_or("random", |_| "custom"),
            )
            .field(
                "disable_request_compression",
                &self.disable_request_compression,
            )
            .field(
                "request_min_compression_size",
                &self.request_min_compression_size,
            )
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: None,
            credentials: None,
            endpoint_url: None,
            endpoint_from_env: false,
            use_fips: false,
            use_dual_stack: false,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            connect_timeout: Duration::from_millis(3100),
            attempt_timeout: None,
            operation_timeout: None,
            validation: true,
            idempotency_token: None,
            disable_request_compression: false,
            request_min_compression_size: super::compression::DEFAULT_MIN_COMPRESSION_SIZE,
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

fn env_bool(name: &str) -> Result<Option<bool>, ConfigError> {
    match env(name) {
        None => Ok(None),
        Some(v) => match v.to_ascii_lowercase().as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            _ => Err(ConfigError::InvalidSetting {
                name: name.into(),
                value: v,
                reason: "expected true or false".into(),
            }),
        },
    }
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            conf: Config::default(),
        }
    }

    /// Region from `AWS_REGION` / `AWS_DEFAULT_REGION`; credentials from the environment;
    /// endpoint from `AWS_ENDPOINT_URL_<SERVICE>` or `AWS_ENDPOINT_URL`; FIPS and dual-stack
    /// from `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`; attempts from
    /// `AWS_MAX_ATTEMPTS`; request compression from `AWS_DISABLE_REQUEST_COMPRESSION` and
    /// `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`.
    pub fn from_env() -> Result<Config, ConfigError> {
        let mut conf = Config {
            region: env("AWS_REGION").or_else(|| env("AWS_DEFAULT_REGION")),
            credentials: Some(Arc::new(EnvironmentProvider)),
            endpoint_url: env("AWS_ENDPOINT_URL"),
            endpoint_from_env: true,
            ..Config::default()
        };
        conf.use_fips = env_bool("AWS_USE_FIPS_ENDPOINT")?.unwrap_or(false);
        conf.use_dual_stack = env_bool("AWS_USE_DUALSTACK_ENDPOINT")?.unwrap_or(false);
        if let Some(v) = env("AWS_MAX_ATTEMPTS") {
            conf.max_attempts =
                v.parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or(ConfigError::InvalidSetting {
                        name: "AWS_MAX_ATTEMPTS".into(),
                        value: v,
                        reason: "expected a whole number of at least 1".into(),
                    })?;
        }
        conf.disable_request_compression =
            env_bool("AWS_DISABLE_REQUEST_COMPRESSION")?.unwrap_or(false);
        if let Some(v) = env("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES") {
            let max = super::compression::MAX_MIN_COMPRESSION_SIZE;
            conf.request_min_compression_size =
                v.parse()
                    .ok()
                    .filter(|n| *n <= max)
                    .ok_or(ConfigError::InvalidSetting {
                        name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES".into(),
                        value: v,
                        reason: format!("expected a whole number from 0 to {max}"),
                    })?;
        }
        Ok(conf)
    }

    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder { conf: self.clone() }
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    conf: Config,
}

impl ConfigBuilder {
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.conf.region = Some(region.into());
        self
    }

    /// Fixed credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.conf.credentials = Some(Arc::new(credentials));
        self
    }

    /// Any source of credentials.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.conf.credentials = Some(Arc::new(provider));
        self
    }

    /// Sends every request to this URL (an emulator, a VPC endpoint, a proxy).
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.conf.endpoint_url = Some(url.into());
        self
    }

    pub fn use_fips(mut self, on: bool) -> Self {
        self.conf.use_fips = on;
        self
    }

    pub fn use_dual_stack(mut self, on: bool) -> Self {
        self.conf.use_dual_stack = on;
        self
    }

    /// Attempts per call, first included (default 3; 1 disables retries). Values below 1 count
    /// as 1.
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.conf.max_attempts = n.max(1);
        self
    }

    /// Backoff before the first retry is random up to this (default 1 s); it doubles per retry.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.conf.initial_backoff = d;
        self
    }

    /// Backoff never exceeds this (default 20 s).
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.conf.max_backoff = d;
        self
    }

    /// Time to establish a connection (default 3.1 s).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.conf.connect_timeout = d;
        self
    }

    /// Time for one attempt, from sending to the whole response (default: none).
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.conf.attempt_timeout = Some(d);
        self
    }

    /// Time for the whole call including retries and backoff (default: none).
    pub fn operation_timeout(mut self, d: Duration) -> Self {
        self.conf.operation_timeout = Some(d);
        self
    }

    /// Turns validation of inputs against the model's constraints off (on by default).
    pub fn validation(mut self, on: bool) -> Self {
        self.conf.validation = on;
        self
    }

    /// Where values for `@idempotencyToken` members left unset come from (default: a random
    /// version 4 UUID per request). Tests use a fixed value.
    pub fn idempotency_token_provider(
        mut self,
        provider: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.conf.idempotency_token = Some(Arc::new(provider));
        self
    }

    /// Never gzip request bodies, even of operations with `@requestCompression` (default: off).
    pub fn disable_request_compression(mut self, on: bool) -> Self {
        self.conf.disable_request_compression = on;
        self
    }

    /// Bodies of operations with `@requestCompression` are gzipped from this size on (default
    /// 10240 bytes; values above 10485760 count as 10485760).
    pub fn request_min_compression_size_bytes(mut self, n: u32) -> Self {
        self.conf.request_min_compression_size =
            n.min(super::compression::MAX_MIN_COMPRESSION_SIZE);
        self
    }

    pub fn build(self) -> Config {
        self.conf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_credentials() {
        let conf = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "very-secret", Some("tok".into())))
            .build();
        let shown = format!("{conf:?}");
        assert!(shown.contains("us-east-1"));
        assert!(
            !shown.contains("very-secret") && !shown.contains("AKID") && !shown.contains("tok")
        );
    }

    #[test]
    fn builder_sets_everything() {
        let conf = Config::builder()
            .endpoint_url("http://127.0.0.1:1")
            .use_fips(true)
            .use_dual_stack(true)
            .max_attempts(0)
            .validation(false)
            .idempotency_token_provider(|| "fixed".into())
            .disable_request_compression(true)
            .request_min_compression_size_bytes(u32::MAX)
            .build();
        assert_eq!(conf.endpoint_url(), Some("http://127.0.0.1:1"));
        assert!(conf.use_fips && conf.use_dual_stack && !conf.validation);
        assert_eq!(conf.max_attempts(), 1);
        let token = conf.idempotency_token.as_ref().map(|f| f());
        assert_eq!(token.as_deref(), Some("fixed"));
        assert!(conf.disable_request_compression);
        assert_eq!(conf.request_min_compression_size, 10_485_760);
        assert!(format!("{conf:?}").contains("custom"));
    }
}
