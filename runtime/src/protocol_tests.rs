//! Support for generated protocol tests (Smithy's `smithy.test` cases and botocore's copy of
//! them): a client configured as the cases assume, request checks, response parsing, and a deep,
//! NaN-aware comparison of parsed values that names every member that differs.
//!
//! Compiled for tests only. Generated `protocol_tests.rs` files call into it; they hold no logic
//! of their own beyond the values of each case.

use std::collections::HashMap;
use std::fmt::Debug;
use std::hash::Hash;
use std::io::Read;

use percent_encoding::percent_decode_str;

use super::config::Config;
use super::error::SdkError;
use super::send::{
    Handle, Operation, PreparedRequest, ServiceSpec, SetRequestId, parse_http_response,
    parse_http_response_with_headers,
};
use crate::primitives::{Blob, DateTime};

/// The token the cases expect for an `@idempotencyToken` member left unset.
pub const IDEMPOTENCY_TOKEN: &str = "00000000-0000-4000-8000-000000000000";

/// The endpoint of cases that name none.
pub const DEFAULT_ENDPOINT: &str = "https://example.com";

/// A client handle as the cases assume: region `us-east-1`, endpoint `endpoint`, the fixed
/// idempotency token.
pub fn handle(service: &'static ServiceSpec, endpoint: &str) -> Handle {
    let conf = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .idempotency_token_provider(|| IDEMPOTENCY_TOKEN.to_owned())
        .build();
    Handle::new(conf, service)
}

/// Builds the request for `input` as a client would send it (unsigned); panics if it cannot.
pub fn prepare<I: Clone, O, E: Debug>(
    op: &'static Operation<I, O, E>,
    service: &'static ServiceSpec,
    endpoint: &str,
    input: &I,
) -> PreparedRequest {
    match handle(service, endpoint).prepare(op, input) {
        Ok(request) => request,
        Err(e) => panic!("the client refused to build the request: {e:?}"),
    }
}

/// Feeds a complete HTTP response through the client's parser.
pub fn parse<I, O: SetRequestId, E>(
    op: &'static Operation<I, O, E>,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<O, SdkError<E>> {
    let mut map = http::HeaderMap::new();
    for (n, v) in headers {
        match (
            http::HeaderName::from_bytes(n.as_bytes()),
            http::HeaderValue::from_str(v),
        ) {
            (Ok(n), Ok(v)) => {
                map.append(n, v);
            }
            _ => panic!("a case's header is not valid HTTP: {n}: {v}"),
        }
    }
    parse_http_response_with_headers(op, status, map, body.as_bytes())
}

/// What a case expects of a request. Header names compare case-insensitively; `Content-Type`
/// compares by media type (parameters ignored); the body compares byte for byte (after gunzip
/// when the request is compressed).
#[derive(Debug, Default)]
pub struct ExpectedRequest<'a> {
    pub method: &'a str,
    /// The path (and query, if it has one).
    pub uri: &'a str,
    /// The host the request must go to (`foo.example.com`).
    pub resolved_host: Option<&'a str>,
    pub headers: &'a [(&'a str, &'a str)],
    pub require_headers: &'a [&'a str],
    pub forbid_headers: &'a [&'a str],
    /// `key=value` pairs the query string must contain.
    pub query_params: &'a [&'a str],
    pub require_query_params: &'a [&'a str],
    pub forbid_query_params: &'a [&'a str],
    pub body: Option<&'a str>,
    pub body_media_type: Option<&'a str>,
}

fn media_type(v: &str) -> String {
    v.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The decoded `key=value` pairs of a form or query string, in order.
pub fn form_pairs(s: &str) -> Vec<(String, String)> {
    let decode = |x: &str| percent_decode_str(x).decode_utf8_lossy().into_owned();
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// A readable difference of two form bodies as multisets of decoded pairs; `None` when they
/// hold the same pairs (possibly in another order).
pub fn form_diff(expected: &str, actual: &str) -> Option<String> {
    let count = |s: &str| {
        let mut m: HashMap<(String, String), i64> = HashMap::new();
        for p in form_pairs(s) {
            *m.entry(p).or_default() += 1;
        }
        m
    };
    let (e, a) = (count(expected), count(actual));
    let mut lines = Vec::new();
    let mut keys: Vec<&(String, String)> = e.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let n = e.get(k).copied().unwrap_or(0) - a.get(k).copied().unwrap_or(0);
        let (sign, times) = if n > 0 {
            ("- missing   ", n)
        } else {
            ("+ unexpected", -n)
        };
        for _ in 0..times {
            lines.push(format!("  {sign} {}={}", k.0, k.1));
        }
    }
    if lines.is_empty() {
        None
    } else {
        Some(lines.join("\n"))
    }
}

fn gunzip(body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut out)
        .map_err(|e| format!("the body is not valid gzip: {e}"))?;
    Ok(out)
}

