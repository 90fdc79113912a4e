//! ec2Query (`aws.protocols#ec2Query`): every rule of the protocol, in one place.
//!
//! - **Requests**: as awsQuery's, `POST` to the endpoint itself, `Content-Type:
//!   application/x-www-form-urlencoded`, a form body that starts with `Action={Op}` and
//!   `Version={api version}` and goes on with the input's members ([`codec::form`], in its
//!   ec2Query dialect: an empty list is not sent). The keys (`@ec2QueryName`, flattened lists)
//!   are the generated serializers'.
//! - **Responses**: XML ([`codec::xml`]). A success is `<{Op}Response>` with the output's
//!   members directly inside (no Result wrapper) and a `<requestId>`. An empty 2xx body is an
//!   output only for an operation whose output has no members. A 2xx that carries a
//!   `<Response><Errors>` document instead is that error.
//! - **Errors**: `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors>
//!   <RequestID>…</RequestID></Response>` (no `<Type>`), read by [`error_metadata`]; the request
//!   id comes from the header, else from the body's `RequestID`.
//!
//! An operation's generated `build` and `parse` are one call each: [`write_request`] and
//! [`read_response`]. Reading is bounded as awsQuery's is (the same [`Limits`]).
//!
//! [`codec::form`]: crate::codec::form
//! [`codec::xml`]: crate::codec::xml

use super::query_xml::{self, Envelope};
use crate::codec::form::{Key, QueryValue, QueryWriter};
use crate::codec::xml::{Document, Node, XmlError};
use crate::error::{self, ErrorMetadata, SetRequestId};
use crate::protocol::{Limits, Parsed, Response};
use crate::request::RequestParts;
use crate::validate::Violation;

/// The media type of every ec2Query request body.
pub const CONTENT_TYPE: &str = query_xml::FORM_CONTENT_TYPE;

/// The request of operation `action` of a service at API `version`: `POST` to the endpoint, the
/// form Content-Type, `Action`, `Version` and the input's members. Never fails (the `Result` is
/// the shape every protocol's `build` has).
pub fn write_request<I: QueryValue>(
    action: &str,
    version: &str,
    input: &I,
) -> Result<RequestParts, Violation> {
    let mut w = QueryWriter::ec2(action, version);
    input.write_query(&mut w, Key::Plain(""));
    Ok(query_xml::form_request(w))
}

/// Reads the response of operation `op` (its action name): the output from the
/// `<{op}Response>` element with `parse_output`, or the error from a `<Response><Errors>`
/// document with `parse_error`. `empty_output`: the output has no members, so an empty 2xx
/// body is a complete answer.
///
/// As awsQuery's reader ([`query_xml`](super::query_xml)): only the calls of the typed parsers
/// are generic.
#[inline(never)]
pub fn read_response<O: SetRequestId, E>(
    resp: &Response<'_>,
    limits: Limits,
    op: &str,
    empty_output: bool,
    parse_output: for<'a> fn(Node<'a>) -> Result<O, XmlError>,
    parse_error: for<'a> fn(ErrorMetadata, Node<'a>) -> E,
) -> Parsed<O, E> {
    query_xml::read_response(
        resp,
        limits,
        op,
        empty_output,
        envelope,
        parse_output,
        parse_error,
    )
}

