//! Errors: what a call can fail with, and the metadata every service error carries.

use std::fmt;
use std::time::Duration;

pub use super::validate::Violation;
use super::xml::{self, Document, Node};

/// Code, message, `Type` (Sender/Receiver), request id and HTTP status of a service error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorMetadata {
    code: String,
    message: Option<String>,
    error_type: Option<String>,
    request_id: Option<String>,
    status: u16,
}

impl ErrorMetadata {
    /// Metadata from its parts (useful to build errors in tests of code that uses the client).
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        ErrorMetadata {
            code: code.into(),
            message,
            status,
            ..Default::default()
        }
    }

    pub fn with_type(mut self, t: Option<String>) -> Self {
        self.error_type = t;
        self
    }

    pub fn with_request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }

    /// The error code (`MessageRejected`, `Throttling`, ...).
    pub fn code(&self) -> &str {
        &self.code
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

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
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
        f.write_str(&clip(&self.code, DISPLAY_FIELD_CHARS))?;
        if let Some(m) = &self.message {
            write!(f, ": {}", clip(m, DISPLAY_MESSAGE_CHARS))?;
        }
        write!(f, " (HTTP {}", self.status)?;
        if let Some(t) = &self.error_type {
            write!(f, ", type {}", clip(t, DISPLAY_FIELD_CHARS))?;
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request id {}", clip(id, DISPLAY_FIELD_CHARS))?;
        }
        f.write_str(")")
    }
}

/// Implemented by every error type the service can return.
pub trait ProvideErrorMetadata {
    fn meta(&self) -> &ErrorMetadata;

    fn code(&self) -> &str {
        self.meta().code()
    }

    fn message(&self) -> Option<&str> {
        self.meta().message()
    }