/// Checks a request against a case; panics listing every difference.
pub fn check_request(req: &PreparedRequest, exp: &ExpectedRequest<'_>) {
    let mut problems = Vec::new();
    if req.method() != exp.method {
        problems.push(format!(
            "method: expected {}, got {}",
            exp.method,
            req.method()
        ));
    }
    let full = req.path_and_query();
    let (path, query) = full.split_once('?').unwrap_or((full, ""));
    let actual_uri = if exp.uri.contains('?') { full } else { path };
    if actual_uri != exp.uri {
        problems.push(format!("uri: expected `{}`, got `{actual_uri}`", exp.uri));
    }
    if let Some(host) = exp.resolved_host.filter(|h| req.host() != *h) {
        problems.push(format!("host: expected `{host}`, got `{}`", req.host()));
    }
    let headers = req.headers();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    for (name, want) in exp.headers {
        match header(name) {
            None => problems.push(format!("header {name}: expected `{want}`, not sent")),
            Some(got) if name.eq_ignore_ascii_case("content-type") => {
                if media_type(got) != media_type(want) {
                    problems.push(format!(
                        "header {name}: expected media type `{want}`, got `{got}`"
                    ));
                }
            }
            Some(got) if got != *want => {
                problems.push(format!("header {name}: expected `{want}`, got `{got}`"))
            }
            Some(_) => {}
        }
    }
    for name in exp.require_headers {
        if header(name).is_none() {
            problems.push(format!("header {name}: required, not sent"));
        }
    }
    for name in exp.forbid_headers {
        if let Some(v) = header(name) {
            problems.push(format!("header {name}: forbidden, sent as `{v}`"));
        }
    }
    let pairs = form_pairs(query);
    let has_key = |k: &str| pairs.iter().any(|(pk, _)| pk == k);
    for qp in exp.query_params {
        let want = form_pairs(qp);
        if !want.iter().all(|p| pairs.contains(p)) {
            problems.push(format!("query: expected `{qp}` in `{query}`"));
        }
    }
    for k in exp.require_query_params {
        if !has_key(k) {
            problems.push(format!("query: required key `{k}` missing from `{query}`"));
        }
    }
    for k in exp.forbid_query_params {
        if has_key(k) {
            problems.push(format!("query: forbidden key `{k}` present in `{query}`"));
        }
    }
    if let Some(want) = exp.body {
        let body = if req.header("content-encoding") == Some("gzip") {
            match gunzip(&req.body) {
                Ok(b) => b,
                Err(e) => {
                    problems.push(e);
                    req.body.to_vec()
                }
            }
        } else {
            req.body.to_vec()
        };
        // The case's media type, else the one the request says it sends.
        let media = exp
            .body_media_type
            .map(str::to_owned)
            .or_else(|| header("content-type").map(str::to_owned))
            .unwrap_or_default();
        if let Err(mismatch) = validate_body(&body, want, &media) {
            problems.push(mismatch.to_string());
        }
    }
    if !problems.is_empty() {
        panic!(
            "the request does not match the case:\n{}",
            problems.join("\n")
        );
    }
}

/// How a body is compared: chosen from a case's `bodyMediaType` by [`MediaType::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/x-www-form-urlencoded`: byte for byte (the order of the pairs is part of
    /// what the cases pin); a mismatch lists the decoded pairs that differ.
    Form,
    /// `application/xml`, `text/xml`, `*+xml`: as element trees (names, attributes in any
    /// order, text), ignoring the XML declaration, comments, processing instructions and
    /// whitespace-only text between elements.
    Xml,
    /// `application/json`, `*+json`, `application/x-amz-json-*`: byte for byte after removing
    /// the whitespace outside strings (object keys compare in order; the runtime has no JSON
    /// value type to compare by).
    Json,
    /// Anything else (or none): byte for byte.
    Other,
}

impl MediaType {
    /// The comparison for `media_type` (parameters such as `charset` ignored, case-insensitive).
    pub fn parse(media_type: &str) -> MediaType {
        let m = self::media_type(media_type);
        if m == "application/x-www-form-urlencoded" {
            MediaType::Form
        } else if m == "application/xml" || m == "text/xml" || m.ends_with("+xml") {
            MediaType::Xml
        } else if m == "application/json"
            || m.ends_with("+json")
            || m.starts_with("application/x-amz-json")
        {
            MediaType::Json
        } else {
            MediaType::Other
        }
    }

