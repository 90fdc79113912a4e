//! Client configuration: region, credentials, endpoint, retries, timeouts.
//!
//! # Configuration keys
//!
//! [`Config::from_env`] takes each setting from the environment variable, else from the selected
//! profile of the shared config files, else the default. [`Config::builder`] starts from the
//! defaults and reads nothing. Builder methods override both: start from
//! `Config::from_env()?.to_builder()` to combine them. [`Config::from_env_with`] does what
//! `from_env` does with a given [`Env`] (a map) instead of the process environment.
//!
//! | Setting | Environment variable | Profile key | Builder method | Default |
//! |---|---|---|---|---|
//! | Region | `AWS_REGION`, then `AWS_DEFAULT_REGION` | `region` | `region` | none: required |
//! | Credentials | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` | `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`, `credential_process` | `credentials`, `credentials_provider` | `from_env`: the [default chain](super::credentials); builder: none |
//! | Profile | `AWS_PROFILE` | | | `default` |
//! | Shared files | `AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE` | | | `~/.aws/config`, `~/.aws/credentials` |
//! | Shared file size | | | | at most 4 MiB each ([`MAX_SHARED_FILE_SIZE`](super::credentials::MAX_SHARED_FILE_SIZE)), regular files only: a larger file, a FIFO, a device or a directory is an error naming the file (`/dev/null` reads as empty) |
//! | `credential_process` timeout | | | `credential_process_timeout` | 60 s, then the command and its process group are killed and the call fails |
//! | `credential_process` output | | | `credential_process_output_limit` | 64 KiB of standard output, more kills the command (first 4 KiB of standard error kept) |
//! | `credential_process` output after it exits | | | | read until closed for at most 250 ms, then processes holding it are killed |
//! | Wait for another call's credentials refresh | | | | the `credential_process` timeout + 10 s (70 s), then the call fails |
//! | Endpoint | `AWS_ENDPOINT_URL_<SERVICE>` (`AWS_ENDPOINT_URL_SES`), then `AWS_ENDPOINT_URL` | `endpoint_url` | `endpoint_url` | from the service's endpoint rules |
//! | FIPS endpoint | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` | `use_fips` | `false` |
//! | Dual-stack endpoint | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` | `use_dual_stack` | `false` |
//! | Attempts per call | `AWS_MAX_ATTEMPTS` | `max_attempts` | `max_attempts` | 3 |
//! | Retry mode | `AWS_RETRY_MODE` (`standard` or `adaptive`) | `retry_mode` | `retry_mode` | `standard` |
//! | Backoff base and cap | | | `initial_backoff`, `max_backoff` | 1 s, 20 s |
//! | Per-operation rate limit | | | `operation_rate_limit` | none |
//! | Connect timeout | | | `connect_timeout` | 3.1 s |
//! | Read timeout | | | `read_timeout` | 60 s |
//! | Attempt timeout | | | `attempt_timeout` | none |
//! | Operation timeout | | | `operation_timeout` | none |
//! | Stalled response body | | | `stalled_stream_protection` | fail below 1 KiB/s over any 5 s window |
//! | Response body size | | | `max_response_size` | 32 MiB |
//! | Response XML nesting | | | `max_response_depth` | 128 elements |
//! | Request compression | `AWS_DISABLE_REQUEST_COMPRESSION`, `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES` | `disable_request_compression`, `request_min_compression_size_bytes` | `disable_request_compression`, `request_min_compression_size_bytes` | `false`, 10240 |
//! | Input validation | | | `validation` | on |
//! | Idempotency tokens | | | `idempotency_token_provider` | random UUID v4 |
//! | Clock and sleep | | | `time_source`, `sleep_impl` | system clock, tokio's timer |
//!
//! Values are trimmed; empty ones count as unset. An invalid value (`AWS_MAX_ATTEMPTS=zero`,
//! `retry_mode = fast`) makes `from_env` fail with [`ConfigError::InvalidSetting`] naming the
//! variable, or the profile key with its file and line; a malformed shared file makes it fail
//! with [`ConfigError::ProfileFile`] naming file, line and problem.
//!
//! Retries, backoff, the retry quota, adaptive mode and rate limits are described in
//! [`super::retry`]; the credential chain in [`super::credentials`].
//!
//! # Timeouts
//!
//! - `connect_timeout`: establishing the TCP (and TLS) connection.
//! - `read_timeout`: from sending the request until the response starts, and then between reads
//!   of the response body. It catches a stalled server or connection. A very large request
//!   (`SendRawEmail` near the 10 MB limit) on a slow link may need more.
//! - `attempt_timeout`: one attempt, from sending to the whole response.
//! - `operation_timeout`: the whole call, retries and backoff included.
//!
//! - `stalled_stream_protection`: once the response head has arrived, the body must keep coming at
//!   [`StalledStreamProtection::min_bytes_per_sec`] (default 1 KiB/s), measured over windows of
//!   [`StalledStreamProtection::grace_period`] (default 5 s); a server that trickles or stops
//!   ends the attempt with a timeout error within about one window, even though each read
//!   arrives before `read_timeout`. A body that arrives whole within the first window is never
//!   checked. Switch it off with `StalledStreamProtection::disabled()`.
//!
//! Without an attempt or operation timeout, what can still take long is a response head that
//! trickles in (the HTTP layer caps its size at about 400 KiB) and, for a big request, the upload:
//! set `attempt_timeout` to bound every attempt as a whole.
//!
//! # Limits on responses
//!
//! - `max_response_size` (default 32 MiB, far above any awsQuery response): a larger body is
//!   refused as it streams in, before it is buffered (a `Content-Length` above the limit is refused
//!   before reading any of it). The attempt fails with [`SdkError::ResponseError`] naming the limit and
//!   is not retried.
//! - `max_response_depth` (default 128; AWS responses nest a few dozen levels at most): a deeper
//!   XML document is refused while it is read, so neither parsing nor the generated
//!   deserializers can exhaust the stack.
//! - Parsing a body takes at most about 8 times its size in memory, whatever it contains (see
//!   the XML reader, `codec::xml`).
//! - `Display` of a service error shows at most 1024 characters of its message and 128 of its
//!   code, type and request id, with control characters escaped; the getters return the full text.
//!
//! [`SdkError::ResponseError`]: super::error::SdkError::ResponseError
//!
//! Timeouts are retried like connection errors (costing 10 quota tokens); the operation timeout
//! ends the call. They run on tokio's timer; the injected [`Sleep`] is used for backoff and rate
//! limiting only, so tests can record those waits and skip them.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::credentials::profile::{Profile, ProfileSet};
/// Credentials and the provider trait, where aws-sdk-ses's `config` module has them.
pub use super::credentials::{Credentials, ProvideCredentials};
use super::credentials::{DefaultCredentialsChain, Env, ProcessLimits};
use super::error::ConfigError;
pub use super::retry::RetryMode;

