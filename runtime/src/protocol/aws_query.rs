//! awsQuery (`aws.protocols#awsQuery`): every rule of the protocol, in one place.
//!
//! - **Requests**: `POST` to the endpoint itself (no path, no query), `Content-Type:
//!   application/x-www-form-urlencoded`, a form body that starts with `Action={Op}` and
//!   `Version={api version}` and goes on with the input's members ([`codec::form`]).
//! - **Responses**: XML ([`codec::xml`]). A success is `<{Op}Response><{Op}Result>…</{Op}Result>
//!   <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Op}Response>`; the output is
//!   read from `<{Op}Result>` (absent: an output with no members set). An empty 2xx body is an
//!   output only for an operation whose output has no members. A 2xx that carries an
//!   `<ErrorResponse>` instead (seen from proxies and some emulators) is that error.
//! - **Errors**: `<ErrorResponse><Error><Code>…` (and the `<Errors><Error>` layouts of other query
//!   services and emulators), read by [`error_metadata`]; the request id comes from the header,
//!   else from the body.
//! - awsQuery services never redirect: a 3xx comes from a proxy or a wrong endpoint, and the
//!   send path reports it as a redirect, whatever the protocol.
//!
//! An operation's generated `build` and `parse` (filled by the `operation!` macro) are one call
//! each: [`write_request`] and [`read_response`].
//!
//! [`codec::form`]: crate::codec::form
//! [`codec::xml`]: crate::codec::xml

use super::query_xml::{self, Envelope};
use crate::codec::form::{Key, QueryValue, QueryWriter};
use crate::codec::xml::{self, Document, Node, XmlError};
use crate::error::{self, ErrorMetadata, SetRequestId};
use crate::protocol::{Limits, Parsed, Response};
use crate::request::RequestParts;
use crate::validate::Violation;

/// The media type of every awsQuery request body.
pub const CONTENT_TYPE: &str = query_xml::FORM_CONTENT_TYPE;

/// The request of operation `action` of a service at API `version`: `POST` to the endpoint, the
/// form Content-Type, `Action`, `Version` and the input's members. Never fails (the `Result` is
/// the shape every protocol's `build` has: a REST protocol refuses a missing label).
pub fn write_request<I: QueryValue>(
    action: &str,
    version: &str,
    input: &I,
) -> Result<RequestParts, Violation> {
    let mut w = QueryWriter::new(action, version);
    input.write_query(&mut w, Key::Plain(""));
    Ok(query_xml::form_request(w))
}

/// Reads the response of operation `op` (its action name): the output from the
/// `<{op}Response><{op}Result>` envelope with `parse_result`, or the error from an
/// `<ErrorResponse>` with `parse_error`. `empty_output`: the output has no members, so an empty
/// 2xx body is a complete answer (for an output with members it is an error: a broken proxy
/// must not read as "no data"). The envelope is read once for every operation
/// ([`query_xml`](super::query_xml)); only the typed parsers' calls are generic.
#[inline(never)]
pub fn read_response<O: SetRequestId, E>(
    resp: &Response<'_>,
    limits: Limits,
    op: &str,
    empty_output: bool,
    parse_result: for<'a> fn(Node<'a>) -> Result<O, XmlError>,
    parse_error: for<'a> fn(ErrorMetadata, Node<'a>) -> E,
) -> Parsed<O, E> {
    query_xml::read_response(
        resp,
        limits,
        op,
        empty_output,
        envelope,
        parse_result,
        parse_error,
    )
}