    /// The name used in messages.
    pub fn name(self) -> &'static str {
        match self {
            MediaType::Form => "form",
            MediaType::Xml => "XML",
            MediaType::Json => "JSON",
            MediaType::Other => "raw",
        }
    }
}

/// Why a body does not match a case's: what was compared and the difference found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyMismatch {
    /// How the bodies were compared.
    pub media_type: MediaType,
    /// The expected body, as the case writes it.
    pub expected: String,
    /// The actual body (lossy UTF-8).
    pub actual: String,
    /// The difference: decoded pairs, the first differing XML node, or why a body could not
    /// be read as its media type.
    pub detail: String,
}

impl std::fmt::Display for BodyMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "body differs ({} comparison)\n  expected: {}\n  actual:   {}",
            self.media_type.name(),
            self.expected,
            self.actual
        )?;
        if !self.detail.is_empty() {
            write!(f, "\n  {}", self.detail)?;
        }
        Ok(())
    }
}

impl std::error::Error for BodyMismatch {}

/// Compares a request body with a case's expected body the way its media type says
/// ([`MediaType`]): `Ok` when they match, else what differs.
pub fn validate_body(actual: &[u8], expected: &str, media_type: &str) -> Result<(), BodyMismatch> {
    let kind = MediaType::parse(media_type);
    let got = String::from_utf8_lossy(actual);
    let mismatch = |detail: String| BodyMismatch {
        media_type: kind,
        expected: expected.to_owned(),
        actual: got.clone().into_owned(),
        detail,
    };
    match kind {
        MediaType::Form | MediaType::Other => {
            if actual == expected.as_bytes() {
                return Ok(());
            }
            if kind == MediaType::Other {
                return Err(mismatch(String::new()));
            }
            Err(mismatch(match form_diff(expected, &got) {
                Some(d) => format!("pairs (decoded):\n{d}"),
                None => "(the same key=value pairs in another order)".to_owned(),
            }))
        }
        MediaType::Xml => {
            let want = xml_tree(expected).map_err(|e| mismatch(format!("expected body: {e}")))?;
            let have = xml_tree(&got).map_err(|e| mismatch(format!("actual body: {e}")))?;
            match xml_diff(&want, &have, "") {
                None => Ok(()),
                Some(d) => Err(mismatch(d)),
            }
        }
        MediaType::Json => {
            if json_squeeze(expected) == json_squeeze(&got) {
                return Ok(());
            }
            let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s);
            let want = parse(expected).map_err(|e| mismatch(format!("expected body: {e}")))?;
            let have = parse(&got).map_err(|e| mismatch(format!("actual body: {e}")))?;
            match json_diff(&want, &have) {
                None => Ok(()),
                Some(d) => Err(mismatch(d)),
            }
        }
    }
}

/// Where two JSON values differ, compared as values: objects by key (order aside), numbers
/// by value (`1` and `1.0` are equal). Iterative, so no body's depth matters.
fn json_diff(want: &serde_json::Value, have: &serde_json::Value) -> Option<String> {
    use serde_json::Value as V;
    let mut todo = vec![(String::from("$"), want, have)];
    while let Some((path, w, h)) = todo.pop() {
        match (w, h) {
            (V::Object(a), V::Object(b)) => {
                let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    match (a.get(k), b.get(k)) {
                        (Some(x), Some(y)) => todo.push((format!("{path}.{k}"), x, y)),
                        (Some(_), None) => return Some(format!("{path}.{k}: missing")),
                        (None, Some(_)) => return Some(format!("{path}.{k}: not expected")),
                        (None, None) => {}
                    }
                }
            }
            (V::Array(a), V::Array(b)) => {
                if a.len() != b.len() {
                    return Some(format!(
                        "{path}: {} items expected, {} found",
                        a.len(),
                        b.len()
                    ));
                }
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    todo.push((format!("{path}[{i}]"), x, y));
                }
            }
            (V::Number(a), V::Number(b)) => {
                let same = match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
                    (Some(x), Some(y), _, _) => x == y,
                    (_, _, Some(x), Some(y)) => x == y,
                    _ => a.as_f64() == b.as_f64(),
                };
                if !same {
                    return Some(format!("{path}: expected {a}, found {b}"));
                }
            }
            (a, b) if a == b => {}
            (a, b) => return Some(format!("{path}: expected {a}, found {b}")),
        }
    }
    None
}

/// A JSON text without the whitespace outside its strings.
fn json_squeeze(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in s.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            if c == '"' {
                in_string = true;
            }
            out.push(c);
        }
    }
    out
}

/// An XML element as compared: name, attributes (sorted), children (text merged, whitespace-only
/// text between elements dropped).
#[derive(Debug, PartialEq)]
enum XmlNode {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<XmlNode>,
    },
    Text(String),
}

