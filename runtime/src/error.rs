//! Errors: what a call can fail with, and the metadata every service error carries.

use std::fmt;
use std::time::Duration;

pub use super::validate::Violation;

/// Code, message, `Type` (Sender/Receiver), request id and HTTP status of a service error.
///
/// The same name and read methods as aws-smithy-types' `ErrorMetadata` (`code()`, `message()`,
/// `builder()`); `error_type()`, `request_id()` and `status()` are additions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    error_type: Option<String>,
    request_id: Option<String>,
    status: u16,
}

/// Metadata with nothing in it (of errors that are not service errors).
pub(crate) static EMPTY_ERROR_METADATA: ErrorMetadata = ErrorMetadata {
    code: None,
    message: None,
    error_type: None,
    request_id: None,
    status: 0,
};

impl ErrorMetadata {
    /// Metadata from its parts (useful to build errors in tests of code that uses the client).
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        ErrorMetadata {
            code: Some(code.into()),
            message,
            status,
            ..Default::default()
        }
    }

    /// A builder, as in aws-smithy-types: `ErrorMetadata::builder().code("X").message("m").build()`.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    pub fn with_type(mut self, t: Option<String>) -> Self {
        self.error_type = t;
        self
    }

    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }

    /// The error code (`MessageRejected`, `Throttling`, ...). Always set on errors parsed from
    /// a response (one without a code is a [`ResponseError`]).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// `Sender` (the caller's fault) or `Receiver` (the service's), when the service says.
    pub fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref()
    }

    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status of the response (0 for metadata not read from a response).
    pub fn status(&self) -> u16 {
        self.status
    }
}

/// Builds an [`ErrorMetadata`].
#[derive(Clone, Debug, Default)]
pub struct ErrorMetadataBuilder {
    inner: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = Some(code.into());
        self
    }

    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = Some(message.into());
        self
    }

    /// `Sender` or `Receiver`.
    pub fn error_type(mut self, error_type: impl Into<String>) -> Self {
        self.inner.error_type = Some(error_type.into());
        self
    }

    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.inner.request_id = Some(request_id.into());
        self
    }

    /// The HTTP status.
    pub fn status(mut self, status: u16) -> Self {
        self.inner.status = status;
        self
    }

    pub fn build(self) -> ErrorMetadata {
        self.inner
    }
}

/// `Display` shows at most this many characters of a service error's message...
pub const DISPLAY_MESSAGE_CHARS: usize = 1024;
/// ...and of its code, type and request id. The full text stays available from
/// [`ErrorMetadata::message`] and the other getters.
pub const DISPLAY_FIELD_CHARS: usize = 128;

/// Service-provided text, made fit for a log line: at most `max` characters, control
/// characters escaped (`\n`, `\u{1b}`), and the size of what was cut said.
pub(crate) fn clip(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 32));
    for (n, (i, c)) in text.char_indices().enumerate() {
        if n == max {
            out.push_str(&format!("... ({} more bytes)", text.len() - i));
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for ErrorMetadata {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&clip(
            self.code.as_deref().unwrap_or("(no code)"),
            DISPLAY_FIELD_CHARS,
        ))?;
        if let Some(m) = &self.message {
            write!(f, ": {}", clip(m, DISPLAY_MESSAGE_CHARS))?;
        }
        let mut parts = Vec::new();
        if self.status != 0 {
            parts.push(format!("HTTP {}", self.status));
        }
        if let Some(t) = &self.error_type {
            parts.push(format!("type {}", clip(t, DISPLAY_FIELD_CHARS)));
        }
        if let Some(id) = &self.request_id {
            parts.push(format!("request id {}", clip(id, DISPLAY_FIELD_CHARS)));
        }
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        Ok(())
    }
}

