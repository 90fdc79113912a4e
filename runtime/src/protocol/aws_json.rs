//! awsJson 1.0 and 1.1 (`aws.protocols#awsJson1_0`, `aws.protocols#awsJson1_1`): every rule
//! of the two protocols, in one place.
//!
//! - **Requests**: `POST /` to the endpoint, `X-Amz-Target: {service shape}.{operation}`,
//!   `Content-Type: application/x-amz-json-1.0` (or `1.1`), the input's members as one JSON
//!   object in model order (`{}` when none is set). HTTP binding traits do not apply: every
//!   member is in the body. Top-level members the caller left unset are not sent; nested
//!   structures carry their modelled defaults (the generated writers do both).
//! - **Responses**: a 2xx body is the output object (an empty body is an output with nothing
//!   set); unknown members are ignored ([`codec::json`]).
//! - **Errors**: the name from the `X-Amzn-Errortype` header, else the body's `__type`, else
//!   its `code`, with a namespace (`aws.foo#`) and a `:…` suffix taken off; the message from
//!   `message`, `Message` or `errorMessage`; the request id from the header.
//!   `@awsQueryCompatible` services send `x-amzn-query-error: {Code};{Type}`, which gives the
//!   error's code and type (`AWS.SimpleQueueService.NonExistentQueue`, `Sender`) while the
//!   name still picks the modeled error; their requests carry `x-amzn-query-mode: true`.
//!
//! An operation's generated `build` and `parse` are one call each: [`write_request`] and
//! [`read_response`].
//!
//! [`codec::json`]: crate::codec::json

use std::fmt;

use http::{HeaderName, HeaderValue, Method};
use serde_core::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::codec::json::{self, ErrorBody, JsonMembers, JsonWriter, ReadJson};
use crate::error::{ErrorMetadata, SetRequestId};
use crate::protocol::{Limits, Parsed, Response};
use crate::request::RequestParts;
use crate::validate::Violation;

/// The version of the protocol: its Content-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `aws.protocols#awsJson1_0`: `application/x-amz-json-1.0`.
    V1_0,
    /// `aws.protocols#awsJson1_1`: `application/x-amz-json-1.1`.
    V1_1,
}

impl Version {
    /// The Content-Type of requests (and of the responses services send).
    pub fn content_type(self) -> &'static str {
        match self {
            Version::V1_0 => "application/x-amz-json-1.0",
            Version::V1_1 => "application/x-amz-json-1.1",
        }
    }
}

/// What a service's protocol traits say, as generated code passes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub version: Version,
    /// `@awsQueryCompatible`.
    pub query_compatible: bool,
}

/// The request of the operation whose `X-Amz-Target` is `target`: `POST /`, the protocol's
/// headers and the input's members as a JSON object. Never fails (the `Result` is the shape
/// every protocol's `build` has).
pub fn write_request<I: JsonMembers>(
    spec: Spec,
    target: &'static str,
    input: &I,
) -> Result<RequestParts, Violation> {
    let mut w = JsonWriter::new();
    let mut o = w.object();
    input.write_members(&mut o, false);
    o.end();
    Ok(RequestParts {
        method: Method::POST,
        path_and_query: String::new(),
        headers: headers(spec, target),
        body: w.finish(),
    })
}

fn headers(spec: Spec, target: &'static str) -> Vec<(HeaderName, String)> {
    let mut headers = vec![
        (
            HeaderName::from_static("content-type"),
            spec.version.content_type().to_owned(),
        ),
        (HeaderName::from_static("x-amz-target"), target.to_owned()),
    ];
    if spec.query_compatible {
        headers.push((
            HeaderName::from_static("x-amzn-query-mode"),
            "true".to_owned(),
        ));
    }
    headers
}

/// Reads a response: the output `O` from a 2xx body, else the error through `parse_error`.
#[inline(never)]
pub fn read_response<O: ReadJson + SetRequestId, E>(
    resp: &Response<'_>,
    limits: Limits,
    spec: Spec,
    parse_error: for<'a> fn(ErrorMetadata, ErrorBody<'a>) -> E,
) -> Parsed<O, E> {
    let json_limits = json::Limits {
        max_depth: limits.max_depth,
    };
    if !(200..300).contains(&resp.status) {
        return match error(resp, json_limits, spec) {
            Ok((meta, name)) => {
                let body = ErrorBody::new(resp.body, json_limits, &name);
                Parsed::Service {
                    code: meta.code().map(str::to_owned),
                    error: parse_error(meta, body),
                }
            }
            Err(problem) => Parsed::Unreadable(problem),
        };
    }
    match json::from_body::<O>(resp.body, json_limits) {
        Ok(mut out) => {
            out.set_request_id(resp.request_id.map(str::to_owned));
            Parsed::Output(out)
        }
        Err(e) => Parsed::Unreadable(e.to_string()),
    }
}