/// An open element being filled: name, attributes, children.
type OpenElement = (String, Vec<(String, String)>, Vec<XmlNode>);

/// Where the next node goes: the innermost open element, else the top level.
fn current<'a>(stack: &'a mut [OpenElement], roots: &'a mut Vec<XmlNode>) -> &'a mut Vec<XmlNode> {
    match stack.last_mut() {
        Some((_, _, children)) => children,
        None => roots,
    }
}

/// Ends a run of text: kept unless it is whitespace only.
fn flush_text(text: &mut String, into: &mut Vec<XmlNode>) {
    if !text.trim().is_empty() {
        into.push(XmlNode::Text(std::mem::take(text)));
    }
    text.clear();
}

fn xml_attrs(e: &quick_xml::events::BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| format!("bad attribute: {e}"))?;
        let v = a
            .unescape_value()
            .map_err(|e| format!("bad attribute value: {e}"))?;
        out.push((
            String::from_utf8_lossy(a.key.as_ref()).into_owned(),
            v.into_owned(),
        ));
    }
    out.sort();
    Ok(out)
}

/// The text an entity or character reference (`amp`, `#x41`) stands for.
fn xml_reference(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix('x').or_else(|| n.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The top-level elements of an XML text (normally one), or why it is not well-formed.
fn xml_tree(s: &str) -> Result<Vec<XmlNode>, String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(s);
    let mut stack: Vec<OpenElement> = Vec::new();
    let mut roots: Vec<XmlNode> = Vec::new();
    let mut text = String::new();
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("not well-formed XML at byte {at}: {e}"))?;
        match event {
            Event::Start(e) => {
                flush_text(&mut text, current(&mut stack, &mut roots));
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                stack.push((name, xml_attrs(&e)?, Vec::new()));
            }
            Event::Empty(e) => {
                flush_text(&mut text, current(&mut stack, &mut roots));
                let node = XmlNode::Element {
                    name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
                    attrs: xml_attrs(&e)?,
                    children: Vec::new(),
                };
                current(&mut stack, &mut roots).push(node);
            }
            Event::End(_) => {
                let Some((name, attrs, mut children)) = stack.pop() else {
                    return Err(format!("a closing tag without an opening one at byte {at}"));
                };
                flush_text(&mut text, &mut children);
                current(&mut stack, &mut roots).push(XmlNode::Element {
                    name,
                    attrs,
                    children,
                });
            }
            Event::Text(t) => {
                let t = t
                    .decode()
                    .map_err(|e| format!("bad text at byte {at}: {e}"))?;
                text.push_str(&t);
            }
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let name = String::from_utf8_lossy(&r).into_owned();
                let c = xml_reference(&name)
                    .ok_or_else(|| format!("unknown reference `&{name};` at byte {at}"))?;
                text.push(c);
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Comment(_) => {}
        }
    }
    if let Some((name, _, _)) = stack.last() {
        return Err(format!("element `{name}` is not closed"));
    }
    if !text.trim().is_empty() {
        return Err(format!("text outside the root element: `{}`", text.trim()));
    }
    Ok(roots)
}

/// The first difference between two lists of XML nodes, with its path (`/A/B[1]`).
fn xml_diff(expected: &[XmlNode], actual: &[XmlNode], path: &str) -> Option<String> {
    for (i, pair) in expected.iter().zip(actual).enumerate() {
        let here = |name: &str| format!("{path}/{name}[{i}]");
        match pair {
            (XmlNode::Text(e), XmlNode::Text(a)) => {
                if e != a {
                    return Some(format!("{path}: expected text `{e}`, got `{a}`"));
                }
            }
            (
                XmlNode::Element {
                    name: en,
                    attrs: ea,
                    children: ec,
                },
                XmlNode::Element {
                    name: an,
                    attrs: aa,
                    children: ac,
                },
            ) => {
                if en != an {
                    return Some(format!("{}: expected element `{en}`, got `{an}`", here(en)));
                }
                if ea != aa {
                    return Some(format!(
                        "{}: expected attributes {ea:?}, got {aa:?}",
                        here(en)
                    ));
                }
                if let Some(d) = xml_diff(ec, ac, &here(en)) {
                    return Some(d);
                }
            }
            (e, a) => return Some(format!("{path}: expected {e:?}, got {a:?}")),
        }
    }
    if expected.len() != actual.len() {
        return Some(format!(
            "{path}: expected {} child node(s), got {}",
            expected.len(),
            actual.len()
        ));
    }
    None
}

/// Member-by-member comparison that treats NaN as equal to NaN and names what differs.
pub trait DeepEq {
    /// Appends a line to `out` for every difference between `self` (actual) and `expected`.
    fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>);
}

