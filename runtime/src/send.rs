//! `send`: the request path every operation shares: validate, build, resolve the endpoint, sign,
//! send, retry, parse. Generated code describes an operation with a static [`Operation`] and
//! calls [`Handle::invoke`].
//!
//! Protocol-neutral: the request's method, path, headers and body come from the operation's
//! `build` ([`RequestParts`]), and the response goes to its `parse` ([`Response`] in,
//! [`Parsed`] out). Which protocol those are (`crate::protocol`) is not known here; no codec
//! or protocol module imports this one.

use std::fmt;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use tracing::Instrument;

use super::config::{Config, StalledStreamProtection};
use super::endpoint::{self, Params, RuleSet};
use super::error::{
    self, ConfigError, DispatchFailure, DispatchKind, HttpResponse, ResponseError, SdkError,
    TimeoutError, ValidationError,
};
use super::protocol::{Limits, Parsed, Response};
use super::retry;
use super::sign::{self, SigningContext, SigningInput};
use super::validate::{Violation, Violations};

pub use super::request::{PreparedRequest, RequestParts, ResolvedEndpoint};

/// What generated code knows about the service.
#[derive(Debug)]
pub struct ServiceSpec {
    pub sdk_id: &'static str,
    pub api_version: &'static str,
    pub signing_name: &'static str,
    pub endpoint_prefix: &'static str,
    /// `SES` in `AWS_ENDPOINT_URL_SES`.
    pub env_suffix: &'static str,
    pub endpoint_rules: &'static RuleSet,
}

/// Computes an operation's host prefix from its input (`@endpoint(hostPrefix)`).
pub type HostPrefixFn<I> = fn(&I) -> Result<String, Violation>;

/// Adds the endpoint rule parameters an operation sets to `params` (empty when called):
/// `smithy.rules#staticContextParams` and the values `smithy.rules#contextParam` and
/// `smithy.rules#operationContextParams` take from the input, by parameter name
/// ([`Params::named`]; [`Params::built_ins`] is read too, the typed fields are not).
pub type EndpointParamsFn<I> = fn(&I, &mut Params);

/// How many endpoints resolved with operation parameters a [`Handle`] keeps (least recently
/// used first out).
pub const ENDPOINT_CACHE_SIZE: usize = 16;

/// An endpoint resolved with an operation's parameters, or why none was.
type CallEndpoint = Result<Arc<ResolvedEndpoint>, ConfigError>;

/// Fills an input's unset `@idempotencyToken` members from a token source.
pub type FillIdempotencyFn<I> = fn(&mut I, &dyn Fn() -> String);

/// Builds an operation's request from its input, the protocol's way (see [`Operation::build`]).
pub type BuildFn<I> = fn(&I, &ServiceSpec) -> Result<RequestParts, Violation>;

/// Reads an operation's response, the protocol's way (see [`Operation::parse`]).
pub type ParseFn<O, E> = for<'a> fn(&Response<'a>, Limits) -> Parsed<O, E>;

/// One operation, as generated code describes it: its name and the typed functions that
/// validate its input, build its request and parse its response. `build` and `parse` are the
/// protocol's (the `operation!` macro fills them with calls into `crate::protocol`); the rest is
/// protocol-neutral.
pub struct Operation<I, O, E> {
    pub name: &'static str,
    pub validate: fn(&mut Violations, &str, &I),
    /// The input as a request: method, path and query, headers, body. An error is a member the
    /// protocol cannot place (reported like a validation error).
    pub build: BuildFn<I>,
    /// A response as the output, a service error, or why it is neither.
    pub parse: ParseFn<O, E>,
    /// `@endpoint(hostPrefix)`: the prefix for this input (host labels filled in and
    /// validated), put in front of the endpoint's host.
    pub host_prefix: Option<HostPrefixFn<I>>,
    /// The endpoint rule parameters of the operation and its input. With them the endpoint
    /// is resolved for the call (the client's built-ins and custom endpoint, plus these; cached
    /// by their values, see [`ENDPOINT_CACHE_SIZE`]); without, the client's one endpoint is used.
    pub endpoint_params: Option<EndpointParamsFn<I>>,
    /// `@idempotencyToken` members: fills those left unset from the token source.
    pub fill_idempotency: Option<FillIdempotencyFn<I>>,
    /// `@requestCompression` with `gzip` among its encodings.
    pub compression: bool,
}

/// Parses a complete HTTP response into the operation's output or error, as `invoke` does.
pub fn parse_http_response<I, O: SetRequestId, E>(
    op: &'static Operation<I, O, E>,
    status: u16,
    request_id_header: Option<String>,
    body: &[u8],
) -> Result<O, SdkError<E>> {
    let head = ResponseInfo {
        request_id: request_id_header,
        ..ResponseInfo::default()
    };
    parse_response(op, status, &head, body, Limits::default()).map_err(|a| a.error)
}

/// [`parse_http_response`] with every header of the response (protocols read error names and
/// codes from headers).
pub fn parse_http_response_with_headers<I, O: SetRequestId, E>(
    op: &'static Operation<I, O, E>,
    status: u16,
    headers: http::HeaderMap,
    body: &[u8],
) -> Result<O, SdkError<E>> {
    let request_id = ["x-amzn-requestid", "x-amz-request-id"]
        .iter()
        .find_map(|n| headers.get(*n)?.to_str().ok())
        .map(str::to_owned);
    let head = ResponseInfo {
        headers,
        request_id,
        ..ResponseInfo::default()
    };
    parse_response(op, status, &head, body, Limits::default()).map_err(|a| a.error)
}

/// How clients, builders, paginators and waiters hold the shared state.
pub type SharedHandle = std::sync::Arc<Handle>;