/// Code and message of an error, as aws-smithy-types' trait of the same name offers them
/// (`code()` and `message()` return `Option<&str>`). Implemented by every operation error, every
/// modeled error, [`ErrorMetadata`] and [`SdkError`] (whose metadata is empty unless the
/// service answered with an error). The request id comes from [`RequestId`].
pub trait ProvideErrorMetadata {
    /// Everything the error response said: code, message, `Type`, request id, HTTP status.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code (`MessageRejected`, `Throttling`, ...).
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

impl RequestId for ErrorMetadata {
    fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

/// Lets the runtime hand the request id to an output.
pub trait SetRequestId {
    fn set_request_id(&mut self, id: Option<String>);
}

/// Exposes the request id AWS assigned to the call that produced a value (outputs, errors,
/// `SdkError`), as aws-types' trait of the same name.
pub trait RequestId {
    fn request_id(&self) -> Option<&str>;
}

/// A boxed error, as aws-smithy-runtime-api names it.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Shows an error with all its sources on one line, then its `Debug` form in parentheses:
/// `format!("{}", DisplayErrorContext(&err))`, as aws-smithy-types' type of the same name does.
///
/// **Bounded**, unlike that one: the whole text is at most [`DisplayErrorContext::MAX_CHARS`]
/// characters (the `Debug` form, which holds the raw response, is cut short first) and
/// formatting stops there, so a huge error message or body costs neither memory nor time.
pub struct DisplayErrorContext<E: std::error::Error>(pub E);

impl<E: std::error::Error> DisplayErrorContext<E> {
    /// The most characters the text has (the sources' messages are themselves clipped).
    pub const MAX_CHARS: usize = 16 * 1024;
    /// The most characters of the `Debug` form included.
    pub const MAX_DEBUG_CHARS: usize = 4 * 1024;
}

impl<E: std::error::Error> fmt::Debug for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DisplayErrorContext")
            .field(&format_args!("{self}"))
            .finish()
    }
}

impl<E: std::error::Error> fmt::Display for DisplayErrorContext<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Bounded::new(Self::MAX_CHARS);
        // An `Err` from a write only says the limit was reached.
        let _ = write_chain(&mut out, &self.0);
        let mut debug = Bounded::new(Self::MAX_DEBUG_CHARS);
        let _ = fmt::write(&mut debug, format_args!("{:?}", self.0));
        let _ = fmt::write(
            &mut out,
            format_args!(" ({}{})", debug.text, if debug.full { "…" } else { "" }),
        );
        f.write_str(&out.text)?;
        if out.full {
            f.write_str("…")?;
        }
        Ok(())
    }
}

/// `err: source: source's source ...`, each `Display` in turn (iterative).
fn write_chain(out: &mut Bounded, err: &dyn std::error::Error) -> fmt::Result {
    use fmt::Write as _;
    write!(out, "{err}")?;
    let mut next = err.source();
    while let Some(e) = next {
        write!(out, ": {e}")?;
        next = e.source();
    }
    Ok(())
}

/// A string that takes at most `max` characters; writing past it fails (which stops the
/// formatting that writes into it).
struct Bounded {
    text: String,
    left: usize,
    full: bool,
}

impl Bounded {
    fn new(max: usize) -> Self {
        Bounded {
            text: String::new(),
            left: max,
            full: false,
        }
    }
}

impl fmt::Write for Bounded {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.full {
            return Err(fmt::Error);
        }
        for (n, (i, _)) in s.char_indices().enumerate() {
            if n == self.left {
                self.text.push_str(&s[..i]);
                self.left = 0;
                self.full = true;
                return Err(fmt::Error);
            }
        }
        self.left -= s.chars().count();
        self.text.push_str(s);
        Ok(())
    }
}
/// Why a builder's `build()` failed (a required member missing), the type AWS's Rust SDK uses.
pub use aws_smithy_types::error::operation::BuildError;

/// The raw HTTP response a [`ServiceError`] or [`ResponseError`] came with (status, headers,
/// body), the type AWS's Rust SDK uses: `err.raw().status().as_u16()`.
pub type HttpResponse = aws_smithy_runtime_api::client::orchestrator::HttpResponse;

/// A modeled error type: its members come from the `<Error>` element, its metadata from the
/// response. Implemented by generated code.
#[doc(hidden)]
pub trait ModeledError {
    fn set_meta(&mut self, meta: ErrorMetadata);
}

/// An operation error made from metadata alone (its `Unhandled` case). Implemented by generated
/// operation errors.
/// Lets [`SdkError::into_service_error`] turn any failure into the operation's error type
/// (its `Unhandled` variant). Implemented by generated operation errors.
#[doc(hidden)]
pub trait CreateUnhandledError {
    fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self;
}

/// The payload of an operation error's `Unhandled` variant: an error code the operation does
/// not model (throttling, auth errors, ...), or a failure that was not a service error at all
/// (from [`SdkError::into_service_error`]). Read it through [`ProvideErrorMetadata`] and
/// `Error::source`; its fields are private so the variant can grow.
#[derive(Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<BoxError>,
}