/// `path.name` (or `name` at the top).
pub fn field(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// A difference by `PartialEq`, for types without inner structure.
pub fn eq_diff<T: PartialEq + Debug>(actual: &T, expected: &T, path: &str, out: &mut Vec<String>) {
    if actual != expected {
        out.push(format!("{path}: expected {expected:?}, got {actual:?}"));
    }
}

/// Panics listing every difference between `actual` and `expected`.
pub fn assert_deep_eq<T: DeepEq>(actual: &T, expected: &T, what: &str) {
    let mut out = Vec::new();
    actual.deep_diff(expected, "", &mut out);
    if !out.is_empty() {
        panic!("{what} differs from the case:\n  {}", out.join("\n  "));
    }
}

macro_rules! by_eq {
    ($($t:ty),*) => {$(
        impl DeepEq for $t {
            fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>) {
                eq_diff(self, expected, path, out);
            }
        }
    )*};
}
by_eq!(
    String,
    bool,
    i8,
    i16,
    i32,
    i64,
    Blob,
    DateTime,
    aws_smithy_types::Document
);

/// A document from a case's JSON value (test code: panics on JSON the generator did not write).
#[cfg(feature = "aws-json")]
pub fn document(json: &str) -> aws_smithy_types::Document {
    crate::codec::json::from_slice(
        json.as_bytes(),
        crate::codec::json::Limits { max_depth: 128 },
    )
    .unwrap_or_else(|e| panic!("a case's document is not JSON: {e}: {json}"))
}

macro_rules! float {
    ($($t:ty),*) => {$(
        impl DeepEq for $t {
            fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>) {
                let same = (self.is_nan() && expected.is_nan()) || self == expected;
                if !same {
                    out.push(format!("{path}: expected {expected:?}, got {self:?}"));
                }
            }
        }
    )*};
}
float!(f32, f64);

impl<T: DeepEq + Debug> DeepEq for Option<T> {
    fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>) {
        match (self, expected) {
            (Some(a), Some(e)) => a.deep_diff(e, path, out),
            (None, None) => {}
            (a, e) => out.push(format!("{path}: expected {e:?}, got {a:?}")),
        }
    }
}

impl<T: DeepEq> DeepEq for Box<T> {
    fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>) {
        (**self).deep_diff(expected, path, out);
    }
}

impl<T: DeepEq + Debug> DeepEq for Vec<T> {
    fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>) {
        if self.len() != expected.len() {
            out.push(format!(
                "{path}: expected {} items {expected:?}, got {} {self:?}",
                expected.len(),
                self.len()
            ));
            return;
        }
        for (i, (a, e)) in self.iter().zip(expected).enumerate() {
            a.deep_diff(e, &format!("{path}[{i}]"), out);
        }
    }
}