/// The future [`Sleep`] returns.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// An async sleep: what the client waits with between attempts and for rate limits. Any
/// `Fn(Duration) -> SleepFuture` is one; tests inject one that records the durations and
/// returns at once.
pub trait Sleep: Send + Sync {
    fn sleep(&self, duration: Duration) -> SleepFuture;
}

impl<F> Sleep for F
where
    F: Fn(Duration) -> SleepFuture + Send + Sync,
{
    fn sleep(&self, duration: Duration) -> SleepFuture {
        self(duration)
    }
}

/// [`Sleep`] with tokio's timer (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, duration: Duration) -> SleepFuture {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The wall clock the client signs with, judges clock skew and credential expiry by, and runs
/// its rate limiters on. Any `Fn() -> SystemTime` is one.
pub trait TimeSource: Send + Sync {
    fn now(&self) -> SystemTime;
}

impl<F> TimeSource for F
where
    F: Fn() -> SystemTime + Send + Sync,
{
    fn now(&self) -> SystemTime {
        self()
    }
}

/// [`TimeSource`] reading [`SystemTime::now`] (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl TimeSource for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// How a client talks to the service. Build with [`Config::builder`] or [`Config::from_env`].
#[derive(Clone)]
pub struct Config {
    pub(crate) region: Option<Region>,
    /// The retry and timeout settings in aws-smithy's types, for the getters aws-sdk-ses has
    /// (`retry_config()`, `timeout_config()` return references); made from the fields below.
    aws_views: Arc<AwsViews>,
    pub(crate) behavior_version: Option<BehaviorVersion>,
    pub(crate) credentials: Option<Arc<dyn ProvideCredentials>>,
    /// Timeout and output limit of the default chain's `credential_process`.
    pub(crate) credential_process: ProcessLimits,
    /// The environment `from_env` built the default chain from, while `credentials` is it.
    pub(crate) default_chain_env: Option<Env>,
    pub(crate) endpoint_url: Option<String>,
    /// Whether the service-specific `AWS_ENDPOINT_URL_<SERVICE>` variable is consulted.
    pub(crate) endpoint_from_env: bool,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    pub(crate) max_attempts: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) retry_mode: RetryMode,
    /// Calls per second, by operation name.
    pub(crate) operation_rate_limits: Vec<(String, f64)>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) stalled_stream: StalledStreamProtection,
    pub(crate) max_response_size: u64,
    pub(crate) max_response_depth: usize,
    /// The HTTP client and its connection pool, built on first use and shared by every clone of
    /// this config (and so by every client, of any service, built from it). Each
    /// [`ConfigBuilder::build`] starts a new one, since the builder may change its timeouts.
    pub(crate) http: Arc<std::sync::OnceLock<Result<reqwest::Client, String>>>,
    /// A plugged-in HTTP client ([`ConfigBuilder::http_client`]); reqwest when `None`.
    pub(crate) http_client: Option<super::http::SharedHttpClient>,
    /// Mocked responses (feature `test-util`, [`ConfigBuilder::mock_responses`]).
    #[cfg(feature = "test-util")]
    pub(crate) mock: Option<Arc<super::test_util::MockResponseInterceptor>>,
    pub(crate) time_source: Arc<dyn TimeSource>,
    pub(crate) sleep: Arc<dyn Sleep>,
    pub(crate) validation: bool,
    /// Source of `@idempotencyToken` values the caller left unset (default: random v4 UUIDs).
    pub(crate) idempotency_token: Option<IdempotencyTokenProvider>,
    pub(crate) disable_request_compression: bool,
    pub(crate) request_min_compression_size: u32,
}

/// See `Config::aws_views`.
#[derive(Debug)]
struct AwsViews {
    retry: RetryConfig,
    timeout: TimeoutConfig,
}

/// The default [`ConfigBuilder::max_response_size`]: 32 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 32 * 1024 * 1024;

/// The default `max_response_depth`: AWS responses nest a few levels, at most a few dozen. The
/// configuration owns it; every response reader honours it.
pub const DEFAULT_MAX_RESPONSE_DEPTH: usize = 128;

/// How slow a response body may arrive before the attempt is given up (see
/// [Timeouts](self#timeouts)). The default is [`StalledStreamProtection::enabled`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StalledStreamProtection {
    min_bytes_per_sec: u64,
    grace_period: Duration,
    enabled: bool,
}

impl StalledStreamProtection {
    /// On, with the defaults: at least 1 KiB/s over every 5 s window.
    pub const fn enabled() -> Self {
        StalledStreamProtection {
            min_bytes_per_sec: 1024,
            grace_period: Duration::from_secs(5),
            enabled: true,
        }
    }

    /// Off: a body may take as long as it likes (`read_timeout` still bounds each pause).
    pub const fn disabled() -> Self {
        StalledStreamProtection {
            enabled: false,
            ..Self::enabled()
        }
    }

    /// The minimum average pace, in bytes per second, over each window.
    pub const fn min_bytes_per_sec(mut self, n: u64) -> Self {
        self.min_bytes_per_sec = n;
        self
    }

