//! SigV4 request signing (see the unit tests and tests/sigv4_suites.rs).
//!
//! A thin, panic-free wrapper around [`aws_sigv4::http_request::sign`]. The client calls [`sign`]
//! once per attempt (every retry is re-signed with a fresh time) and sets the returned headers on
//! the request, replacing any earlier values.
//!
//! The canonical request itself is not public API of aws-sigv4; it is only emitted through a
//! `tracing` event at TRACE level. [`sign_with_details`] captures that event for diagnostics
//! (compare it with the canonical request AWS returns in a `SignatureDoesNotMatch` error) and for
//! the conformance suites; it is not meant for the hot path.
//!
//! # Cost per call
//!
//! aws-sigv4 re-derives the signing key (`HMAC` chain over date, region, service,
//! `aws4_request`: four HMAC-SHA256 plus one `format!`) on every call. It publishes
//! [`aws_sigv4::sign::v4::generate_signing_key`] and [`aws_sigv4::sign::v4::calculate_signature`],
//! so a key could be cached per (date, region, service, secret), but
//! [`aws_sigv4::http_request::sign`] takes no precomputed key and the canonical request /
//! string-to-sign builders are crate-private: reusing a key would mean re-implementing
//! canonicalisation outside aws-sigv4, which this module deliberately does not do. Likewise the
//! aws `Identity` (an `Arc` holding copies of the key strings) is rebuilt per call; a caller
//! signing at very high rates could keep one per credentials refresh if that ever shows up in a
//! profile. The remaining allocations (URI parse, canonical header map, canonical request string,
//! the returned header values) are inside aws-sigv4.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{
    PayloadChecksumKind, PercentEncodingMode, SessionTokenMode, SignableBody, SignableRequest,
    SignatureLocation, SigningInstructions, SigningSettings, UriPathNormalizationMode,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

use crate::credentials::Credentials;

/// Headers the signer owns. Copies already on the request (e.g. from an earlier attempt) are
/// ignored when signing; the caller replaces them with the values [`sign`] returns.
const SIGNER_OWNED_HEADERS: [&str; 3] = ["authorization", "x-amz-date", "x-amz-security-token"];

/// Seconds from the Unix epoch to 10000-01-01T00:00:00Z: SigV4 dates have four-digit years.
const MAX_SIGNING_SECS: u64 = 253_402_300_800;

/// What the client signs.
#[derive(Clone, Copy)]
pub struct SigningInput<'a> {
    /// The HTTP method, e.g. `POST`.
    pub method: &'a str,
    /// The full URI as sent on the wire (already percent-encoded):
    /// `scheme://host[:port]/path[?query]`. The `Host` header is derived from it unless
    /// `headers` carries one.
    pub uri: &'a str,
    /// The headers already on the request (name, value), in any case, duplicates allowed.
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes that will be sent.
    pub body: &'a [u8],
}

impl fmt::Debug for SigningInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values and the body may be sensitive; show their shape only.
        f.debug_struct("SigningInput")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field(
                "header_names",
                &self.headers.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            )
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Who signs, for which region and service, at what time, and how.
#[derive(Clone, Copy, Debug)]
pub struct SigningContext<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    /// The signing name of the service (`email` for SES).
    pub service: &'a str,
    /// The signing time; `X-Amz-Date` and the credential scope date are derived from it.
    pub time: SystemTime,
    pub options: SigningOptions,
}

impl<'a> SigningContext<'a> {
    /// A context with the client's default [`SigningOptions`].
    pub fn new(
        credentials: &'a Credentials,
        region: &'a str,
        service: &'a str,
        time: SystemTime,
    ) -> Self {
        SigningContext {
            credentials,
            region,
            service,
            time,
            options: SigningOptions::CLIENT,
        }
    }

    /// The same context with other signing options.
    pub fn with_options(mut self, options: SigningOptions) -> Self {
        self.options = options;
        self
    }
}

