//! `protocol_tests.rs`: one `#[test]` per protocol test case, generated from the model's
//! `smithy.test#httpRequestTests` / `httpResponseTests` traits (module `smithy`) and from an
//! optional document of extra cases in the `awsquery-conformance/1` format, such as botocore's
//! copy of the same suite (a module named after its source, e.g. `botocore`).
//!
//! Each case's values are turned into Rust constructor expressions here, read against the target
//! shapes of the generated client. Request tests build the typed input, run the runtime's request
//! building (`Handle::prepare`) and check method, URI, host, headers and the exact body; response
//! tests feed status, headers and body to the runtime's parser and compare every member deeply;
//! error tests check the error variant, code, type, message and members. The checks live in the
//! runtime's `protocol_test` module; the tests are data.
//!
//! Cases that cannot apply to a client (`appliesTo: server`, another protocol) become ignored
//! tests whose reason says why, so every case is listed. A case the generator cannot turn into a
//! test (an unknown member, a value of the wrong type, an operation the service lacks) is an
//! error naming the case.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::{Map, Value};

use super::{Ctx, ident};
use crate::Error;
use crate::ir::{Operation, ShapeKind};

/// The protocol these cases test.
const PROTOCOL: &str = "aws.protocols#awsQuery";
/// The format of extra case documents.
const CASES_FORMAT: &str = "awsquery-conformance/1";
/// The endpoint of request cases that name none (as Smithy's test runners use).
const DEFAULT_ENDPOINT: &str = "https://example.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Response,
    Error,
}

impl Kind {
    fn suffix(self) -> &'static str {
        match self {
            Kind::Request => "request",
            Kind::Response => "response",
            Kind::Error => "error",
        }
    }
}

#[derive(Debug, Default)]
struct ExpectedRequest {
    method: String,
    uri: String,
    resolved_host: Option<String>,
    headers: Vec<(String, String)>,
    require_headers: Vec<String>,
    forbid_headers: Vec<String>,
    query_params: Vec<String>,
    require_query_params: Vec<String>,
    forbid_query_params: Vec<String>,
    body: Option<String>,
    body_media_type: Option<String>,
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

#[derive(Debug)]
struct ExpectedError {
    /// The error shape, or `None` for an error the operation does not model.
    shape: Option<String>,
    code: Option<String>,
    message: Option<String>,
    error_type: Option<String>,
    members: Value,
}

/// One case, whatever its source.
struct Case<'a> {
    id: String,
    kind: Kind,
    op: &'a Operation,
    documentation: Option<String>,
    /// Why the case cannot apply to this client; it is emitted as an ignored test.
    excluded: Option<String>,
    params: Value,
    endpoint: Option<String>,
    request: Option<ExpectedRequest>,
    response: Option<Response>,
    error: Option<ExpectedError>,
}

/// A group of cases emitted as one module.
struct Group<'a> {
    module: String,
    cases: Vec<Case<'a>>,
}

fn case_error(group: &str, id: &str, kind: Kind, message: impl Into<String>) -> Error {
    Error::Case {
        id: format!("{group}/{id} ({})", kind.suffix()),
        message: message.into(),
    }
}

/// Emits the tests for every case of the model and of `extra`.
pub(super) fn emit(cx: &Ctx, extra: Option<&Value>) -> Result<TokenStream, Error> {
    let mut groups = vec![smithy_cases(cx)?];
    if let Some(doc) = extra {
        groups.push(extra_cases(cx, doc)?);
    }
    let deep_eq = deep_eq_impls(cx);
    let mut modules = Vec::new();
    for group in &groups {
        let mut names = BTreeSet::new();
        let mut tests = Vec::new();
        for case in &group.cases {
            let name = unique_name(&mut names, &case.id, case.kind);
            tests.push(test_fn(cx, &group.module, case, &name)?);
        }
        let m = format_ident!("{}", group.module);
        let doc = format!("{} case(s) from {}.", group.cases.len(), group.module);
        modules.push(quote! {
            #[doc = #doc]
            mod #m {
                #(#tests)*
            }
        });
    }
    Ok(quote! {
        //! Protocol tests generated from the model's `smithy.test` traits and extra case files.
        #![allow(deprecated, clippy::field_reassign_with_default, clippy::approx_constant, clippy::excessive_precision, clippy::unreadable_literal)]
        #(#deep_eq)*
        #(#modules)*
    })
}

fn unique_name(names: &mut BTreeSet<String>, id: &str, kind: Kind) -> String {
    let mut base = String::new();
    for c in id.to_snake_case().chars() {
        if c.is_ascii_alphanumeric() {
            base.push(c.to_ascii_lowercase());
        } else if !base.ends_with('_') {
            base.push('_');
        }
    }
    let base = base.trim_matches('_');
    let base = if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
        format!("case_{base}")
    } else {
        base.to_owned()
    };
    let base = format!("{base}_{}", kind.suffix());
    let mut name = base.clone();
    let mut n = 2;
    while !names.insert(name.clone()) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

// ---------------------------------------------------------------------------------------------
// Reading cases
// ---------------------------------------------------------------------------------------------

fn str_field(obj: &Map<String, Value>, key: &str) -> Option<String> {
    obj.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn string_list(v: Option<&Value>, what: &str) -> Result<Vec<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`{what}` holds a non-string: {i}"))
            })
            .collect(),
        Some(other) => Err(format!("`{what}` must be a list of strings, found {other}")),
    }
}

fn string_map(v: Option<&Value>, what: &str) -> Result<Vec<(String, String)>, String> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|s| (k.clone(), s.to_owned()))
                    .ok_or_else(|| format!("`{what}.{k}` must be a string, found {v}"))
            })
            .collect(),
        Some(other) => Err(format!(
            "`{what}` must be an object of strings, found {other}"
        )),
    }
}