    /// The window length (at least 1 ms): a body slower than the minimum fails about this long
    /// after it starts or slows down.
    pub fn grace_period(mut self, d: Duration) -> Self {
        self.grace_period = d.max(Duration::from_millis(1));
        self
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    pub fn get_min_bytes_per_sec(&self) -> u64 {
        self.min_bytes_per_sec
    }

    pub fn get_grace_period(&self) -> Duration {
        self.grace_period
    }
}

impl Default for StalledStreamProtection {
    fn default() -> Self {
        Self::enabled()
    }
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
            .field("credential_process", &self.credential_process)
            .field("endpoint_url", &self.endpoint_url)
            .field("use_fips", &self.use_fips)
            .field("use_dual_stack", &self.use_dual_stack)
            .field("max_attempts", &self.max_attempts)
            .field("retry_mode", &self.retry_mode)
            .field("initial_backoff", &self.initial_backoff)
            .field("max_backoff", &self.max_backoff)
            .field("operation_rate_limits", &self.operation_rate_limits)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("stalled_stream_protection", &self.stalled_stream)
            .field("max_response_size", &self.max_response_size)
            .field("max_response_depth", &self.max_response_depth)
            .field("validation", &self.validation)
            .field("http_client", &self.http_client)
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
            behavior_version: None,
            credentials: None,
            credential_process: ProcessLimits::default(),
            default_chain_env: None,
            endpoint_url: None,
            endpoint_from_env: false,
            use_fips: false,
            use_dual_stack: false,
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            retry_mode: RetryMode::Standard,
            operation_rate_limits: Vec::new(),
            connect_timeout: Duration::from_millis(3100),
            read_timeout: Some(Duration::from_secs(60)),
            attempt_timeout: None,
            operation_timeout: None,
            stalled_stream: StalledStreamProtection::default(),
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            max_response_depth: DEFAULT_MAX_RESPONSE_DEPTH,
            http: Arc::default(),
            http_client: None,
            #[cfg(feature = "test-util")]
            mock: None,
            time_source: Arc::new(SystemClock),
            sleep: Arc::new(TokioSleep),
            validation: true,
            idempotency_token: None,
            disable_request_compression: false,
            request_min_compression_size: super::compression::DEFAULT_MIN_COMPRESSION_SIZE,
            aws_views: Arc::new(AwsViews {
                retry: RetryConfig::standard(),
                timeout: TimeoutConfig::builder().build(),
            }),
        }
        .with_aws_views()
    }
}

/// A setting's value and where it came from (for error messages).
struct Setting {
    value: String,
    source: String,
}

/// Looks settings up in the environment, then in the selected profile.
struct Lookup<'a> {
    env: &'a Env,
    profile: Option<&'a Profile>,
}

impl Lookup<'_> {
    fn get(&self, var: &str, key: &str) -> Option<Setting> {
        if let Some(value) = self.env.get(var) {
            return Some(Setting {
                value,
                source: var.to_owned(),
            });
        }
        let profile = self.profile?;
        let prop = profile.property(key)?;
        let value = prop.value().trim();
        if value.is_empty() {
            return None;
        }
        Some(Setting {
            value: value.to_owned(),
            source: format!("{key} (profile `{}`, {})", profile.name(), prop.location()),
        })
    }

    fn string(&self, var: &str, key: &str) -> Option<String> {
        self.get(var, key).map(|s| s.value)
    }

    fn parse<T>(
        &self,
        var: &str,
        key: &str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ConfigError> {
        match self.get(var, key) {
            None => Ok(None),
            Some(s) => match parse(&s.value) {
                Some(v) => Ok(Some(v)),
                None => Err(ConfigError::InvalidSetting {
                    name: s.source,
                    value: s.value,
                    reason: expected.to_owned(),
                }),
            },
        }
    }

    fn bool(&self, var: &str, key: &str) -> Result<Option<bool>, ConfigError> {
        self.parse(var, key, "expected true or false", |v| {
            match v.to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }
        })
    }
}

