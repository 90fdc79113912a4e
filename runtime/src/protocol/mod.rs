//! Protocols: how an operation's input becomes a request and a response becomes its output or
//! error. The send path (`crate::send`) knows none of it: it calls the operation's generated
//! `build` and `parse` (see `client::Operation`), which call into one module per protocol.
//!
//! This module holds the neutral vocabulary both sides speak, [`Response`] and [`Parsed`]. A
//! protocol module depends on it, the codecs (`crate::codec`), the request types
//! (`crate::request`) and the error vocabulary (`crate::error`), never on the send path.
//!
//! - [`aws_query`] (feature `aws-query`): POST of a form body, `<OpResponse><OpResult>` XML.
//! - [`aws_json`] (feature `aws-json`): POST of a JSON body with `X-Amz-Target`, JSON back.
//! - [`ec2_query`] (feature `ec2-query`): POST of a form body, `<OpResponse>` XML.

#[cfg(feature = "aws-json")]
pub mod aws_json;
#[cfg(feature = "aws-query")]
pub mod aws_query;
#[cfg(feature = "ec2-query")]
pub mod ec2_query;
#[cfg(any(feature = "aws-query", feature = "ec2-query"))]
mod query_xml;

/// A complete response, as the send path hands it to an operation's `parse`.
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The HTTP status. Redirects (3xx) are the send path's and do not get here, except a 3xx
    /// whose body is not UTF-8 (reported as such, as a protocol reads it).
    pub status: u16,
    /// Every header.
    pub headers: &'a http::HeaderMap,
    /// The request id from the headers (`x-amzn-requestid`, `x-amz-request-id`), if any; a
    /// protocol falls back to its body's.
    pub request_id: Option<&'a str>,
    /// The body, read whole within `max_response_size`.
    pub body: &'a [u8],
}

/// What a response reader may cost (from the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deepest nesting a body may have (`Config::builder().max_response_depth`).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: crate::config::DEFAULT_MAX_RESPONSE_DEPTH,
        }
    }
}

/// What an operation's `parse` made of a response.
#[derive(Debug)]
pub enum Parsed<O, E> {
    /// The operation's output, its request id set.
    Output(O),
    /// A service error: the operation's error, and the error code the retry policy reads.
    Service {
        /// The error code (`Throttling`, `RequestExpired`, ...).
        code: Option<String>,
        error: E,
    },
    /// The response cannot be read as an output or an error; says why. Retried as its status
    /// says (a 5xx is transient), else not.
    Unreadable(String),
}