impl Unhandled {
    #[doc(hidden)]
    pub fn new(meta: ErrorMetadata, source: Option<BoxError>) -> Self {
        Unhandled { meta, source }
    }

    /// The metadata (code, message, `Type`, request id, HTTP status).
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The failure this stands for, when it was not an error response.
    pub fn source(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.source.as_deref()
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.source, self.meta.code.is_some()) {
            (Some(source), false) => fmt::Display::fmt(source, f),
            _ => fmt::Display::fmt(&self.meta, f),
        }
    }
}

/// What a protocol reads a modeled error from (an XML `<Error>` element, a JSON body), as an
/// operation's `parse_error` sees it.
pub trait ErrorSource {
    /// The name that picks the modeled error when it is not the error's code (awsJson's
    /// `__type` of an `@awsQueryCompatible` service, whose code is the awsQuery one).
    fn error_name(&self) -> Option<&str> {
        None
    }
}

/// Reads a modeled error from the protocol's error node (the `<Error>` element of an XML
/// protocol, the body of a JSON one) and wraps it in the operation's error enum;
/// when its members cannot be read, the error is still reported, as `unhandled`. Called by
/// generated code.
#[doc(hidden)]
pub fn modeled<T: ModeledError, E, R, X>(
    meta: ErrorMetadata,
    node: R,
    parse: fn(R) -> Result<T, X>,
    wrap: fn(T) -> E,
    unhandled: fn(ErrorMetadata) -> E,
) -> E {
    match parse(node) {
        Ok(mut e) => {
            e.set_meta(meta);
            wrap(e)
        }
        Err(_) => unhandled(meta),
    }
}

/// A failed call, with the variants and methods of AWS's Rust SDK (`SdkError<E, R>` of
/// aws-smithy-runtime-api): `ConstructionFailure` (nothing was sent), `TimeoutError`,
/// `DispatchFailure`, `ResponseError` and `ServiceError`.
///
/// Beyond it: `Display` names the code, message, `Type`, HTTP status and request id of a service
/// error (aws-sdk-rust's says `service error`), a construction failure lists every constraint the
/// input broke ([`ConstructionFailure::validation_error`]) or the configuration problem
/// ([`ConstructionFailure::config_error`]), and [`SdkError::status`] gives the HTTP status.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E, R = HttpResponse> {
    /// The request was not sent: the input broke the model's constraints, or the client is
    /// misconfigured (no region, no credentials, a bad endpoint).
    ConstructionFailure(ConstructionFailure),
    /// No response in time (connect, attempt, operation or stalled-body timeout).
    TimeoutError(TimeoutError),
    /// The request could not be sent or the connection failed.
    DispatchFailure(DispatchFailure),
    /// A response arrived but could not be understood (not XML, too large, too deep, a redirect).
    ResponseError(ResponseError<R>),
    /// The service answered with an error.
    ServiceError(ServiceError<E, R>),
}

impl<E, R> SdkError<E, R> {
    /// A construction failure (nothing sent) caused by `source`.
    pub fn construction_failure(source: impl Into<BoxError>) -> Self {
        SdkError::ConstructionFailure(ConstructionFailure {
            source: source.into(),
        })
    }