/// Shared state behind a client: configuration, connection pool, resolved endpoint.
pub struct Handle {
    conf: Config,
    service: &'static ServiceSpec,
    /// The client's built-ins and custom endpoint as rule parameters, read once.
    base_params: OnceLock<Result<Params, ConfigError>>,
    endpoint: OnceLock<Result<Arc<ResolvedEndpoint>, ConfigError>>,
    /// Endpoints resolved with operation parameters, by those parameters: least recently used
    /// first, at most [`ENDPOINT_CACHE_SIZE`].
    call_endpoints: Mutex<Vec<(Params, CallEndpoint)>>,
    /// The endpoint URL parsed once, so requests to it skip URL parsing.
    endpoint_url: OnceLock<Option<reqwest::Url>>,
    /// The retry quota (standard and adaptive modes).
    retry: retry::RetryState,
    /// Adaptive mode's client-side rate limiter.
    adaptive: Option<retry::AdaptiveRateLimiter>,
    /// `Config::operation_rate_limit`s, by operation name.
    operation_limits: Vec<(String, retry::OperationRateLimiter)>,
    /// Server time minus local time, in milliseconds, learned from a clock-skew error; added to
    /// the signing time.
    clock_skew_ms: AtomicI64,
    /// The SigV4 signing key of the day, region and service (see `sign_fast`).
    signing_keys: super::sign_fast::SigningKeyCache,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("service", &self.service.sdk_id)
            .field("conf", &self.conf)
            .finish()
    }
}

impl Handle {
    pub fn new(conf: Config, service: &'static ServiceSpec) -> Self {
        let adaptive = (conf.retry_mode == retry::RetryMode::Adaptive)
            .then(|| retry::AdaptiveRateLimiter::new(conf.time_source.now()));
        let operation_limits = conf
            .operation_rate_limits
            .iter()
            .filter_map(|(name, rate)| {
                retry::OperationRateLimiter::new(*rate).map(|l| (name.clone(), l))
            })
            .collect();
        Handle {
            conf,
            service,
            base_params: OnceLock::new(),
            endpoint: OnceLock::new(),
            call_endpoints: Mutex::new(Vec::new()),
            endpoint_url: OnceLock::new(),
            signing_keys: super::sign_fast::SigningKeyCache::new(),
            retry: retry::RetryState::new(),
            adaptive,
            operation_limits,
            clock_skew_ms: AtomicI64::new(0),
        }
    }

    /// The clock offset (server time minus local time, in milliseconds) learned from a
    /// clock-skew error; 0 until one happens.
    pub fn clock_skew_millis(&self) -> i64 {
        self.clock_skew_ms.load(Ordering::Relaxed)
    }

    /// The signing clock: the configured time source, corrected by the learned skew.
    fn signing_time(&self) -> SystemTime {
        shift(
            self.conf.time_source.now(),
            self.clock_skew_ms.load(Ordering::Relaxed),
        )
    }

    pub fn config(&self) -> &Config {
        &self.conf
    }

    /// The endpoint for this configuration, resolved once from the service's rule set (the
    /// endpoint of every operation that sets no endpoint parameters).
    pub fn endpoint(&self) -> Result<&ResolvedEndpoint, ConfigError> {
        self.client_endpoint().map(|e| &**e)
    }