/// Finds the error or the output of an awsQuery response in `doc`.
#[inline(never)]
fn envelope<'d>(doc: &'d Document<'d>, resp: &Response<'_>, op: &str) -> Envelope<'d> {
    let status = resp.status;
    let root = doc.root();
    if !(200..300).contains(&status) {
        return match error_metadata(root, status, resp.request_id) {
            Some((meta, node)) => Envelope::Error(meta, node),
            None => Envelope::Unreadable(
                "an error status without an <Error> element with a <Code>".into(),
            ),
        };
    }
    if root.name().is_empty() {
        // The empty document of an empty body (`document`).
        return Envelope::Output(root, resp.request_id.map(str::to_owned));
    }
    let expected = format!("{op}Response");
    if root.name() != expected {
        // A 2xx that carries an error document is that error.
        if let Some((meta, node)) = error_metadata(root, status, resp.request_id) {
            return Envelope::Error(meta, node);
        }
        return Envelope::Unreadable(format!(
            "expected <{expected}>, found <{}>",
            error::clip(root.name(), 64)
        ));
    }
    let result_name = format!("{op}Result");
    let result = root
        .child(&result_name)
        .unwrap_or_else(|| xml::empty_root());
    let request_id = resp.request_id.map(str::to_owned).or_else(|| {
        root.child("ResponseMetadata")
            .and_then(|m| m.child("RequestId"))
            .map(|n| n.text().trim().to_owned())
    });
    Envelope::Output(result, request_id)
}

/// Finds the `<Error>` element of an error response: `<ErrorResponse><Error>` (awsQuery),
/// `<ErrorResponse><Errors><Error>` or `<Response><Errors><Error>` (seen from emulators and
/// other query services), and reads its metadata. The request id comes from the header when
/// given, else from the body's `RequestId` / `RequestID`.
pub fn error_metadata<'d>(
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
    let meta = ErrorMetadata::new(code, text(error, "Message"), status)
        .with_type(text(error, "Type"))
        .with_request_id(request_id);
    Some((meta, error))
}

pub use super::query_xml::parse_error_body;

#[cfg(test)]
mod tests {
    use super::*;

    /// An output with one member and its request id.
    #[derive(Debug, Default, PartialEq)]
    struct Out {
        value: Option<String>,
        request_id: Option<String>,
    }

    impl SetRequestId for Out {
        fn set_request_id(&mut self, id: Option<String>) {
            self.request_id = id;
        }
    }

    fn de_out(node: Node<'_>) -> Result<Out, XmlError> {
        match node.child("Value") {
            Some(v) if v.text() == "bad" => Err(XmlError::custom("Value", "bad value")),
            Some(v) => Ok(Out {
                value: Some(v.text().to_owned()),
                request_id: None,
            }),
            None => Ok(Out::default()),
        }
    }

    fn de_err(meta: ErrorMetadata, _node: Node<'_>) -> ErrorMetadata {
        meta
    }

    struct In(&'static str);

    impl QueryValue for In {
        fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
            w.string(Key::member(&key.to_prefix(), "Name"), self.0);
        }
    }

    fn read(
        status: u16,
        header_id: Option<&str>,
        body: &str,
        empty: bool,
    ) -> Parsed<Out, ErrorMetadata> {
        let headers = http::HeaderMap::new();
        let resp = Response {
            status,
            headers: &headers,
            request_id: header_id,
            body: body.as_bytes(),
        };
        read_response(&resp, Limits::default(), "Op", empty, de_out, de_err)
    }

    #[test]
    fn requests_post_a_form_to_the_endpoint() {
        let parts = write_request("Op", "2010-12-01", &In("a b")).unwrap();
        assert_eq!(parts.method, http::Method::POST);
        assert_eq!(parts.path_and_query, "");
        assert_eq!(
            parts.headers,
            vec![(http::header::CONTENT_TYPE, CONTENT_TYPE.to_owned())]
        );
        assert_eq!(parts.body, b"Action=Op&Version=2010-12-01&Name=a%20b");
    }

    #[test]
    fn outputs_come_from_the_result_in_the_envelope() {
        let body = "<OpResponse><OpResult><Value>v</Value></OpResult>\
                    <ResponseMetadata><RequestId> body-id </RequestId></ResponseMetadata></OpResponse>";
        let Parsed::Output(out) = read(200, None, body, false) else {
            panic!("an output")
        };
        assert_eq!(out.value.as_deref(), Some("v"));
        assert_eq!(out.request_id.as_deref(), Some("body-id"));
        // The header's request id wins.
        let Parsed::Output(out) = read(200, Some("hdr"), body, false) else {
            panic!("an output")
        };
        assert_eq!(out.request_id.as_deref(), Some("hdr"));
        // No <OpResult>: an output with nothing set.
        let Parsed::Output(out) = read(200, None, "<OpResponse/>", false) else {
            panic!("an output")
        };
        assert_eq!(out, Out::default());
    }