/// The error's metadata and its name (which picks the modeled error), or why the response is
/// not an error of this protocol.
#[inline(never)]
fn error(
    resp: &Response<'_>,
    limits: json::Limits,
    spec: Spec,
) -> Result<(ErrorMetadata, String), String> {
    let _ = limits;
    let fields = match ErrorFields::read(resp.body) {
        Ok(f) => f,
        // A body that is not JSON (an HTML page from a proxy) still has a name in the header.
        Err(e) => match header(resp, "x-amzn-errortype") {
            Some(_) => ErrorFields::default(),
            None => {
                return Err(format!(
                    "an HTTP {} response whose body is not a JSON error ({e}): {}",
                    resp.status,
                    crate::error::clip(&String::from_utf8_lossy(resp.body), 200)
                ));
            }
        },
    };
    let name = header(resp, "x-amzn-errortype")
        .map(str::to_owned)
        .or(fields.type_)
        .or(fields.code)
        .map(|n| sanitize(&n).to_owned())
        .filter(|n| !n.is_empty());
    let Some(name) = name else {
        return Err(format!(
            "an HTTP {} response without an error name (no X-Amzn-Errortype, __type or code)",
            resp.status
        ));
    };
    let (code, error_type) =
        match header(resp, "x-amzn-query-error").filter(|_| spec.query_compatible) {
            Some(q) => match q.split_once(';') {
                Some((code, t)) if !code.is_empty() => (code.to_owned(), Some(t.to_owned())),
                _ => (name.clone(), None),
            },
            None => (name.clone(), None),
        };
    let meta = ErrorMetadata::new(code, fields.message, resp.status)
        .with_type(error_type)
        .with_request_id(resp.request_id.map(str::to_owned));
    Ok((meta, name))
}

fn header<'a>(resp: &Response<'a>, name: &str) -> Option<&'a str> {
    resp.headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::trim)
}

/// `aws.protocoltests#FooError:http://internal.amazon.com/...` -> `FooError`: the namespace up
/// to `#` and everything from `:` on are not part of the name.
pub fn sanitize(name: &str) -> &str {
    let name = name.split(':').next().unwrap_or(name);
    name.rsplit('#').next().unwrap_or(name).trim()
}

/// The top-level members of an error body the protocol reads; nested ones are not the error's.
#[derive(Debug, Default)]
struct ErrorFields {
    type_: Option<String>,
    code: Option<String>,
    message: Option<String>,
}

impl ErrorFields {
    /// Only top-level strings are read; everything else is skipped by serde_json without
    /// recursion, so the body's depth does not matter here.
    fn read(body: &[u8]) -> Result<Self, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(ErrorFields::default());
        }
        let mut de = serde_json::Deserializer::from_slice(body);
        let f = (&mut de)
            .deserialize_map(FieldsVisitor)
            .map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        Ok(f)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = ErrorFields;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ErrorFields, A::Error> {
        let mut out = ErrorFields::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match &*key {
                "__type" => &mut out.type_,
                "code" => &mut out.code,
                "message" | "Message" | "errorMessage" => &mut out.message,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            // A name or message that is not a string (a nested object) is not one.
            let v: Option<StringOrSkip> = map.next_value()?;
            if let Some(StringOrSkip(Some(s))) = v
                && slot.is_none()
            {
                *slot = Some(s);
            }
        }
        Ok(out)
    }
}

/// A string value, or any other value skipped.
struct StringOrSkip(Option<String>);