    fn request_id(&self) -> Option<&str> {
        self.meta().request_id()
    }
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

/// A modeled error type: its members come from the `<Error>` element, its metadata from the
/// response. Implemented by generated code.
#[doc(hidden)]
pub trait ModeledError {
    fn set_meta(&mut self, meta: ErrorMetadata);
}

/// Reads a modeled error from the `<Error>` element and wraps it in the operation's error enum;
/// when its members cannot be read, the error is still reported, as `unhandled`. Called by
/// generated code.
#[doc(hidden)]
pub fn modeled<T: ModeledError, E>(
    meta: ErrorMetadata,
    node: Node<'_>,
    parse: fn(Node<'_>) -> Result<T, xml::XmlError>,
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

/// A failed call. Nothing is sent for `Validation` and `Config`.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The input broke the model's constraints; nothing was sent.
    Validation(ValidationError),
    /// The client is misconfigured (no region, no credentials, a bad endpoint); nothing was sent.
    Config(ConfigError),
    /// No response in time.
    Timeout(TimeoutError),
    /// The request could not be sent or the connection failed.
    Dispatch(DispatchError),
    /// A response arrived but could not be understood.
    Response(ResponseError),
    /// The service answered with an error.
    Service(E),
}

impl<E: ProvideErrorMetadata> SdkError<E> {
    /// The service error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    pub fn into_service_error(self) -> Option<E> {
        match self {
            SdkError::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service error code, if the service answered with an error.
    pub fn code(&self) -> Option<&str> {
        self.as_service_error().map(|e| e.code())
    }

    pub fn message(&self) -> Option<&str> {
        self.as_service_error().and_then(|e| e.message())
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            SdkError::Service(e) => e.request_id(),
            SdkError::Response(r) => r.request_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            SdkError::Service(e) => Some(e.meta().status()),
            SdkError::Response(r) => Some(r.status),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::Validation(e) => fmt::Display::fmt(e, f),
            SdkError::Config(e) => write!(f, "configuration error: {e}"),
            SdkError::Timeout(e) => fmt::Display::fmt(e, f),
            SdkError::Dispatch(e) => fmt::Display::fmt(e, f),
            SdkError::Response(e) => fmt::Display::fmt(e, f),
            SdkError::Service(e) => write!(f, "service error: {e}"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::Validation(e) => Some(e),
            SdkError::Config(e) => Some(e),
            SdkError::Timeout(e) => Some(e),
            SdkError::Dispatch(e) => Some(e),
            SdkError::Response(e) => Some(e),
            SdkError::Service(e) => Some(e),
        }
    }
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No region was configured; every request is signed for one, so nothing was sent.
    #[error(
        "no region: set AWS_REGION (or AWS_DEFAULT_REGION), `region` in the profile of the shared \
         config file, or Config::builder().region(..); a custom endpoint URL needs one too, for signing"
    )]
    NoRegion,
    #[error("invalid endpoint URL `{url}`: {reason}")]
    InvalidEndpoint { url: String, reason: String },
    #[error("endpoint resolution failed: {0}")]
    Endpoint(String),
    #[error("no credentials: {0}")]
    Credentials(String),
    #[error("invalid setting {name}={value:?}: {reason}")]
    InvalidSetting {
        name: String,
        value: String,
        reason: String,
    },
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    #[error("cannot sign the request: {0}")]
    Signing(String),
    /// A malformed or unreadable shared config or credentials file (file, line, problem).
    #[error("invalid shared config file: {0}")]
    ProfileFile(String),
}

/// Which deadline passed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} timed out after {after:?}")]
pub struct TimeoutError {
    pub what: &'static str,
    pub after: Duration,
}

/// The request did not complete at the transport level.
#[derive(Debug, thiserror::Error)]
#[error("request failed to send: {message}")]
pub struct DispatchError {
    pub message: String,
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// A response the client could not understand (not XML, wrong shape, a proxy's HTML page).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unexpected response (HTTP {status}{}): {problem}; body starts: {body_excerpt:?}", request_id.as_ref().map(|r| format!(", request id {}", clip(r, DISPLAY_FIELD_CHARS))).unwrap_or_default())]
pub struct ResponseError {
    pub status: u16,
    pub request_id: Option<String>,
    pub problem: String,
    pub body_excerpt: String,
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

/// Finds the `<Error>` element of an error response: `<ErrorResponse><Error>` (awsQuery),
/// `<ErrorResponse><Errors><Error>` or `<Response><Errors><Error>` (seen from emulators and
/// other query services), and reads its metadata. The request id comes from the header when
/// given, else from the body's `RequestId` / `RequestID`.
pub(crate) fn parse_error<'d>(
    root: Node<'d>,
    status: u16,
    header_request_id: Option<&str>,
) -> Option<(ErrorMetadata, Node<'d>)> {
    let error = if root.name() == "Error" {
        root
    } else {
        root.child("Error")
            .or_else(|| root.child("Errors").and_then(|e| e.child("Error")))?
    };
    let text = |n: Node<'_>, name: &str| {
        n.child(name)
            .map(|c| c.text().trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let code = text(error, "Code")?;
    let request_id = header_request_id
        .map(str::to_owned)
        .or_else(|| text(root, "RequestId"))
        .or_else(|| text(root, "RequestID"))
        .or_else(|| text(error, "RequestId"));
    let meta = ErrorMetadata {
        code,
        message: text(error, "Message"),
        error_type: text(error, "Type"),
        request_id,
        status,
    };
    Some((meta, error))
}

/// Parses an error body, or explains why it is not one.
pub(crate) fn parse_error_body<'a>(
    body: &'a str,
    status: u16,
    header_request_id: Option<&str>,
    limits: xml::Limits,
) -> Result<Document<'a>, ResponseError> {
    let fail = |problem: String| ResponseError {
        status,
        request_id: header_request_id.map(str::to_owned),
        problem,
        body_excerpt: excerpt(body),
    };
    xml::parse_with(body, limits).map_err(|e| fail(format!("the error body is not XML ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_error_layouts_and_request_ids() {
        let standard = r#"<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
            <Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error>
            <RequestId>abc-123</RequestId></ErrorResponse>"#;
        let doc = xml::parse(standard).unwrap();
        let (meta, node) = parse_error(doc.root(), 400, None).unwrap();
        assert_eq!(meta.code(), "MessageRejected");
        assert_eq!(meta.message(), Some("Email address is not verified."));
        assert_eq!(meta.error_type(), Some("Sender"));
        assert_eq!(meta.request_id(), Some("abc-123"));
        assert_eq!(node.name(), "Error");
        assert_eq!(
            meta.to_string(),
            "MessageRejected: Email address is not verified. (HTTP 400, type Sender, request id abc-123)"
        );

        let nested = "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code>\
            <Message>The request signature we calculated does not match</Message></Error></Errors>\
            <RequestID>r-9</RequestID></ErrorResponse>";
        let doc = xml::parse(nested).unwrap();
        let root = doc.root();
        let (meta, _) = parse_error(root, 403, Some("from-header")).unwrap();
        assert_eq!(meta.code(), "SignatureDoesNotMatch");
        assert_eq!(meta.status(), 403);
        assert_eq!(meta.request_id(), Some("from-header"));
        let (meta, _) = parse_error(root, 403, None).unwrap();
        assert_eq!(meta.request_id(), Some("r-9"));
    }

    #[test]
    fn non_error_documents_and_non_xml_bodies() {
        let doc = xml::parse("<Foo><Bar/></Foo>").unwrap();
        assert!(parse_error(doc.root(), 500, None).is_none());
        let html = "<html><body><h1>502 Bad Gateway</h1></body>";
        let err = parse_error_body(html, 502, None, xml::Limits::default()).unwrap_err();
        assert_eq!(err.status, 502);
        assert!(err.body_excerpt.contains("502 Bad Gateway"));
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
}