    fn base_params(&self) -> Result<&Params, ConfigError> {
        self.base_params
            .get_or_init(|| base_params(&self.conf, self.service))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn client_endpoint(&self) -> Result<&Arc<ResolvedEndpoint>, ConfigError> {
        self.endpoint
            .get_or_init(|| {
                let base = self.base_params()?;
                resolve_endpoint(base, self.service).map(Arc::new)
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The endpoint operation `op` sends `input` to: the client's one endpoint when the
    /// operation sets no endpoint parameters, else the endpoint resolved with them (from the
    /// cache when the same parameter values were resolved recently).
    pub fn endpoint_for<I, O, E>(&self, op: &Operation<I, O, E>, input: &I) -> CallEndpoint {
        let Some(add) = op.endpoint_params else {
            return self.client_endpoint().cloned();
        };
        let mut extra = Params::new();
        add(input, &mut extra);
        if extra.named.is_empty() && extra.built_ins.is_empty() {
            return self.client_endpoint().cloned();
        }
        {
            let mut cache = self
                .call_endpoints
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            if let Some(i) = cache.iter().position(|(k, _)| *k == extra) {
                let hit = cache[i].1.clone();
                cache[i..].rotate_left(1);
                return hit;
            }
        }
        // Resolved outside the lock: two calls missing at once both resolve (same answer).
        let resolved = self.base_params().and_then(|base| {
            let mut params = base.clone();
            params
                .named
                .extend(extra.named.iter().map(|(k, v)| (k.clone(), v.clone())));
            params
                .built_ins
                .extend(extra.built_ins.iter().map(|(k, v)| (k.clone(), v.clone())));
            resolve_endpoint(&params, self.service).map(Arc::new)
        });
        let mut cache = self
            .call_endpoints
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if !cache.iter().any(|(k, _)| *k == extra) {
            if cache.len() >= ENDPOINT_CACHE_SIZE {
                drop(cache.remove(0));
            }
            cache.push((extra, resolved.clone()));
        }
        resolved
    }

    /// Validates and serializes an input into the request to send (unsigned): idempotency
    /// tokens filled in, host prefix applied, body compressed where the operation allows it.
    /// Nothing here touches the network; the protocol tests call it directly.
    pub fn prepare<I: Clone, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        input: &I,
    ) -> Result<PreparedRequest, SdkError<E>> {
        match op.fill_idempotency {
            None => self.build_request(op, input),
            Some(_) => self.prepare_owned(op, input.clone()),
        }
        .map(|(request, _)| request)
    }

    /// [`prepare`](Self::prepare) for an input the caller gives up.
    fn prepare_owned<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        mut input: I,
    ) -> Result<(PreparedRequest, Arc<ResolvedEndpoint>), SdkError<E>> {
        if let Some(fill) = op.fill_idempotency {
            match &self.conf.idempotency_token {
                Some(source) => fill(&mut input, &**source),
                None => fill(&mut input, &super::idempotency::random_uuid_v4),
            }
        }
        self.build_request(op, &input)
    }

    fn build_request<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        input: &I,
    ) -> Result<(PreparedRequest, Arc<ResolvedEndpoint>), SdkError<E>> {
        if self.conf.validation {
            let mut v = Violations::new();
            (op.validate)(&mut v, "", input);
            if !v.is_empty() {
                return Err(SdkError::construction_failure(ValidationError {
                    operation: op.name,
                    violations: v.into_vec(),
                }));
            }
        }
        let endpoint = self
            .endpoint_for(op, input)
            .map_err(SdkError::construction_failure)?;
        let url = match op.host_prefix {
            None => endpoint.url.clone(),
            Some(prefix) => {
                let invalid = |v: Violation| {
                    SdkError::construction_failure(ValidationError {
                        operation: op.name,
                        violations: vec![v],
                    })
                };
                let prefix = prefix(input).map_err(invalid)?;
                super::host_prefix::apply(&endpoint.url, &prefix)
                    .map_err(|e| SdkError::construction_failure(ConfigError::Endpoint(e)))?
            }
        };
        let parts = (op.build)(input, self.service).map_err(|v| {
            SdkError::construction_failure(ValidationError {
                operation: op.name,
                violations: vec![v],
            })
        })?;
        let RequestParts {
            method,
            path_and_query,
            mut headers,
            body,
        } = parts;
        let url = if path_and_query.is_empty() {
            url
        } else {
            super::request::join_url(&url, &path_and_query)
        };
        let (body, content_encoding) = self.maybe_compress(op, body);
        if let Some(encoding) = content_encoding {
            headers.push((http::header::CONTENT_ENCODING, encoding.to_owned()));
        }
        let request = PreparedRequest {
            method,
            url,
            headers,
            body: bytes::Bytes::from(body),
        };
        Ok((request, endpoint))
    }

    /// Gzips the body when the operation allows it and it is large enough (feature
    /// `request-compression`; generated code of a model with `@requestCompression` requires it).
    #[cfg(feature = "request-compression")]
    fn maybe_compress<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        body: Vec<u8>,
    ) -> (Vec<u8>, Option<&'static str>) {
        let compress = op.compression
            && !self.conf.disable_request_compression
            && super::compression::should_compress(
                body.len(),
                self.conf.request_min_compression_size,
            );
        if !compress {
            return (body, None);
        }
        match super::compression::gzip(&body) {
            Ok(packed) => (packed, Some("gzip")),
            Err(e) => {
                tracing::debug!(operation = op.name, error = %e, "gzip failed; sending uncompressed");
                (body, None)
            }
        }
    }

    #[cfg(not(feature = "request-compression"))]
    fn maybe_compress<I, O, E>(
        &self,
        _op: &'static Operation<I, O, E>,
        body: Vec<u8>,
    ) -> (Vec<u8>, Option<&'static str>) {
        (body, None)
    }