/// Finds the error or the output of an ec2Query response in `doc`.
#[inline(never)]
fn envelope<'d>(doc: &'d Document<'d>, resp: &Response<'_>, op: &str) -> Envelope<'d> {
    let status = resp.status;
    let root = doc.root();
    if !(200..300).contains(&status) {
        return match error_metadata(root, status, resp.request_id) {
            Some((meta, node)) => Envelope::Error(meta, node),
            None => Envelope::Unreadable(
                "an error status without an <Errors><Error> element with a <Code>".into(),
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
    let request_id = resp.request_id.map(str::to_owned).or_else(|| {
        root.child("requestId")
            .or_else(|| root.child("RequestId"))
            .map(|n| n.text().trim().to_owned())
            .filter(|s| !s.is_empty())
    });
    Envelope::Output(root, request_id)
}

/// Finds the `<Error>` element of an error response, `<Response><Errors><Error>` (ec2Query; an
/// `<Errors>` or `<Error>` root too, as proxies and emulators send), and reads its metadata.
/// The request id comes from the header when given, else from the body's `RequestID` (or
/// `RequestId`).
pub fn error_metadata<'d>(
    root: Node<'d>,
    status: u16,
    header_request_id: Option<&str>,
) -> Option<(ErrorMetadata, Node<'d>)> {
    let error = match root.name() {
        "Error" => root,
        "Errors" => root.child("Error")?,
        _ => root
            .child("Errors")
            .and_then(|e| e.child("Error"))
            .or_else(|| root.child("Error"))?,
    };
    let text = |n: Node<'_>, name: &str| {
        n.child(name)
            .map(|c| c.text().trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let code = text(error, "Code")?;
    let request_id = header_request_id
        .map(str::to_owned)
        .or_else(|| text(root, "RequestID"))
        .or_else(|| text(root, "RequestId"))
        .or_else(|| text(error, "RequestID"));
    let meta = ErrorMetadata::new(code, text(error, "Message"), status)
        .with_type(text(error, "Type"))
        .with_request_id(request_id);
    Some((meta, error))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        match node.child("value") {
            Some(v) if v.text() == "bad" => Err(XmlError::custom("value", "bad value")),
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

    struct In(Vec<String>);

    impl QueryValue for In {
        fn write_query(&self, w: &mut QueryWriter, key: Key<'_>) {
            let prefix = key.to_prefix();
            w.list(
                &prefix,
                "Ids",
                crate::codec::form::List::FLAT,
                &Some(self.0.clone()),
            );
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
    fn requests_post_a_form_without_empty_lists() {
        let parts = write_request("Op", "2016-11-15", &In(vec!["a b".into()])).unwrap();
        assert_eq!(parts.method, http::Method::POST);
        assert_eq!(parts.path_and_query, "");
        assert_eq!(
            parts.headers,
            vec![(http::header::CONTENT_TYPE, CONTENT_TYPE.to_owned())]
        );
        assert_eq!(parts.body, b"Action=Op&Version=2016-11-15&Ids.1=a%20b");
        let parts = write_request("Op", "2016-11-15", &In(Vec::new())).unwrap();
        assert_eq!(parts.body, b"Action=Op&Version=2016-11-15");
    }

    #[test]
    fn outputs_sit_directly_in_the_response_element() {
        let body =
            "<OpResponse xmlns=\"urn:x\"><requestId> rid </requestId><value>v</value></OpResponse>";
        let Parsed::Output(out) = read(200, None, body, false) else {
            panic!("an output")
        };
        assert_eq!(out.value.as_deref(), Some("v"));
        assert_eq!(out.request_id.as_deref(), Some("rid"));
        let Parsed::Output(out) = read(200, Some("hdr"), body, false) else {
            panic!("an output")
        };
        assert_eq!(out.request_id.as_deref(), Some("hdr"));
        let Parsed::Output(out) = read(200, Some("r"), "", true) else {
            panic!("an empty output")
        };
        assert_eq!(out.request_id.as_deref(), Some("r"));
    }

    #[test]
    fn unreadable_successes_say_why() {
        let problem = |body: &str| match read(200, None, body, false) {
            Parsed::Unreadable(p) => p,
            other => panic!("unreadable expected, got {other:?}"),
        };
        assert_eq!(
            problem(""),
            "the body is empty, but Op returns data (expected <OpResponse>)"
        );
        assert!(problem("<Other/>").contains("expected <OpResponse>, found <Other>"));
        assert!(problem("<OpResponse><value>bad</value></OpResponse>").contains("bad value"));
        assert!(problem("<OpResponse>").contains("XML"));
        let headers = http::HeaderMap::new();
        let resp = Response {
            status: 200,
            headers: &headers,
            request_id: None,
            body: &[0xff],
        };
        let Parsed::Unreadable(p) =
            read_response(&resp, Limits::default(), "Op", true, de_out, de_err)
        else {
            panic!("unreadable")
        };
        assert!(p.starts_with("the body is not UTF-8"), "{p}");
    }

    #[test]
    fn errors_come_from_response_errors_whatever_the_status() {
        let body = "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>\
                    <Message>gone</Message></Error></Errors><RequestID>e-1</RequestID></Response>";
        for status in [400, 200] {
            let Parsed::Service { code, error } = read(status, None, body, false) else {
                panic!("a service error")
            };
            assert_eq!(code.as_deref(), Some("InvalidInstanceID.NotFound"));
            assert_eq!(error.message(), Some("gone"));
            assert_eq!(error.request_id(), Some("e-1"));
            assert_eq!(error.error_type(), None);
            assert_eq!(error.status(), status);
        }
        let Parsed::Service { error, .. } = read(400, Some("h"), body, false) else {
            panic!("a service error")
        };
        assert_eq!(error.request_id(), Some("h"));
        let Parsed::Unreadable(p) = read(503, None, "<html>busy</html>", false) else {
            panic!("unreadable")
        };
        assert!(p.starts_with("an error status without"), "{p}");
        let Parsed::Unreadable(p) = read(502, None, "Bad Gateway", false) else {
            panic!("unreadable")
        };
        assert!(p.starts_with("the error body is not XML"), "{p}");
    }

    #[test]
    fn deep_bodies_are_refused_within_the_limits() {
        let deep = format!(
            "<OpResponse>{}{}</OpResponse>",
            "<a>".repeat(200),
            "</a>".repeat(200)
        );
        let headers = http::HeaderMap::new();
        let resp = Response {
            status: 200,
            headers: &headers,
            request_id: None,
            body: deep.as_bytes(),
        };
        let limits = Limits { max_depth: 16 };
        assert!(matches!(
            read_response(&resp, limits, "Op", false, de_out, de_err),
            Parsed::Unreadable(_)
        ));
    }
}