fn check_keys(obj: &Map<String, Value>, known: &[&str], what: &str) -> Result<(), String> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{what} has field `{k}`, which this generator does not support"
        )),
        None => Ok(()),
    }
}

/// Why a case with this `appliesTo` / `protocol` cannot apply to a client, if it cannot.
fn exclusion(applies_to: Option<&str>, protocol: Option<&str>) -> Option<String> {
    if let Some(p) = protocol.filter(|p| *p != PROTOCOL) {
        return Some(format!(
            "protocol `{p}`: this client speaks {PROTOCOL} only"
        ));
    }
    match applies_to {
        Some("server") => Some("appliesTo: server (a server-side case; this is a client)".into()),
        _ => None,
    }
}

const SMITHY_REQUEST_KEYS: &[&str] = &[
    "id",
    "protocol",
    "method",
    "uri",
    "host",
    "resolvedHost",
    "authScheme",
    "queryParams",
    "forbidQueryParams",
    "requireQueryParams",
    "headers",
    "forbidHeaders",
    "requireHeaders",
    "body",
    "bodyMediaType",
    "params",
    "documentation",
    "tags",
    "appliesTo",
];
const SMITHY_RESPONSE_KEYS: &[&str] = &[
    "id",
    "protocol",
    "code",
    "authScheme",
    "headers",
    "forbidHeaders",
    "requireHeaders",
    "body",
    "bodyMediaType",
    "params",
    "vendorParamsShape",
    "vendorParams",
    "documentation",
    "tags",
    "appliesTo",
];

/// The cases of the model's own `smithy.test` traits: per operation (in wire-name order) its
/// request then response tests, then the response tests of error shapes.
fn smithy_cases<'a>(cx: &Ctx<'a>) -> Result<Group<'a>, Error> {
    let group = "smithy";
    let mut cases = Vec::new();
    for op in &cx.svc.operations {
        for t in &op.request_tests {
            cases.push(smithy_request(group, op, t)?);
        }
        for t in &op.response_tests {
            cases.push(smithy_response(group, op, t, None)?);
        }
    }
    for (id, shape) in &cx.svc.shapes {
        if shape.response_tests.is_empty() {
            continue;
        }
        let Some(op) = cx.svc.operations.iter().find(|o| o.errors.contains(id)) else {
            let first = shape.response_tests[0]
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("?");
            return Err(case_error(
                group,
                first,
                Kind::Error,
                format!("error shape {id} is not an error of any operation"),
            ));
        };
        for t in &shape.response_tests {
            cases.push(smithy_response(group, op, t, Some(id))?);
        }
    }
    Ok(Group {
        module: group.to_owned(),
        cases,
    })
}

fn case_id(t: &Value) -> String {
    t.get("id")
        .and_then(Value::as_str)
        .unwrap_or("(no id)")
        .to_owned()
}

fn smithy_request<'a>(group: &str, op: &'a Operation, t: &Value) -> Result<Case<'a>, Error> {
    let id = case_id(t);
    let fail = |m: String| case_error(group, &id, Kind::Request, format!("{}: {m}", op.id));
    let obj = t
        .as_object()
        .ok_or_else(|| fail("a test case must be an object".into()))?;
    check_keys(obj, SMITHY_REQUEST_KEYS, "the case").map_err(fail)?;
    let method = str_field(obj, "method").ok_or_else(|| fail("missing `method`".into()))?;
    let uri = str_field(obj, "uri").ok_or_else(|| fail("missing `uri`".into()))?;
    let request = ExpectedRequest {
        method,
        uri,
        resolved_host: str_field(obj, "resolvedHost"),
        headers: string_map(obj.get("headers"), "headers").map_err(fail)?,
        require_headers: string_list(obj.get("requireHeaders"), "requireHeaders").map_err(fail)?,
        forbid_headers: string_list(obj.get("forbidHeaders"), "forbidHeaders").map_err(fail)?,
        query_params: string_list(obj.get("queryParams"), "queryParams").map_err(fail)?,
        require_query_params: string_list(obj.get("requireQueryParams"), "requireQueryParams")
            .map_err(fail)?,
        forbid_query_params: string_list(obj.get("forbidQueryParams"), "forbidQueryParams")
            .map_err(fail)?,
        body: str_field(obj, "body"),
        body_media_type: str_field(obj, "bodyMediaType"),
    };
    Ok(Case {
        excluded: exclusion(
            obj.get("appliesTo").and_then(Value::as_str),
            obj.get("protocol").and_then(Value::as_str),
        ),
        documentation: str_field(obj, "documentation"),
        params: obj.get("params").cloned().unwrap_or(Value::Null),
        endpoint: str_field(obj, "host").map(|h| format!("https://{h}")),
        request: Some(request),
        response: None,
        error: None,
        id,
        kind: Kind::Request,
        op,
    })
}

fn status(v: Option<&Value>) -> Result<u16, String> {
    v.and_then(Value::as_u64)
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| {
            format!(
                "the HTTP status must be a number from 0 to 65535, found {}",
                v.unwrap_or(&Value::Null)
            )
        })
}