    /// A service error with its raw response.
    pub fn service_error(source: E, raw: R) -> Self {
        SdkError::ServiceError(ServiceError {
            source,
            raw: Box::new(raw),
        })
    }

    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.source),
            _ => None,
        }
    }

    /// The operation's error: the service error itself, or any other failure wrapped in the
    /// error's `Unhandled` variant (its `Error::source` is this `SdkError`).
    pub fn into_service_error(self) -> E
    where
        E: std::error::Error + Send + Sync + CreateUnhandledError + 'static,
        R: fmt::Debug + Send + Sync + 'static,
    {
        match self {
            SdkError::ServiceError(e) => e.source,
            other => E::create_unhandled_error(Box::new(other), None),
        }
    }

    /// Every constraint the input broke, when that is why nothing was sent (an addition to
    /// aws-sdk-rust's `SdkError`; the same as
    /// [`ConstructionFailure::validation_error`]).
    pub fn validation_error(&self) -> Option<&ValidationError> {
        match self {
            SdkError::ConstructionFailure(c) => c.validation_error(),
            _ => None,
        }
    }

    /// The configuration problem, when that is why nothing was sent (an addition).
    pub fn config_error(&self) -> Option<&ConfigError> {
        match self {
            SdkError::ConstructionFailure(c) => c.config_error(),
            _ => None,
        }
    }

    /// The raw response, when one arrived.
    pub fn raw_response(&self) -> Option<&R> {
        match self {
            SdkError::ServiceError(e) => Some(&e.raw),
            SdkError::ResponseError(e) => Some(&e.raw),
            _ => None,
        }
    }

    /// The error inside, boxed (`Err(self)` for a variant without one).
    pub fn into_source(self) -> Result<BoxError, Self>
    where
        E: std::error::Error + Send + Sync + 'static,
        R: fmt::Debug + Send + Sync + 'static,
    {
        match self {
            SdkError::ConstructionFailure(c) => Ok(c.source),
            SdkError::TimeoutError(t) => Ok(Box::new(t)),
            SdkError::DispatchFailure(d) => Ok(Box::new(d)),
            SdkError::ResponseError(r) => Ok(Box::new(r)),
            SdkError::ServiceError(s) => Ok(Box::new(s.source)),
        }
    }

    /// Maps the service error to another type.
    pub fn map_service_error<E2>(self, map: impl FnOnce(E) -> E2) -> SdkError<E2, R> {
        match self {
            SdkError::ConstructionFailure(c) => SdkError::ConstructionFailure(c),
            SdkError::TimeoutError(t) => SdkError::TimeoutError(t),
            SdkError::DispatchFailure(d) => SdkError::DispatchFailure(d),
            SdkError::ResponseError(r) => SdkError::ResponseError(r),
            SdkError::ServiceError(s) => SdkError::ServiceError(ServiceError {
                source: map(s.source),
                raw: s.raw,
            }),
        }
    }
}

/// A builder's `BuildError` (a required member missing), through `?`: nothing was sent.
impl<E, R> From<BuildError> for SdkError<E, R> {
    fn from(e: BuildError) -> Self {
        SdkError::construction_failure(e)
    }
}

impl<E: ProvideErrorMetadata, R> SdkError<E, R> {
    /// The HTTP status, when a response arrived (an addition to aws-sdk-rust's `SdkError`).
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::ServiceError(e) => Some(e.source.meta().status()),
            SdkError::ResponseError(r) => Some(r.status),
            _ => None,
        }
    }
}

impl<E: ProvideErrorMetadata, R> ProvideErrorMetadata for SdkError<E, R> {
    fn meta(&self) -> &ErrorMetadata {
        match self {
            SdkError::ServiceError(e) => e.source.meta(),
            _ => &EMPTY_ERROR_METADATA,
        }
    }
}

impl<E: ProvideErrorMetadata, R> RequestId for SdkError<E, R> {
    fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::ServiceError(e) => e.source.meta().request_id(),
            SdkError::ResponseError(r) => r.request_id.as_deref(),
            _ => None,
        }
    }
}

impl<E: fmt::Display, R> fmt::Display for SdkError<E, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(e) => fmt::Display::fmt(e, f),
            SdkError::TimeoutError(e) => fmt::Display::fmt(e, f),
            SdkError::DispatchFailure(e) => fmt::Display::fmt(e, f),
            SdkError::ResponseError(e) => fmt::Display::fmt(e, f),
            SdkError::ServiceError(e) => write!(f, "service error: {}", e.source),
        }
    }
}

impl<E, R> std::error::Error for SdkError<E, R>
where
    E: std::error::Error + 'static,
    R: fmt::Debug,
{
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::ConstructionFailure(e) => Some(e.source.as_ref()),
            SdkError::TimeoutError(e) => Some(e),
            SdkError::DispatchFailure(e) => e
                .source
                .as_deref()
                .map(|s| s as &(dyn std::error::Error + 'static)),
            SdkError::ResponseError(_) => None,
            SdkError::ServiceError(e) => Some(&e.source),
        }
    }
}

/// Why a request was not sent: a [`ValidationError`] (the input broke the model's
/// constraints) or a [`ConfigError`] (no region, no credentials, a bad endpoint).
#[derive(Debug)]
pub struct ConstructionFailure {
    source: BoxError,
}