    /// Runs one operation end to end.
    pub async fn invoke<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        input: I,
    ) -> Result<O, SdkError<E>>
    where
        O: SetRequestId,
    {
        let mock = self.select_mock(op, &input)?;
        let (request, endpoint) = self.prepare_owned(op, input)?;
        let call = self.send_with_retries(op, request, &endpoint, mock);
        match self.conf.operation_timeout {
            Some(limit) => match tokio::time::timeout(limit, call).await {
                Ok(r) => r,
                Err(_) => Err(SdkError::TimeoutError(TimeoutError {
                    what: "operation",
                    after: limit,
                })),
            },
            None => call.await,
        }
    }

    /// The mock rule that answers this call, when the config has mocks (feature `test-util`).
    #[cfg(feature = "test-util")]
    fn select_mock<I: 'static, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        input: &I,
    ) -> Result<Option<MockRule>, SdkError<E>> {
        match &self.conf.mock {
            None => Ok(None),
            Some(mocks) => mocks
                .select(op.name, input)
                .map(Some)
                .map_err(SdkError::construction_failure),
        }
    }

    #[cfg(not(feature = "test-util"))]
    fn select_mock<I, O, E>(
        &self,
        _op: &'static Operation<I, O, E>,
        _input: &I,
    ) -> Result<Option<MockRule>, SdkError<E>> {
        Ok(None)
    }

    /// Sends `request` until it succeeds, fails for good, or the retry policy gives up (see
    /// [`retry`]), inside an `operation` tracing span.
    async fn send_with_retries<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        request: PreparedRequest,
        endpoint: &ResolvedEndpoint,
        mock: Option<MockRule>,
    ) -> Result<O, SdkError<E>>
    where
        O: SetRequestId,
    {
        let span = tracing::info_span!(
            "operation",
            service = self.service.sdk_id,
            operation = op.name,
            attempts = tracing::field::Empty,
            outcome = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let (result, attempts) = self
            .retry_loop(op, &request, endpoint, mock)
            .instrument(span.clone())
            .await;
        span.record("attempts", attempts);
        span.record("latency_ms", started.elapsed().as_millis() as u64);
        span.record("outcome", if result.is_ok() { "success" } else { "error" });
        result
    }

    /// The attempts of one call; returns the result and how many attempts were made.
    async fn retry_loop<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        request: &PreparedRequest,
        endpoint: &ResolvedEndpoint,
        mut mock: Option<MockRule>,
    ) -> (Result<O, SdkError<E>>, u32)
    where
        O: SetRequestId,
    {
        let mocked = mock.is_some();
        let setup = || -> Result<_, SdkError<E>> {
            let http = match (mocked, &self.conf.http_client) {
                (true, _) => Transport::Mock,
                (false, Some(client)) => Transport::Custom(&*client.0),
                (false, None) => Transport::Reqwest(self.conf.http().map_err(|e| {
                    SdkError::construction_failure(ConfigError::Http(e.to_owned()))
                })?),
            };
            let provider = self.conf.credentials.as_ref().ok_or_else(|| {
                SdkError::construction_failure(ConfigError::Credentials(
                    "no credentials provider is configured: use Config::from_env() for the \
                     default chain, or Config::builder().credentials(..)"
                        .into(),
                ))
            })?;
            Ok((http, provider))
        };
        let (http, provider) = match setup() {
            Ok(s) => s,
            Err(e) => return (Err(e), 0),
        };
        let max_attempts = self.conf.max_attempts.max(1);
        let mut attempt = 1u32;
        let mut retry_cost: Option<u32> = None;
        let mut skew_retried = false;
        loop {
            self.wait_for_rate_limits(op.name).await;
            let credentials = match provider.provide_credentials().await {
                Ok(c) => c,
                Err(e) => {
                    let err =
                        SdkError::construction_failure(ConfigError::Credentials(e.to_string()));
                    return (Err(err), attempt - 1);
                }
            };
            let span = tracing::info_span!(
                "attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                latency_ms = tracing::field::Empty,
            );
            let started = Instant::now();
            let (outcome, info) = self
                .attempt(
                    http,
                    endpoint,
                    &credentials,
                    op,
                    request,
                    &span,
                    mock.as_mut(),
                )
                .instrument(span.clone())
                .await;
            span.record("latency_ms", started.elapsed().as_millis() as u64);
            let kind = outcome.as_ref().err().and_then(|f| f.kind);
            if let Some(limiter) = &self.adaptive {
                let throttled = kind == Some(retry::Kind::Throttling);
                limiter.update(self.conf.time_source.now(), throttled);
            }
            let failed = match outcome {
                Ok(o) => {
                    self.retry.success(retry_cost);
                    return (Ok(o), attempt);
                }
                Err(failed) => failed,
            };
            let retry_kind = match kind {
                Some(retry::Kind::ClockSkew) => {
                    // Retried once, and only when the response's Date shows the skew.
                    if self.learn_clock_skew(info.server_time) && !skew_retried {
                        skew_retried = true;
                        Some(retry::Kind::ClockSkew)
                    } else {
                        None
                    }
                }
                other => other,
            };
            let Some(retry_kind) = retry_kind else {
                return (Err(failed.error), attempt);
            };
            if attempt >= max_attempts {
                tracing::debug!(parent: &span, max_attempts, "no attempts left");
                return (Err(failed.error), attempt);
            }
            let delay = if retry_kind == retry::Kind::ClockSkew {
                // A corrected clock needs no backoff and no quota.
                Duration::ZERO
            } else {
                let Some(cost) = self.retry.acquire(retry_kind) else {
                    tracing::debug!(parent: &span, "retry quota exhausted; not retrying");
                    return (Err(failed.error), attempt);
                };
                retry_cost = Some(cost);
                retry::retry_delay(
                    attempt,
                    self.conf.initial_backoff,
                    self.conf.max_backoff,
                    info.retry_after,
                )
            };
            tracing::debug!(
                parent: &span,
                reason = ?retry_kind,
                delay_ms = delay.as_millis() as u64,
                retry_after = info.retry_after.is_some(),
                "retrying"
            );
            if !delay.is_zero() {
                self.conf.sleep.sleep(delay).await;
            }
            attempt += 1;
        }
    }

    /// Waits for the operation's rate limit and adaptive mode's limiter, if any.
    async fn wait_for_rate_limits(&self, operation: &str) {
        if let Some((_, limiter)) = self.operation_limits.iter().find(|(n, _)| n == operation) {
            let wait = limiter.reserve(self.conf.time_source.now());
            if !wait.is_zero() {
                tracing::debug!(wait_ms = wait.as_millis() as u64, "operation rate limit");
                self.conf.sleep.sleep(wait).await;
            }
        }
        if let Some(limiter) = &self.adaptive {
            let wait = limiter.acquire(self.conf.time_source.now());
            if !wait.is_zero() {
                tracing::debug!(wait_ms = wait.as_millis() as u64, "adaptive rate limit");
                self.conf.sleep.sleep(wait).await;
            }
        }
    }

    /// After a clock-skew error: when the response's `Date` is further than
    /// [`retry::CLOCK_SKEW_THRESHOLD`] from the (corrected) signing clock, stores the new offset
    /// and returns true.
    fn learn_clock_skew(&self, server_time: Option<SystemTime>) -> bool {
        let Some(server) = server_time else {
            return false;
        };
        let local = self.conf.time_source.now();
        let offset = signed_millis(server, local);
        let current = self.clock_skew_ms.load(Ordering::Relaxed);
        let threshold = retry::CLOCK_SKEW_THRESHOLD.as_millis() as i64;
        if (offset - current).abs() <= threshold {
            return false;
        }
        self.clock_skew_ms.store(offset, Ordering::Relaxed);
        tracing::warn!(
            offset_ms = offset,
            "the local clock is skewed from the service's; signing with the service's time"
        );
        true
    }

    /// One attempt: sign with the (skew-corrected) clock, send, read, parse. Records the HTTP
    /// status and request id on `span`.
    #[allow(clippy::too_many_arguments)]
    async fn attempt<I, O, E>(
        &self,
        transport: Transport<'_>,
        endpoint: &ResolvedEndpoint,
        credentials: &super::credentials::Credentials,
        op: &'static Operation<I, O, E>,
        request: &PreparedRequest,
        span: &tracing::Span,
        mock: Option<&mut MockRule>,
    ) -> (Result<O, Attempt<E>>, ResponseInfo)
    where
        O: SetRequestId,
    {
        let mut info = ResponseInfo::default();
        let body = &request.body;
        let signing = SigningContext::new(
            credentials,
            &endpoint.signing_region,
            &endpoint.signing_name,
            self.signing_time(),
        );
        // The protocol's headers (and Content-Encoding) are signed as they are sent.
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let input = SigningInput {
            method: request.method.as_str(),
            uri: &request.url,
            headers: &headers,
            body,
        };
        // A POST with no query and plain headers is signed with the day's cached key; anything
        // else (another method, a query, a custom endpoint path that needs encoding) by
        // aws-sigv4's full signer.
        let signed = super::sign_fast::sign(&input, &signing, &self.signing_keys)
            .unwrap_or_else(|| sign::sign(&input, &signing));
        let signed = match signed {
            Ok(s) => s,
            Err(e) => {
                let err = SdkError::construction_failure(ConfigError::Signing(e.to_string()));
                return (Err(Attempt::fatal(err)), info);
            }
        };
        let limits = Limits {
            max_depth: self.conf.max_response_depth,
        };
        let http = match (transport, mock) {
            (_, Some(rule)) => return self.mock_attempt(op, rule, limits),
            (Transport::Custom(client), None) => {
                return self
                    .custom_attempt(client, op, request, signed, limits, span)
                    .await;
            }
            (Transport::Reqwest(http), None) => http,
            (Transport::Mock, None) => {
                let err = SdkError::construction_failure(ConfigError::Http(
                    "a mocked client lost its rule".into(),
                ));
                return (Err(Attempt::fatal(err)), info);
            }
        };
        // The URL of the first endpoint sent to (the client's, or a call's): requests to it
        // reuse the parsed URL, any other is parsed.
        let cached = self
            .endpoint_url
            .get_or_init(|| reqwest::Url::parse(&endpoint.url).ok())
            .as_ref()
            .filter(|u| u.as_str() == request.url);
        let mut req = match cached {
            Some(url) => http.request(request.method.clone(), url.clone()),
            // A host prefix or a protocol's path: parse this request's URL.
            None => http.request(request.method.clone(), &request.url),
        };
        for (name, value) in &request.headers {
            req = req.header(name, value.as_str());
        }
        for (name, value) in signed {
            req = req.header(name, value);
        }
        let send = async {
            let mut resp = req.body(body.clone()).send().await?;
            let status = resp.status().as_u16();
            // Taken, not cloned: reading the body needs no header (its size comes from the
            // body's own size hint).
            let head = ResponseInfo::from_headers(std::mem::take(resp.headers_mut()));
            span.record("status", status);
            if let Some(id) = &head.request_id {
                span.record("request_id", id.as_str());
            }
            let bytes =
                read_body(resp, self.conf.max_response_size, self.conf.stalled_stream).await;
            Ok::<_, reqwest::Error>((status, head, bytes))
        };
        let result = match self.within_attempt_timeout(send).await {
            Ok(r) => r,
            Err(failed) => return (Err(failed), info),
        };
        let transport = |e: reqwest::Error| {
            let error = if e.is_timeout() && e.is_connect() {
                SdkError::TimeoutError(TimeoutError {
                    what: "connect",
                    after: self.conf.connect_timeout,
                })
            } else if e.is_timeout() {
                SdkError::TimeoutError(TimeoutError {
                    what: "read",
                    after: self.conf.read_timeout.unwrap_or_default(),
                })
            } else {
                SdkError::DispatchFailure(DispatchFailure {
                    message: describe(&e),
                    kind: dispatch_kind(&e),
                    source: Some(Box::new(e)),
                })
            };
            let kind = match error {
                SdkError::TimeoutError(_) => retry::Kind::Timeout,
                _ => retry::Kind::Transient,
            };
            Attempt {
                kind: Some(kind),
                error,
            }
        };
        let (status, head, bytes) = match result {
            Ok((status, head, Ok(bytes))) => (status, head, bytes),
            Ok((status, head, Err(e))) => {
                // The head arrived but the body did not: keep the head's metadata.
                let failed = match e {
                    BodyError::Transport(e) => transport(e),
                    BodyError::TooLarge { limit, declared } => {
                        let problem = match declared {
                            Some(n) => format!(
                                "the body ({n} bytes by its Content-Length) is larger than the \
                                 limit of {limit} bytes (Config::builder().max_response_size); \
                                 none of it was read"
                            ),
                            None => format!(
                                "the body is larger than the limit of {limit} bytes \
                                 (Config::builder().max_response_size); reading stopped there"
                            ),
                        };
                        Attempt::fatal(SdkError::ResponseError(ResponseError::new(
                            status,
                            head.request_id.clone(),
                            problem,
                            String::new(),
                            raw_response(status, &head.headers, &[]),
                        )))
                    }
                    BodyError::Stalled { after } => Attempt {
                        kind: Some(retry::Kind::Timeout),
                        error: SdkError::TimeoutError(TimeoutError {
                            what: "response body (it arrived slower than the minimum pace of \
                                   Config::builder().stalled_stream_protection)",
                            after,
                        }),
                    },
                };
                info = head;
                return (Err(failed), info);
            }
            Err(e) => return (Err(transport(e)), info),
        };
        let parsed = parse_response(op, status, &head, &bytes, limits);
        info = head;
        (parsed, info)
    }

    /// `fut`'s output, or a retryable timeout when `attempt_timeout` passes first.
    async fn within_attempt_timeout<T, E>(
        &self,
        fut: impl std::future::Future<Output = T>,
    ) -> Result<T, Attempt<E>> {
        match self.conf.attempt_timeout {
            Some(limit) => tokio::time::timeout(limit, fut).await.map_err(|_| Attempt {
                kind: Some(retry::Kind::Timeout),
                error: SdkError::TimeoutError(TimeoutError {
                    what: "attempt",
                    after: limit,
                }),
            }),
            None => Ok(fut.await),
        }
    }

    /// One attempt through a plugged-in [`HttpClient`](super::http::HttpClient): the signed
    /// request goes to it whole, its response is checked against the size limit and parsed.
    #[allow(clippy::too_many_arguments)]
    async fn custom_attempt<I, O, E>(
        &self,
        client: &dyn super::http::HttpClient,
        op: &'static Operation<I, O, E>,
        request: &PreparedRequest,
        signed: Vec<(&'static str, String)>,
        limits: Limits,
        span: &tracing::Span,
    ) -> (Result<O, Attempt<E>>, ResponseInfo)
    where
        O: SetRequestId,
    {
        let info = ResponseInfo::default();
        let mut builder = http::Request::builder()
            .method(request.method.clone())
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value.as_str());
        }
        for (name, value) in signed {
            builder = builder.header(name, value);
        }
        let http_request = match builder.body(request.body.clone()) {
            Ok(r) => r,
            Err(e) => {
                let err = SdkError::DispatchFailure(DispatchFailure {
                    message: format!("the request cannot be built: {e}"),
                    kind: DispatchKind::User,
                    source: Some(Box::new(e)),
                });
                return (Err(Attempt::fatal(err)), info);
            }
        };
        let call = client.send(http_request);
        let result = match self.within_attempt_timeout(call).await {
            Ok(r) => r,
            Err(failed) => return (Err(failed), info),
        };
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                let failed = Attempt {
                    kind: Some(retry::Kind::Transient),
                    error: SdkError::DispatchFailure(DispatchFailure {
                        message: format!("the HTTP client failed: {e}"),
                        kind: DispatchKind::Other,
                        source: Some(e),
                    }),
                };
                return (Err(failed), info);
            }
        };
        let status = response.status().as_u16();
        let (parts, body) = response.into_parts();
        let head = ResponseInfo::from_headers(parts.headers);
        span.record("status", status);
        if let Some(id) = &head.request_id {
            span.record("request_id", id.as_str());
        }
        if body.len() as u64 > self.conf.max_response_size {
            let problem = format!(
                "the body ({} bytes) is larger than the limit of {} bytes \
                 (Config::builder().max_response_size)",
                body.len(),
                self.conf.max_response_size
            );
            let err = SdkError::ResponseError(ResponseError::new(
                status,
                head.request_id.clone(),
                problem,
                String::new(),
                raw_response(status, &head.headers, &[]),
            ));
            return (Err(Attempt::fatal(err)), head);
        }
        let parsed = parse_response(op, status, &head, &body, limits);
        (parsed, head)
    }

    /// One attempt answered by a mock rule (feature `test-util`): an output as it is, an error
    /// as a service error (classified for retries by its code and status), an HTTP response
    /// parsed as a real one.
    #[cfg(feature = "test-util")]
    fn mock_attempt<I, O, E>(
        &self,
        op: &'static Operation<I, O, E>,
        rule: &mut MockRule,
        limits: Limits,
    ) -> (Result<O, Attempt<E>>, ResponseInfo)
    where
        O: SetRequestId,
    {
        use super::test_util::{Erased, MockError};
        let info = ResponseInfo::default();
        let fatal = |reason: &str| {
            let err = SdkError::construction_failure(MockError::new(op.name, reason));
            Err(Attempt::fatal(err))
        };
        match rule.next() {
            None => (
                fatal("its rule has no response left (add one per retry with sequence())"),
                info,
            ),
            Some(Erased::Output(any)) => match any.downcast::<O>() {
                Ok(output) => (Ok(*output), info),
                Err(_) => (fatal("its rule gives an output of another operation"), info),
            },
            Some(Erased::Error {
                error,
                code,
                status,
            }) => match error.downcast::<E>() {
                Ok(error) => {
                    let kind = retry::classify(status, code.as_deref().unwrap_or_default());
                    let raw = raw_response(status, &http::HeaderMap::new(), &[]);
                    let failed = Attempt {
                        kind,
                        error: SdkError::service_error(*error, raw),
                    };
                    (Err(failed), info)
                }
                Err(_) => (fatal("its rule gives an error of another operation"), info),
            },
            Some(Erased::Http {
                status,
                headers,
                body,
            }) => {
                let head = ResponseInfo::from_headers(headers);
                let parsed = parse_response(op, status, &head, &body, limits);
                (parsed, head)
            }
        }
    }

    #[cfg(not(feature = "test-util"))]
    fn mock_attempt<I, O, E>(
        &self,
        _op: &'static Operation<I, O, E>,
        rule: &mut MockRule,
        _limits: Limits,
    ) -> (Result<O, Attempt<E>>, ResponseInfo) {
        match *rule {}
    }
}