fn smithy_response<'a>(
    group: &str,
    op: &'a Operation,
    t: &Value,
    error_shape: Option<&String>,
) -> Result<Case<'a>, Error> {
    let id = case_id(t);
    let kind = if error_shape.is_some() {
        Kind::Error
    } else {
        Kind::Response
    };
    let holder = error_shape.unwrap_or(&op.id);
    let fail = |m: String| case_error(group, &id, kind, format!("{holder}: {m}"));
    let obj = t
        .as_object()
        .ok_or_else(|| fail("a test case must be an object".into()))?;
    check_keys(obj, SMITHY_RESPONSE_KEYS, "the case").map_err(fail)?;
    let response = Response {
        status: status(obj.get("code")).map_err(fail)?,
        headers: string_map(obj.get("headers"), "headers").map_err(fail)?,
        body: str_field(obj, "body").unwrap_or_default(),
    };
    let params = obj.get("params").cloned().unwrap_or(Value::Null);
    let error = match error_shape {
        None => None,
        Some(shape) => {
            let vendor = obj.get("vendorParams");
            Some(ExpectedError {
                shape: Some(shape.clone()),
                code: vendor
                    .and_then(|v| v.get("code"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                message: None,
                error_type: vendor
                    .and_then(|v| v.get("type"))
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                members: params.clone(),
            })
        }
    };
    Ok(Case {
        excluded: exclusion(
            obj.get("appliesTo").and_then(Value::as_str),
            obj.get("protocol").and_then(Value::as_str),
        ),
        documentation: str_field(obj, "documentation"),
        params,
        endpoint: None,
        request: None,
        response: Some(response),
        error,
        id,
        kind,
        op,
    })
}

const EXTRA_CASE_KEYS: &[&str] = &[
    "id",
    "origin",
    "kind",
    "description",
    "applies_to",
    "service",
    "operation",
    "model",
    "params",
    "client_endpoint",
    "request",
    "response",
    "expected_output",
    "expected_error",
    "notes",
];
const EXTRA_REQUEST_KEYS: &[&str] = &[
    "method",
    "uri",
    "headers",
    "require_headers",
    "forbid_headers",
    "query_params",
    "require_query_params",
    "forbid_query_params",
    "body",
    "body_media_type",
    "resolved_host",
];
const EXTRA_RESPONSE_KEYS: &[&str] = &["status", "headers", "body"];
const EXTRA_ERROR_KEYS: &[&str] = &["shape", "code", "message", "members", "vendor_params"];

/// Cases from an `awsquery-conformance/1` document, mapped onto this service's operations by
/// operation name (each case carries its own small model under its own namespace).
fn extra_cases<'a>(cx: &Ctx<'a>, doc: &Value) -> Result<Group<'a>, Error> {
    let bad = |m: String| Error::Case {
        id: "(extra cases)".into(),
        message: m,
    };
    let format = doc
        .get("format")
        .and_then(Value::as_str)
        .unwrap_or("(none)");
    if format != CASES_FORMAT {
        return Err(bad(format!(
            "unsupported format `{format}`; expected `{CASES_FORMAT}`"
        )));
    }
    let source = doc
        .get("source")
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("extra");
    let module = source
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .filter(|m| m != "smithy" && m.starts_with(|c: char| c.is_ascii_alphabetic()))
        .unwrap_or_else(|| "extra".to_owned());
    let list = doc
        .get("cases")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("the document has no `cases` list".into()))?;
    let mut cases = Vec::new();
    for c in list {
        cases.push(extra_case(cx, &module, c)?);
    }
    Ok(Group { module, cases })
}

fn extra_case<'a>(cx: &Ctx<'a>, group: &str, c: &Value) -> Result<Case<'a>, Error> {
    let id = case_id(c);
    let kind = match c.get("kind").and_then(Value::as_str) {
        Some("request") => Kind::Request,
        Some("response") => Kind::Response,
        Some("error") => Kind::Error,
        other => {
            return Err(case_error(
                group,
                &id,
                Kind::Request,
                format!("unknown kind {other:?} (expected request, response or error)"),
            ));
        }
    };
    let fail = |m: String| case_error(group, &id, kind, m);
    let obj = c
        .as_object()
        .ok_or_else(|| fail("a case must be an object".into()))?;
    check_keys(obj, EXTRA_CASE_KEYS, "the case").map_err(fail)?;
    let op_id = str_field(obj, "operation").ok_or_else(|| fail("missing `operation`".into()))?;
    let op_name = crate::ir_local(&op_id);
    let op = cx
        .svc
        .operations
        .iter()
        .find(|o| o.wire_name == op_name)
        .ok_or_else(|| {
            fail(format!(
                "operation {op_id}: {} has no operation `{op_name}`",
                cx.svc.id
            ))
        })?;
    let excluded = exclusion(obj.get("applies_to").and_then(Value::as_str), None);
    let mut case = Case {
        id: id.clone(),
        kind,
        op,
        documentation: str_field(obj, "description"),
        excluded,
        params: obj.get("params").cloned().unwrap_or(Value::Null),
        endpoint: str_field(obj, "client_endpoint"),
        request: None,
        response: None,
        error: None,
    };
    match kind {
        Kind::Request => {
            let r = obj
                .get("request")
                .and_then(Value::as_object)
                .ok_or_else(|| fail("a request case needs a `request` object".into()))?;
            check_keys(r, EXTRA_REQUEST_KEYS, "`request`").map_err(fail)?;
            case.request = Some(ExpectedRequest {
                method: str_field(r, "method")
                    .ok_or_else(|| fail("missing `request.method`".into()))?,
                uri: str_field(r, "uri").ok_or_else(|| fail("missing `request.uri`".into()))?,
                resolved_host: str_field(r, "resolved_host"),
                headers: string_map(r.get("headers"), "request.headers").map_err(fail)?,
                require_headers: string_list(r.get("require_headers"), "request.require_headers")
                    .map_err(fail)?,
                forbid_headers: string_list(r.get("forbid_headers"), "request.forbid_headers")
                    .map_err(fail)?,
                query_params: string_list(r.get("query_params"), "request.query_params")
                    .map_err(fail)?,
                require_query_params: string_list(
                    r.get("require_query_params"),
                    "request.require_query_params",
                )
                .map_err(fail)?,
                forbid_query_params: string_list(
                    r.get("forbid_query_params"),
                    "request.forbid_query_params",
                )
                .map_err(fail)?,
                body: str_field(r, "body"),
                body_media_type: str_field(r, "body_media_type"),
            });
        }
        Kind::Response | Kind::Error => {
            let r = obj
                .get("response")
                .and_then(Value::as_object)
                .ok_or_else(|| fail("a response case needs a `response` object".into()))?;
            check_keys(r, EXTRA_RESPONSE_KEYS, "`response`").map_err(fail)?;
            case.response = Some(Response {
                status: status(r.get("status")).map_err(fail)?,
                headers: string_map(r.get("headers"), "response.headers").map_err(fail)?,
                body: str_field(r, "body").unwrap_or_default(),
            });
            if kind == Kind::Response {
                case.params = obj.get("expected_output").cloned().unwrap_or(Value::Null);
            } else {
                let e = obj
                    .get("expected_error")
                    .and_then(Value::as_object)
                    .ok_or_else(|| fail("an error case needs an `expected_error` object".into()))?;
                check_keys(e, EXTRA_ERROR_KEYS, "`expected_error`").map_err(fail)?;
                let shape = match str_field(e, "shape") {
                    None => None,
                    Some(s) => {
                        let name = crate::ir_local(&s);
                        let found = op.errors.iter().find(|id| crate::ir_local(id) == name);
                        Some(found.cloned().ok_or_else(|| {
                            fail(format!(
                                "error shape {s}: operation {} has no error `{name}`",
                                op.id
                            ))
                        })?)
                    }
                };
                let vendor = e.get("vendor_params");
                case.error = Some(ExpectedError {
                    shape,
                    code: str_field(e, "code"),
                    message: str_field(e, "message"),
                    error_type: vendor
                        .and_then(|v| v.get("type"))
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    members: e.get("members").cloned().unwrap_or(Value::Null),
                });
            }
        }
    }
    Ok(case)
}