impl ConstructionFailure {
    /// Every constraint the input broke, when that is why.
    pub fn validation_error(&self) -> Option<&ValidationError> {
        self.source.downcast_ref()
    }

    /// The configuration problem, when that is why.
    pub fn config_error(&self) -> Option<&ConfigError> {
        self.source.downcast_ref()
    }
}

impl fmt::Display for ConstructionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.config_error() {
            Some(c) => write!(f, "configuration error: {c}"),
            None => fmt::Display::fmt(&self.source, f),
        }
    }
}

impl std::error::Error for ConstructionFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// A service error and the response it came in.
#[derive(Debug)]
pub struct ServiceError<E, R = HttpResponse> {
    source: E,
    /// Boxed: a response is large, and errors travel in every `Result`.
    raw: Box<R>,
}

impl<E, R> ServiceError<E, R> {
    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.source
    }

    pub fn into_err(self) -> E {
        self.source
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    pub fn raw_mut(&mut self) -> &mut R {
        &mut self.raw
    }

    pub fn into_raw(self) -> R {
        *self.raw
    }
}

/// What kind of transport failure a [`DispatchFailure`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DispatchKind {
    /// Connecting, reading or writing failed (refused, reset, DNS, TLS).
    Io,
    /// The transport gave up waiting.
    Timeout,
    /// The request could not be made from what was given (an invalid URL or header).
    User,
    /// Anything else.
    Other,
}

/// Every constraint a request broke, found before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub operation: &'static str,
    pub violations: Vec<Violation>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "invalid {} request ({n} problem{}):",
            self.operation,
            if n == 1 { "" } else { "s" }
        )?;
        for v in &self.violations {
            write!(f, "\n  - {}: {}", v.path, v.rule)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// A configuration problem, named precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was configured; every request is signed for one, so nothing was sent.
    NoRegion,
    InvalidEndpoint {
        url: String,
        reason: String,
    },
    Endpoint(String),
    Credentials(String),
    InvalidSetting {
        name: String,
        value: String,
        reason: String,
    },
    Http(String),
    Signing(String),
    /// A malformed or unreadable shared config or credentials file (file, line, problem).
    ProfileFile(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NoRegion => f.write_str(
                "no region: set AWS_REGION (or AWS_DEFAULT_REGION), `region` in the profile of the \
                 shared config file, or Config::builder().region(..); a custom endpoint URL needs \
                 one too, for signing",
            ),
            ConfigError::InvalidEndpoint { url, reason } => {
                write!(f, "invalid endpoint URL `{url}`: {reason}")
            }
            ConfigError::Endpoint(m) => write!(f, "endpoint resolution failed: {m}"),
            ConfigError::Credentials(m) => write!(f, "no credentials: {m}"),
            ConfigError::InvalidSetting {
                name,
                value,
                reason,
            } => write!(f, "invalid setting {name}={value:?}: {reason}"),
            ConfigError::Http(m) => write!(f, "cannot build the HTTP client: {m}"),
            ConfigError::Signing(m) => write!(f, "cannot sign the request: {m}"),
            ConfigError::ProfileFile(m) => write!(f, "invalid shared config file: {m}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Which deadline passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeoutError {
    pub what: &'static str,
    pub after: Duration,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} timed out after {:?}", self.what, self.after)
    }
}

impl std::error::Error for TimeoutError {}

/// The request did not complete at the transport level.
#[derive(Debug)]
pub struct DispatchFailure {
    pub message: String,
    pub kind: DispatchKind,
    pub source: Option<BoxError>,
}

impl fmt::Display for DispatchFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "request failed to send: {}", self.message)
    }
}

impl std::error::Error for DispatchFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn std::error::Error + 'static))
    }
}

impl DispatchFailure {
    /// Connecting, reading or writing failed.
    pub fn is_io(&self) -> bool {
        self.kind == DispatchKind::Io
    }

    /// The transport gave up waiting.
    pub fn is_timeout(&self) -> bool {
        self.kind == DispatchKind::Timeout
    }

    /// The request could not be made from what was given.
    pub fn is_user(&self) -> bool {
        self.kind == DispatchKind::User
    }

    /// Another kind of failure.
    pub fn is_other(&self) -> bool {
        self.kind == DispatchKind::Other
    }
}