/// The mock rule answering a call (feature `test-util`; without it, there is none).
#[cfg(feature = "test-util")]
type MockRule = super::test_util::ActiveRule;
#[cfg(not(feature = "test-util"))]
type MockRule = std::convert::Infallible;

/// How an attempt's request leaves: the built-in client, a plugged-in one, or nowhere (mocks).
#[derive(Clone, Copy)]
enum Transport<'a> {
    Reqwest(&'a reqwest::Client),
    Custom(&'a dyn super::http::HttpClient),
    Mock,
}

impl ResponseInfo {
    /// What the send side reads from a response's headers (kept for the raw response of an
    /// error).
    fn from_headers(h: http::HeaderMap) -> Self {
        let text = |name: &str| h.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        ResponseInfo {
            request_id: text("x-amzn-requestid").or_else(|| text("x-amz-request-id")),
            server_time: text("date").and_then(|d| {
                super::time::parse(&d, super::time::Format::HttpDate)
                    .ok()
                    .and_then(|t| SystemTime::try_from(t).ok())
            }),
            retry_after: text("x-amz-retry-after").and_then(|v| retry::parse_retry_after(&v)),
            location: text("location"),
            headers: h,
        }
    }
}

/// What the send side needs from a response's head besides the status.
#[derive(Debug, Default)]
struct ResponseInfo {
    /// Every header, for the raw response of an error.
    headers: http::HeaderMap,
    request_id: Option<String>,
    /// The `Date` header.
    server_time: Option<SystemTime>,
    /// `x-amz-retry-after`.
    retry_after: Option<Duration>,
    /// `Location`, named in the error for a redirect.
    location: Option<String>,
}

/// Why a response body was not read whole.
#[derive(Debug)]
enum BodyError {
    Transport(reqwest::Error),
    /// Larger than `max_response_size`; `declared` when the Content-Length said so up front.
    TooLarge {
        limit: u64,
        declared: Option<u64>,
    },
    /// Slower than the stalled-stream minimum; `after` is how long the body had been coming.
    Stalled {
        after: Duration,
    },
}

/// Reads a response body, refusing more than `limit` bytes as they stream in and giving up on
/// a body slower than `stall` allows.
async fn read_body(
    mut resp: reqwest::Response,
    limit: u64,
    stall: StalledStreamProtection,
) -> Result<bytes::Bytes, BodyError> {
    if let Some(declared) = resp.content_length()
        && declared > limit
    {
        return Err(BodyError::TooLarge {
            limit,
            declared: Some(declared),
        });
    }
    // Sized once from Content-Length (already checked against the limit), so a large body is
    // not copied while it grows.
    let capacity = resp.content_length().unwrap_or(0).min(limit);
    let mut body = bytes::BytesMut::with_capacity(usize::try_from(capacity).unwrap_or(0));
    let started = tokio::time::Instant::now();
    let window = stall.get_grace_period();
    let need = stall
        .get_min_bytes_per_sec()
        .saturating_mul(window.as_millis().try_into().unwrap_or(u64::MAX))
        / 1000;
    let mut window_end = started + window;
    let mut window_bytes = 0u64;
    loop {
        let chunk = if stall.is_enabled() {
            match tokio::time::timeout_at(window_end, resp.chunk()).await {
                Ok(c) => c,
                Err(_) => {
                    // The window ended with no chunk at all in its last part: judge it now.
                    if window_bytes < need {
                        return Err(BodyError::Stalled {
                            after: started.elapsed(),
                        });
                    }
                    window_bytes = 0;
                    window_end += window;
                    continue;
                }
            }
        } else {
            resp.chunk().await
        };
        let Some(chunk) = chunk.map_err(BodyError::Transport)? else {
            return Ok(body.freeze());
        };
        let total = (body.len() as u64).saturating_add(chunk.len() as u64);
        if total > limit {
            return Err(BodyError::TooLarge {
                limit,
                declared: None,
            });
        }
        body.extend_from_slice(&chunk);
        window_bytes = window_bytes.saturating_add(chunk.len() as u64);
        if stall.is_enabled() && tokio::time::Instant::now() >= window_end {
            if window_bytes < need {
                return Err(BodyError::Stalled {
                    after: started.elapsed(),
                });
            }
            window_bytes = 0;
            window_end = tokio::time::Instant::now() + window;
        }
    }
}

/// `a - b` in milliseconds, saturating.
fn signed_millis(a: SystemTime, b: SystemTime) -> i64 {
    match a.duration_since(b) {
        Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_millis()).map_or(i64::MIN, |m| -m),
    }
}

