//! What the send path carries between a protocol and the wire: the request an operation's
//! `build` describes ([`RequestParts`]), and the request the send path prepares from it
//! ([`PreparedRequest`]: endpoint, host prefix and compression applied, not yet signed).
//!
//! Protocol-neutral: the method, the path and query, the headers and the body are whatever the
//! protocol chose. The send path and both transports read them from here; the signer signs the
//! headers the protocol set (and adds its own).

use http::{HeaderName, Method};

/// The endpoint a client calls and how it signs for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The endpoint URL, ending with `/` when it has no query (requests go to it as a folder).
    pub url: String,
    pub signing_region: String,
    pub signing_name: String,
}

/// A request as an operation's protocol builds it from the input: everything but the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestParts {
    pub method: Method,
    /// The path and query below the endpoint's URL: empty for the endpoint itself (awsQuery),
    /// else starting with `/` or `?` (see [`join_url`]).
    pub path_and_query: String,
    /// The headers the protocol sets (`Content-Type`, ...), in the order they are sent.
    /// `Content-Length` is the transport's; `Content-Encoding` the send path's (compression).
    pub headers: Vec<(HeaderName, String)>,
    pub body: Vec<u8>,
}

/// A built, not yet signed request: the method, URL, headers and body it is sent with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    pub method: Method,
    /// The full URL: the endpoint (with any host prefix) and the protocol's path and query.
    pub url: String,
    /// The protocol's headers, then `content-encoding` for a compressed body. Signing adds its
    /// own; `Content-Length` is set by the transport.
    pub headers: Vec<(HeaderName, String)>,
    pub body: bytes::Bytes,
}

impl PreparedRequest {
    /// A request from its parts (tests build them by hand).
    pub fn new(
        method: Method,
        url: impl Into<String>,
        headers: Vec<(HeaderName, String)>,
        body: impl Into<bytes::Bytes>,
    ) -> Self {
        PreparedRequest {
            method,
            url: url.into(),
            headers,
            body: body.into(),
        }
    }

    /// The HTTP method, as text (`POST`).
    pub fn method(&self) -> &str {
        self.method.as_str()
    }

    /// The value of header `name` (any case), if the request has it.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The headers the request is sent with before signing: the protocol's and
    /// `Content-Encoding` (see [`headers`](Self::headers)), then `Content-Length`.
    pub fn headers(&self) -> Vec<(&str, String)> {
        let mut h: Vec<(&str, String)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.clone()))
            .collect();
        h.push(("content-length", self.body.len().to_string()));
        h
    }

    /// The host (and port) the request goes to.
    pub fn host(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        authority.rsplit_once('@').map_or(authority, |(_, h)| h)
    }

    /// The path and query the request goes to (`/` when the URL has neither).
    pub fn path_and_query(&self) -> &str {
        let rest = self
            .url
            .split_once("://")
            .map_or(self.url.as_str(), |(_, r)| r);
        let start = rest.find(['/', '?']).unwrap_or(rest.len());
        let tail = &rest[start..];
        let tail = tail.split_once('#').map_or(tail, |(t, _)| t);
        if tail.is_empty() { "/" } else { tail }
    }
}

/// The URL of a request: `endpoint` (a folder, `https://host/base/`) with the protocol's
/// `path_and_query` below it. An empty `path_and_query` is the endpoint itself; `/a/b?x=1` goes
/// under the endpoint's path (`https://host/base/a/b?x=1`); `?x=1` is a query on it.
pub fn join_url(endpoint: &str, path_and_query: &str) -> String {
    if path_and_query.is_empty() {
        return endpoint.to_owned();
    }
    let base = endpoint.split_once(['?', '#']).map_or(endpoint, |(b, _)| b);
    match path_and_query.strip_prefix('/') {
        Some(path) if base.ends_with('/') => format!("{base}{path}"),
        _ if path_and_query.starts_with('?') => format!("{base}{path_and_query}"),
        _ => format!(
            "{}/{}",
            base.trim_end_matches('/'),
            path_and_query.trim_start_matches('/')
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_join_below_the_endpoint() {
        assert_eq!(join_url("https://h/", ""), "https://h/");
        assert_eq!(join_url("https://h/base/", ""), "https://h/base/");
        assert_eq!(join_url("https://h/", "/a/b?x=1"), "https://h/a/b?x=1");
        assert_eq!(join_url("https://h/base/", "/a"), "https://h/base/a");
        assert_eq!(join_url("https://h/base/", "?x=1"), "https://h/base/?x=1");
        assert_eq!(join_url("https://h/base", "/a"), "https://h/base/a");
    }

    #[test]
    fn accessors_read_the_url_and_headers() {
        let req = PreparedRequest::new(
            Method::POST,
            "https://user@h.example.com:8443/p/?q=1#f",
            vec![(HeaderName::from_static("content-type"), "text/plain".into())],
            &b"abc"[..],
        );
        assert_eq!(req.method(), "POST");
        assert_eq!(req.host(), "h.example.com:8443");
        assert_eq!(req.path_and_query(), "/p/?q=1");
        assert_eq!(req.header("Content-Type"), Some("text/plain"));
        assert_eq!(
            req.headers(),
            vec![
                ("content-type", "text/plain".to_owned()),
                ("content-length", "3".to_owned())
            ]
        );
    }
}