/// The SigV4 variations the signer supports. [`SigningOptions::CLIENT`] (also `Default`) is what
/// the client uses for every awsQuery service; the other settings exist for the conformance
/// suites and for services with different rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SigningOptions {
    /// Remove `.`/`..` segments and collapse `//` in the path before signing (RFC 3986 5.2.4).
    /// On for every service except S3.
    pub normalize_uri_path: bool,
    /// URI-encode the (already encoded) path a second time for the canonical request. AWS
    /// requires this for every service except S3 ("each path segment must be URI-encoded
    /// twice"); aws-sigv4 and the AWS SDKs default to it.
    pub double_uri_encode: bool,
    /// Sign `X-Amz-Security-Token` (when the credentials carry a session token). When off the
    /// header is still returned, but added after signing.
    pub sign_session_token: bool,
    /// Add and sign `x-amz-content-sha256` (the payload hash). S3-style; off for the client.
    pub content_sha256_header: bool,
}

impl SigningOptions {
    /// The client's settings: header signing, path normalisation on, double URI encoding (all
    /// non-S3 services), session token signed, no `x-amz-content-sha256`.
    pub const CLIENT: SigningOptions = SigningOptions {
        normalize_uri_path: true,
        double_uri_encode: true,
        sign_session_token: true,
        content_sha256_header: false,
    };

    fn to_aws_settings(self) -> SigningSettings {
        // `SigningSettings` is non-exhaustive, so it can only be built from `Default` (which
        // allocates its small excluded-headers list: authorization, user-agent,
        // x-amzn-trace-id, transfer-encoding; those stay excluded from signing).
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::Headers;
        settings.expires_in = None;
        settings.uri_path_normalization_mode = if self.normalize_uri_path {
            UriPathNormalizationMode::Enabled
        } else {
            UriPathNormalizationMode::Disabled
        };
        settings.percent_encoding_mode = if self.double_uri_encode {
            PercentEncodingMode::Double
        } else {
            PercentEncodingMode::Single
        };
        settings.session_token_mode = if self.sign_session_token {
            SessionTokenMode::Include
        } else {
            SessionTokenMode::Exclude
        };
        settings.payload_checksum_kind = if self.content_sha256_header {
            PayloadChecksumKind::XAmzSha256
        } else {
            PayloadChecksumKind::NoHeader
        };
        settings
    }
}

impl Default for SigningOptions {
    fn default() -> Self {
        SigningOptions::CLIENT
    }
}