/// `t` moved by `ms` milliseconds (either way), saturating at what `SystemTime` can hold.
fn shift(t: SystemTime, ms: i64) -> SystemTime {
    let d = Duration::from_millis(ms.unsigned_abs());
    if ms >= 0 {
        t.checked_add(d).unwrap_or(t)
    } else {
        t.checked_sub(d).unwrap_or(t)
    }
}

/// The full chain of a transport error, which reqwest keeps in sources.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

/// The raw response an error carries: status, headers (those that are valid text) and body.
fn raw_response(status: u16, headers: &http::HeaderMap, body: &[u8]) -> HttpResponse {
    let mut response = http::Response::new(aws_smithy_types::body::SdkBody::from(body));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    for (name, value) in headers {
        if value.to_str().is_ok() {
            response.headers_mut().append(name, value.clone());
        }
    }
    // Every header is valid text and the status is valid, so the conversion cannot fail; if
    // it ever did, the status alone is kept.
    HttpResponse::try_from(response).unwrap_or_else(|_| {
        HttpResponse::new(
            aws_smithy_runtime_api::http::StatusCode::try_from(status).unwrap_or_else(|_| {
                aws_smithy_runtime_api::http::StatusCode::from(http::StatusCode::OK)
            }),
            aws_smithy_types::body::SdkBody::from(body),
        )
    })
}