impl Config {
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            conf: Config::default(),
        }
    }

    /// Configuration from the process environment and the shared config files: see the
    /// [module docs](self) for every key. Credentials come from the
    /// [default chain](super::credentials::DefaultCredentialsChain) (environment, shared files,
    /// `credential_process`), resolved at the first call, not here.
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::from_env_with(Env::process())
    }

    /// [`Config::from_env`] reading `env` instead of the process environment (the shared files
    /// are those `env` points at, through `HOME`, `AWS_CONFIG_FILE` and
    /// `AWS_SHARED_CREDENTIALS_FILE`).
    pub fn from_env_with(env: Env) -> Result<Config, ConfigError> {
        let profiles =
            ProfileSet::load(&env).map_err(|e| ConfigError::ProfileFile(e.to_string()))?;
        let s = Lookup {
            env: &env,
            profile: profiles.selected(),
        };
        let mut conf = Config {
            region: env
                .get("AWS_REGION")
                .or_else(|| s.string("AWS_DEFAULT_REGION", "region"))
                .map(Region::new),
            credentials: Some(Arc::new(DefaultCredentialsChain::with_env(env.clone()))),
            default_chain_env: Some(env.clone()),
            endpoint_url: s.string("AWS_ENDPOINT_URL", "endpoint_url"),
            endpoint_from_env: true,
            ..Config::default()
        };
        conf.use_fips = s
            .bool("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")?
            .unwrap_or(false);
        conf.use_dual_stack = s
            .bool("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")?
            .unwrap_or(false);
        if let Some(n) = s.parse(
            "AWS_MAX_ATTEMPTS",
            "max_attempts",
            "expected a whole number of at least 1",
            |v| v.parse::<u32>().ok().filter(|n| *n >= 1),
        )? {
            conf.max_attempts = n;
        }
        if let Some(mode) = s.parse(
            "AWS_RETRY_MODE",
            "retry_mode",
            "expected standard or adaptive",
            |v| v.parse::<RetryMode>().ok(),
        )? {
            conf.retry_mode = mode;
        }
        conf.disable_request_compression = s
            .bool(
                "AWS_DISABLE_REQUEST_COMPRESSION",
                "disable_request_compression",
            )?
            .unwrap_or(false);
        let max = super::compression::MAX_MIN_COMPRESSION_SIZE;
        if let Some(n) = s.parse(
            "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
            "request_min_compression_size_bytes",
            &format!("expected a whole number from 0 to {max}"),
            |v| v.parse::<u32>().ok().filter(|n| *n <= max),
        )? {
            conf.request_min_compression_size = n;
        }
        Ok(conf.with_aws_views())
    }

    /// The region requests are signed for and sent to.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The behavior version given to [`ConfigBuilder::behavior_version`], if any (it changes
    /// nothing here; see there).
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }

    /// The retry settings as aws-smithy-types' [`RetryConfig`] (attempts, backoff, mode), as
    /// aws-sdk-ses's `Config::retry_config` gives them.
    pub fn retry_config(&self) -> Option<&RetryConfig> {
        Some(&self.aws_views.retry)
    }

    /// The timeouts as aws-smithy-types' [`TimeoutConfig`], as aws-sdk-ses's
    /// `Config::timeout_config` gives them.
    pub fn timeout_config(&self) -> Option<&TimeoutConfig> {
        Some(&self.aws_views.timeout)
    }

    /// This config with its aws-smithy views made from its own settings (after every change:
    /// `ConfigBuilder::build` and `from_env` call it).
    fn with_aws_views(mut self) -> Self {
        let mode = match self.retry_mode {
            RetryMode::Standard => retry::RetryMode::Standard,
            RetryMode::Adaptive => retry::RetryMode::Adaptive,
        };
        let mut timeout = TimeoutConfig::builder();
        timeout
            .set_connect_timeout(Some(self.connect_timeout))
            .set_read_timeout(self.read_timeout)
            .set_operation_timeout(self.operation_timeout)
            .set_operation_attempt_timeout(self.attempt_timeout);
        self.aws_views = Arc::new(AwsViews {
            retry: RetryConfig::standard()
                .with_retry_mode(mode)
                .with_max_attempts(self.max_attempts)
                .with_initial_backoff(self.initial_backoff)
                .with_max_backoff(self.max_backoff),
            timeout: timeout.build(),
        });
        self
    }

    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub fn retry_mode(&self) -> RetryMode {
        self.retry_mode
    }

    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The rate limit (calls per second) set for `operation`, if any.
    pub fn operation_rate_limit(&self, operation: &str) -> Option<f64> {
        self.operation_rate_limits
            .iter()
            .find(|(name, _)| name == operation)
            .map(|(_, rate)| *rate)
    }

    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    pub fn read_timeout(&self) -> Option<Duration> {
        self.read_timeout
    }

    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }

    /// See [Timeouts](self#timeouts).
    pub fn stalled_stream_protection(&self) -> StalledStreamProtection {
        self.stalled_stream
    }

    /// The HTTP client (and its connection pool) of this config, built on first use with its
    /// connect and read timeouts, then shared by every client built from this config.
    pub(crate) fn http(&self) -> Result<&reqwest::Client, &str> {
        self.http
            .get_or_init(|| super::http::build_reqwest(self.connect_timeout, self.read_timeout))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The largest response body accepted, in bytes. See [Limits](self#limits-on-responses).
    pub fn max_response_size(&self) -> u64 {
        self.max_response_size
    }

    /// The deepest XML nesting accepted in a response. See [Limits](self#limits-on-responses).
    pub fn max_response_depth(&self) -> usize {
        self.max_response_depth
    }

    /// Whether a credentials source is configured.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// See [`ConfigBuilder::credential_process_timeout`].
    pub fn credential_process_timeout(&self) -> Duration {
        self.credential_process.timeout
    }

    /// See [`ConfigBuilder::credential_process_output_limit`].
    pub fn credential_process_output_limit(&self) -> usize {
        self.credential_process.output_limit
    }

    /// A builder starting from this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder { conf: self.clone() }
    }
}

/// A region name (`us-east-1`), with the API of aws-types' `Region`; with the
/// `aws-config-bridge` feature it is that type, so aws-config and this client share it.
#[cfg(not(feature = "aws-config-bridge"))]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(std::borrow::Cow<'static, str>);

#[cfg(not(feature = "aws-config-bridge"))]
impl Region {
    pub fn new(region: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        Region(region.into())
    }

    pub const fn from_static(region: &'static str) -> Self {
        Region(std::borrow::Cow::Borrowed(region))
    }
}

#[cfg(not(feature = "aws-config-bridge"))]
impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(not(feature = "aws-config-bridge"))]
impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// aws-types' region (feature `aws-config-bridge`).
#[cfg(feature = "aws-config-bridge")]
pub use aws_types::region::Region;

/// What [`ConfigBuilder::region`] accepts: a [`Region`], `Option<Region>`, `&str` or `String`.
pub trait IntoRegion {
    fn into_region(self) -> Option<Region>;
}

impl IntoRegion for Region {
    fn into_region(self) -> Option<Region> {
        Some(self)
    }
}

impl IntoRegion for Option<Region> {
    fn into_region(self) -> Option<Region> {
        self
    }
}

impl IntoRegion for &str {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self.to_owned()))
    }
}

impl IntoRegion for String {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self))
    }
}

impl IntoRegion for &String {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self.clone()))
    }
}

/// aws-smithy-runtime-api's behavior version, accepted by [`ConfigBuilder::behavior_version`].
pub use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;

/// The HTTP layer: this crate's [`HttpClient`](super::http::HttpClient) trait (plug one in with
/// [`ConfigBuilder::http_client`]; aws-sdk-ses's trait of that name is aws-smithy's, with another
/// signature) and the [`HttpResponse`](super::error::HttpResponse) errors carry.
pub mod http {
    pub use super::super::error::HttpResponse;
    pub use super::super::http::{HttpClient, HttpFuture};
}