impl<K: Eq + Hash + Debug, V: DeepEq + Debug> DeepEq for HashMap<K, V> {
    fn deep_diff(&self, expected: &Self, path: &str, out: &mut Vec<String>) {
        let mut lines = Vec::new();
        for (k, e) in expected {
            match self.get(k) {
                Some(a) => a.deep_diff(e, &format!("{path}[{k:?}]"), &mut lines),
                None => lines.push(format!("{path}[{k:?}]: expected {e:?}, missing")),
            }
        }
        for (k, a) in self {
            if !expected.contains_key(k) {
                lines.push(format!("{path}[{k:?}]: unexpected entry {a:?}"));
            }
        }
        // Map iteration order is random; keep messages stable.
        lines.sort();
        out.extend(lines);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_pairs_and_diff() {
        assert_eq!(
            form_pairs("A=1&B=x%20y&C="),
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "x y".into()),
                ("C".into(), String::new())
            ]
        );
        assert_eq!(form_diff("A=1&B=2", "B=2&A=1"), None);
        let d = form_diff("A=1&B=2&B=2", "A=1&B=2&C=3").unwrap();
        assert!(d.contains("- missing    B=2"), "{d}");
        assert!(d.contains("+ unexpected C=3"), "{d}");
    }

    #[test]
    fn deep_eq_is_nan_aware_and_names_paths() {
        let mut out = Vec::new();
        f64::NAN.deep_diff(&f64::NAN, "x", &mut out);
        Some(1.5f32).deep_diff(&Some(1.5), "y", &mut out);
        assert!(out.is_empty());
        let a: HashMap<String, Vec<i32>> = HashMap::from([("k".into(), vec![1, 2])]);
        let e: HashMap<String, Vec<i32>> = HashMap::from([("k".into(), vec![1, 3])]);
        a.deep_diff(&e, "m", &mut out);
        assert_eq!(out, vec!["m[\"k\"][1]: expected 3, got 2".to_owned()]);
        out.clear();
        Some(Box::new(1i64)).deep_diff(&None, "b", &mut out);
        assert_eq!(out, vec!["b: expected None, got Some(1)".to_owned()]);
        assert_eq!(field("", "a"), "a");
        assert_eq!(field("a", "b"), "a.b");
    }

    #[test]
    fn checks_requests() {
        let req = PreparedRequest::new(
            http::Method::POST,
            "https://foo.example.com/custom/",
            vec![(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded".into(),
            )],
            bytes::Bytes::from_static(b"Action=Op&Version=1&A=x%20y"),
        );
        check_request(
            &req,
            &ExpectedRequest {
                method: "POST",
                uri: "/custom/",
                resolved_host: Some("foo.example.com"),
                headers: &[(
                    "content-type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )],
                require_headers: &["Content-Length"],
                forbid_headers: &["Content-Encoding"],
                body: Some("Action=Op&Version=1&A=x%20y"),
                ..Default::default()
            },
        );
        let failed = std::panic::catch_unwind(|| {
            check_request(
                &req,
                &ExpectedRequest {
                    method: "GET",
                    uri: "/",
                    body: Some("Action=Op&Version=1&A=z"),
                    ..Default::default()
                },
            )
        });
        let msg = failed.unwrap_err();
        let msg = msg.downcast_ref::<String>().unwrap();
        assert!(msg.contains("method: expected GET"), "{msg}");
        assert!(msg.contains("uri: expected `/`"), "{msg}");
        assert!(msg.contains("- missing    A=z"), "{msg}");
        assert!(msg.contains("+ unexpected A=x y"), "{msg}");
    }

    #[test]
    fn media_types_choose_the_comparison() {
        assert_eq!(
            MediaType::parse("application/x-www-form-urlencoded; charset=utf-8"),
            MediaType::Form
        );
        assert_eq!(MediaType::parse("Application/XML"), MediaType::Xml);
        assert_eq!(MediaType::parse("text/xml"), MediaType::Xml);
        assert_eq!(MediaType::parse("application/soap+xml"), MediaType::Xml);
        assert_eq!(MediaType::parse("application/json"), MediaType::Json);
        assert_eq!(
            MediaType::parse("application/x-amz-json-1.1"),
            MediaType::Json
        );
        assert_eq!(
            MediaType::parse("application/octet-stream"),
            MediaType::Other
        );
        assert_eq!(MediaType::parse(""), MediaType::Other);
    }

    #[test]
    fn form_bodies_compare_exactly_and_list_pairs() {
        let form = "application/x-www-form-urlencoded";
        assert_eq!(validate_body(b"A=1&B=2", "A=1&B=2", form), Ok(()));
        let e = validate_body(b"B=2&A=1", "A=1&B=2", form).unwrap_err();
        assert_eq!(e.media_type, MediaType::Form);
        assert!(e.detail.contains("another order"), "{e}");
        let e = validate_body(b"A=1&C=3", "A=1&B=2", form).unwrap_err();
        assert!(e.to_string().contains("- missing    B=2"), "{e}");
        assert!(e.to_string().contains("+ unexpected C=3"), "{e}");
    }

    #[test]
    fn xml_bodies_compare_as_trees() {
        let xml = "application/xml";
        let expected = r#"<?xml version="1.0"?>
            <A xmlns="urn:x" b="2" a="1">
                <B>x &amp; y</B>
                <C/>
            </A>"#;
        // Attribute order, whitespace between elements, the declaration, entities vs CDATA
        // and empty-element spelling do not matter.
        let same = r#"<A a="1" b="2" xmlns="urn:x"><B><![CDATA[x & y]]></B><C></C><!-- c --></A>"#;
        assert_eq!(validate_body(same.as_bytes(), expected, xml), Ok(()));
        let e = validate_body(
            b"<A a=\"1\" b=\"2\" xmlns=\"urn:x\"><B>x</B><C/></A>",
            expected,
            xml,
        )
        .unwrap_err();
        assert!(e.detail.contains("expected text `x & y`, got `x`"), "{e}");
        assert!(e.detail.contains("/A[0]/B[0]"), "{e}");
        let e = validate_body(
            b"<A a=\"1\" xmlns=\"urn:x\"><B>x &amp; y</B><C/></A>",
            expected,
            xml,
        )
        .unwrap_err();
        assert!(e.detail.contains("attributes"), "{e}");
        let e = validate_body(
            b"<A a=\"1\" b=\"2\" xmlns=\"urn:x\"><B>x &amp; y</B></A>",
            expected,
            xml,
        )
        .unwrap_err();
        assert!(e.detail.contains("expected 2 child node(s), got 1"), "{e}");
        let e = validate_body(b"<A><B></A>", expected, xml).unwrap_err();
        assert!(
            e.detail.starts_with("actual body: not well-formed XML"),
            "{e}"
        );
        let e = validate_body(b"<A/>", "<A>", xml).unwrap_err();
        assert!(e.detail.contains("`A` is not closed"), "{e}");
        let e = validate_body(b"<A>&bogus;</A>", "<A/>", xml).unwrap_err();
        assert!(e.detail.contains("unknown reference"), "{e}");
        assert_eq!(
            validate_body(b"<A>&#x41;&#66;</A>", "<A>AB</A>", xml),
            Ok(())
        );
    }

    #[test]
    fn json_bodies_ignore_whitespace_outside_strings() {
        let json = "application/json";
        assert_eq!(
            validate_body(
                b"{\"a\": [1, 2], \"b\": \"x y\"}",
                "{\"a\":[1,2],\"b\":\"x y\"}",
                json
            ),
            Ok(())
        );
        assert_eq!(
            validate_body(b"{\"a\":\"\\\" \"}", "{ \"a\" : \"\\\" \" }", json),
            Ok(())
        );
        assert!(validate_body(b"{\"b\":\"xy\"}", "{\"b\":\"x y\"}", json).is_err());
        assert!(validate_body(b"x", "y", "application/octet-stream").is_err());
        assert_eq!(validate_body(b"x y", "x y", ""), Ok(()));
    }

    #[cfg(feature = "request-compression")]
    #[test]
    fn gzip_bodies_compare_decompressed() {
        let body = "Action=Op&Version=1";
        let req = PreparedRequest::new(
            http::Method::POST,
            "https://example.com/",
            vec![
                (
                    http::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded".into(),
                ),
                (http::header::CONTENT_ENCODING, "gzip".into()),
            ],
            super::super::compression::gzip(body.as_bytes()).unwrap(),
        );
        check_request(
            &req,
            &ExpectedRequest {
                method: "POST",
                uri: "/",
                headers: &[("Content-Encoding", "gzip")],
                body: Some(body),
                ..Default::default()
            },
        );
    }
}

/// Mutations per sample response in [`fuzz_parsers`].
pub const FUZZ_MUTATIONS: usize = 128;

/// Robustness of an operation's parsers (generated `robustness.rs` calls this for every
/// operation): `ok` must parse into the output and every `errors` body into a service error;
/// then [`FUZZ_MUTATIONS`] seeded mutations of each (bytes flipped, cut, repeated, nested,
/// numbers and entities injected, UTF-8 broken), under several statuses, must each parse into
/// a value or a typed error without panicking. Deterministic: the seed derives from the
/// operation's name.
pub fn fuzz_parsers<I, O: SetRequestId, E>(
    op: &'static Operation<I, O, E>,
    ok: &str,
    errors: &[&str],
) {
    if let Err(e) = parse_http_response(op, 200, None, ok.as_bytes()) {
        panic!(
            "{}: the sample response does not parse: {}",
            op.name,
            e.kind()
        );
    }
    for body in errors {
        match parse_http_response(op, 400, None, body.as_bytes()) {
            Err(SdkError::ServiceError(_)) => {}
            Err(e) => panic!("{}: the sample error does not parse: {}", op.name, e.kind()),
            Ok(_) => panic!("{}: the sample error parsed as a success", op.name),
        }
    }
    let mut rng = SplitMix(op.name.bytes().fold(0x9e37_79b9_7f4a_7c15, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }));
    let samples = std::iter::once((200u16, ok)).chain(errors.iter().map(|b| (400u16, *b)));
    let mut stats = [0usize; 3];
    for (status, sample) in samples {
        for i in 0..FUZZ_MUTATIONS {
            let body = mutate(sample.as_bytes(), &mut rng);
            let status = match i % 16 {
                14 => 500,
                15 => 302,
                _ => status,
            };
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(
                    || match parse_http_response(op, status, Some("rid".into()), &body) {
                        Ok(_) => 0,
                        Err(SdkError::ServiceError(_)) => 1,
                        Err(_) => 2,
                    },
                ));
            if let Ok(k) = outcome {
                stats[k] += 1;
            } else {
                panic!(
                    "{}: parsing a mutated response panicked (status {status}): {:?}",
                    op.name,
                    String::from_utf8_lossy(&body)
                );
            }
        }
    }
    FUZZ_STATS.with(|s| {
        let mut s = s.borrow_mut();
        for (a, b) in s.iter_mut().zip(stats) {
            *a += b;
        }
    });
}

