//! What awsQuery and ec2Query share: the request a form body makes, and on the way back the
//! response body as an XML document and the assembly of the typed result. Each protocol keeps
//! its own form dialect and finds its own envelope (where the output and the error sit), which
//! it hands here as a function.

use http::{HeaderName, Method};

use crate::codec::form::QueryWriter;
use crate::codec::xml::{self, Document, Node, XmlError};
use crate::error::{ErrorMetadata, SetRequestId};
use crate::protocol::{Limits, Parsed, Response};
use crate::request::RequestParts;

/// The media type of every query-protocol request body.
pub(super) const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// The request of a finished form: `POST` to the endpoint itself (no path, no query), the form
/// Content-Type, the body.
pub(super) fn form_request(w: QueryWriter) -> RequestParts {
    RequestParts {
        method: Method::POST,
        path_and_query: String::new(),
        headers: vec![(
            HeaderName::from_static("content-type"),
            FORM_CONTENT_TYPE.to_owned(),
        )],
        body: w.finish().into_bytes(),
    }
}

/// What a query-protocol response holds, its typed part not yet read.
pub(super) enum Envelope<'d> {
    /// An error: its metadata and its `<Error>` element.
    Error(ErrorMetadata, Node<'d>),
    /// The output's element and the request id.
    Output(Node<'d>, Option<String>),
    Unreadable(String),
}

/// Finds the error or the output in a document (see [`document`]); the protocol's.
pub(super) type EnvelopeFn = for<'d> fn(&'d Document<'d>, &Response<'_>, &str) -> Envelope<'d>;

/// Reads the response of operation `op`: the document, the protocol's `envelope` in it, then
/// the typed output or error. Only the calls of the two typed parsers are generic: the rest runs
/// once for every operation (one copy in the binary). Never inlined into an operation's
/// `parse`, so the parsers stay calls.
#[inline(never)]
pub(super) fn read_response<O: SetRequestId, E>(
    resp: &Response<'_>,
    limits: Limits,
    op: &str,
    empty_output: bool,
    envelope: EnvelopeFn,
    parse_output: for<'a> fn(Node<'a>) -> Result<O, XmlError>,
    parse_error: for<'a> fn(ErrorMetadata, Node<'a>) -> E,
) -> Parsed<O, E> {
    let doc = match document(resp, limits, op, empty_output) {
        Ok(doc) => doc,
        Err(problem) => return Parsed::Unreadable(problem),
    };
    match envelope(&doc, resp, op) {
        Envelope::Error(meta, node) => Parsed::Service {
            code: meta.code().map(str::to_owned),
            error: parse_error(meta, node),
        },
        Envelope::Output(node, request_id) => match parse_output(node) {
            Ok(mut out) => {
                out.set_request_id(request_id);
                Parsed::Output(out)
            }
            Err(e) => Parsed::Unreadable(e.to_string()),
        },
        Envelope::Unreadable(problem) => Parsed::Unreadable(problem),
    }
}

/// The response body as an XML document: the error document of an error status, an empty
/// document for an empty 2xx body of an operation without output members (one with output
/// members may not answer with nothing: a broken proxy must not read as "no data"), else the
/// body.
#[inline(never)]
fn document<'b>(
    resp: &Response<'b>,
    limits: Limits,
    op: &str,
    empty_output: bool,
) -> Result<Document<'b>, String> {
    let limits = xml::Limits {
        max_depth: limits.max_depth,
    };
    let body =
        std::str::from_utf8(resp.body).map_err(|e| format!("the body is not UTF-8 ({e})"))?;
    if !(200..300).contains(&resp.status) {
        return parse_error_body(body, limits);
    }
    if body.trim().is_empty() {
        if !empty_output {
            return Err(format!(
                "the body is empty, but {op} returns data (expected <{op}Response>)"
            ));
        }
        return Ok(Document::empty());
    }
    xml::parse_with(body, limits).map_err(|e| e.to_string())
}

/// Parses an error body, or says why it is not one.
pub fn parse_error_body(body: &str, limits: xml::Limits) -> Result<Document<'_>, String> {
    xml::parse_with(body, limits).map_err(|e| format!("the error body is not XML ({e})"))
}