/// What kind of transport failure a reqwest error is.
fn dispatch_kind(e: &reqwest::Error) -> DispatchKind {
    if e.is_builder() {
        DispatchKind::User
    } else if e.is_timeout() {
        DispatchKind::Timeout
    } else if e.is_connect() || e.is_request() || e.is_body() {
        DispatchKind::Io
    } else {
        DispatchKind::Other
    }
}

/// One attempt's failure and, when it may be retried, why.
struct Attempt<E> {
    kind: Option<retry::Kind>,
    error: SdkError<E>,
}

impl<E> Attempt<E> {
    fn fatal(error: SdkError<E>) -> Self {
        Attempt { kind: None, error }
    }
}

/// The request-id traits, where generated code names them (`client::RequestId`).
pub use super::error::{RequestId, SetRequestId};

/// One attempt's response, read by the operation's protocol: the output, or the failure with
/// its retry classification. A redirect is the send path's own (redirects are not followed,
/// whatever the protocol); everything else is the protocol's `parse`.
fn parse_response<I, O, E>(
    op: &'static Operation<I, O, E>,
    status: u16,
    head: &ResponseInfo,
    bytes: &[u8],
    limits: Limits,
) -> Result<O, Attempt<E>> {
    let header_request_id = head.request_id.as_deref();
    let raw = || raw_response(status, &head.headers, bytes);
    let response_error = |problem: String, body: &str| {
        ResponseError::new(
            status,
            header_request_id.map(str::to_owned),
            problem,
            error::excerpt(body),
            raw(),
        )
    };
    // A redirect whose body is not text goes to the protocol, which reports the body (as the
    // client always has).
    if (300..400).contains(&status)
        && let Ok(body) = std::str::from_utf8(bytes)
    {
        // A 3xx comes from a proxy or a wrong endpoint.
        let to = match &head.location {
            Some(l) => format!(" to `{}`", error::clip(l, 256)),
            None => " without a Location".to_owned(),
        };
        let err = response_error(
            format!(
                "the server redirected{to}; redirects are not followed (a proxy, or a wrong endpoint URL?)"
            ),
            body,
        );
        return Err(Attempt::fatal(SdkError::ResponseError(err)));
    }
    let response = Response {
        status,
        headers: &head.headers,
        request_id: header_request_id,
        body: bytes,
    };
    match (op.parse)(&response, limits) {
        Parsed::Output(out) => Ok(out),
        Parsed::Service { code, error } => Err(Attempt {
            kind: retry::classify(status, code.as_deref().unwrap_or_default()),
            error: SdkError::service_error(error, raw()),
        }),
        Parsed::Unreadable(problem) => {
            let err = match std::str::from_utf8(bytes) {
                Ok(body) => response_error(problem, body),
                Err(_) => {
                    let lossy = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
                    response_error(problem, &lossy)
                }
            };
            Err(Attempt {
                kind: retry::classify_status(status),
                error: SdkError::ResponseError(err),
            })
        }
    }
}