/// Why a request could not be signed. Never carries secret values.
#[derive(Debug)]
#[non_exhaustive]
pub enum SigningError {
    /// The URI is not absolute (`http://` or `https://` with a host).
    InvalidUri(String),
    /// The method, region, service or access key id cannot appear in a SigV4 request.
    InvalidParameter {
        what: &'static str,
        reason: &'static str,
    },
    /// A request header has a name or value that is not valid in HTTP.
    InvalidHeader { name: String, part: &'static str },
    /// The signing time is before 1970 or after year 9999.
    InvalidTime,
    /// aws-sigv4 rejected the request (the message includes its cause chain).
    Sigv4(String),
}

impl std::fmt::Display for SigningError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot sign request: ")?;
        match self {
            SigningError::InvalidUri(uri) => write!(
                f,
                "the URI must be absolute (http:// or https:// with a host), got {uri:?}"
            ),
            SigningError::InvalidParameter { what, reason } => {
                write!(f, "invalid {what}: {reason}")
            }
            SigningError::InvalidHeader { name, part } => {
                write!(f, "header {name:?} has an invalid {part}")
            }
            SigningError::InvalidTime => f.write_str("the signing time is outside 1970..=9999"),
            SigningError::Sigv4(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for SigningError {}

/// Signs `input` and returns the headers to set on the request, names in lower case:
/// `x-amz-date`, `authorization`, `x-amz-security-token` (when the credentials carry a session
/// token) and `x-amz-content-sha256` (only if [`SigningOptions::content_sha256_header`]).
pub fn sign(
    input: &SigningInput<'_>,
    ctx: &SigningContext<'_>,
) -> Result<Vec<(&'static str, String)>, SigningError> {
    let (instructions, _signature) = sign_raw(input, ctx)?;
    Ok(into_header_list(instructions))
}

/// [`sign`] plus what it computed on the way, for diagnostics and the conformance suites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningDetails {
    /// Exactly what [`sign`] returns for the same input.
    pub headers: Vec<(&'static str, String)>,
    /// The hex signature (also inside the `authorization` header).
    pub signature: String,
    /// The canonical request as aws-sigv4 built it, with the session token value redacted by
    /// aws-sigv4 (`x-amz-security-token:** redacted (length=N) **`). `None` when aws-sigv4's
    /// TRACE event was not observable (e.g. a `tracing/max_level_*` feature compiled it out).
    /// aws-sigv4 does not expose the string to sign at all; it is fully determined by the
    /// signature (see tests/sigv4_suites.rs, which checks it that way).
    pub canonical_request: Option<String>,
}

/// Like [`sign`], but also captures the canonical request aws-sigv4 logs at TRACE level. It
/// installs a scoped `tracing` subscriber for the duration of the call (so the caller's own
/// subscriber sees nothing from inside it); use it for diagnostics, not on the hot path.
pub fn sign_with_details(
    input: &SigningInput<'_>,
    ctx: &SigningContext<'_>,
) -> Result<SigningDetails, SigningError> {
    // tracing-core caches per-callsite interest. A callsite that another thread registers
    // while a new dispatcher is being set up can keep a stale "never" (a race inside
    // tracing-core), so if nothing was captured, sign again under a fresh dispatcher: creating
    // one rebuilds every callsite's interest.
    let mut attempts_left = 3;
    loop {
        attempts_left -= 1;
        let dispatch = tracing::Dispatch::new(capture::CanonicalRequestCapture::default());
        let result = tracing::dispatcher::with_default(&dispatch, || sign_raw(input, ctx));
        let (instructions, signature) = result?;
        let canonical_request = dispatch
            .downcast_ref::<capture::CanonicalRequestCapture>()
            .and_then(capture::CanonicalRequestCapture::take);
        if canonical_request.is_some() || attempts_left == 0 {
            return Ok(SigningDetails {
                headers: into_header_list(instructions),
                signature,
                canonical_request,
            });
        }
    }
}

fn into_header_list(instructions: SigningInstructions) -> Vec<(&'static str, String)> {
    let (headers, _params) = instructions.into_parts();
    headers
        .iter()
        .map(|h| (h.name(), h.value().to_owned()))
        .collect()
}

fn sign_raw(
    input: &SigningInput<'_>,
    ctx: &SigningContext<'_>,
) -> Result<(SigningInstructions, String), SigningError> {
    // Everything aws-sigv4 would `expect()` on is checked here first, so it cannot panic.
    check_token("HTTP method", input.method)?;
    check_scope_part("region", ctx.region)?;
    check_scope_part("service", ctx.service)?;
    check_scope_part("access key id", ctx.credentials.access_key_id())?;
    check_time(ctx.time)?;
    check_uri(input.uri)?;

    let identity = Identity::from(ctx.credentials.clone());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(ctx.region)
        .name(ctx.service)
        .time(ctx.time)
        .settings(ctx.options.to_aws_settings())
        .build()
        .map_err(|e| SigningError::Sigv4(format!("invalid signing parameters: {e}")))?
        .into();

    let headers = input
        .headers
        .iter()
        .copied()
        .filter(|(name, _)| !is_signer_owned(name));
    let result = SignableRequest::new(
        input.method,
        input.uri,
        headers,
        SignableBody::Bytes(input.body),
    )
    .and_then(|request| aws_sigv4::http_request::sign(request, &params));
    match result {
        Ok(output) => Ok(output.into_parts()),
        Err(e) => Err(explain_failure(input, ctx, &e)),
    }
}

fn is_signer_owned(name: &str) -> bool {
    SIGNER_OWNED_HEADERS
        .iter()
        .any(|owned| name.eq_ignore_ascii_case(owned))
}

/// Turns an aws-sigv4 error into a precise one. Runs only on the error path.
fn explain_failure(
    input: &SigningInput<'_>,
    ctx: &SigningContext<'_>,
    error: &aws_sigv4::http_request::SigningError,
) -> SigningError {
    for (name, value) in input.headers.iter().filter(|(n, _)| !is_signer_owned(n)) {
        if http::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return SigningError::InvalidHeader {
                name: (*name).to_owned(),
                part: "name",
            };
        }
        if http::HeaderValue::from_str(value).is_err() {
            return SigningError::InvalidHeader {
                name: (*name).to_owned(),
                part: "value",
            };
        }
    }
    if let Some(token) = ctx.credentials.session_token()
        && http::HeaderValue::from_str(token).is_err()
    {
        return SigningError::InvalidParameter {
            what: "session token",
            reason: "it is not a valid HTTP header value",
        };
    }
    if input.uri.parse::<http::Uri>().is_err() {
        return SigningError::InvalidUri(input.uri.to_owned());
    }
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    SigningError::Sigv4(message)
}

/// An HTTP token (RFC 9110 `tchar`s), as a method must be.
fn check_token(what: &'static str, value: &str) -> Result<(), SigningError> {
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if value.is_empty() {
        return Err(SigningError::InvalidParameter {
            what,
            reason: "it is empty",
        });
    }
    if !value.bytes().all(is_tchar) {
        return Err(SigningError::InvalidParameter {
            what,
            reason: "it contains characters not allowed in an HTTP token",
        });
    }
    Ok(())
}

/// A credential scope component: visible ASCII without `/` (which separates the scope parts) and
/// without `,` (which separates the Authorization header's parts).
fn check_scope_part(what: &'static str, value: &str) -> Result<(), SigningError> {
    if value.is_empty() {
        return Err(SigningError::InvalidParameter {
            what,
            reason: "it is empty",
        });
    }
    if !value
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b'/' && b != b',')
    {
        return Err(SigningError::InvalidParameter {
            what,
            reason: "it must be visible ASCII without '/' or ','",
        });
    }
    Ok(())
}

fn check_time(time: SystemTime) -> Result<(), SigningError> {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) if since < Duration::from_secs(MAX_SIGNING_SECS) => Ok(()),
        _ => Err(SigningError::InvalidTime),
    }
}