impl<'de> de::Deserialize<'de> for StringOrSkip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StringOrSkip;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(Some(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(Some(s)))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<StringOrSkip, E> {
                Ok(StringOrSkip(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<StringOrSkip, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(StringOrSkip(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StringOrSkip, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(StringOrSkip(None))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::json::{Depth, JsonStruct, Object, member, of};

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
    impl JsonStruct for Out {
        const MEMBERS: &'static [&'static str] = &["Value"];
        fn member_index(key: &str) -> Option<usize> {
            (key == "Value").then_some(0)
        }
        fn read_member<'de, A: MapAccess<'de>>(
            &mut self,
            _: usize,
            map: &mut A,
            depth: Depth,
        ) -> Result<(), A::Error> {
            self.value = member(map, of::<String>(), depth)?;
            Ok(())
        }
    }
    impl ReadJson for Out {
        fn read_json<'de, D: Deserializer<'de>>(d: D, depth: Depth) -> Result<Self, D::Error> {
            json::read_struct(d, depth)
        }
    }

    struct In;
    impl JsonMembers for In {
        fn write_members(&self, o: &mut Object<'_>, _nested: bool) {
            o.member("Name", Some("n"));
        }
    }

    /// The error as the test sees it: metadata and the name that picked it.
    fn de_err(meta: ErrorMetadata, body: ErrorBody<'_>) -> (ErrorMetadata, String) {
        (meta, body.name().to_owned())
    }

    const V10: Spec = Spec {
        version: Version::V1_0,
        query_compatible: false,
    };

    fn read(
        spec: Spec,
        status: u16,
        headers: &[(&'static str, &str)],
        body: &str,
    ) -> Parsed<Out, (ErrorMetadata, String)> {
        let mut map = http::HeaderMap::new();
        for (k, v) in headers {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        let resp = Response {
            status,
            headers: &map,
            request_id: Some("rid"),
            body: body.as_bytes(),
        };
        read_response(&resp, Limits::default(), spec, de_err)
    }

    #[test]
    fn requests_carry_the_target_and_content_type() {
        let r = write_request(V10, "Svc.Op", &In).unwrap();
        assert_eq!(r.method, Method::POST);
        assert_eq!(r.body, br#"{"Name":"n"}"#);
        let h: Vec<(String, String)> = r
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        assert!(h.contains(&("x-amz-target".into(), "Svc.Op".into())));
        assert!(h.contains(&("content-type".into(), "application/x-amz-json-1.0".into())));
        assert!(!h.iter().any(|(k, _)| k == "x-amzn-query-mode"));
        let q = Spec {
            version: Version::V1_1,
            query_compatible: true,
        };
        let r = write_request(q, "Svc.Op", &In).unwrap();
        assert!(
            r.headers
                .iter()
                .any(|(k, v)| k == "x-amzn-query-mode" && v == "true")
        );
        assert!(
            r.headers
                .iter()
                .any(|(_, v)| v == "application/x-amz-json-1.1")
        );
    }

    #[test]
    fn outputs_empty_bodies_and_request_ids() {
        match read(V10, 200, &[], r#"{"Value":"v","Extra":[1]}"#) {
            Parsed::Output(o) => {
                assert_eq!(o.value.as_deref(), Some("v"));
                assert_eq!(o.request_id.as_deref(), Some("rid"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read(V10, 200, &[], ""),
            Parsed::Output(Out { value: None, .. })
        ));
        assert!(matches!(
            read(V10, 200, &[], "<html>"),
            Parsed::Unreadable(_)
        ));
    }

    #[test]
    fn error_names_come_from_the_header_then_type_then_code() {
        let name =
            |headers: &[(&'static str, &str)], body: &str| match read(V10, 400, headers, body) {
                Parsed::Service { code, error } => {
                    (code, error.1, error.0.message().map(str::to_owned))
                }
                other => panic!("{other:?}"),
            };
        let (code, n, _) = name(
            &[(
                "x-amzn-errortype",
                "aws.protocoltests.json10#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/",
            )],
            "{}",
        );
        assert_eq!(
            (code.as_deref(), n.as_str()),
            (Some("FooError"), "FooError")
        );
        let (_, n, m) = name(
            &[],
            r#"{"__type":"aws.other#FooError","message":"hi","code":"X"}"#,
        );
        assert_eq!((n.as_str(), m.as_deref()), ("FooError", Some("hi")));
        let (_, n, m) = name(&[], r#"{"code":"FooError","Message":"M"}"#);
        assert_eq!((n.as_str(), m.as_deref()), ("FooError", Some("M")));
        let (_, n, _) = name(&[], r#"{"Nested":{"__type":"Inner"},"__type":"Outer"}"#);
        assert_eq!(n, "Outer");
        let (_, n, m) = name(&[], r#"{"__type":"Foo","errorMessage":"e"}"#);
        assert_eq!((n.as_str(), m.as_deref()), ("Foo", Some("e")));
        // No name anywhere, or no JSON and no header: unreadable, with the reason.
        assert!(matches!(read(V10, 400, &[], "{}"), Parsed::Unreadable(_)));
        match read(V10, 404, &[], "<html>Not Found</html>") {
            Parsed::Unreadable(why) => {
                assert!(why.contains("404") && why.contains("Not Found"), "{why}")
            }
            other => panic!("{other:?}"),
        }
        let (_, n, _) = name(&[("x-amzn-errortype", "Throttling")], "<html/>");
        assert_eq!(n, "Throttling");
    }

    #[test]
    fn query_compatible_errors_take_code_and_type_from_the_header() {
        let q = Spec {
            version: Version::V1_0,
            query_compatible: true,
        };
        match read(
            q,
            400,
            &[(
                "x-amzn-query-error",
                "AWS.SimpleQueueService.NonExistentQueue;Sender",
            )],
            r#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#,
        ) {
            Parsed::Service { code, error } => {
                assert_eq!(
                    code.as_deref(),
                    Some("AWS.SimpleQueueService.NonExistentQueue")
                );
                assert_eq!(error.0.error_type(), Some("Sender"));
                assert_eq!(error.1, "QueueDoesNotExist");
            }
            other => panic!("{other:?}"),
        }
        // Without the header: the name is the code. Without the trait: the header is ignored.
        match read(q, 400, &[], r#"{"__type":"QueueDoesNotExist"}"#) {
            Parsed::Service { code, .. } => assert_eq!(code.as_deref(), Some("QueueDoesNotExist")),
            other => panic!("{other:?}"),
        }
        match read(
            V10,
            400,
            &[("x-amzn-query-error", "Custom;Sender")],
            r#"{"__type":"Q"}"#,
        ) {
            Parsed::Service { code, .. } => assert_eq!(code.as_deref(), Some("Q")),
            other => panic!("{other:?}"),
        }
    }
}