thread_local! {
    /// Outcomes of [`fuzz_parsers`] on this thread: outputs, service errors, other errors.
    pub static FUZZ_STATS: std::cell::RefCell<[usize; 3]> = const { std::cell::RefCell::new([0; 3]) };
}

impl<E> SdkError<E> {
    /// The variant's name and its message, without the service error's type (for test output).
    fn kind(&self) -> String {
        match self {
            SdkError::ConstructionFailure(e) => format!("ConstructionFailure: {e}"),
            SdkError::TimeoutError(e) => format!("TimeoutError: {e}"),
            SdkError::DispatchFailure(e) => format!("DispatchFailure: {e}"),
            SdkError::ResponseError(e) => format!("ResponseError: {e}"),
            SdkError::ServiceError(_) => "ServiceError".to_owned(),
        }
    }
}

/// splitmix64: a small, well-mixed, seedable generator (no dependency for tests).
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that stress a parser when spliced into a response.
const FUZZ_TOKENS: &[&str] = &[
    "<",
    ">",
    "</a>",
    "<a>",
    "<a/>",
    "&amp;",
    "&#x0;",
    "&#xD800;",
    "&bogus;",
    "&",
    "<![CDATA[x]]>",
    "<!--",
    "<?xml version=\"1.0\"?>",
    " x=\"1\"",
    " x='",
    "\u{0}",
    "\u{FFFF}",
    "99999999999999999999999999",
    "-1",
    "NaN",
    "1e999",
    "",
    "<member>",
    "</member>",
    "<entry><key>k</key></entry>",
    "<Error><Code>Injected</Code></Error>",
    "<ErrorResponse>",
];