// ---------------------------------------------------------------------------------------------
// Emitting tests
// ---------------------------------------------------------------------------------------------

fn test_fn(cx: &Ctx, group: &str, case: &Case, name: &str) -> Result<TokenStream, Error> {
    let f = format_ident!("{}", name);
    let mut doc = format!(
        "`{}` ({}) on `{}`.",
        case.id,
        case.kind.suffix(),
        case.op.wire_name
    );
    if let Some(d) = &case.documentation {
        doc.push_str("\n\n");
        doc.push_str(d.trim());
    }
    if let Some(reason) = &case.excluded {
        return Ok(quote! {
            #[doc = #doc]
            #[test]
            #[ignore = #reason]
            fn #f() {}
        });
    }
    let fail = |m: String| case_error(group, &case.id, case.kind, format!("{}: {m}", case.op.id));
    let body = match case.kind {
        Kind::Request => request_body(cx, case).map_err(fail)?,
        Kind::Response => response_body(cx, case).map_err(fail)?,
        Kind::Error => error_body(cx, case).map_err(fail)?,
    };
    Ok(quote! {
        #[doc = #doc]
        #[test]
        fn #f() {
            #body
        }
    })
}

fn strs(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

fn pairs(items: &[(String, String)]) -> TokenStream {
    let p = items.iter().map(|(k, v)| quote!((#k, #v)));
    quote!(&[#(#p),*])
}

fn opt_str(v: &Option<String>) -> TokenStream {
    match v {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn request_body(cx: &Ctx, case: &Case) -> Result<TokenStream, String> {
    let Some(r) = &case.request else {
        return Err("a request case without a request".into());
    };
    let m = ident(&case.op.fn_name);
    let input = value_expr(cx, &case.op.input, &case.params, "params")?;
    let endpoint = case.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT);
    let method = &r.method;
    let uri = &r.uri;
    let resolved_host = opt_str(&r.resolved_host);
    let headers = pairs(&r.headers);
    let require = strs(&r.require_headers);
    let forbid = strs(&r.forbid_headers);
    let qp = strs(&r.query_params);
    let rqp = strs(&r.require_query_params);
    let fqp = strs(&r.forbid_query_params);
    let body = opt_str(&r.body);
    let media = opt_str(&r.body_media_type);
    Ok(quote! {
        let input = #input;
        let request = crate::runtime::protocol_test::prepare(
            &crate::operation::#m::OPERATION,
            &crate::generated::client::SERVICE,
            #endpoint,
            &input,
        );
        crate::runtime::protocol_test::check_request(
            &request,
            &crate::runtime::protocol_test::ExpectedRequest {
                method: #method,
                uri: #uri,
                resolved_host: #resolved_host,
                headers: #headers,
                require_headers: #require,
                forbid_headers: #forbid,
                query_params: #qp,
                require_query_params: #rqp,
                forbid_query_params: #fqp,
                body: #body,
                body_media_type: #media,
            },
        );
    })
}

fn parse_call(case: &Case) -> Result<TokenStream, String> {
    let Some(r) = &case.response else {
        return Err("a response case without a response".into());
    };
    let m = ident(&case.op.fn_name);
    let status = r.status;
    let headers = pairs(&r.headers);
    let body = &r.body;
    Ok(quote! {
        let parsed = crate::runtime::protocol_test::parse(
            &crate::operation::#m::OPERATION,
            #status,
            #headers,
            #body,
        );
    })
}

fn response_body(cx: &Ctx, case: &Case) -> Result<TokenStream, String> {
    let parse = parse_call(case)?;
    let expected = value_expr(cx, &case.op.output, &case.params, "params")?;
    Ok(quote! {
        #parse
        let output = match parsed {
            ::std::result::Result::Ok(output) => output,
            ::std::result::Result::Err(e) => panic!("expected an output, got an error: {e:?}"),
        };
        let expected = #expected;
        crate::runtime::protocol_test::assert_deep_eq(&output, &expected, "the parsed output");
    })
}

fn error_body(cx: &Ctx, case: &Case) -> Result<TokenStream, String> {
    let Some(e) = &case.error else {
        return Err("an error case without an expected error".into());
    };
    let parse = parse_call(case)?;
    let m = ident(&case.op.fn_name);
    let err_ty = format_ident!("{}Error", case.op.type_name);
    let status = case.response.as_ref().map_or(0, |r| r.status);
    let (variant, label, members, default_code) = match &e.shape {
        Some(shape) => {
            let v = ident(&cx.svc.shape(shape).rust_name);
            let members = value_expr(cx, shape, &e.members, "members")?;
            let code = cx
                .svc
                .structure(shape)
                .error
                .as_ref()
                .map(|i| i.code.clone());
            (quote!(#v(e)), v.to_string(), Some(members), code)
        }
        None => (quote!(Unhandled(e)), "Unhandled".to_owned(), None, None),
    };
    let code = e.code.clone().or(default_code);
    let meta = if e.shape.is_some() {
        quote!(e.meta)
    } else {
        quote!(e)
    };
    let code_check = code.map(|c| quote!(assert_eq!(#meta.code(), Some(#c), "error code");));
    let type_check = e.error_type.as_ref().map(
        |t| quote!(assert_eq!(#meta.error_type(), ::std::option::Option::Some(#t), "error type");),
    );
    let message_check = e.message.as_ref().map(
        |t| quote!(assert_eq!(#meta.message(), ::std::option::Option::Some(#t), "error message");),
    );
    let member_check = members.map(|expected| {
        quote! {
            let expected = #expected;
            crate::runtime::protocol_test::assert_deep_eq(&e, &expected, "the error's members");
        }
    });
    Ok(quote! {
        #parse
        let error = match parsed {
            ::std::result::Result::Err(crate::error::SdkError::ServiceError(error)) => error.into_err(),
            ::std::result::Result::Err(other) => panic!("expected a service error, got {other:?}"),
            ::std::result::Result::Ok(output) => panic!("expected an error, got {output:?}"),
        };
        let e = match error {
            crate::operation::#m::#err_ty::#variant => e,
            #[allow(unreachable_patterns)]
            other => panic!("expected the {} variant, got {other:?}", #label),
        };
        #code_check
        #type_check
        #message_check
        assert_eq!(#meta.status(), #status, "HTTP status");
        #member_check
    })
}

/// `DeepEq` for every structure and enum a response can hold: structures member by member
/// (outputs without their request id, errors without their metadata), enums by value.
fn deep_eq_impls(cx: &Ctx) -> Vec<TokenStream> {
    let rt = quote!(crate::runtime::protocol_test);
    cx.svc
        .output_closure()
        .into_iter()
        .filter_map(|id| {
            let shape = cx.svc.shape(&id);
            let ty = cx.rust_type(&id);
            match &shape.kind {
                ShapeKind::Structure(st) => {
                    let checks: Vec<TokenStream> = st
                        .members
                        .iter()
                        .map(|m| {
                            let f = ident(&m.rust_name);
                            let label = &m.wire_name;
                            quote!(#rt::DeepEq::deep_diff(&self.#f, &expected.#f, &#rt::field(path, #label), out);)
                        })
                        .collect();
                    let (e, p, o) = if checks.is_empty() {
                        (quote!(_expected), quote!(_path), quote!(_out))
                    } else {
                        (quote!(expected), quote!(path), quote!(out))
                    };
                    Some(quote! {
                        impl #rt::DeepEq for #ty {
                            fn deep_diff(&self, #e: &Self, #p: &str, #o: &mut ::std::vec::Vec<::std::string::String>) {
                                #(#checks)*
                            }
                        }
                    })
                }
                // The same member: compared inside; anything else: compared as a whole.
                ShapeKind::Union(u) => {
                    let arms = u.members.iter().zip(&u.variants).map(|(m, v)| {
                        let v = ident(v);
                        let label = &m.wire_name;
                        quote!((#ty::#v(a), #ty::#v(e)) => #rt::DeepEq::deep_diff(a, e, &#rt::field(path, #label), out),)
                    });
                    Some(quote! {
                        impl #rt::DeepEq for #ty {
                            fn deep_diff(&self, expected: &Self, path: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
                                match (self, expected) {
                                    #(#arms)*
                                    _ => #rt::eq_diff(self, expected, path, out),
                                }
                            }
                        }
                    })
                }
                ShapeKind::Enum(_) | ShapeKind::IntEnum(_) => Some(quote! {
                    impl #rt::DeepEq for #ty {
                        fn deep_diff(&self, expected: &Self, path: &str, out: &mut ::std::vec::Vec<::std::string::String>) {
                            #rt::eq_diff(self, expected, path, out);
                        }
                    }
                }),
                _ => None,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/// A Rust expression for a Smithy node value `v` of shape `id` (see the module docs for the
/// conventions). `at` locates the value in the case for error messages.
fn value_expr(cx: &Ctx, id: &str, v: &Value, at: &str) -> Result<TokenStream, String> {
    let shape = cx.svc.shape(id);
    let ty = cx.rust_type(id);
    let wrong = |what: &str| format!("{at}: expected {what} for {id}, found {v}");
    match &shape.kind {
        ShapeKind::Structure(st) => {
            let map = match v {
                Value::Null => return Ok(quote!(<#ty as ::std::default::Default>::default())),
                Value::Object(m) => m,
                _ => return Err(wrong("an object")),
            };
            let mut fields = Vec::new();
            for (key, val) in map {
                if val.is_null() {
                    continue;
                }
                let m = st
                    .members
                    .iter()
                    .find(|m| &m.wire_name == key)
                    .ok_or_else(|| format!("{at}: `{key}` is not a member of {id}"))?;
                let e = value_expr(cx, &m.target, val, &format!("{at}.{key}"))?;
                let e = if m.boxed {
                    quote!(::std::boxed::Box::new(#e))
                } else {
                    e
                };
                let f = ident(&m.rust_name);
                fields.push(quote!(v.#f = ::std::option::Option::Some(#e);));
            }
            // Assignments rather than a struct literal: outputs have a private field.
            if fields.is_empty() {
                Ok(quote!(<#ty as ::std::default::Default>::default()))
            } else {
                Ok(quote!({
                    let mut v = <#ty as ::std::default::Default>::default();
                    #(#fields)*
                    v
                }))
            }
        }
        ShapeKind::Union(u) => {
            let map = v
                .as_object()
                .filter(|m| m.len() == 1)
                .ok_or_else(|| wrong("an object with exactly one member"))?;
            let (key, val) = map
                .iter()
                .next()
                .ok_or_else(|| wrong("an object with exactly one member"))?;
            let i = u
                .members
                .iter()
                .position(|m| &m.wire_name == key)
                .ok_or_else(|| format!("{at}: `{key}` is not a member of {id}"))?;
            let (m, variant) = (&u.members[i], ident(&u.variants[i]));
            let e = value_expr(cx, &m.target, val, &format!("{at}.{key}"))?;
            let e = if m.boxed {
                quote!(::std::boxed::Box::new(#e))
            } else {
                e
            };
            Ok(quote!(#ty::#variant(#e)))
        }
        ShapeKind::List(item) => {
            let items = v.as_array().ok_or_else(|| wrong("a list"))?;
            let exprs = items
                .iter()
                .enumerate()
                .map(|(i, x)| value_expr(cx, &item.target, x, &format!("{at}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            if exprs.is_empty() {
                Ok(quote!(::std::vec::Vec::new()))
            } else {
                Ok(quote!(::std::vec![#(#exprs),*]))
            }
        }
        ShapeKind::Map { key, value } => {
            let entries = v.as_object().ok_or_else(|| wrong("an object"))?;
            let mut out = Vec::new();
            for (k, x) in entries {
                let ke = value_expr(
                    cx,
                    &key.target,
                    &Value::String(k.clone()),
                    &format!("{at} key {k:?}"),
                )?;
                let ve = value_expr(cx, &value.target, x, &format!("{at}[{k:?}]"))?;
                out.push(quote!((#ke, #ve)));
            }
            if out.is_empty() {
                Ok(quote!(::std::collections::HashMap::new()))
            } else {
                Ok(quote!(::std::collections::HashMap::from([#(#out),*])))
            }
        }
        ShapeKind::String => {
            let s = v.as_str().ok_or_else(|| wrong("a string"))?;
            Ok(quote!(::std::string::String::from(#s)))
        }
        ShapeKind::Enum(_) => {
            let s = v
                .as_str()
                .ok_or_else(|| wrong("an enum value (a string)"))?;
            Ok(quote!(<#ty>::from(#s)))
        }
        ShapeKind::IntEnum(_) => {
            let n = v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| wrong("an intEnum value (a 32-bit integer)"))?;
            let lit = Literal::i32_suffixed(n);
            Ok(quote!(<#ty>::from(#lit)))
        }
        ShapeKind::Boolean => {
            let b = v.as_bool().ok_or_else(|| wrong("a boolean"))?;
            Ok(quote!(#b))
        }
        ShapeKind::Byte => int(v, at, id, |n| {
            i8::try_from(n).ok().map(Literal::i8_suffixed)
        }),
        ShapeKind::Short => int(v, at, id, |n| {
            i16::try_from(n).ok().map(Literal::i16_suffixed)
        }),
        ShapeKind::Integer => int(v, at, id, |n| {
            i32::try_from(n).ok().map(Literal::i32_suffixed)
        }),
        ShapeKind::Long => int(v, at, id, |n| Some(Literal::i64_suffixed(n))),
        // A finite f64 past f32's range would become an infinite literal (a panic).
        ShapeKind::Float if v.as_f64().is_some_and(|x| (x as f32).is_infinite()) => {
            Err(format!("{at}: {v} does not fit a 32-bit float for {id}"))
        }
        ShapeKind::Float => float(v, at, id, quote!(f32), |x| Literal::f32_suffixed(x as f32)),
        ShapeKind::Double => float(v, at, id, quote!(f64), Literal::f64_suffixed),
        ShapeKind::Timestamp => {
            let n = match v {
                Value::Number(n) => n,
                _ => return Err(wrong("epoch seconds (a number)")),
            };
            let (secs, nanos) =
                epoch_parts(&n.to_string()).ok_or_else(|| wrong("epoch seconds"))?;
            Ok(quote!(crate::primitives::DateTime::from_secs_and_nanos(#secs, #nanos)))
        }
        ShapeKind::Blob => {
            let s = v
                .as_str()
                .ok_or_else(|| wrong("a blob (its bytes as a UTF-8 string)"))?;
            Ok(quote!(crate::primitives::Blob::new(#s)))
        }
    }
}

fn int(
    v: &Value,
    at: &str,
    id: &str,
    lit: impl Fn(i64) -> Option<Literal>,
) -> Result<TokenStream, String> {
    let l = v
        .as_i64()
        .and_then(lit)
        .ok_or_else(|| format!("{at}: expected an integer in range for {id}, found {v}"))?;
    Ok(quote!(#l))
}

fn float(
    v: &Value,
    at: &str,
    id: &str,
    ty: TokenStream,
    lit: impl Fn(f64) -> Literal,
) -> Result<TokenStream, String> {
    match v {
        Value::String(s) if s == "NaN" => Ok(quote!(#ty::NAN)),
        Value::String(s) if s == "Infinity" => Ok(quote!(#ty::INFINITY)),
        Value::String(s) if s == "-Infinity" => Ok(quote!(#ty::NEG_INFINITY)),
        Value::Number(n) => match n.as_f64() {
            Some(x) if x.is_finite() => {
                let l = lit(x);
                Ok(quote!(#l))
            }
            _ => Err(format!("{at}: {n} is not a finite number for {id}")),
        },
        _ => Err(format!(
            "{at}: expected a number or NaN / Infinity / -Infinity for {id}, found {v}"
        )),
    }
}

/// Whole seconds and nanoseconds of a decimal epoch-seconds literal (`946845296.123`), exact to
/// the digits written (no float rounding).
fn epoch_parts(text: &str) -> Option<(i64, u32)> {
    if text.contains(['e', 'E']) {
        // serde_json prints large or tiny floats in exponent form; go through f64 then.
        let x: f64 = text.parse().ok()?;
        let secs = x.floor();
        let nanos = ((x - secs) * 1e9).round() as u32;
        return Some((secs as i64, nanos.min(999_999_999)));
    }
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let whole: i64 = whole.parse().ok()?;
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<9}").parse().ok()?
    };
    Some(match (neg, nanos) {
        (false, n) => (whole, n),
        (true, 0) => (-whole, 0),
        (true, n) => (-whole - 1, 1_000_000_000 - n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_parts_are_exact() {
        assert_eq!(epoch_parts("1422172800"), Some((1_422_172_800, 0)));
        assert_eq!(
            epoch_parts("946845296.123"),
            Some((946_845_296, 123_000_000))
        );
        assert_eq!(epoch_parts("-1.5"), Some((-2, 500_000_000)));
        assert_eq!(epoch_parts("-3"), Some((-3, 0)));
        assert_eq!(epoch_parts("1e3"), Some((1000, 0)));
        assert_eq!(epoch_parts("x"), None);
    }

    /// A one-operation awsQuery model; `op_traits` and `input_members` are spliced in.
    fn model(op_traits: &str, input_members: &str) -> String {
        format!(
            r#"{{
  "smithy": "2.0",
  "shapes": {{
    "t#Svc": {{
      "type": "service", "version": "2020-01-01",
      "operations": [{{ "target": "t#Op" }}],
      "traits": {{ "aws.protocols#awsQuery": {{}}, "aws.api#service": {{ "sdkId": "Test" }} }}
    }},
    "t#Op": {{
      "type": "operation",
      "input": {{ "target": "t#OpInput" }},
      "output": {{ "target": "t#OpOutput" }},
      "traits": {{ {op_traits} }}
    }},
    "t#OpInput": {{ "type": "structure", "members": {{ {input_members} }} }},
    "t#OpOutput": {{ "type": "structure", "members": {{ "Name": {{ "target": "smithy.api#String" }} }} }}
  }}
}}"#
        )
    }

    const MEMBERS: &str =
        r#""Name": { "target": "smithy.api#String" }, "Count": { "target": "smithy.api#Integer" }"#;

    fn request_case(params: &str) -> String {
        format!(
            r#""smithy.test#httpRequestTests": [{{
                "id": "MyCase", "protocol": "aws.protocols#awsQuery", "method": "POST", "uri": "/",
                "body": "Action=Op&Version=2020-01-01", "params": {params}
            }}]"#
        )
    }

    fn generate(model: &str, extra: Option<Value>) -> Result<String, Error> {
        let opts = crate::Options {
            protocol_tests: true,
            extra_cases: extra,
            source_name: "test.json".into(),
            ..Default::default()
        };
        let (files, _) = crate::generate(model, &opts)?;
        let tests = files.iter().find(|f| f.path == "protocol_tests.rs");
        Ok(tests.map(|f| f.contents.clone()).unwrap_or_default())
    }

    fn case_message(r: Result<String, Error>) -> String {
        match r {
            Err(e @ Error::Case { .. }) => e.to_string(),
            Err(other) => panic!("expected a case error, got {other}"),
            Ok(_) => panic!("expected a case error, generation succeeded"),
        }
    }

    #[test]
    fn emits_one_test_per_case() {
        let code = generate(
            &model(&request_case(r#"{"Name": "x", "Count": 3}"#), MEMBERS),
            None,
        )
        .unwrap();
        assert!(code.contains("fn my_case_request()"), "{code}");
        assert!(
            code.contains("v.count = Some(3i32)") || code.contains("Some(3i32)"),
            "{code}"
        );
        let mods = generate(&model("", MEMBERS), None).unwrap();
        assert!(mods.contains("mod smithy"), "{mods}");
    }

    #[test]
    fn a_case_naming_an_unknown_member_fails_with_its_id() {
        let msg = case_message(generate(
            &model(&request_case(r#"{"Nope": 1}"#), MEMBERS),
            None,
        ));
        assert!(msg.contains("smithy/MyCase (request)"), "{msg}");
        assert!(msg.contains("t#Op"), "{msg}");
        assert!(msg.contains("`Nope` is not a member of t#OpInput"), "{msg}");
    }

    #[test]
    fn a_value_of_the_wrong_type_fails_with_its_path() {
        let msg = case_message(generate(
            &model(&request_case(r#"{"Count": "three"}"#), MEMBERS),
            None,
        ));
        assert!(msg.contains("MyCase"), "{msg}");
        assert!(msg.contains("params.Count"), "{msg}");
        let msg = case_message(generate(
            &model(&request_case(r#"{"Count": 3000000000}"#), MEMBERS),
            None,
        ));
        assert!(msg.contains("in range"), "{msg}");
    }

    #[test]
    fn a_malformed_case_names_the_case_and_the_shape() {
        let traits = r#""smithy.test#httpRequestTests": [{ "id": "NoMethod", "protocol": "aws.protocols#awsQuery", "uri": "/" }]"#;
        let msg = case_message(generate(&model(traits, MEMBERS), None));
        assert!(msg.contains("smithy/NoMethod (request)"), "{msg}");
        assert!(msg.contains("t#Op: missing `method`"), "{msg}");
        let traits = r#""smithy.test#httpResponseTests": [{ "id": "Odd", "protocol": "aws.protocols#awsQuery", "code": 200, "surprise": 1 }]"#;
        let msg = case_message(generate(&model(traits, MEMBERS), None));
        assert!(msg.contains("smithy/Odd (response)"), "{msg}");
        assert!(msg.contains("`surprise`"), "{msg}");
    }

    #[test]
    fn server_only_cases_are_listed_as_ignored_with_a_reason() {
        let traits = r#""smithy.test#httpResponseTests": [{ "id": "ServerOnly", "protocol": "aws.protocols#awsQuery", "code": 200, "appliesTo": "server" }]"#;
        let code = generate(&model(traits, MEMBERS), None).unwrap();
        assert!(code.contains("fn server_only_response()"), "{code}");
        assert!(code.contains("#[ignore = \"appliesTo: server"), "{code}");
    }

    fn extra(cases: Value) -> Value {
        serde_json::json!({
            "format": "awsquery-conformance/1",
            "source": { "name": "botocore" },
            "cases": cases,
        })
    }

    #[test]
    fn extra_cases_map_to_operations_by_name() {
        let doc = extra(serde_json::json!([{
            "id": "Other", "kind": "response", "operation": "elsewhere#Op",
            "response": { "status": 200, "headers": {}, "body": "<OpResponse><OpResult><Name>n</Name></OpResult></OpResponse>" },
            "expected_output": { "Name": "n" }
        }]));
        let code = generate(&model("", MEMBERS), Some(doc)).unwrap();
        assert!(code.contains("mod botocore"), "{code}");
        assert!(code.contains("fn other_response()"), "{code}");
    }

    #[test]
    fn an_extra_case_that_cannot_be_mapped_fails_with_its_id() {
        let doc = extra(
            serde_json::json!([{ "id": "Lost", "kind": "request", "operation": "elsewhere#Missing",
            "request": { "method": "POST", "uri": "/" } }]),
        );
        let msg = case_message(generate(&model("", MEMBERS), Some(doc)));
        assert!(msg.contains("botocore/Lost (request)"), "{msg}");
        assert!(msg.contains("no operation `Missing`"), "{msg}");
        let doc = extra(
            serde_json::json!([{ "id": "BadErr", "kind": "error", "operation": "elsewhere#Op",
            "response": { "status": 400, "body": "" }, "expected_error": { "shape": "elsewhere#Nope", "code": "Nope" } }]),
        );
        let msg = case_message(generate(&model("", MEMBERS), Some(doc)));
        assert!(msg.contains("botocore/BadErr (error)"), "{msg}");
        assert!(msg.contains("no error `Nope`"), "{msg}");
        let msg = case_message(generate(
            &model("", MEMBERS),
            Some(serde_json::json!({ "format": "other" })),
        ));
        assert!(msg.contains("unsupported format `other`"), "{msg}");
    }

    #[test]
    fn malformed_operation_traits_name_the_shape() {
        let host = r#""smithy.api#endpoint": { "hostPrefix": "{Name}." }"#;
        match generate(&model(host, MEMBERS), None) {
            Err(Error::Model { shape, message }) => {
                assert_eq!(shape, "t#Op");
                assert!(message.contains("lacks @hostLabel"), "{message}");
            }
            other => panic!("expected a model error, got {other:?}"),
        }
        let token = r#""Token": { "target": "smithy.api#Integer", "traits": { "smithy.api#idempotencyToken": {} } }"#;
        match generate(&model("", token), None) {
            Err(Error::Model { shape, message }) => {
                assert_eq!(shape, "t#OpInput$Token");
                assert!(message.contains("must target a string"), "{message}");
            }
            other => panic!("expected a model error, got {other:?}"),
        }
    }

    #[test]
    fn names_are_snake_case_and_unique() {
        let mut names = BTreeSet::new();
        assert_eq!(
            unique_name(&mut names, "QueryXmlLists", Kind::Response),
            "query_xml_lists_response"
        );
        assert_eq!(
            unique_name(&mut names, "QueryXmlLists", Kind::Response),
            "query_xml_lists_response_2"
        );
        assert_eq!(
            unique_name(
                &mut names,
                "SDKAppliedContentEncoding_awsQuery",
                Kind::Request
            ),
            "sdk_applied_content_encoding_aws_query_request"
        );
        assert_eq!(
            unique_name(&mut names, "1st case!", Kind::Error),
            "case_1st_case_error"
        );
    }
}