    #[test]
    fn unreadable_successes_say_why() {
        let problem = |status, body: &str, empty| match read(status, None, body, empty) {
            Parsed::Unreadable(p) => p,
            other => panic!("unreadable expected, got {other:?}"),
        };
        assert_eq!(
            problem(200, " ", false),
            "the body is empty, but Op returns data (expected <OpResponse>)"
        );
        assert!(problem(200, "<Other/>", false).contains("expected <OpResponse>, found <Other>"));
        assert!(
            problem(
                200,
                "<OpResponse><OpResult><Value>bad</Value></OpResult></OpResponse>",
                false
            )
            .contains("bad value")
        );
        assert!(
            problem(200, "<OpResponse>", false).contains("XML"),
            "{}",
            problem(200, "<OpResponse>", false)
        );
        let Parsed::Output(out) = read(200, Some("r"), "", true) else {
            panic!("an empty output")
        };
        assert_eq!(out.request_id.as_deref(), Some("r"));
        let headers = http::HeaderMap::new();
        let resp = Response {
            status: 200,
            headers: &headers,
            request_id: None,
            body: &[0xff, 0xfe],
        };
        let Parsed::Unreadable(p) =
            read_response(&resp, Limits::default(), "Op", true, de_out, de_err)
        else {
            panic!("unreadable")
        };
        assert!(p.starts_with("the body is not UTF-8"), "{p}");
    }

    #[test]
    fn errors_come_from_error_responses_whatever_the_status() {
        let body = "<ErrorResponse><Error><Code>Throttling</Code><Message>slow</Message></Error>\
                    <RequestId>e-1</RequestId></ErrorResponse>";
        for status in [400, 200] {
            let Parsed::Service { code, error } = read(status, None, body, false) else {
                panic!("a service error")
            };
            assert_eq!(code.as_deref(), Some("Throttling"));
            assert_eq!(error.message(), Some("slow"));
            assert_eq!(error.request_id(), Some("e-1"));
            assert_eq!(error.status(), status);
        }
        let Parsed::Unreadable(p) = read(503, None, "<html>busy</html>", false) else {
            panic!("unreadable")
        };
        assert_eq!(
            p,
            "an error status without an <Error> element with a <Code>"
        );
        let Parsed::Unreadable(p) = read(502, None, "Bad Gateway", false) else {
            panic!("unreadable")
        };
        assert!(p.starts_with("the error body is not XML"), "{p}");
    }

    #[test]
    fn reads_both_error_layouts_and_request_ids() {
        let standard = r#"<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">
            <Error><Type>Sender</Type><Code>MessageRejected</Code><Message>Email address is not verified.</Message></Error>
            <RequestId>abc-123</RequestId></ErrorResponse>"#;
        let doc = xml::parse(standard).unwrap();
        let (meta, node) = error_metadata(doc.root(), 400, None).unwrap();
        assert_eq!(meta.code(), Some("MessageRejected"));
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
        let (meta, _) = error_metadata(root, 403, Some("from-header")).unwrap();
        assert_eq!(meta.code(), Some("SignatureDoesNotMatch"));
        assert_eq!(meta.status(), 403);
        assert_eq!(meta.request_id(), Some("from-header"));
        let (meta, _) = error_metadata(root, 403, None).unwrap();
        assert_eq!(meta.request_id(), Some("r-9"));
    }

    #[test]
    fn non_error_documents_and_non_xml_bodies() {
        let doc = xml::parse("<Foo><Bar/></Foo>").unwrap();
        assert!(error_metadata(doc.root(), 500, None).is_none());
        let html = "<html><body><h1>502 Bad Gateway</h1></body>";
        let err = parse_error_body(html, xml::Limits::default()).unwrap_err();
        assert!(err.starts_with("the error body is not XML"), "{err}");
    }
}