/// aws-smithy-types' retry configuration, as aws-sdk-ses's `config::retry` has it.
pub mod retry {
    pub use aws_smithy_types::retry::{ReconnectMode, RetryConfig, RetryConfigBuilder, RetryMode};
}

/// aws-smithy-types' timeout configuration, as aws-sdk-ses's `config::timeout` has it.
pub mod timeout {
    pub use aws_smithy_types::timeout::{TimeoutConfig, TimeoutConfigBuilder};
}

use self::retry::RetryConfig;
use self::timeout::TimeoutConfig;

/// Builds a [`Config`].
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    conf: Config,
}

/// The name aws-sdk-ses gives the config builder (`config::Builder`): the same type.
pub use self::ConfigBuilder as Builder;

impl ConfigBuilder {
    /// The region: a [`Region`] as with aws-sdk-ses (`Region::new("eu-west-1")`), an
    /// `Option<Region>` (`None` clears it), or a plain `&str` / `String`.
    pub fn region(mut self, region: impl IntoRegion) -> Self {
        self.conf.region = region.into_region();
        self
    }

    /// Sets or clears the region.
    pub fn set_region(&mut self, region: Option<Region>) -> &mut Self {
        self.conf.region = region;
        self
    }

    /// Accepted for source compatibility with aws-sdk-ses, where it selects defaults that
    /// change between releases (`BehaviorVersion::latest()`). This client's defaults are
    /// documented in this module and change only with a release note, so the value is kept
    /// ([`Config::behavior_version`]) and changes nothing.
    pub fn behavior_version(mut self, version: BehaviorVersion) -> Self {
        self.conf.behavior_version = Some(version);
        self
    }

    /// Attempts, backoff and retry mode from aws-smithy-types' [`RetryConfig`], as aws-sdk-ses
    /// takes them (`RetryConfig::standard().with_max_attempts(5)`, `RetryConfig::disabled()`).
    /// Same as [`max_attempts`](Self::max_attempts), [`initial_backoff`](Self::initial_backoff),
    /// [`max_backoff`](Self::max_backoff) and [`retry_mode`](Self::retry_mode) together; the
    /// reconnect mode is not used (connections are pooled by the HTTP client).
    pub fn retry_config(self, config: RetryConfig) -> Self {
        let mode = match config.mode() {
            retry::RetryMode::Adaptive => RetryMode::Adaptive,
            _ => RetryMode::Standard,
        };
        self.max_attempts(config.max_attempts())
            .initial_backoff(config.initial_backoff())
            .max_backoff(config.max_backoff())
            .retry_mode(mode)
    }

