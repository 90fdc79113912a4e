//! The HTTP layer, pluggable: [`HttpClient`] takes a signed request and returns the whole
//! response. The default is reqwest with rustls (connection pool, connect and read timeouts,
//! stalled-stream protection, a body read under `max_response_size`); set another with
//! `Config::builder().http_client(..)`. Everything above it runs unchanged through whatever is
//! plugged in: validation, serialization, endpoint resolution, signing, retries, timeouts per
//! attempt and per operation, the response size limit and parsing.
//!
//! ```
//! use aws_client_runtime::http::{HttpClient, HttpFuture};
//!
//! /// Answers every request with an empty `SetIdentityMailFromDomain` response.
//! #[derive(Debug)]
//! struct Canned;
//!
//! impl HttpClient for Canned {
//!     fn send(&self, request: http::Request<bytes::Bytes>) -> HttpFuture<'_> {
//!         assert!(request.headers().contains_key("authorization"));
//!         Box::pin(async {
//!             Ok(http::Response::new(bytes::Bytes::from_static(
//!                 b"<SetIdentityMailFromDomainResponse/>",
//!             )))
//!         })
//!     }
//! }
//!
//! let conf = aws_client_runtime::Config::builder().http_client(Canned).build();
//! # let _ = conf;
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bytes::Bytes;

use super::error::BoxError;

/// What [`HttpClient::send`] returns: the whole response, or why there is none (a transport
/// failure; it becomes `SdkError::DispatchFailure` and is retried).
pub type HttpFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, BoxError>> + Send + 'a>>;

/// Sends one signed HTTP request. The request is complete (method, URL, `content-type`, the
/// SigV4 headers, the body); send it as it is.
pub trait HttpClient: Send + Sync + fmt::Debug {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_>;
}

impl<T: HttpClient + ?Sized> HttpClient for Arc<T> {
    fn send(&self, request: http::Request<Bytes>) -> HttpFuture<'_> {
        (**self).send(request)
    }
}

/// The built-in client: reqwest over rustls with ring, pooled connections, the given connect and
/// read timeouts, no redirect following (awsQuery services never redirect; a 3xx is reported).
pub(crate) fn build_reqwest(
    connect_timeout: std::time::Duration,
    read_timeout: Option<std::time::Duration>,
) -> Result<reqwest::Client, String> {
    // reqwest is built without a bundled crypto provider; use ring unless the application
    // installed one already (then `install_default` fails and theirs is kept).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(std::time::Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none());
    if let Some(read) = read_timeout {
        builder = builder.read_timeout(read);
    }
    builder.build().map_err(|e| e.to_string())
}

/// A configured HTTP client, shared by every clone of a config.
#[derive(Clone)]
pub(crate) struct SharedHttpClient(pub(crate) Arc<dyn HttpClient>);

impl fmt::Debug for SharedHttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}