/// aws-sigv4 `expect()`s an authority on the parsed URI. `http::Uri` only accepts a scheme
/// followed by a non-empty authority, so requiring the `http(s)://host` prefix here is enough;
/// aws-sigv4's own parse rejects anything else that is malformed.
fn check_uri(uri: &str) -> Result<(), SigningError> {
    let after_scheme = strip_prefix_ignore_case(uri, "https://")
        .or_else(|| strip_prefix_ignore_case(uri, "http://"));
    let has_host = after_scheme.is_some_and(|rest| {
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        // The host is what follows any userinfo; it must not be empty.
        let host = authority.rsplit('@').next().unwrap_or("");
        !host.is_empty() && !host.starts_with(':')
    });
    if has_host {
        Ok(())
    } else {
        Err(SigningError::InvalidUri(uri.to_owned()))
    }
}

fn strip_prefix_ignore_case<'s>(value: &'s str, prefix: &str) -> Option<&'s str> {
    let head = value.get(..prefix.len())?;
    if head.eq_ignore_ascii_case(prefix) {
        value.get(prefix.len()..)
    } else {
        None
    }
}

mod capture {
    //! A minimal `tracing` subscriber that records the `canonical_request` field aws-sigv4 emits
    //! at TRACE level while signing.

    use super::Mutex;
    use tracing::field::{Field, Visit};
    use tracing::level_filters::LevelFilter;
    use tracing::span::{Attributes, Id, Record};
    use tracing::subscriber::Interest;
    use tracing::{Event, Metadata, Subscriber};