    /// Timeouts from aws-smithy-types' [`TimeoutConfig`], as aws-sdk-ses takes them
    /// (`TimeoutConfig::builder().operation_timeout(d).build()`). A timeout the config leaves
    /// unset keeps this builder's value; one it disables (`disable_read_timeout()`, ...) is
    /// turned off, except the connect timeout, which is always bounded here (a disabled one
    /// keeps its current value).
    pub fn timeout_config(mut self, config: TimeoutConfig) -> Self {
        let pick = |set: Option<Duration>, disabled: bool, current: Option<Duration>| match set {
            Some(d) => Some(d),
            None if disabled => None,
            None => current,
        };
        let b = config.to_builder();
        // `TimeoutConfig` does not say "disabled" and "unset" apart through its getters; its
        // builder does, through `take_unset_from`: what stays `None` after taking from a
        // config that sets everything was disabled.
        let probe = b
            .clone()
            .take_unset_from(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::MAX)
                    .read_timeout(Duration::MAX)
                    .operation_timeout(Duration::MAX)
                    .operation_attempt_timeout(Duration::MAX),
            )
            .build();
        if let Some(d) = config.connect_timeout() {
            self.conf.connect_timeout = d;
        }
        self.conf.read_timeout = pick(
            config.read_timeout(),
            probe.read_timeout().is_none(),
            self.conf.read_timeout,
        );
        self.conf.operation_timeout = pick(
            config.operation_timeout(),
            probe.operation_timeout().is_none(),
            self.conf.operation_timeout,
        );
        self.conf.attempt_timeout = pick(
            config.operation_attempt_timeout(),
            probe.operation_attempt_timeout().is_none(),
            self.conf.attempt_timeout,
        );
        self
    }

    /// Fixed credentials; they replace any provider, the default chain of `from_env` included.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.conf.credentials = Some(Arc::new(credentials));
        self.conf.default_chain_env = None;
        self
    }

    /// Any source of credentials, behind a cache ([`CachingProvider`]: asked again shortly
    /// before the credentials it gave expire, or after 15 minutes for credentials without an
    /// expiry). Every client built from this config, of any service, shares that cache: the
    /// provider is asked once for all of them.
    ///
    /// [`CachingProvider`]: super::credentials::CachingProvider
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.conf.credentials = Some(Arc::new(super::credentials::CachingProvider::new(provider)));
        self.conf.default_chain_env = None;
        self
    }

    /// How long the default chain's `credential_process` may run (default 60 s) before it is
    /// killed, with its process group on Unix, and the call fails; calls waiting for that
    /// refresh give up 10 s later. It applies to the chain [`Config::from_env`] sets up (start
    /// from `Config::from_env()?.to_builder()`); a provider passed to `credentials_provider`
    /// has its own (`DefaultCredentialsChain::with_process_timeout`,
    /// `ProcessProvider::with_timeout`).
    pub fn credential_process_timeout(mut self, timeout: Duration) -> Self {
        self.conf.credential_process.timeout = timeout;
        self.rebuild_default_chain()
    }

    /// How many bytes the default chain's `credential_process` may write to standard output
    /// (default 64 KiB) before it is killed and the call fails. Applies like
    /// [`credential_process_timeout`](Self::credential_process_timeout).
    pub fn credential_process_output_limit(mut self, bytes: usize) -> Self {
        self.conf.credential_process.output_limit = bytes;
        self.rebuild_default_chain()
    }

    /// The default chain of `from_env` again, with the current `credential_process` limits.
    fn rebuild_default_chain(mut self) -> Self {
        if let Some(env) = &self.conf.default_chain_env {
            let chain = DefaultCredentialsChain::with_env(env.clone())
                .with_process_limits(self.conf.credential_process);
            self.conf.credentials = Some(Arc::new(chain));
        }
        self
    }

    /// Sends every request through `client` instead of the built-in reqwest client (a proxy
    /// layer, a recording client in tests, another HTTP stack). It receives each attempt's
    /// signed request whole and returns the whole response; retries, timeouts per attempt and
    /// per operation, the response size limit and parsing still apply. The built-in client's
    /// connect and read timeouts and stalled-stream protection are then the plugged-in
    /// client's to provide. See [`crate::http`].
    pub fn http_client(mut self, client: impl super::http::HttpClient + 'static) -> Self {
        self.conf.http_client = Some(super::http::SharedHttpClient(Arc::new(client)));
        self
    }

    /// Answers calls with the rules of `mocks` instead of any HTTP (feature `test-util`; use
    /// the `mock_client!` macro, which calls this).
    #[cfg(feature = "test-util")]
    pub fn mock_responses(mut self, mocks: super::test_util::MockResponseInterceptor) -> Self {
        self.conf.mock = Some(Arc::new(mocks));
        self
    }

    /// Settings for tests (feature `test-util`): region `us-east-1`, fixed test credentials, an
    /// endpoint nothing listens on (`http://127.0.0.1:1`: a request that escapes the mocks fails
    /// at once instead of reaching a network), no backoff between retries.
    #[cfg(feature = "test-util")]
    pub fn with_test_defaults(self) -> Self {
        self.region(Region::from_static("us-east-1"))
            .credentials(Credentials::new(
                "ATESTKEYID",
                "atestsecretkey",
                None,
                None,
                "test-util",
            ))
            .endpoint_url("http://127.0.0.1:1")
            .initial_backoff(Duration::ZERO)
            .max_backoff(Duration::ZERO)
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

    /// Longest wait for the response to start and then between reads of its body (default
    /// 60 s); `None` waits forever. See [Timeouts](self#timeouts).
    pub fn read_timeout(mut self, d: Option<Duration>) -> Self {
        self.conf.read_timeout = d;
        self
    }

    /// The minimum pace of a response body (default: 1 KiB/s over any 5 s window), or
    /// [`StalledStreamProtection::disabled`]. See [Timeouts](self#timeouts).
    pub fn stalled_stream_protection(mut self, p: StalledStreamProtection) -> Self {
        self.conf.stalled_stream = p;
        self
    }

    /// The largest response body accepted, in bytes (default 32 MiB). See
    /// [Limits](self#limits-on-responses).
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.conf.max_response_size = bytes;
        self
    }

    /// The deepest XML nesting accepted in a response (default 128; at least 1). See
    /// [Limits](self#limits-on-responses).
    pub fn max_response_depth(mut self, depth: usize) -> Self {
        self.conf.max_response_depth = depth.max(1);
        self
    }

    /// Standard (default) or adaptive retries; see [`super::retry`].
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.conf.retry_mode = mode;
        self
    }

    /// Sends at most `per_second` attempts of `operation` (its action name, e.g.
    /// `SetIdentityMailFromDomain`) per second from this client, spacing them evenly across
    /// concurrent calls; retries count. A value that is not positive and finite removes the
    /// limit.
    pub fn operation_rate_limit(mut self, operation: impl Into<String>, per_second: f64) -> Self {
        let operation = operation.into();
        self.conf
            .operation_rate_limits
            .retain(|(name, _)| *name != operation);
        if per_second.is_finite() && per_second > 0.0 {
            self.conf
                .operation_rate_limits
                .push((operation, per_second));
        }
        self
    }

    /// The clock used for signing, clock-skew correction, credential expiry and rate limiting
    /// (default: [`SystemClock`]).
    pub fn time_source(mut self, clock: impl TimeSource + 'static) -> Self {
        self.conf.time_source = Arc::new(clock);
        self
    }

    /// The async sleep used for retry backoff and rate-limit waits (default: [`TokioSleep`]).
    pub fn sleep_impl(mut self, sleep: impl Sleep + 'static) -> Self {
        self.conf.sleep = Arc::new(sleep);
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

    pub fn build(mut self) -> Config {
        self.conf.http = Arc::default();
        self.conf.with_aws_views()
    }
}

/// aws-config's shared configuration (feature `aws-config-bridge`).
#[cfg(feature = "aws-config-bridge")]
pub use aws_types::SdkConfig;

/// A builder from aws-config's `SdkConfig` (feature `aws-config-bridge`), as
/// `aws_sdk_ses::config::Builder::from(&sdk_config)`: its region, credentials provider (behind
/// this crate's cache, so IMDS, ECS, SSO, web identity and assume-role work through aws-config),
/// endpoint URL, retry and timeout settings, FIPS, dual-stack and behavior version. The rest
/// keeps this crate's defaults. aws-config has already read the environment and the shared
/// files, so nothing is read again here.
#[cfg(feature = "aws-config-bridge")]
impl From<&aws_types::SdkConfig> for ConfigBuilder {
    fn from(sdk: &aws_types::SdkConfig) -> Self {
        let mut b = Config::builder().region(sdk.region().cloned());
        if let Some(provider) = sdk.credentials_provider() {
            b = b.credentials_provider(super::credentials::bridge::AwsCredentialsBridge::new(
                provider,
            ));
        }
        if let Some(url) = sdk.endpoint_url() {
            b = b.endpoint_url(url);
        }
        if let Some(retry) = sdk.retry_config() {
            b = b.retry_config(retry.clone());
        }
        if let Some(timeouts) = sdk.timeout_config() {
            b = b.timeout_config(timeouts.clone());
        }
        if let Some(fips) = sdk.use_fips() {
            b = b.use_fips(fips);
        }
        if let Some(dual) = sdk.use_dual_stack() {
            b = b.use_dual_stack(dual);
        }
        if let Some(v) = sdk.behavior_version() {
            b = b.behavior_version(v);
        }
        b
    }
}