/// The rule parameters a client's configuration gives every call: region, FIPS, dual-stack, and
/// the custom endpoint URL (the environment's `AWS_ENDPOINT_URL_<SERVICE>`, else the config's).
fn base_params(conf: &Config, service: &ServiceSpec) -> Result<Params, ConfigError> {
    // Every request is signed for a region, custom endpoint or not: without one, say so plainly
    // (never sign for a made-up region).
    let Some(region) = conf
        .region
        .as_ref()
        .map(|r| r.as_ref())
        .filter(|r: &&str| !r.trim().is_empty())
    else {
        return Err(ConfigError::NoRegion);
    };
    let mut params = Params::new()
        .with_use_fips(conf.use_fips)
        .with_use_dual_stack(conf.use_dual_stack);
    params = params.with_region(region.to_owned());
    let env_endpoint = if conf.endpoint_from_env {
        std::env::var(format!("AWS_ENDPOINT_URL_{}", service.env_suffix))
            .ok()
            .filter(|v| !v.trim().is_empty())
    } else {
        None
    };
    let custom = env_endpoint.or_else(|| conf.endpoint_url.clone());
    if let Some(url) = &custom {
        let ok = (url.starts_with("http://") || url.starts_with("https://"))
            && url.split("://").nth(1).is_some_and(|h| !h.is_empty());
        if !ok {
            return Err(ConfigError::InvalidEndpoint {
                url: url.clone(),
                reason: "expected http:// or https:// and a host".into(),
            });
        }
        if !url.is_ascii() {
            // The URL parser is built without a Unicode IDNA backend (`idna_adapter` 1.0.0, see
            // the workspace Cargo.toml): AWS endpoints are ASCII.
            return Err(ConfigError::InvalidEndpoint {
                url: url.clone(),
                reason: "non-ASCII characters; write the host in its ASCII (punycode, `xn--...`) \
                         form and percent-encode the path"
                    .into(),
            });
        }
        params = params.with_endpoint(url.clone());
    }
    Ok(params)
}

/// The endpoint the rules give for `params` (with a region: [`base_params`] checked it).
fn resolve_endpoint(
    params: &Params,
    service: &ServiceSpec,
) -> Result<ResolvedEndpoint, ConfigError> {
    let region = params.region.as_deref().unwrap_or_default();
    let resolved = endpoint::resolve(service.endpoint_rules, params)
        .map_err(|e| ConfigError::Endpoint(e.to_string()))?;
    let signing_region = resolved
        .signing_region
        .clone()
        .unwrap_or_else(|| region.to_owned());
    let signing_name = resolved
        .signing_name
        .clone()
        .unwrap_or_else(|| service.signing_name.to_owned());
    let mut url = resolved.url;
    // Requests go to the endpoint's path as a folder: `https://host` and
    // `https://host/custom` become `https://host/` and `https://host/custom/`.
    if !url.contains(['?', '#']) && !url.ends_with('/') {
        url.push('/');
    }
    Ok(ResolvedEndpoint {
        url,
        signing_region,
        signing_name,
    })
}