    const FIELD: &str = "canonical_request";

    #[derive(Default)]
    pub(super) struct CanonicalRequestCapture {
        captured: Mutex<Option<String>>,
    }

    impl CanonicalRequestCapture {
        pub(super) fn take(&self) -> Option<String> {
            match self.captured.lock() {
                Ok(mut guard) => guard.take(),
                Err(poisoned) => poisoned.into_inner().take(),
            }
        }
    }

    fn is_sigv4_event(metadata: &Metadata<'_>) -> bool {
        metadata.is_event()
            && metadata.target().starts_with("aws_sigv4")
            && metadata.fields().field(FIELD).is_some()
    }

    struct Visitor(Option<String>);

    impl Visit for Visitor {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            // `%value` fields arrive here; their Debug is the Display form.
            if field.name() == FIELD {
                self.0 = Some(format!("{value:?}"));
            }
        }

        fn record_str(&mut self, field: &Field, value: &str) {
            if field.name() == FIELD {
                self.0 = Some(value.to_owned());
            }
        }
    }

    impl Subscriber for CanonicalRequestCapture {
        fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
            if is_sigv4_event(metadata) {
                Interest::always()
            } else {
                Interest::never()
            }
        }

        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            is_sigv4_event(metadata)
        }

        fn max_level_hint(&self) -> Option<LevelFilter> {
            Some(LevelFilter::TRACE)
        }

        fn new_span(&self, _span: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }

        fn record(&self, _span: &Id, _values: &Record<'_>) {}

        fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut visitor = Visitor(None);
            event.record(&mut visitor);
            if let Some(canonical_request) = visitor.0 {
                match self.captured.lock() {
                    Ok(mut guard) => *guard = Some(canonical_request),
                    Err(poisoned) => *poisoned.into_inner() = Some(canonical_request),
                }
            }
        }

        fn enter(&self, _span: &Id) {}

        fn exit(&self, _span: &Id) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AKID: &str = "AKIDEXAMPLE";
    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// 2011-09-09T23:36:00Z, the time of the AWS documentation's IAM ListUsers example.
    fn docs_time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_315_611_360)
    }

    const DOCS_HEADERS: &[(&str, &str)] = &[(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=utf-8",
    )];

    fn docs_input() -> SigningInput<'static> {
        SigningInput {
            method: "POST",
            uri: "https://iam.amazonaws.com/",
            headers: DOCS_HEADERS,
            body: b"Action=ListUsers&Version=2010-05-08",
        }
    }

    fn header<'h>(headers: &'h [(&'static str, String)], name: &str) -> Option<&'h str> {
        headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The POST example of the AWS General Reference's "Signature Version 4 signing process"
    /// (payload hash b6359072..., canonical request hash 3511de7e..., signing key 98f1d889...).
    #[test]
    fn aws_docs_iam_list_users_post() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        let headers = sign(&docs_input(), &ctx).unwrap();
        assert_eq!(
            header(&headers, "authorization"),
            Some(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/iam/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, \
                 Signature=ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c"
            )
        );
        assert_eq!(header(&headers, "x-amz-date"), Some("20110909T233600Z"));
        assert_eq!(header(&headers, "x-amz-security-token"), None);
        assert_eq!(header(&headers, "x-amz-content-sha256"), None);
        assert_eq!(headers.len(), 2);
    }

    #[test]
    fn details_expose_the_canonical_request() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        let details = sign_with_details(&docs_input(), &ctx).unwrap();
        assert_eq!(
            details.signature,
            "ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c"
        );
        assert_eq!(details.headers, sign(&docs_input(), &ctx).unwrap());
        assert_eq!(
            details.canonical_request.as_deref(),
            Some(
                "POST\n/\n\n\
                 content-type:application/x-www-form-urlencoded; charset=utf-8\n\
                 host:iam.amazonaws.com\n\
                 x-amz-date:20110909T233600Z\n\n\
                 content-type;host;x-amz-date\n\
                 b6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2"
            )
        );
    }

    #[test]
    fn session_token_is_returned_and_signed() {
        let creds = Credentials::from_keys(AKID, SECRET, Some("TOKEN/abc+=".to_owned()));
        let ctx = SigningContext::new(&creds, "us-east-1", "email", docs_time());
        let headers = sign(&docs_input(), &ctx).unwrap();
        assert_eq!(
            header(&headers, "x-amz-security-token"),
            Some("TOKEN/abc+=")
        );
        let authorization = header(&headers, "authorization").unwrap();
        assert!(
            authorization
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"),
            "{authorization}"
        );

        // Added after signing when the options say so: still returned, not signed.
        let unsigned = ctx.with_options(SigningOptions {
            sign_session_token: false,
            ..SigningOptions::CLIENT
        });
        let headers = sign(&docs_input(), &unsigned).unwrap();
        assert_eq!(
            header(&headers, "x-amz-security-token"),
            Some("TOKEN/abc+=")
        );
        assert!(
            header(&headers, "authorization")
                .unwrap()
                .contains("SignedHeaders=content-type;host;x-amz-date,")
        );
    }

    #[test]
    fn content_sha256_only_when_asked() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time()).with_options(
            SigningOptions {
                content_sha256_header: true,
                ..SigningOptions::CLIENT
            },
        );
        let headers = sign(&docs_input(), &ctx).unwrap();
        assert_eq!(
            header(&headers, "x-amz-content-sha256"),
            Some("b6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2")
        );
    }

    #[test]
    fn stale_signer_headers_on_the_request_are_ignored() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        let retry_headers: &[(&str, &str)] = &[
            DOCS_HEADERS[0],
            ("X-Amz-Date", "20000101T000000Z"),
            ("Authorization", "AWS4-HMAC-SHA256 stale"),
            ("X-Amz-Security-Token", "stale-token"),
        ];
        let input = SigningInput {
            headers: retry_headers,
            ..docs_input()
        };
        assert_eq!(
            sign(&input, &ctx).unwrap(),
            sign(&docs_input(), &ctx).unwrap()
        );
    }

    #[test]
    fn invalid_header_value_is_an_error() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        let bad: &[(&str, &str)] = &[("X-Custom", "line1\nline2")];
        let input = SigningInput {
            headers: bad,
            ..docs_input()
        };
        let err = sign(&input, &ctx).unwrap_err();
        assert!(
            matches!(&err, SigningError::InvalidHeader { name, part: "value" } if name == "X-Custom"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "cannot sign request: header \"X-Custom\" has an invalid value"
        );

        let bad_name: &[(&str, &str)] = &[("Bad Name", "v")];
        let input = SigningInput {
            headers: bad_name,
            ..docs_input()
        };
        assert!(matches!(
            sign(&input, &ctx),
            Err(SigningError::InvalidHeader { part: "name", .. })
        ));
    }

    #[test]
    fn invalid_session_token_is_an_error() {
        let creds = Credentials::from_keys(AKID, SECRET, Some("SeSsIoN\nToKeN".to_owned()));
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        let err = sign(&docs_input(), &ctx).unwrap_err();
        assert!(
            matches!(
                err,
                SigningError::InvalidParameter {
                    what: "session token",
                    ..
                }
            ),
            "{err:?}"
        );
        // The token itself never appears in the message.
        assert!(!err.to_string().contains("SeSsIoN"), "{err}");
    }

    #[test]
    fn bad_uris_are_errors_not_panics() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        for uri in [
            "",
            "/",
            "/path?x=1",
            "iam.amazonaws.com",
            "*",
            "https://",
            "https:///path",
            "https://?q",
            "https://#f",
            "https://user@/",
            "https://:443/",
            "ftp://host/",
            "https://host/a b",
            "https://ho st/",
            "https://[::1/",
            "HTTPS://",
            "https://h\u{e9}/",
        ] {
            let input = SigningInput {
                uri,
                ..docs_input()
            };
            let result = sign(&input, &ctx);
            assert!(
                matches!(result, Err(SigningError::InvalidUri(_))),
                "{uri:?}: {result:?}"
            );
        }
        // http::Uri checks ports lazily; whatever the outcome, it is not a panic.
        let input = SigningInput {
            uri: "https://host:99999999/",
            ..docs_input()
        };
        let _ = sign(&input, &ctx);
        // Odd but valid forms sign fine.
        for uri in [
            "HTTPS://iam.amazonaws.com/",
            "https://iam.amazonaws.com",
            "https://iam.amazonaws.com:443/",
            "http://127.0.0.1:8080/?a=b",
            "https://user@iam.amazonaws.com/",
            // http::Uri accepts raw UTF-8 in the path; double encoding then encodes it once.
            "https://iam.amazonaws.com/\u{1234}",
        ] {
            let input = SigningInput {
                uri,
                ..docs_input()
            };
            assert!(sign(&input, &ctx).is_ok(), "{uri:?}");
        }
    }

    #[test]
    fn bad_parameters_are_errors_not_panics() {
        let creds = Credentials::from_keys(AKID, SECRET, None);
        let base = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        for (region, service) in [
            ("", "iam"),
            ("us-east-1", ""),
            ("us/east", "iam"),
            ("us-east-1", "i am"),
        ] {
            let ctx = SigningContext {
                region,
                service,
                ..base
            };
            assert!(
                matches!(
                    sign(&docs_input(), &ctx),
                    Err(SigningError::InvalidParameter { .. })
                ),
                "{region:?} {service:?}"
            );
        }
        let bad_key = Credentials::from_keys("AKID\n", SECRET, None);
        let ctx = SigningContext {
            credentials: &bad_key,
            ..base
        };
        assert!(matches!(
            sign(&docs_input(), &ctx),
            Err(SigningError::InvalidParameter {
                what: "access key id",
                ..
            })
        ));
        for method in ["", "PO ST", "POST\n"] {
            let input = SigningInput {
                method,
                ..docs_input()
            };
            assert!(matches!(
                sign(&input, &base),
                Err(SigningError::InvalidParameter {
                    what: "HTTP method",
                    ..
                })
            ));
        }
        for time in [
            UNIX_EPOCH - Duration::from_secs(1),
            UNIX_EPOCH + Duration::from_secs(MAX_SIGNING_SECS),
        ] {
            let ctx = SigningContext { time, ..base };
            assert!(matches!(
                sign(&docs_input(), &ctx),
                Err(SigningError::InvalidTime)
            ));
        }
        let last_second = SigningContext {
            time: UNIX_EPOCH + Duration::from_secs(MAX_SIGNING_SECS - 1),
            ..base
        };
        let headers = sign(&docs_input(), &last_second).unwrap();
        assert_eq!(header(&headers, "x-amz-date"), Some("99991231T235959Z"));
    }

    #[test]
    fn debug_output_hides_secrets_and_body() {
        let creds = Credentials::from_keys(AKID, SECRET, Some("SESSION".to_owned()));
        let ctx = SigningContext::new(&creds, "us-east-1", "iam", docs_time());
        let printed = format!("{ctx:?} {:?}", docs_input());
        assert!(!printed.contains(SECRET), "{printed}");
        assert!(!printed.contains("SESSION"), "{printed}");
        assert!(!printed.contains("ListUsers"), "{printed}");
    }
}