#[cfg(feature = "aws-config-bridge")]
impl From<&aws_types::SdkConfig> for Config {
    fn from(sdk: &aws_types::SdkConfig) -> Self {
        ConfigBuilder::from(sdk).build()
    }
}

#[cfg(test)]
mod tests {
    use super::super::credentials::test_support::TempDir;
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Env {
        Env::from_vars(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    #[test]
    fn retry_and_timeout_configs_in_aws_smithys_types() {
        use super::retry::RetryConfig;
        use super::timeout::TimeoutConfig;
        let conf = Config::builder()
            .retry_config(
                RetryConfig::adaptive()
                    .with_max_attempts(5)
                    .with_initial_backoff(Duration::from_millis(50))
                    .with_max_backoff(Duration::from_secs(2)),
            )
            .build();
        assert_eq!(conf.max_attempts(), 5);
        assert_eq!(conf.retry_mode(), RetryMode::Adaptive);
        assert_eq!(conf.initial_backoff(), Duration::from_millis(50));
        assert_eq!(conf.max_backoff(), Duration::from_secs(2));
        assert_eq!(conf.retry_config().map(|r| r.max_attempts()), Some(5));
        let off = Config::builder()
            .retry_config(RetryConfig::disabled())
            .build();
        assert_eq!(off.max_attempts(), 1);

        // Unset keeps the current value; disabled turns it off (but connect stays bounded).
        let conf = Config::builder()
            .attempt_timeout(Duration::from_secs(9))
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(Duration::from_secs(20))
                    .disable_read_timeout()
                    .disable_connect_timeout()
                    .build(),
            )
            .build();
        assert_eq!(conf.operation_timeout(), Some(Duration::from_secs(20)));
        assert_eq!(conf.attempt_timeout(), Some(Duration::from_secs(9)));
        assert_eq!(conf.read_timeout(), None);
        assert_eq!(conf.connect_timeout(), Duration::from_millis(3100));
        let t = conf.timeout_config().expect("always set");
        assert_eq!(t.operation_timeout(), Some(Duration::from_secs(20)));
        assert_eq!(t.operation_attempt_timeout(), Some(Duration::from_secs(9)));
    }

    #[test]
    fn region_takes_a_region_an_option_or_a_str_and_behavior_version_is_kept() {
        let b = Config::builder().region(Region::new("eu-west-1"));
        assert_eq!(b.build().region(), Some(&Region::from_static("eu-west-1")));
        let b = Config::builder().region("eu-west-1").region(None::<Region>);
        assert_eq!(b.build().region(), None);
        let b = Config::builder().region(String::from("ap-south-1"));
        assert_eq!(
            b.build().region().map(|r| r.to_string()),
            Some("ap-south-1".to_owned())
        );
        let conf = Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .build();
        assert_eq!(conf.behavior_version(), Some(BehaviorVersion::latest()));
    }

    #[test]
    fn builder_is_also_reachable_as_aws_sdk_names_it() {
        let b: Builder = Config::builder().region("eu-west-1");
        assert_eq!(b.build().region().map(|r| r.as_ref()), Some("eu-west-1"));
    }

    #[test]
    fn clones_share_one_http_client_and_one_credentials_cache() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let conf = Config::builder()
            .region("us-east-1")
            .credentials_provider(Credentials::from_keys("AKID", "SECRET", None))
            .build();
        let (a, b) = (conf.clone(), conf.clone());
        let (ha, hb) = (a.http().unwrap(), b.http().unwrap());
        assert!(std::ptr::eq(ha, hb), "one connection pool for every clone");
        assert!(Arc::ptr_eq(
            a.credentials.as_ref().unwrap(),
            b.credentials.as_ref().unwrap()
        ));
        // A new build() may change timeouts: it gets its own client.
        let rebuilt = conf
            .to_builder()
            .connect_timeout(Duration::from_secs(1))
            .build();
        assert!(!std::ptr::eq(rebuilt.http().unwrap(), ha));
    }