/// A response the client could not understand (not XML, wrong shape, a proxy's HTML page), with
/// the raw response ([`raw`](Self::raw)).
#[derive(Debug, Clone)]
pub struct ResponseError<R = HttpResponse> {
    pub status: u16,
    pub request_id: Option<String>,
    pub problem: String,
    pub body_excerpt: String,
    /// Boxed: a response is large, and errors travel in every `Result`.
    raw: Box<R>,
}

impl<R> fmt::Display for ResponseError<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response (HTTP {}", self.status)?;
        if let Some(r) = &self.request_id {
            write!(f, ", request id {}", clip(r, DISPLAY_FIELD_CHARS))?;
        }
        write!(
            f,
            "): {}; body starts: {:?}",
            self.problem, self.body_excerpt
        )
    }
}

impl<R: fmt::Debug> std::error::Error for ResponseError<R> {}

impl<R> ResponseError<R> {
    pub(crate) fn new(
        status: u16,
        request_id: Option<String>,
        problem: String,
        body_excerpt: String,
        raw: R,
    ) -> Self {
        ResponseError {
            status,
            request_id,
            problem,
            body_excerpt,
            raw: Box::new(raw),
        }
    }

    /// The raw response.
    pub fn raw(&self) -> &R {
        &self.raw
    }

    pub fn into_raw(self) -> R {
        *self.raw
    }
}

/// At most this many bytes of a body go into an error.
const EXCERPT: usize = 256;

pub(crate) fn excerpt(body: &str) -> String {
    if body.len() <= EXCERPT {
        return body.to_owned();
    }
    let mut end = EXCERPT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &body[..end])
}

#[cfg(test)]
mod tests {