/// The leaf elements of `body`: (element start, text start, text end, element end).
fn leaves(body: &[u8]) -> Vec<(usize, usize, usize, usize)> {
    body.windows(2)
        .enumerate()
        .filter(|(_, w)| *w == b"</")
        .filter_map(|(close, _)| {
            let text = body[..close].iter().rposition(|b| *b == b'>')? + 1;
            if body[text..close].contains(&b'<') {
                return None;
            }
            let start = body[..text].iter().rposition(|b| *b == b'<')?;
            if body.get(start + 1) == Some(&b'/') {
                return None;
            }
            let end = body[close..].iter().position(|b| *b == b'>')? + close + 1;
            Some((start, text, close, end))
        })
        .collect()
}

/// One random mutation of `body` (sometimes two): half keep the document well-formed and
/// reach the typed parsers (a leaf's text replaced, a leaf repeated, dropped or nested, an
/// unknown element added), half break it at the byte level.
fn mutate(body: &[u8], rng: &mut SplitMix) -> Vec<u8> {
    let mut out = body.to_vec();
    for _ in 0..=rng.below(2) {
        let len = out.len();
        let at = rng.below(len + 1);
        let leaves = leaves(&out);
        let leaf = (!leaves.is_empty()).then(|| leaves[rng.below(leaves.len())]);
        match (rng.below(12), leaf) {
            (0..=2, Some((_, from, to, _))) => {
                let word = [
                    "x",
                    "",
                    "-0",
                    "1.5",
                    "true",
                    "999999999999999999999",
                    "-1",
                    "NaN",
                    "2015-13-45T99:99:99Z",
                    "&lt;&amp;",
                    "=====",
                ][rng.below(11)];
                out.splice(from..to, word.bytes());
            }
            (3, Some((start, _, _, end))) => {
                let copy = out[start..end].to_vec();
                out.splice(end..end, copy);
            }
            (4, Some((start, _, _, end))) => {
                out.drain(start..end);
            }
            (5, Some((_, from, to, _))) => {
                let depth = 1 + rng.below(40);
                let text = out[from..to].to_vec();
                let nested = [
                    "<a>".repeat(depth).into_bytes(),
                    text,
                    "</a>".repeat(depth).into_bytes(),
                ]
                .concat();
                out.splice(from..to, nested);
            }
            (6, Some((start, _, _, _))) => {
                out.splice(
                    start..start,
                    b"<Unknown a=\"1\"><member>1</member></Unknown>"
                        .iter()
                        .copied(),
                );
            }
            (7, _) => {
                if len > 0 {
                    out[at.min(len - 1)] = rng.next() as u8;
                }
            }
            (8, _) => out.truncate(at),
            (9, _) => {
                let end = (at + rng.below(64)).min(len);
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
            (10, _) => {
                let token = FUZZ_TOKENS[rng.below(FUZZ_TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
            _ => {
                if rng.below(2) == 0 {
                    // Past the default nesting limit.
                    let depth = 120 + rng.below(100);
                    let deep = "<a>".repeat(depth) + &"</a>".repeat(depth);
                    out.splice(at..at, deep.bytes());
                } else {
                    out.splice(at..at, [0xff, 0xfe]);
                }
            }
        }
    }
    out
}