    #[test]
    fn from_env_reads_variables_only_from_the_given_env() {
        let conf = Config::from_env_with(vars(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "ignored"),
            ("AWS_MAX_ATTEMPTS", "5"),
            ("AWS_RETRY_MODE", "adaptive"),
            ("AWS_USE_FIPS_ENDPOINT", "TRUE"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9"),
            ("AWS_DISABLE_REQUEST_COMPRESSION", "true"),
            ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "100"),
        ]))
        .unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("eu-west-1"));
        assert_eq!(conf.max_attempts(), 5);
        assert_eq!(conf.retry_mode(), RetryMode::Adaptive);
        assert!(conf.use_fips && !conf.use_dual_stack);
        assert_eq!(conf.endpoint_url(), Some("http://127.0.0.1:9"));
        assert!(conf.disable_request_compression);
        assert_eq!(conf.request_min_compression_size, 100);
        assert!(conf.has_credentials());

        let conf = Config::from_env_with(vars(&[("AWS_DEFAULT_REGION", "us-west-2")])).unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("us-west-2"));
        assert_eq!(conf.max_attempts(), 3);
        assert_eq!(conf.retry_mode(), RetryMode::Standard);
        let conf = Config::from_env_with(vars(&[])).unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), None);
    }

    #[test]
    fn profile_settings_feed_from_env_and_lose_to_variables() {
        let dir = TempDir::new("config-profile");
        let cfg = dir.write(
            "config",
            "[default]\nregion = us-east-2\n\
             [profile batch]\n\
             region = ap-southeast-2\n\
             max_attempts = 7\n\
             retry_mode = adaptive\n\
             use_fips_endpoint = true\n\
             endpoint_url = http://127.0.0.1:8\n\
             request_min_compression_size_bytes = 42\n",
        );
        let file = cfg.display().to_string();
        let conf = Config::from_env_with(vars(&[("AWS_CONFIG_FILE", &file)])).unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("us-east-2"));
        let conf = Config::from_env_with(vars(&[
            ("AWS_CONFIG_FILE", &file),
            ("AWS_PROFILE", "batch"),
        ]))
        .unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("ap-southeast-2"));
        assert_eq!(conf.max_attempts(), 7);
        assert_eq!(conf.retry_mode(), RetryMode::Adaptive);
        assert!(conf.use_fips);
        assert_eq!(conf.endpoint_url(), Some("http://127.0.0.1:8"));
        assert_eq!(conf.request_min_compression_size, 42);
        // Variables win over the profile.
        let conf = Config::from_env_with(vars(&[
            ("AWS_CONFIG_FILE", &file),
            ("AWS_PROFILE", "batch"),
            ("AWS_DEFAULT_REGION", "sa-east-1"),
            ("AWS_MAX_ATTEMPTS", "2"),
            ("AWS_RETRY_MODE", "standard"),
        ]))
        .unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), Some("sa-east-1"));
        assert_eq!(conf.max_attempts(), 2);
        assert_eq!(conf.retry_mode(), RetryMode::Standard);
        // A profile that does not exist contributes nothing (credentials will say why).
        let conf =
            Config::from_env_with(vars(&[("AWS_CONFIG_FILE", &file), ("AWS_PROFILE", "none")]))
                .unwrap();
        assert_eq!(conf.region().map(|r| r.as_ref()), None);
    }

    #[test]
    fn invalid_settings_name_their_source() {
        let e = Config::from_env_with(vars(&[("AWS_MAX_ATTEMPTS", "0")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid setting AWS_MAX_ATTEMPTS=\"0\": expected a whole number of at least 1"
        );
        let e = Config::from_env_with(vars(&[("AWS_RETRY_MODE", "legacy")])).unwrap_err();
        assert!(
            e.to_string().contains("expected standard or adaptive"),
            "{e}"
        );
        let e = Config::from_env_with(vars(&[("AWS_USE_FIPS_ENDPOINT", "yes")])).unwrap_err();
        assert!(e.to_string().contains("expected true or false"), "{e}");

        let dir = TempDir::new("config-invalid");
        let cfg = dir.write("config", "[default]\nregion = x\nretry_mode = fast\n");
        let e = Config::from_env_with(vars(&[("AWS_CONFIG_FILE", &cfg.display().to_string())]))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "invalid setting retry_mode (profile `default`, {}, line 3)=\"fast\": expected standard or adaptive",
                cfg.display()
            )
        );
        let bad = dir.write("bad", "[default]\nregion\n");
        let e = Config::from_env_with(vars(&[("AWS_CONFIG_FILE", &bad.display().to_string())]))
            .unwrap_err();
        assert_eq!(
            e,
            ConfigError::ProfileFile(format!(
                "{}, line 2: expected `key = value`, a `[section]` header or a comment",
                bad.display()
            ))
        );
    }

    #[tokio::test]
    async fn explicit_credentials_replace_the_chain() {
        let env = vars(&[
            ("AWS_ACCESS_KEY_ID", "FROM_ENV"),
            ("AWS_SECRET_ACCESS_KEY", "S"),
        ]);
        let conf = Config::from_env_with(env).unwrap();
        let chain = conf.credentials.clone().unwrap();
        assert_eq!(
            chain.provide_credentials().await.unwrap().access_key_id(),
            "FROM_ENV"
        );
        let conf = conf
            .to_builder()
            .credentials(Credentials::from_keys("EXPLICIT", "S", None))
            .build();
        let explicit = conf.credentials.clone().unwrap();
        assert_eq!(
            explicit
                .provide_credentials()
                .await
                .unwrap()
                .access_key_id(),
            "EXPLICIT"
        );
        // The builder alone has none (it reads nothing).
        assert!(!Config::builder().build().has_credentials());
    }

    #[test]
    fn retry_and_clock_settings() {
        let sleep = |_d: Duration| -> SleepFuture { Box::pin(async {}) };
        let fixed = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let conf = Config::builder()
            .retry_mode(RetryMode::Adaptive)
            .initial_backoff(Duration::from_millis(10))
            .max_backoff(Duration::from_millis(80))
            .operation_rate_limit("SetIdentityMailFromDomain", 1.0)
            .operation_rate_limit("SendEmail", 14.0)
            .operation_rate_limit("SendEmail", 10.0)
            .operation_rate_limit("VerifyDomainIdentity", 0.0)
            .read_timeout(None)
            .attempt_timeout(Duration::from_secs(5))
            .time_source(move || fixed)
            .sleep_impl(sleep)
            .build();
        assert_eq!(conf.retry_mode(), RetryMode::Adaptive);
        assert_eq!(conf.initial_backoff(), Duration::from_millis(10));
        assert_eq!(conf.max_backoff(), Duration::from_millis(80));
        assert_eq!(
            conf.operation_rate_limit("SetIdentityMailFromDomain"),
            Some(1.0)
        );
        assert_eq!(conf.operation_rate_limit("SendEmail"), Some(10.0));
        assert_eq!(conf.operation_rate_limit("VerifyDomainIdentity"), None);
        assert_eq!(conf.read_timeout(), None);
        assert_eq!(conf.attempt_timeout(), Some(Duration::from_secs(5)));
        assert_eq!(conf.operation_timeout(), None);
        assert_eq!(conf.connect_timeout(), Duration::from_millis(3100));
        assert_eq!(conf.time_source.now(), fixed);
        let d = Config::default();
        assert_eq!(d.read_timeout(), Some(Duration::from_secs(60)));
        assert!(d.time_source.now() > fixed);
    }

    #[test]
    fn debug_never_shows_credentials() {
        let conf = Config::builder()
            .region("us-east-1")
            .credentials(Credentials::from_keys(
                "AKID",
                "very-secret",
                Some("session-tok-value".into()),
            ))
            .build();
        let shown = format!("{conf:?}");
        assert!(shown.contains("us-east-1"));
        assert!(
            !shown.contains("very-secret")
                && !shown.contains("AKID")
                && !shown.contains("session-tok-value")
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