    /// An error whose `Display` and `Debug` are each 30 million characters long, with a source.
    #[derive(Debug)]
    struct Huge {
        message: String,
        source: Option<Box<Huge>>,
    }
    impl fmt::Display for Huge {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.message)
        }
    }
    impl std::error::Error for Huge {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.source.as_deref().map(|e| e as _)
        }
    }

    #[test]
    fn display_error_context_is_bounded_whatever_the_error_holds() {
        let err = Huge {
            message: "m".repeat(30_000_000),
            source: Some(Box::new(Huge {
                message: "inner".into(),
                source: None,
            })),
        };
        let text = DisplayErrorContext(&err).to_string();
        assert!(
            text.chars().count() <= DisplayErrorContext::<&Huge>::MAX_CHARS + 1,
            "{}",
            text.len()
        );
        assert!(text.starts_with("mmm") && text.ends_with('…'));
        let small = Huge {
            message: "outer".into(),
            source: Some(Box::new(Huge {
                message: "inner".into(),
                source: None,
            })),
        };
        let text = DisplayErrorContext(&small).to_string();
        assert!(text.starts_with("outer: inner (Huge {"), "{text}");
        assert!(text.ends_with("})"), "{text}");
    }

    use super::*;

    #[test]
    fn excerpts_are_capped() {
        let long = "x".repeat(1000);
        assert_eq!(excerpt(&long).len(), EXCERPT + 3);
    }

    #[test]
    fn display_caps_service_text_and_escapes_control_characters() {
        let huge = "m".repeat(50_000_000);
        let meta = ErrorMetadata::new("Code\n\u{1b}[31m", Some(huge.clone()), 400)
            .with_request_id(Some("r".repeat(1000)));
        let shown = meta.to_string();
        assert!(shown.len() < 2_000, "{}", shown.len());
        assert!(shown.starts_with("Code\\n\\u{1b}[31m: mmm"), "{shown}");
        assert!(shown.contains(&format!("... ({} more bytes)", 50_000_000 - 1024)));
        assert!(shown.contains("request id rrr"));
        assert!(!shown.contains('\n'));
        // The full text is still there.
        assert_eq!(meta.message().map(str::len), Some(huge.len()));
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("tab\there", 100), "tab\\there");
        assert_eq!(clip("ééé", 2), "éé... (2 more bytes)");
    }

    #[test]
    fn validation_error_lists_every_problem() {
        let e = ValidationError {
            operation: "SendEmail",
            violations: vec![
                Violation {
                    path: "Source".into(),
                    rule: "is required but was not set".into(),
                },
                Violation {
                    path: "Destination.ToAddresses[2]".into(),
                    rule: "has length 0, must be at least 1".into(),
                },
            ],
        };
        assert_eq!(
            e.to_string(),
            "invalid SendEmail request (2 problems):\n  - Source: is required but was not set\n  - Destination.ToAddresses[2]: has length 0, must be at least 1"
        );
    }

    #[derive(Debug)]
    struct Op(ErrorMetadata, Option<BoxError>);

    impl fmt::Display for Op {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Display::fmt(&self.0, f)
        }
    }

    impl std::error::Error for Op {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1
                .as_deref()
                .map(|s| s as &(dyn std::error::Error + 'static))
        }
    }

    impl ProvideErrorMetadata for Op {
        fn meta(&self) -> &ErrorMetadata {
            &self.0
        }
    }

    impl CreateUnhandledError for Op {
        fn create_unhandled_error(source: BoxError, meta: Option<ErrorMetadata>) -> Self {
            Op(meta.unwrap_or_default(), Some(source))
        }
    }

    fn raw(status: u16) -> HttpResponse {
        HttpResponse::new(
            status.try_into().unwrap(),
            aws_smithy_types::body::SdkBody::from("<ErrorResponse/>"),
        )
    }

    #[test]
    fn sdk_error_has_aws_sdk_rusts_variants_and_methods() {
        let meta = ErrorMetadata::builder()
            .code("MessageRejected")
            .message("not verified")
            .request_id("r-7")
            .status(400)
            .build();
        let err: SdkError<Op> = SdkError::service_error(Op(meta, None), raw(400));
        assert_eq!(err.code(), Some("MessageRejected"));
        assert_eq!(err.message(), Some("not verified"));
        assert_eq!(RequestId::request_id(&err), Some("r-7"));
        assert_eq!(err.status(), Some(400));
        assert_eq!(err.raw_response().map(|r| r.status().as_u16()), Some(400));
        match &err {
            SdkError::ServiceError(ctx) => {
                assert_eq!(ctx.err().code(), Some("MessageRejected"));
                assert_eq!(ctx.raw().status().as_u16(), 400);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "service error: MessageRejected: not verified (HTTP 400, request id r-7)"
        );
        let context = DisplayErrorContext(&err).to_string();
        assert!(context.contains("not verified"), "{context}");
        assert_eq!(err.into_service_error().code(), Some("MessageRejected"));

        // Any other failure becomes the operation error's unhandled case, with it as source.
        let validation = ValidationError {
            operation: "SendEmail",
            violations: vec![Violation {
                path: "Source".into(),
                rule: "is required but was not set".into(),
            }],
        };
        let err: SdkError<Op> = SdkError::construction_failure(validation);
        assert!(err.validation_error().is_some() && err.config_error().is_none());
        assert_eq!(err.code(), None);
        assert!(err.raw_response().is_none());
        assert!(
            err.to_string().starts_with("invalid SendEmail request"),
            "{err}"
        );
        let op = err.into_service_error();
        assert_eq!(op.code(), None);
        let source = std::error::Error::source(&op).map(|s| s.to_string());
        assert!(source.is_some_and(|s| s.contains("Source")));

        let err: SdkError<Op> = SdkError::construction_failure(ConfigError::NoRegion);
        assert!(err.config_error() == Some(&ConfigError::NoRegion));
        assert!(
            err.to_string()
                .starts_with("configuration error: no region"),
            "{err}"
        );

        let err: SdkError<Op> = BuildError::missing_field("data", "data is required").into();
        assert!(matches!(err, SdkError::ConstructionFailure(_)));

        let dispatch = DispatchFailure {
            message: "connection refused".into(),
            kind: DispatchKind::Io,
            source: None,
        };
        assert!(dispatch.is_io() && !dispatch.is_timeout() && !dispatch.is_user());
        let err: SdkError<Op> = SdkError::DispatchFailure(dispatch);
        assert_eq!(err.status(), None);
        let mapped: SdkError<String> = err.map_service_error(|op| op.to_string());
        assert!(matches!(mapped, SdkError::DispatchFailure(_)));
    }

    #[test]
    fn metadata_without_a_response_displays_without_a_status() {
        let meta = ErrorMetadata::builder().code("Custom").build();
        assert_eq!(meta.to_string(), "Custom");
        assert_eq!(ErrorMetadata::default().to_string(), "(no code)");
        let meta = ErrorMetadata::builder()
            .code("C")
            .error_type("Sender")
            .build();
        assert_eq!(meta.to_string(), "C (type Sender)");
    }
}
